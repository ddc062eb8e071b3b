/* Doctor's checks for dockerd as root (check_rootful.h): one function per
 * check, in the order the report lists them. */
#define _GNU_SOURCE
#include "pod/check_rootful.h"
#include "pod/parse_security.h"
#include "pod/cglimit.h"

#include <stdio.h>
#include <string.h>

static const enum lz_target T = LZ_FOR_ROOTFUL;

static void check_user(const struct lz_facts *f, struct lz_report *r)
{
    if (f->euid == 0)
        lz_report_add(r, "user", T, LZ_LVL_OK, NULL, "runs as root (uid 0)");
    else
        lz_report_add(r, "user", T, LZ_LVL_FAIL,
                      "securityContext: runAsUser: 0 (or use rootless mode: "
                      "LAZYDIND_MODE=rootless)",
                      "runs as uid %lu: dockerd as root needs uid 0", f->euid);
}

/* What dockerd needs (LZ_CAPS_ROOTFUL), and whether `docker run
 * --privileged` inside can work (every capability the kernel knows). */
static void check_capabilities(const struct lz_facts *f, struct lz_report *r)
{
    char names[256];
    /* a non-root user would get the bounding set as root */
    uint64_t have = f->euid == 0 ? f->st.cap_eff : f->st.cap_bnd;
    uint64_t missing = LZ_CAPS_ROOTFUL & ~have;
    uint64_t all = lz_caps_all(f->cap_last_cap);
    if (!f->status_read) {
        lz_report_add(r, "capabilities", T, LZ_LVL_WARN, NULL,
                      "/proc/self/status is not readable: capabilities unknown");
    } else if (f->sysbox.detected) {
        lz_report_add(r, "capabilities", T, LZ_LVL_OK, NULL,
                      "all capabilities, inside Sysbox's user namespace");
    } else if (missing) {
        lz_caps_format(missing, names, sizeof names);
        lz_report_add(r, "capabilities", T, LZ_LVL_FAIL,
                      "securityContext: privileged: true",
                      "%s lacks %s: dockerd needs SYS_ADMIN to mount (overlay, tmpfs, the "
                      "containers' /proc), NET_ADMIN for its bridge and iptables, and "
                      "Docker's default set to give it to containers",
                      f->euid == 0 ? "CapEff" : "the bounding set", names);
    } else if (all && (have & all) != all) {
        char few[120];
        int n = __builtin_popcountll(all & ~have);
        lz_caps_format(all & ~have, few, sizeof few);
        lz_report_add(r, "capabilities", T, LZ_LVL_WARN, NULL,
                      "everything dockerd needs; lacks %d of %d (%s), so `docker run "
                      "--privileged` inside will fail", n, f->cap_last_cap + 1, few);
    } else {
        lz_report_add(r, "capabilities", T, LZ_LVL_OK, NULL, "full capability set");
    }
}

static void check_seccomp(const struct lz_facts *f, struct lz_report *r)
{
    if (f->sysbox.detected)
        lz_report_add(r, "seccomp", T, LZ_LVL_OK, NULL,
                      "Sysbox's own filter (it allows mount, keyctl, unshare, setns)");
    else if (f->st.seccomp == 0)
        lz_report_add(r, "seccomp", T, LZ_LVL_OK, NULL, "no seccomp filter");
    else if (f->st.seccomp > 0)
        lz_report_add(r, "seccomp", T, LZ_LVL_FAIL,
                      "securityContext: seccompProfile: {type: Unconfined} (privileged: true "
                      "implies it)",
                      "a seccomp filter is active: runc is refused keyctl and every container "
                      "start fails with \"unable to join session keyring\"");
    else
        lz_report_add(r, "seccomp", T, LZ_LVL_INFO, NULL, "seccomp mode unknown");
}

static void check_apparmor(const struct lz_facts *f, struct lz_report *r)
{
    if (lz_apparmor_confined(f->apparmor))
        lz_report_add(r, "apparmor", T, LZ_LVL_FAIL,
                      "securityContext: appArmorProfile: {type: Unconfined} (privileged: true "
                      "implies it)",
                      "AppArmor profile %s confines this pod: dockerd's mounts are denied",
                      f->apparmor);
}

/* cgroup v2 at the root of the pod's own cgroup namespace: lazydind nests
 * it (daemon/prepare.c) when subtree_control can be written. */
static void check_cgroup_v2_root(const struct lz_facts *f, struct lz_report *r)
{
    if (!f->cg_subtree_writable) {
        lz_report_add(r, "cgroups", T, LZ_LVL_FAIL, "securityContext: privileged: true",
                      "cgroup v2: /sys/fs/cgroup/cgroup.subtree_control is not writable, so "
                      "no controller can be enabled for dockerd (\"device or resource busy\")");
        return;
    }
    char procs[64] = "";
    if (f->cg_root_procs >= 0)
        snprintf(procs, sizeof procs, ", %d processes in its root cgroup", f->cg_root_procs);
    lz_report_add(r, "cgroups", T, LZ_LVL_OK, NULL,
                  "cgroup v2 at the root of its own namespace%s: lazydind moves them into "
                  "init/ and enables the controllers (%s) before dockerd starts",
                  procs, f->cg_controllers[0] ? f->cg_controllers : "none listed");
}

static void check_cgroups(const struct lz_facts *f, struct lz_report *r)
{
    if (f->sysbox.detected) {
        lz_report_add(r, "cgroups", T, LZ_LVL_OK, NULL,
                      "cgroup %s, virtualized by Sysbox; lazydind leaves it alone",
                      lz_cg_layout_name(f->cg_layout));
    } else if (f->cg_layout == LZ_CG_NONE) {
        lz_report_add(r, "cgroups", T, LZ_LVL_FAIL, "securityContext: privileged: true",
                      "no cgroup filesystem at /sys/fs/cgroup: dockerd cannot start containers");
    } else if (!f->cg_mounts_rw) {
        lz_report_add(r, "cgroups", T, LZ_LVL_FAIL, "securityContext: privileged: true",
                      "cgroup %s is mounted read-only: dockerd cannot create the containers' "
                      "cgroups", lz_cg_layout_name(f->cg_layout));
    } else if (f->cg_layout == LZ_CG_V2 && f->cg_at_ns_root) {
        check_cgroup_v2_root(f, r);
    } else if (f->cg_layout == LZ_CG_V2) {
        lz_report_add(r, "cgroups", T, LZ_LVL_INFO, NULL,
                      "cgroup v2, writable; this pod is not at the root of a cgroup namespace "
                      "(the node's cgroup namespace?): lazydind nests dockerd's cgroups inside "
                      "the pod's own (see containment)");
    } else {
        lz_report_add(r, "cgroups", T, LZ_LVL_OK, NULL, "cgroup %s, writable",
                      lz_cg_layout_name(f->cg_layout));
    }
}

/* containment: where inner containers will be accounted (pod/cglimit.h) */
static void check_containment(const struct lz_facts *f, struct lz_report *r)
{
    if (f->cg_layout == LZ_CG_NONE)
        return;
    struct lz_cg_verdict cv;
    lz_cg_containment_verdict(f->proc_self_cgroup, f->mountinfo, f->cg_layout == LZ_CG_V2,
                              f->cg_mounts_rw, f->sysbox.detected, &cv);
    lz_report_add(r, "containment", T, cv.level == 0   ? LZ_LVL_OK
                                       : cv.level == 1 ? LZ_LVL_WARN
                                                       : LZ_LVL_FAIL,
                  cv.fix[0] ? cv.fix : NULL, "%s", cv.msg);
}

/* The data-root's filesystem: overlay2 cannot sit on overlay, so lazydind
 * mounts a tmpfs there (LAZYDIND_TMPFS). */
static void check_storage(const struct lz_facts *f, const struct lz_config *cfg,
                          struct lz_report *r)
{
    const char *fs = f->data_root_fs;
    if (f->sysbox.detected && f->sysbox.docker_mount)
        lz_report_add(r, "storage", T, LZ_LVL_OK, NULL,
                      "data-root %s is Sysbox's own mount (%s): overlay2 works there",
                      f->data_root, fs);
    else if (strcmp(fs, "overlay") == 0 && cfg->tmpfs == LZ_TMPFS_NEVER)
        lz_report_add(r, "storage", T, LZ_LVL_WARN,
                      "LAZYDIND_TMPFS=auto, or mount a volume (emptyDir, PVC) at the data-root",
                      "data-root %s is on overlay and LAZYDIND_TMPFS=never: overlay2 cannot "
                      "sit on overlay, dockerd falls back to a slow driver", f->data_root);
    else if (strcmp(fs, "overlay") == 0 || cfg->tmpfs == LZ_TMPFS_ALWAYS)
        lz_report_add(r, "storage", T, LZ_LVL_OK, NULL,
                      "data-root %s is on %s: lazydind mounts a tmpfs there before dockerd "
                      "starts (overlay-on-overlay handled by tmpfs; it counts against the "
                      "pod's memory)", f->data_root, fs);
    else
        lz_report_add(r, "storage", T, LZ_LVL_OK, NULL,
                      "data-root %s is on %s: overlay2 works there", f->data_root, fs);
}

static void check_dockerd(const struct lz_facts *f, const struct lz_config *cfg,
                          struct lz_report *r)
{
    if (f->dockerd.found)
        lz_report_add(r, "dockerd", T, LZ_LVL_OK, NULL, "%s", f->dockerd.path);
    else
        lz_report_add(r, "dockerd", T, LZ_LVL_FAIL,
                      "install Docker in the image (Debian: docker.io) or set LAZYDIND_DOCKERD",
                      "dockerd not found (%s)", cfg->dockerd[0] ? cfg->dockerd : "dockerd");
}

void lz_check_rootful(const struct lz_facts *f, const struct lz_config *cfg,
                      struct lz_report *r)
{
    check_user(f, r);
    check_capabilities(f, r);
    check_seccomp(f, r);
    check_apparmor(f, r);
    check_cgroups(f, r);
    check_containment(f, r);
    check_storage(f, cfg, r);
    check_dockerd(f, cfg, r);
}
