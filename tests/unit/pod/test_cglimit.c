/* Unit tests for pod/cglimit.h: the pod's cgroup from /proc/self/cgroup and
 * mountinfo (cgroup v1, v2 private and node namespaces), memory limits, the
 * shares lazydind derives from them, and doctor's containment verdict. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "pod/cglimit.h"

/* mountinfo lines as the three layouts show them */
#define MI_V2_PRIVATE \
    "30 25 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup rw,nsdelegate\n"
#define MI_V2_NODE \
    "30 25 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup rw,nsdelegate\n"
#define MI_V1_NODE \
    "40 30 0:30 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n" \
    "41 40 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n" \
    "42 40 0:32 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
/* docker's own v1 mounts in a pod: the pod's cgroup is the mount's root */
#define MI_V1_OWN \
    "41 40 0:31 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
/* a private cgroup namespace over the node's cgroupfs: the root lies outside */
#define MI_V1_OUTSIDE \
    "41 40 0:31 /../.. /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"

static void test_self_path(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(lz_cg_self_path("0::/\n", 1, "memory", out, sizeof out), 1);
    assert_string_equal(out, "/");
    assert_int_equal(lz_cg_self_path("0::/docker/abc/init\n", 1, "memory", out, sizeof out), 1);
    assert_string_equal(out, "/docker/abc/init");
    const char *v1 = "12:pids:/docker/abc\n5:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n"
                     "0::/docker/abc\n";
    assert_int_equal(lz_cg_self_path(v1, 0, "memory", out, sizeof out), 1);
    assert_string_equal(out, "/docker/abc");
    assert_int_equal(lz_cg_self_path(v1, 0, "cpu", out, sizeof out), 1);
    assert_int_equal(lz_cg_self_path("4:memory:/x\n", 0, "cpuacct", out, sizeof out), 0);
    assert_int_equal(lz_cg_self_path("4:memory:/x\n", 1, "memory", out, sizeof out), 0);
}

static void test_locate(void **state)
{
    (void)state;
    char dir[256], rel[256];
    assert_int_equal(lz_cg_locate(MI_V2_PRIVATE, 1, "memory", "/", dir, sizeof dir, rel,
                                  sizeof rel), 1);
    assert_string_equal(dir, "/sys/fs/cgroup");
    assert_string_equal(rel, "/");
    assert_int_equal(lz_cg_locate(MI_V2_NODE, 1, "memory", "/docker/abc", dir, sizeof dir,
                                  rel, sizeof rel), 1);
    assert_string_equal(dir, "/sys/fs/cgroup/docker/abc");
    assert_string_equal(rel, "/docker/abc");
    assert_int_equal(lz_cg_locate(MI_V1_NODE, 0, "memory", "/docker/abc", dir, sizeof dir,
                                  rel, sizeof rel), 1);
    assert_string_equal(dir, "/sys/fs/cgroup/memory/docker/abc");
    assert_int_equal(lz_cg_locate(MI_V1_NODE, 0, "cpu", "/docker/abc", dir, sizeof dir, rel,
                                  sizeof rel), 1);
    assert_string_equal(dir, "/sys/fs/cgroup/cpu,cpuacct/docker/abc");
    assert_int_equal(lz_cg_locate(MI_V1_OWN, 0, "memory", "/docker/abc", dir, sizeof dir,
                                  rel, sizeof rel), 1);
    assert_string_equal(dir, "/sys/fs/cgroup/memory");
    assert_string_equal(rel, "/");
    assert_int_equal(lz_cg_locate(MI_V1_OUTSIDE, 0, "memory", "/", dir, sizeof dir, rel,
                                  sizeof rel), 0);
    /* /docker/abcd is not below /docker/abc */
    assert_int_equal(lz_cg_locate("41 40 0:31 /docker/abc /sys/fs/cgroup/memory rw - cgroup "
                                  "cgroup rw,memory\n", 0, "memory", "/docker/abcd", dir,
                                  sizeof dir, rel, sizeof rel), 0);
}

static void test_pod_path(void **state)
{
    (void)state;
    char out[256];
    lz_cg_pod_path("/docker/abc/lazydind/daemon", 0, out, sizeof out);
    assert_string_equal(out, "/docker/abc");
    lz_cg_pod_path("/lazydind/daemon", 0, out, sizeof out);
    assert_string_equal(out, "/");
    lz_cg_pod_path("/init", 1, out, sizeof out);
    assert_string_equal(out, "/");
    /* an /init of the pod's own, not ours */
    lz_cg_pod_path("/docker/abc/init", 0, out, sizeof out);
    assert_string_equal(out, "/docker/abc/init");
    lz_cg_pod_path("/docker/abc", 1, out, sizeof out);
    assert_string_equal(out, "/docker/abc");
}

static void test_limits(void **state)
{
    (void)state;
    assert_int_equal(lz_cg_parse_limit("max\n"), 0);
    assert_int_equal(lz_cg_parse_limit("629145600\n"), 629145600);
    assert_int_equal(lz_cg_parse_limit("9223372036854771712\n"), 0);
    assert_int_equal(lz_cg_parse_limit("banana"), -1);
    assert_int_equal(lz_cg_parse_limit(""), -1);
    /* a quarter, at least 128 MiB, at most half */
    assert_int_equal(lz_cg_containers_limit(600 * LZ_MIB), 450 * LZ_MIB);
    assert_int_equal(lz_cg_containers_limit(400 * LZ_MIB), 272 * LZ_MIB);
    assert_int_equal(lz_cg_containers_limit(200 * LZ_MIB), 100 * LZ_MIB);
    assert_int_equal(lz_cg_containers_limit(8192 * LZ_MIB), 6144 * LZ_MIB);
    assert_int_equal(lz_cg_containers_limit(0), 0);
    assert_int_equal(lz_cg_tmpfs_default(500 * LZ_MIB), 250 * LZ_MIB);
    assert_int_equal(lz_cg_tmpfs_default(0), 0);
    char h[32];
    lz_cg_human(500 * LZ_MIB, h, sizeof h);
    assert_string_equal(h, "500M");
    lz_cg_human(1536 * LZ_MIB, h, sizeof h);
    assert_string_equal(h, "1.5G");
}

static void test_verdict(void **state)
{
    (void)state;
    struct lz_cg_verdict v;
    lz_cg_containment_verdict("0::/\n", MI_V2_PRIVATE, 1, 1, 0, &v);
    assert_int_equal(v.level, 0);
    assert_non_null(strstr(v.msg, "/lazydind/containers"));
    lz_cg_containment_verdict("0::/docker/abc\n", MI_V2_NODE, 1, 1, 0, &v);
    assert_int_equal(v.level, 0);
    assert_non_null(strstr(v.msg, "/docker/abc/lazydind/containers"));
    lz_cg_containment_verdict("4:memory:/docker/abc\n", MI_V1_NODE, 0, 1, 0, &v);
    assert_int_equal(v.level, 0);
    lz_cg_containment_verdict("4:memory:/\n", MI_V1_OUTSIDE, 0, 1, 0, &v);
    assert_int_equal(v.level, 1);
    assert_non_null(strstr(v.msg, "outside the pod"));
    lz_cg_containment_verdict("4:memory:/\n", MI_V1_NODE, 0, 1, 0, &v);
    assert_int_equal(v.level, 1);
    lz_cg_containment_verdict("0::/\n", MI_V2_PRIVATE, 1, 0, 0, &v);
    assert_int_equal(v.level, 2);
    assert_string_equal(v.fix, "securityContext: privileged: true");
    lz_cg_containment_verdict("0::/\n", MI_V2_PRIVATE, 1, 1, 1, &v);
    assert_int_equal(v.level, 0);
    assert_non_null(strstr(v.msg, "Sysbox"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_self_path),
        cmocka_unit_test(test_locate),
        cmocka_unit_test(test_pod_path),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_verdict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
