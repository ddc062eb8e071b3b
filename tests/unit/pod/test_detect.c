/* Unit tests for detect.h and doctor.h on recorded fixtures
 * (tests/unit/fixtures/detect/, see its README): files captured in pods of
 * this test bed with different privileges, and Sysbox samples
 * reconstructed from Sysbox's docs and sources. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pod/detect.h"
#include "pod/doctor.h"
#include "base/util.h"

static char fixdir[1024];

/* The text of fixture file NAME/path ("" when absent); static buffers,
 * four in rotation. */
static const char *fx(const char *name, const char *path)
{
    static char bufs[4][262144];
    static int next;
    char *buf = bufs[next++ % 4];
    char full[2048];
    snprintf(full, sizeof full, "%s/%s/%s", fixdir, name, path);
    FILE *f = fopen(full, "re");
    if (!f) {
        buf[0] = '\0';
        return buf;
    }
    size_t n = fread(buf, 1, sizeof bufs[0] - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void root_of(const char *name, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s/%s", fixdir, name);
}

/* ------------------------------------------------------------ capabilities */

static void test_caps(void **state)
{
    (void)state;
    assert_int_equal(lz_caps_all(40), UINT64_C(0x1ffffffffff));
    assert_int_equal(lz_caps_all(37), UINT64_C(0x3fffffffff));
    assert_int_equal(lz_caps_all(-1), 0);
    assert_string_equal(lz_cap_name(21), "SYS_ADMIN");
    assert_string_equal(lz_cap_name(40), "CHECKPOINT_RESTORE");
    assert_string_equal(lz_cap_name(50), "cap50");
    char buf[256];
    lz_caps_format(LZ_CAPS_ROOTFUL & ~UINT64_C(0x00000000a80425fb), buf, sizeof buf);
    assert_string_equal(buf, "NET_ADMIN, SYS_ADMIN");
    lz_caps_format(0, buf, sizeof buf);
    assert_string_equal(buf, "");
    /* truncation never overflows */
    char tiny[8];
    lz_caps_format(UINT64_MAX, tiny, sizeof tiny);
    assert_true(strlen(tiny) < sizeof tiny);
    /* the constants match a default docker run's CapEff */
    struct lz_status st;
    assert_int_equal(lz_parse_status(fx("default", "proc/self/status"), &st), 0);
    assert_int_equal(st.cap_eff, LZ_CAPS_DOCKER_DEFAULT);
}

/* ------------------------------------------------------------------ status */

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

/* ------------------------------------------------------------------ idmaps */

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

/* --------------------------------------------------------------- mountinfo */

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

/* ------------------------------------------------------------------ Sysbox */

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

/* ----------------------------------------------------------------- cgroups */

static void test_cgroups(void **state)
{
    (void)state;
    const char *mi;
    mi = fx("host", "proc/self/mountinfo");
    assert_int_equal(lz_cgroup_layout(mi), LZ_CG_HYBRID);
    assert_true(lz_cgroup_mounts_rw(mi, LZ_CG_HYBRID));
    mi = fx("priv", "proc/self/mountinfo"); /* the host's tree, bound rw */
    assert_int_equal(lz_cgroup_layout(mi), LZ_CG_HYBRID);
    assert_true(lz_cgroup_mounts_rw(mi, LZ_CG_HYBRID));
    mi = fx("default", "proc/self/mountinfo"); /* v1 controllers, read-only */
    assert_int_equal(lz_cgroup_layout(mi), LZ_CG_V1);
    assert_false(lz_cgroup_mounts_rw(mi, LZ_CG_V1));
    mi = fx("cgroup2-priv", "proc/self/mountinfo");
    assert_int_equal(lz_cgroup_layout(mi), LZ_CG_V2);
    assert_true(lz_cgroup_mounts_rw(mi, LZ_CG_V2));
    mi = fx("sysbox-k8s", "proc/self/mountinfo");
    assert_int_equal(lz_cgroup_layout(mi), LZ_CG_V2);
    mi = fx("sysbox-docker", "proc/self/mountinfo");
    assert_int_equal(lz_cgroup_layout(mi), LZ_CG_V1);
    assert_true(lz_cgroup_mounts_rw(mi, LZ_CG_V1));
    /* a read-only cgroup2 (a default pod on a v2 node) */
    const char *ro = "1 0 0:1 / / rw - overlay overlay rw\n"
                     "2 1 0:2 / /sys ro - sysfs sysfs ro\n"
                     "3 2 0:3 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw\n";
    assert_int_equal(lz_cgroup_layout(ro), LZ_CG_V2);
    assert_false(lz_cgroup_mounts_rw(ro, LZ_CG_V2));
    assert_int_equal(lz_cgroup_layout("1 0 0:1 / / rw - ext4 x rw\n"), LZ_CG_NONE);
    assert_false(lz_cgroup_mounts_rw("", LZ_CG_NONE));
    assert_string_equal(lz_cg_layout_name(LZ_CG_HYBRID), "hybrid");
    assert_int_equal(lz_count_lines(fx("cgroup2-priv", "sys/fs/cgroup/cgroup.procs")), 3);
    assert_int_equal(lz_count_lines(""), 0);
    assert_int_equal(lz_count_lines("1\n\n  \n2"), 2);
}

/* ------------------------------------------------------ passwd and subids */

static void test_users(void **state)
{
    (void)state;
    char name[64], home[256];
    const char *pw = fx("rootless", "etc/passwd");
    long gid = -2;
    assert_true(lz_passwd_by_uid(pw, 1000, name, sizeof name, home, sizeof home, &gid));
    assert_int_equal(gid, 1000);
    assert_string_equal(name, "agent");
    assert_string_equal(home, "/home/agent");
    assert_true(lz_passwd_by_uid(pw, 0, name, sizeof name, NULL, 0, NULL));
    assert_string_equal(name, "root");
    assert_false(lz_passwd_by_uid(pw, 4242, name, sizeof name, NULL, 0, NULL));
    unsigned long s = 0, c = 0, uid = 0;
    const char *su = fx("rootless", "etc/subuid");
    assert_true(lz_subid_find(su, "agent", 1000, &s, &c));
    assert_int_equal(s, 100000);
    assert_int_equal(c, 65536);
    assert_true(lz_passwd_first_with_subid(pw, su, &uid, name, sizeof name));
    assert_int_equal(uid, 1000);
    assert_string_equal(name, "agent");
    assert_false(lz_subid_find(su, "nobody", 65534, &s, &c));
    /* by uid, comments, blanks, several ranges (the largest), bad lines */
    const char *t = "# comment\n\nalice:1:2\n1001:200000:1000\n  1001:300000:65536\n"
                    "bob:x:5\nbob:10:0\ncarol:400000:65536:extra\n";
    assert_true(lz_subid_find(t, "carl", 1001, &s, &c));
    assert_int_equal(s, 300000);
    assert_int_equal(c, 65536);
    assert_false(lz_subid_find(t, "bob", 7, &s, &c));
    assert_true(lz_subid_find(t, "carol", 9, &s, &c) == 0 || c == 65536);
    assert_false(lz_subid_find("", "agent", 1000, &s, &c));
    assert_false(lz_subid_find(NULL, "agent", 1000, &s, &c));
    /* passwd: short lines and comments are skipped */
    assert_false(lz_passwd_by_uid("#x:x:1:1::/:/bin/sh\nshort:x:1\n", 1, name, sizeof name, NULL, 0, NULL));
    assert_false(lz_passwd_first_with_subid("root:x:0:0::/root:/bin/sh\n", su, &uid, name,
                                            sizeof name));
}

static void test_small(void **state)
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
    assert_false(lz_apparmor_confined("unconfined\n"));
    assert_false(lz_apparmor_confined(""));
    assert_false(lz_apparmor_confined(NULL));
    assert_true(lz_apparmor_confined("docker-default (enforce)\n"));
    assert_true(lz_apparmor_confined("cri-containerd.apparmor.d (enforce)"));
    assert_false(lz_apparmor_confined("foo (complain)"));
}

/* ----------------------------------------------- gather + evaluate, whole */

struct pod {
    struct lz_facts f;
    struct lz_config cfg;
    struct lz_report r;
};

/* Gathers fixture NAME, with the live-only probes set as that pod had
 * them (probes.txt), and evaluates it for mode (auto from the recorded
 * uid). */
static void load(struct pod *p, const char *name, enum lz_mode mode)
{
    char root[1200];
    memset(&p->cfg, 0, sizeof p->cfg);
    p->cfg.mode = mode;
    p->cfg.tmpfs = LZ_TMPFS_AUTO;
    strcpy(p->cfg.data_root, "/var/lib/docker");
    strcpy(p->cfg.dockerd, "dockerd");
    strcpy(p->cfg.daemon_json, "/nonexistent/daemon.json");
    root_of(name, root, sizeof root);
    lz_detect_gather(&p->f, &p->cfg, root);
    /* the recorded tree has no binaries or devices: as in the test bed */
    struct lz_bin b = {.found = 1, .setuid_root = 0};
    strcpy(b.path, "/usr/bin/x");
    p->f.dockerd = p->f.rootlesskit = p->f.slirp4netns = p->f.fuse_overlayfs = b;
    p->f.iptables = p->f.iptables_nft = p->f.iptables_legacy = b;
    b.setuid_root = 1;
    p->f.newuidmap = p->f.newgidmap = b;
    p->f.rootless_script = 1;
    p->f.xdg_ok = p->f.euid != 0;
    p->f.fuse_errno = p->f.tun_errno = ENOENT;
    p->cfg.rootless = mode == LZ_MODE_ROOTLESS || (mode == LZ_MODE_AUTO && p->f.euid != 0);
    lz_doctor_evaluate(&p->f, &p->cfg, &p->r);
}

static void reeval(struct pod *p)
{
    lz_doctor_evaluate(&p->f, &p->cfg, &p->r);
}

static const struct lz_check *chk(const struct pod *p, const char *id, enum lz_target t)
{
    for (int i = 0; i < p->r.nchecks; i++)
        if (strcmp(p->r.checks[i].id, id) == 0 && p->r.checks[i].target == t)
            return &p->r.checks[i];
    fail_msg("no check %s for %d", id, t);
    return NULL;
}

static void dump(const struct pod *p)
{
    lz_doctor_print(&p->r, &p->f, stderr);
}

#define POD_IS(p, want)                                               \
    do {                                                              \
        if ((p)->r.pod != (want)) {                                   \
            dump(p);                                                  \
            fail_msg("pod is %s, want %s", lz_pod_name((p)->r.pod),   \
                     lz_pod_name(want));                              \
        }                                                             \
    } while (0)

static void test_eval_priv(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "priv", LZ_MODE_AUTO);
    POD_IS(&p, LZ_POD_PRIVILEGED);
    assert_true(p.r.selected_ok);
    assert_false(p.r.rootless);
    assert_int_equal(chk(&p, "capabilities", LZ_FOR_ROOTFUL)->level, LZ_LVL_WARN);
    assert_non_null(strstr(chk(&p, "capabilities", LZ_FOR_ROOTFUL)->msg, "SYS_RESOURCE"));
    const struct lz_check *st = chk(&p, "storage", LZ_FOR_ROOTFUL);
    assert_int_equal(st->level, LZ_LVL_OK);
    assert_non_null(strstr(st->msg, "overlay-on-overlay handled by tmpfs"));
    assert_true(p.r.opt[0].works);
    assert_false(p.r.opt[1].works);
    assert_false(p.r.opt[2].works); /* root */
    char msg[2048];
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), 0);
    assert_string_equal(msg, "");
    /* LAZYDIND_TMPFS=never on overlay: a warning, not a failure */
    p.cfg.tmpfs = LZ_TMPFS_NEVER;
    reeval(&p);
    assert_int_equal(chk(&p, "storage", LZ_FOR_ROOTFUL)->level, LZ_LVL_WARN);
    assert_true(p.r.selected_ok);
    /* but LAZYDIND_MODE=rootless as root cannot work */
    p.cfg.tmpfs = LZ_TMPFS_AUTO;
    p.cfg.mode = LZ_MODE_ROOTLESS;
    p.cfg.rootless = 1;
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "rootless"));
    assert_non_null(strstr(msg, "runAsUser"));
    lz_facts_free(&p.f);
}

static void test_eval_default(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "default", LZ_MODE_AUTO);
    POD_IS(&p, LZ_POD_UNPRIVILEGED);
    assert_false(p.r.selected_ok);
    assert_int_equal(chk(&p, "capabilities", LZ_FOR_ROOTFUL)->level, LZ_LVL_FAIL);
    assert_non_null(strstr(chk(&p, "capabilities", LZ_FOR_ROOTFUL)->msg, "NET_ADMIN, SYS_ADMIN"));
    assert_int_equal(chk(&p, "seccomp", LZ_FOR_ROOTFUL)->level, LZ_LVL_FAIL);
    assert_int_equal(chk(&p, "cgroups", LZ_FOR_ROOTFUL)->level, LZ_LVL_FAIL);
    /* rootless, as the image's agent: what is missing */
    assert_string_equal(p.r.rl_user, "agent");
    assert_int_equal(p.r.rl_uid, 1000);
    assert_int_equal(chk(&p, "user", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_int_equal(chk(&p, "proc", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_int_equal(chk(&p, "tun", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_int_equal(chk(&p, "fuse", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_int_equal(chk(&p, "subids", LZ_FOR_ROOTLESS)->level, LZ_LVL_OK);
    assert_int_equal(chk(&p, "capabilities", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    /* every option says what to add */
    for (int i = 0; i < 3; i++) {
        assert_false(p.r.opt[i].works);
        assert_true(p.r.opt[i].nlines > 0);
    }
    int priv = 0, rc = 0, proc = 0, tun = 0, hu = 0;
    for (int j = 0; j < p.r.opt[0].nlines; j++)
        priv |= strstr(p.r.opt[0].lines[j], "privileged: true") != NULL;
    for (int j = 0; j < p.r.opt[1].nlines; j++)
        rc |= strstr(p.r.opt[1].lines[j], "runtimeClassName: sysbox-runc") != NULL;
    for (int j = 0; j < p.r.opt[2].nlines; j++) {
        proc |= strstr(p.r.opt[2].lines[j], "procMount: Unmasked") != NULL;
        tun |= strstr(p.r.opt[2].lines[j], "path: /dev/net/tun, type: CharDevice") != NULL;
        hu |= strstr(p.r.opt[2].lines[j], "hostUsers: false") != NULL;
    }
    assert_true(priv && rc && proc && tun && hu);
    char msg[4096];
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "this pod cannot run rootful dockerd (it is unprivileged)"));
    assert_non_null(strstr(msg, "SYS_ADMIN"));
    assert_non_null(strstr(msg, "privileged: true"));
    assert_non_null(strstr(msg, "runtimeClassName: sysbox-runc"));
    assert_null(strchr(msg + strlen(msg) - 1, '\n'));
    /* a tiny buffer: truncated, terminated, still -1 */
    char tiny[32];
    assert_int_equal(lz_preflight_text(&p.r, tiny, sizeof tiny), -1);
    assert_true(strlen(tiny) < sizeof tiny);
    lz_facts_free(&p.f);
}

static void test_eval_rootless(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "rootless", LZ_MODE_AUTO);
    /* as in the test bed: both devices opened, XDG_RUNTIME_DIR usable */
    p.f.fuse_errno = p.f.tun_errno = 0;
    reeval(&p);
    POD_IS(&p, LZ_POD_ROOTLESS);
    assert_true(p.r.rootless);
    assert_true(p.r.selected_ok);
    assert_true(p.r.opt[2].works);
    assert_string_equal(p.r.rl_user, "agent");
    assert_int_equal(chk(&p, "user", LZ_FOR_ROOTFUL)->level, LZ_LVL_FAIL);
    /* the data-root under /home/agent is on the pod's overlay */
    assert_string_equal(p.f.rl_data_root_fs, "overlay");
    char msg[4096];
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), 0);

    /* one requirement at a time */
    p.f.tun_errno = ENOENT;
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_int_equal(chk(&p, "tun", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "/dev/net/tun"));
    assert_null(strstr(msg, "/dev/fuse"));
    p.f.tun_errno = EACCES;
    reeval(&p);
    assert_non_null(strstr(chk(&p, "tun", LZ_FOR_ROOTLESS)->msg, "mode"));
    p.f.tun_errno = EPERM;
    reeval(&p);
    assert_non_null(strstr(chk(&p, "tun", LZ_FOR_ROOTLESS)->msg, "device cgroup"));
    assert_non_null(strstr(p.r.opt[2].note, "device plugin"));
    p.f.tun_errno = 0;

    p.f.fuse_errno = ENOENT;
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_int_equal(chk(&p, "fuse", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_non_null(strstr(chk(&p, "fuse", LZ_FOR_ROOTLESS)->fix, "LAZYDIND_STORAGE_DRIVER=vfs"));
    /* with a storage driver chosen, /dev/fuse is not needed */
    p.f.storage_driver_set = 1;
    reeval(&p);
    assert_true(p.r.selected_ok);
    assert_int_equal(chk(&p, "fuse", LZ_FOR_ROOTLESS)->level, LZ_LVL_INFO);
    p.f.storage_driver_set = 0;
    /* nor on a data-root that is not overlay */
    strcpy(p.f.rl_data_root_fs, "ext4");
    reeval(&p);
    assert_true(p.r.selected_ok);
    strcpy(p.f.rl_data_root_fs, "overlay");
    p.f.fuse_errno = 0;

    p.f.subuid_found = 0;
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_int_equal(chk(&p, "subids", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_non_null(strstr(chk(&p, "subids", LZ_FOR_ROOTLESS)->msg, "/etc/subuid"));
    assert_non_null(strstr(chk(&p, "subids", LZ_FOR_ROOTLESS)->fix, "agent:100000:65536"));
    p.f.subuid_found = 1;

    p.f.st.no_new_privs = 1;
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_non_null(strstr(chk(&p, "no-new-privileges", LZ_FOR_ROOTLESS)->fix,
                           "allowPrivilegeEscalation: true"));
    p.f.st.no_new_privs = 0;

    p.f.xdg_ok = 0;
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_int_equal(chk(&p, "xdg-runtime-dir", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    p.f.xdg_ok = 1;

    p.f.max_user_namespaces = 0;
    reeval(&p);
    assert_false(p.r.selected_ok);
    p.f.max_user_namespaces = 100;
    p.f.apparmor_restrict_userns = 1;
    reeval(&p);
    assert_false(p.r.selected_ok);
    p.f.apparmor_restrict_userns = -1;

    snprintf(p.f.apparmor, sizeof p.f.apparmor, "docker-default (enforce)");
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_int_equal(chk(&p, "apparmor", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    p.f.apparmor[0] = '\0';

    /* drop ALL, add SYS_ADMIN and NET_ADMIN: newuidmap cannot open uid_map */
    uint64_t bnd = p.f.st.cap_bnd;
    p.f.st.cap_bnd = LZ_CAP_BIT(LZ_CAP_SYS_ADMIN) | LZ_CAP_BIT(LZ_CAP_NET_ADMIN);
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_non_null(strstr(chk(&p, "capabilities", LZ_FOR_ROOTLESS)->msg,
                           "lacks DAC_OVERRIDE, SETGID, SETUID"));
    assert_non_null(strstr(chk(&p, "capabilities", LZ_FOR_ROOTLESS)->msg, "open of uid_map"));
    int addl = 0;
    for (int j = 0; j < p.r.opt[2].nlines; j++)
        addl |= strstr(p.r.opt[2].lines[j], "capabilities: {add: [DAC_OVERRIDE, SETGID, SETUID]}") != NULL;
    assert_true(addl);
    p.f.st.cap_bnd = bnd;

    /* runAsGroup 0 for agent (passwd gid 1000): newuidmap refuses */
    p.f.st.gid = 0;
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_non_null(strstr(chk(&p, "gid", LZ_FOR_ROOTLESS)->msg, "owned by a different user"));
    int rg = 0;
    for (int j = 0; j < p.r.opt[2].nlines; j++)
        rg |= strstr(p.r.opt[2].lines[j], "runAsGroup: 1000") != NULL;
    assert_true(rg);
    p.f.st.gid = 1000;
    reeval(&p);
    assert_true(p.r.selected_ok);

    p.f.newuidmap.setuid_root = 0;
    reeval(&p);
    assert_false(p.r.selected_ok);
    p.f.newuidmap.file_caps = 1;
    reeval(&p);
    assert_true(p.r.selected_ok);
    lz_facts_free(&p.f);
}

static void test_eval_rootless_masked(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "rootless-masked", LZ_MODE_AUTO);
    p.f.fuse_errno = p.f.tun_errno = 0;
    reeval(&p);
    POD_IS(&p, LZ_POD_UNPRIVILEGED);
    assert_false(p.r.selected_ok);
    const struct lz_check *c = chk(&p, "proc", LZ_FOR_ROOTLESS);
    assert_int_equal(c->level, LZ_LVL_FAIL);
    assert_non_null(strstr(c->msg, "mount proc"));
    assert_non_null(strstr(c->fix, "procMount: Unmasked"));
    int proc = 0, hu = 0;
    for (int j = 0; j < p.r.opt[2].nlines; j++) {
        proc |= strstr(p.r.opt[2].lines[j], "procMount: Unmasked") != NULL;
        hu |= strstr(p.r.opt[2].lines[j], "hostUsers: false") != NULL;
    }
    assert_true(proc && hu);
    char msg[4096];
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "this pod cannot run rootless dockerd"));
    assert_non_null(strstr(msg, "/proc is masked"));
    lz_facts_free(&p.f);
}

static void test_eval_user1000(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "user1000", LZ_MODE_AUTO);
    POD_IS(&p, LZ_POD_UNPRIVILEGED);
    assert_true(p.r.rootless);
    assert_int_equal(chk(&p, "capabilities", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_int_equal(chk(&p, "seccomp", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    int cap = 0, sec = 0, runas = 0;
    for (int j = 0; j < p.r.opt[2].nlines; j++) {
        cap |= strstr(p.r.opt[2].lines[j], "capabilities: {add: [SYS_ADMIN]}") != NULL;
        sec |= strstr(p.r.opt[2].lines[j], "seccompProfile: {type: Unconfined}") != NULL;
        runas |= strstr(p.r.opt[2].lines[j], "runAsUser") != NULL;
    }
    assert_true(cap && sec && !runas);
    /* LAZYDIND_MODE=rootful as uid 1000: the privileged option adds runAsUser: 0 */
    p.cfg.mode = LZ_MODE_ROOTFUL;
    p.cfg.rootless = 0;
    reeval(&p);
    assert_false(p.r.rootless);
    assert_int_equal(chk(&p, "user", LZ_FOR_ROOTFUL)->level, LZ_LVL_FAIL);
    int r0 = 0;
    for (int j = 0; j < p.r.opt[0].nlines; j++)
        r0 |= strstr(p.r.opt[0].lines[j], "runAsUser: 0") != NULL;
    assert_true(r0);
    lz_facts_free(&p.f);
}

static void test_eval_sysbox(void **state)
{
    (void)state;
    static struct pod p;
    static const char *const names[] = {"sysbox-docker", "sysbox-k8s"};
    for (int i = 0; i < 2; i++) {
        load(&p, names[i], LZ_MODE_AUTO);
        POD_IS(&p, LZ_POD_SYSBOX);
        assert_true(p.r.selected_ok);
        assert_true(p.r.opt[1].works);
        assert_false(p.r.opt[0].works);
        /* Sysbox's own seccomp filter and masked paths are fine */
        assert_int_equal(chk(&p, "seccomp", LZ_FOR_ROOTFUL)->level, LZ_LVL_OK);
        assert_int_equal(chk(&p, "capabilities", LZ_FOR_ROOTFUL)->level, LZ_LVL_OK);
        assert_int_equal(chk(&p, "cgroups", LZ_FOR_ROOTFUL)->level, LZ_LVL_OK);
        const struct lz_check *st = chk(&p, "storage", LZ_FOR_ROOTFUL);
        assert_non_null(strstr(st->msg, "Sysbox's own mount"));
        assert_string_equal(p.f.data_root_fs, "ext4");
        lz_facts_free(&p.f);
    }
}

static void test_eval_cgroup2(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "cgroup2-priv", LZ_MODE_AUTO);
    POD_IS(&p, LZ_POD_PRIVILEGED);
    assert_int_equal(p.f.cg_layout, LZ_CG_V2);
    assert_true(p.f.cg_at_ns_root);
    assert_int_equal(p.f.cg_root_procs, 3);
    const struct lz_check *c = chk(&p, "cgroups", LZ_FOR_ROOTFUL);
    assert_int_equal(c->level, LZ_LVL_OK);
    assert_non_null(strstr(c->msg, "init/"));
    assert_non_null(strstr(c->msg, "cpuset cpu io memory"));
    assert_true(p.f.ipt_legacy_tables);
    assert_non_null(strstr(chk(&p, "iptables", LZ_FOR_ALL)->msg, "legacy"));
    /* subtree_control not writable: cannot nest */
    p.f.cg_subtree_writable = 0;
    reeval(&p);
    assert_int_equal(chk(&p, "cgroups", LZ_FOR_ROOTFUL)->level, LZ_LVL_FAIL);
    assert_false(p.r.selected_ok);
    lz_facts_free(&p.f);
}

/* the preflight gathers one mode's facts: only its checks, no verdict on
 * the other mode */
static void test_scope(void **state)
{
    (void)state;
    static struct pod p;
    char root[1200], msg[4096];
    load(&p, "default", LZ_MODE_AUTO);
    lz_facts_free(&p.f);
    root_of("default", root, sizeof root);
    lz_detect_gather_for(&p.f, &p.cfg, root, LZ_SCOPE_ROOTFUL);
    assert_int_equal(p.f.scope, LZ_SCOPE_ROOTFUL);
    assert_false(p.f.rootlesskit.found);
    assert_string_equal(p.f.rl_data_root_fs, "");
    p.f.dockerd.found = 1;
    reeval(&p);
    for (int i = 0; i < p.r.nchecks; i++)
        assert_int_equal(p.r.checks[i].target, LZ_FOR_ROOTFUL);
    assert_false(p.r.selected_ok);
    assert_false(p.r.opt[2].works);
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "this pod cannot run rootful dockerd:\n"));
    assert_non_null(strstr(msg, "capabilities: CapEff lacks NET_ADMIN, SYS_ADMIN"));
    lz_facts_free(&p.f);
    /* the rootless pod, rootless facts only: ok */
    root_of("rootless", root, sizeof root);
    lz_detect_gather_for(&p.f, &p.cfg, root, LZ_SCOPE_ROOTLESS);
    struct lz_bin b = {.found = 1, .setuid_root = 1};
    p.f.rootlesskit = p.f.slirp4netns = p.f.fuse_overlayfs = p.f.newuidmap = p.f.newgidmap = b;
    p.f.rootless_script = p.f.xdg_ok = 1;
    p.f.fuse_errno = p.f.tun_errno = 0;
    p.cfg.rootless = 1;
    reeval(&p);
    assert_true(p.r.selected_ok);
    assert_false(p.r.opt[0].works); /* not checked, so not claimed */
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), 0);
    lz_facts_free(&p.f);
}

static void test_json(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "default", LZ_MODE_AUTO);
    json_t *j = lz_doctor_json(&p.r, &p.f);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "pod")), "unprivileged");
    json_t *mode = json_object_get(j, "mode");
    assert_string_equal(json_string_value(json_object_get(mode, "selected")), "rootful");
    assert_true(json_is_false(json_object_get(mode, "ok")));
    json_t *checks = json_object_get(j, "checks");
    assert_true(json_array_size(checks) > 10);
    json_t *c0 = json_array_get(checks, 0);
    assert_non_null(json_object_get(c0, "status"));
    json_t *rl = json_object_get(json_object_get(j, "options"), "rootless");
    assert_true(json_is_false(json_object_get(rl, "works")));
    assert_true(json_array_size(json_object_get(rl, "manifest")) > 3);
    json_decref(j);
    lz_facts_free(&p.f);
}

/* gather on the live system never crashes and fills the basics */
static void test_gather_live(void **state)
{
    (void)state;
    struct lz_facts f;
    struct lz_config cfg;
    memset(&cfg, 0, sizeof cfg);
    strcpy(cfg.data_root, "/var/lib/docker");
    strcpy(cfg.dockerd, "dockerd");
    strcpy(cfg.daemon_json, "/nonexistent");
    int64_t t0 = lz_now_ms();
    lz_detect_gather(&f, &cfg, NULL);
    int64_t dt = lz_now_ms() - t0;
    assert_true(f.status_read);
    assert_true(f.mountinfo[0] != '\0');
    assert_true(dt < 200);
    static struct lz_report r;
    lz_doctor_evaluate(&f, &cfg, &r);
    assert_true(r.nchecks > 10);
    lz_facts_free(&f);
    char msg[256];
    (void)lz_preflight(&cfg, msg, sizeof msg);
}

int main(void)
{
    /* fixtures sit beside this file */
    snprintf(fixdir, sizeof fixdir, "%s", __FILE__);
    char *slash = strrchr(fixdir, '/');
    if (slash)
        strcpy(slash, "/fixtures/detect");
    else
        strcpy(fixdir, "fixtures/detect");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_idmap),
        cmocka_unit_test(test_mountinfo),
        cmocka_unit_test(test_proc_masked),
        cmocka_unit_test(test_sysbox),
        cmocka_unit_test(test_cgroups),
        cmocka_unit_test(test_users),
        cmocka_unit_test(test_small),
        cmocka_unit_test(test_eval_priv),
        cmocka_unit_test(test_eval_default),
        cmocka_unit_test(test_eval_rootless),
        cmocka_unit_test(test_eval_rootless_masked),
        cmocka_unit_test(test_eval_user1000),
        cmocka_unit_test(test_eval_sysbox),
        cmocka_unit_test(test_eval_cgroup2),
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_gather_live),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
