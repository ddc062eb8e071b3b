/* Unit tests for parse_proc.h: /proc/self/status, uid_map, sysctls,
 * /proc/filesystems and /proc/net on recorded fixtures (fixture.h). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fixture.h"
#include "pod/parse_proc.h"
#include "pod/parse_security.h"

static void test_status(void **state)
{
    (void)state;
    struct lz_status st;
    /* default docker run: root, Docker's set, a seccomp filter */
    assert_int_equal(lz_parse_status(fx("default", "proc/self/status"), &st), 0);
    assert_int_equal(st.euid, 0);
    assert_int_equal(st.seccomp, 2);
    assert_int_equal(st.no_new_privs, 0);
    assert_int_equal(LZ_CAPS_ROOTFUL & ~st.cap_eff,
                     LZ_CAP_BIT(LZ_CAP_SYS_ADMIN) | LZ_CAP_BIT(LZ_CAP_NET_ADMIN));
    /* privileged emulation: all but SYS_RESOURCE, no filter */
    assert_int_equal(lz_parse_status(fx("priv", "proc/self/status"), &st), 0);
    assert_int_equal(st.seccomp, 0);
    assert_int_equal(LZ_CAPS_ROOTFUL & ~st.cap_eff, 0);
    int last = (int)lz_parse_long(fx("priv", "proc/sys/kernel/cap_last_cap"), -1);
    assert_int_equal(last, 40);
    /* the host's dockerd (20.10) knows capabilities up to 37 only, so
     * PERFMON, BPF and CHECKPOINT_RESTORE are missing too */
    assert_int_equal(lz_caps_all(last) & ~st.cap_eff,
                     LZ_CAP_BIT(LZ_CAP_SYS_RESOURCE) | LZ_CAP_BIT(38) | LZ_CAP_BIT(39) |
                         LZ_CAP_BIT(40));
    char names[256];
    lz_caps_format(lz_caps_all(last) & ~st.cap_eff, names, sizeof names);
    assert_string_equal(names, "SYS_RESOURCE, PERFMON, BPF, CHECKPOINT_RESTORE");
    /* the host of this test bed lacks SYS_RESOURCE too */
    assert_int_equal(lz_parse_status(fx("host", "proc/self/status"), &st), 0);
    assert_int_equal(lz_caps_all(40) & ~st.cap_eff, LZ_CAP_BIT(LZ_CAP_SYS_RESOURCE));
    /* the rootless pod: uid 1000, nothing effective, SYS_ADMIN bounding */
    assert_int_equal(lz_parse_status(fx("rootless", "proc/self/status"), &st), 0);
    assert_int_equal(st.uid, 1000);
    assert_int_equal(st.euid, 1000);
    assert_int_equal(st.cap_eff, 0);
    assert_int_equal(LZ_CAPS_ROOTLESS_BND & ~st.cap_bnd, 0);
    /* default caps as uid 1000: no SYS_ADMIN in the bounding set */
    assert_int_equal(lz_parse_status(fx("user1000", "proc/self/status"), &st), 0);
    assert_int_equal(LZ_CAPS_ROOTLESS_BND & ~st.cap_bnd, LZ_CAP_BIT(LZ_CAP_SYS_ADMIN));
    /* bad and partial input */
    assert_int_equal(lz_parse_status("", &st), -1);
    assert_int_equal(lz_parse_status(NULL, &st), -1);
    assert_int_equal(st.seccomp, -1);
    assert_int_equal(lz_parse_status("CapEff:\tzz\nUid:\t0\t0\t0\t0\n", &st), -1);
    assert_int_equal(lz_parse_status("Uid:\t5\t6\t5\t5\nCapEff:\t1\n", &st), 0);
    assert_int_equal(st.euid, 6);
    assert_int_equal(st.cap_bnd, 1); /* no CapBnd line: CapEff */
    assert_int_equal(st.no_new_privs, -1);
}

static void test_idmap(void **state)
{
    (void)state;
    struct lz_idmap m;
    assert_int_equal(lz_parse_idmap(fx("host", "proc/self/uid_map"), &m), 0);
    assert_true(lz_idmap_is_initial(&m));
    assert_int_equal(lz_idmap_outside(&m, 1000), 1000);
    assert_int_equal(lz_parse_idmap(fx("sysbox-docker", "proc/self/uid_map"), &m), 0);
    assert_false(lz_idmap_is_initial(&m));
    assert_int_equal(lz_idmap_outside(&m, 0), 165536);
    assert_int_equal(lz_idmap_outside(&m, 65535), 165536 + 65535);
    assert_int_equal(lz_idmap_outside(&m, 65536), -1);
    assert_true(lz_idmap_covers(&m, 1000, 1));
    assert_true(lz_idmap_covers(&m, 0, 65536));
    assert_false(lz_idmap_covers(&m, 100000, 65536)); /* a subuid range outside */
    assert_false(lz_idmap_covers(&m, 60000, 10000));  /* straddles the end */
    /* a rootlesskit-style map in several pieces */
    assert_int_equal(lz_parse_idmap("0 1000 1\n1 100000 65536\n", &m), 0);
    assert_int_equal(m.n, 2);
    assert_true(lz_idmap_covers(&m, 0, 65537));
    assert_false(lz_idmap_covers(&m, 0, 65538));
    assert_int_equal(lz_idmap_outside(&m, 0), 1000);
    assert_int_equal(lz_idmap_outside(&m, 2), 100001);
    assert_int_equal(lz_parse_idmap("", &m), -1);
    assert_int_equal(lz_parse_idmap("garbage\n", &m), -1);
}

static void test_sysctl_fs_net(void **state)
{
    (void)state;
    assert_true(lz_fs_listed(fx("priv", "proc/filesystems"), "overlay"));
    assert_true(lz_fs_listed(fx("priv", "proc/filesystems"), "ext4"));
    assert_false(lz_fs_listed(fx("priv", "proc/filesystems"), "over"));
    assert_false(lz_fs_listed("", "overlay"));
    assert_false(lz_text_nonblank(fx("host", "proc/net/ip_tables_names")));
    assert_true(lz_text_nonblank(fx("cgroup2-priv", "proc/net/ip_tables_names")));
    assert_false(lz_text_nonblank(" \n\t"));
    assert_false(lz_text_nonblank(NULL));
    assert_int_equal(lz_parse_long(fx("host", "proc/sys/user/max_user_namespaces"), -1), 96364);
    assert_int_equal(lz_parse_long("0\n", -1), 0);
    assert_int_equal(lz_parse_long("x", -1), -1);
    assert_int_equal(lz_parse_long(NULL, 7), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_idmap),
        cmocka_unit_test(test_sysctl_fs_net),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
