/* Unit tests for parse_mounts.h: mountinfo, a masked /proc and Sysbox on
 * recorded fixtures (fixture.h). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fixture.h"
#include "pod/parse_mounts.h"

static void test_mountinfo(void **state)
{
    (void)state;
    struct lz_mount m;
    const char *mi = fx("default", "proc/self/mountinfo");
    assert_true(lz_mount_at(mi, "/", &m));
    assert_string_equal(m.fstype, "overlay");
    assert_true(lz_mount_at(mi, "/sys/fs/cgroup/memory", &m));
    assert_string_equal(m.fstype, "cgroup");
    assert_true(lz_mount_ro(&m));
    assert_string_equal(m.root, "/docker/b7f826b61264557567543df268e848caa877418c3b3b2b5e0b6d033d0b6ff6c5");
    assert_true(lz_mount_at(mi, "/proc/keys", &m));
    assert_string_equal(m.root, "/null");
    assert_false(lz_mount_at(mi, "/nowhere", &m));
    /* the data-root is on the root overlay */
    assert_true(lz_mount_holding(mi, "/var/lib/docker", &m));
    assert_string_equal(m.point, "/");
    assert_true(lz_mount_holding(mi, "/etc/hostname", &m));
    assert_string_equal(m.fstype, "ext4");
    assert_true(lz_mount_holding(mi, "/sys/fs/cgroup/cpu/x", &m));
    assert_string_equal(m.point, "/sys/fs/cgroup/cpu");
    /* a prefix that is not a path component does not count */
    assert_true(lz_mount_holding(mi, "/sys/fs/cgroupx", &m));
    assert_string_equal(m.point, "/sys");
    /* Sysbox's /var/lib/docker */
    assert_true(lz_mount_holding(fx("sysbox-docker", "proc/self/mountinfo"),
                                 "/var/lib/docker/overlay2", &m));
    assert_string_equal(m.fstype, "ext4");
    /* escapes, optional fields, a later mount hiding an earlier one */
    const char *text =
        "20 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
        "not a mount line\n"
        "21 20 0:5 / /mnt/with\\040space rw,nosuid shared:3 master:1 - tmpfs tmpfs rw\n"
        "22 20 0:6 / /mnt/with\\040space ro - tmpfs second rw\n"
        "23 20 0:7 / /mnt/nosrc rw - weird\n";
    assert_true(lz_mount_at(text, "/mnt/with space", &m));
    assert_string_equal(m.source, "second");
    assert_true(lz_mount_ro(&m));
    assert_true(lz_mount_at(text, "/mnt/nosrc", &m));
    assert_string_equal(m.fstype, "weird");
    assert_string_equal(m.source, "");
    const char *c = text;
    int n = 0;
    while (lz_mountinfo_next(&c, &m))
        n++;
    assert_int_equal(n, 4);
    c = "";
    assert_int_equal(lz_mountinfo_next(&c, &m), 0);
    /* "rw" in the options is not "ro" */
    struct lz_mount r = {.opts = "rw,relatime,rootcontext=x"};
    assert_false(lz_mount_ro(&r));
}

static void test_proc_masked(void **state)
{
    (void)state;
    char list[512];
    /* a default docker run: /proc/bus, fs, irq, sys, acpi, keys, timer_list */
    assert_int_equal(lz_proc_overmounts(fx("default", "proc/self/mountinfo"), list, sizeof list), 7);
    assert_non_null(strstr(list, "/proc/keys"));
    assert_non_null(strstr(list, "/proc/sys"));
    /* the rootless pod without systempaths=unconfined: the same */
    assert_int_equal(lz_proc_overmounts(fx("rootless-masked", "proc/self/mountinfo"), list,
                                        sizeof list), 7);
    /* systempaths=unconfined, privileged emulation and the host: none */
    assert_int_equal(lz_proc_overmounts(fx("rootless", "proc/self/mountinfo"), list, sizeof list), 0);
    assert_string_equal(list, "");
    assert_int_equal(lz_proc_overmounts(fx("priv", "proc/self/mountinfo"), list, sizeof list), 0);
    assert_int_equal(lz_proc_overmounts(fx("host", "proc/self/mountinfo"), list, sizeof list), 0);
    /* binfmt_misc does not count; a grandchild mount does not either */
    const char *text = "1 0 0:1 / / rw - ext4 /dev/sda rw\n"
                       "2 1 0:2 / /proc rw - proc proc rw\n"
                       "3 2 0:3 / /proc/sys/fs/binfmt_misc rw - binfmt_misc binfmt_misc rw\n"
                       "4 1 0:4 / /procx rw - tmpfs tmpfs rw\n";
    assert_int_equal(lz_proc_overmounts(text, list, sizeof list), 0);
    /* lxcfs over /proc/meminfo does */
    const char *lxcfs = "1 0 0:1 / / rw - ext4 /dev/sda rw\n"
                        "2 1 0:2 / /proc rw - proc proc rw\n"
                        "3 2 0:40 /proc/meminfo /proc/meminfo rw - fuse.lxcfs lxcfs rw\n";
    assert_int_equal(lz_proc_overmounts(lxcfs, list, sizeof list), 1);
    assert_string_equal(list, "/proc/meminfo");
    /* a small list buffer truncates with "..." */
    char small[16];
    assert_int_equal(lz_proc_overmounts(fx("default", "proc/self/mountinfo"), small, sizeof small), 7);
    assert_true(strlen(small) < sizeof small);
    /* no /proc at all */
    assert_int_equal(lz_proc_overmounts("1 0 0:1 / / rw - ext4 /dev/sda rw\n", list, sizeof list), 0);
}

static void test_sysbox(void **state)
{
    (void)state;
    struct lz_sysbox sb;
    struct lz_idmap m;
    /* Docker + Sysbox, cgroup v1 */
    lz_parse_idmap(fx("sysbox-docker", "proc/self/uid_map"), &m);
    lz_detect_sysbox(fx("sysbox-docker", "proc/self/mountinfo"), &m, &sb);
    assert_true(sb.detected);
    assert_int_equal(sb.sysboxfs, 6);
    assert_true(sb.userns);
    assert_int_equal(sb.root_host_uid, 165536);
    assert_true(sb.docker_mount);
    /* Kubernetes + Sysbox (CRI-O), cgroup v2 */
    lz_parse_idmap(fx("sysbox-k8s", "proc/self/uid_map"), &m);
    lz_detect_sysbox(fx("sysbox-k8s", "proc/self/mountinfo"), &m, &sb);
    assert_true(sb.detected);
    assert_int_equal(sb.root_host_uid, 296608);
    assert_true(sb.docker_mount);
    /* none of the runc pods */
    static const char *const others[] = {"host", "default", "priv", "rootless",
                                         "rootless-masked", "user1000", "cgroup2-priv"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        lz_parse_idmap(fx(others[i], "proc/self/uid_map"), &m);
        lz_detect_sysbox(fx(others[i], "proc/self/mountinfo"), &m, &sb);
        if (sb.detected || sb.sysboxfs || sb.docker_mount)
            fail_msg("%s taken for Sysbox", others[i]);
    }
    /* sysboxfs mounts without a user namespace: not Sysbox */
    lz_parse_idmap(fx("host", "proc/self/uid_map"), &m);
    lz_detect_sysbox(fx("sysbox-docker", "proc/self/mountinfo"), &m, &sb);
    assert_false(sb.detected);
    assert_int_equal(sb.sysboxfs, 6);
    /* a user namespace without sysboxfs (hostUsers: false): not Sysbox */
    lz_parse_idmap(fx("sysbox-k8s", "proc/self/uid_map"), &m);
    lz_detect_sysbox(fx("cgroup2-priv", "proc/self/mountinfo"), &m, &sb);
    assert_false(sb.detected);
    assert_true(sb.userns);
    /* a user's own volume at /var/lib/docker is not Sysbox's */
    lz_detect_sysbox("1 0 8:1 /data/docker /var/lib/docker rw - ext4 /dev/sdb rw\n", &m, &sb);
    assert_false(sb.docker_mount);
    lz_detect_sysbox(NULL, NULL, &sb);
    assert_false(sb.detected);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mountinfo),
        cmocka_unit_test(test_proc_masked),
        cmocka_unit_test(test_sysbox),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
