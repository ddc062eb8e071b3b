#define _GNU_SOURCE
#include "pod/doctor.h"
#include "base/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *lz_level_name(enum lz_level l)
{
    switch (l) {
    case LZ_LVL_OK: return "ok";
    case LZ_LVL_INFO: return "info";
    case LZ_LVL_WARN: return "warn";
    default: return "fail";
    }
}

const char *lz_pod_name(enum lz_pod p)
{
    switch (p) {
    case LZ_POD_PRIVILEGED: return "privileged";
    case LZ_POD_SYSBOX: return "sysbox";
    case LZ_POD_ROOTLESS: return "rootless-capable";
    default: return "unprivileged";
    }
}

static const char *target_name(enum lz_target t)
{
    return t == LZ_FOR_ROOTFUL ? "rootful" : t == LZ_FOR_ROOTLESS ? "rootless" : "all";
}

static struct lz_check *add(struct lz_report *r, const char *id, enum lz_target t,
                            enum lz_level lvl, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static struct lz_check *add(struct lz_report *r, const char *id, enum lz_target t,
                            enum lz_level lvl, const char *fix, const char *fmt, ...)
{
    static struct lz_check spare;
    struct lz_check *c = r->nchecks < LZ_MAX_CHECKS ? &r->checks[r->nchecks++] : &spare;
    c->id = id;
    c->target = t;
    c->level = lvl;
    snprintf(c->fix, sizeof c->fix, "%s", fix ? fix : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    return c;
}

static int has_fail(const struct lz_report *r, enum lz_target t)
{
    for (int i = 0; i < r->nchecks; i++)
        if (r->checks[i].level == LZ_LVL_FAIL && (r->checks[i].target & t))
            return 1;
    return 0;
}

static const struct lz_check *find(const struct lz_report *r, const char *id,
                                   enum lz_target t)
{
    for (int i = 0; i < r->nchecks; i++)
        if (strcmp(r->checks[i].id, id) == 0 && r->checks[i].target == t)
            return &r->checks[i];
    return NULL;
}

static int failed(const struct lz_report *r, const char *id, enum lz_target t)
{
    const struct lz_check *c = find(r, id, t);
    return c && c->level == LZ_LVL_FAIL;
}

/* What a device's open errno means, and its fix. */
static void device_words(int err, const char *dev, char *why, size_t whylen,
                         char *fix, size_t fixlen)
{
    const char *vol = strcmp(dev, "/dev/fuse") == 0 ? "dev-fuse" : "dev-net-tun";
    if (err == ENOENT || err == ENOTDIR) {
        snprintf(why, whylen, "%s is absent", dev);
        snprintf(fix, fixlen, "mount it: a hostPath volume {name: %s, hostPath: {path: %s, "
                 "type: CharDevice}} with a volumeMount at %s", vol, dev, dev);
    } else if (err == EACCES) {
        snprintf(why, whylen, "%s is there but its mode does not let this user open it", dev);
        snprintf(fix, fixlen, "make the node's %s mode 0666 (most distributions do)", dev);
    } else if (err == EPERM) {
        snprintf(why, whylen, "%s is there but the device cgroup refuses it", dev);
        snprintf(fix, fixlen, "a hostPath volume gives the node, not the permission: "
                 "grant it with a device plugin (e.g. squat/generic-device-plugin) "
                 "or run privileged");
    } else {
        snprintf(why, whylen, "%s does not open: %s", dev, strerror(err));
        snprintf(fix, fixlen, "mount %s as a hostPath CharDevice volume", dev);
    }
}

/* ---------------------------------------------------------- rootful checks */

static void check_rootful(const struct lz_facts *f, const struct lz_config *cfg,
                          struct lz_report *r)
{
    const enum lz_target T = LZ_FOR_ROOTFUL;
    const int sysbox = f->sysbox.detected;
    char names[256];

    if (f->euid == 0)
        add(r, "user", T, LZ_LVL_OK, NULL, "runs as root (uid 0)");
    else
        add(r, "user", T, LZ_LVL_FAIL,
            "securityContext: runAsUser: 0 (or use rootless mode: LAZYDIND_MODE=rootless)",
            "runs as uid %lu: dockerd as root needs uid 0", f->euid);

    /* a non-root user would get the bounding set as root */
    uint64_t have = f->euid == 0 ? f->st.cap_eff : f->st.cap_bnd;
    uint64_t missing = LZ_CAPS_ROOTFUL & ~have;
    uint64_t all = lz_caps_all(f->cap_last_cap);
    if (!f->status_read) {
        add(r, "capabilities", T, LZ_LVL_WARN, NULL,
            "/proc/self/status is not readable: capabilities unknown");
    } else if (sysbox) {
        add(r, "capabilities", T, LZ_LVL_OK, NULL,
            "all capabilities, inside Sysbox's user namespace");
    } else if (missing) {
        lz_caps_format(missing, names, sizeof names);
        add(r, "capabilities", T, LZ_LVL_FAIL,
            "securityContext: privileged: true",
            "%s lacks %s: dockerd needs SYS_ADMIN to mount (overlay, tmpfs, the "
            "containers' /proc), NET_ADMIN for its bridge and iptables, and "
            "Docker's default set to give it to containers",
            f->euid == 0 ? "CapEff" : "the bounding set", names);
    } else if (all && (have & all) != all) {
        char few[120];
        int n = __builtin_popcountll(all & ~have);
        lz_caps_format(all & ~have, few, sizeof few);
        add(r, "capabilities", T, LZ_LVL_WARN, NULL,
            "everything dockerd needs; lacks %d of %d (%s), so `docker run "
            "--privileged` inside will fail", n, f->cap_last_cap + 1, few);
    } else {
        add(r, "capabilities", T, LZ_LVL_OK, NULL, "full capability set");
    }

    if (sysbox)
        add(r, "seccomp", T, LZ_LVL_OK, NULL,
            "Sysbox's own filter (it allows mount, keyctl, unshare, setns)");
    else if (f->st.seccomp == 0)
        add(r, "seccomp", T, LZ_LVL_OK, NULL, "no seccomp filter");
    else if (f->st.seccomp > 0)
        add(r, "seccomp", T, LZ_LVL_FAIL,
            "securityContext: seccompProfile: {type: Unconfined} (privileged: true implies it)",
            "a seccomp filter is active: runc is refused keyctl and every container "
            "start fails with \"unable to join session keyring\"");
    else
        add(r, "seccomp", T, LZ_LVL_INFO, NULL, "seccomp mode unknown");

    if (lz_apparmor_confined(f->apparmor))
        add(r, "apparmor", T, LZ_LVL_FAIL,
            "securityContext: appArmorProfile: {type: Unconfined} (privileged: true implies it)",
            "AppArmor profile %s confines this pod: dockerd's mounts are denied",
            f->apparmor);

    /* cgroups */
    if (sysbox) {
        add(r, "cgroups", T, LZ_LVL_OK, NULL,
            "cgroup %s, virtualized by Sysbox; lazydind leaves it alone",
            lz_cg_layout_name(f->cg_layout));
    } else if (f->cg_layout == LZ_CG_NONE) {
        add(r, "cgroups", T, LZ_LVL_FAIL, "securityContext: privileged: true",
            "no cgroup filesystem at /sys/fs/cgroup: dockerd cannot start containers");
    } else if (!f->cg_mounts_rw) {
        add(r, "cgroups", T, LZ_LVL_FAIL, "securityContext: privileged: true",
            "cgroup %s is mounted read-only: dockerd cannot create the containers' cgroups",
            lz_cg_layout_name(f->cg_layout));
    } else if (f->cg_layout == LZ_CG_V2 && f->cg_at_ns_root && !f->cg_subtree_writable) {
        add(r, "cgroups", T, LZ_LVL_FAIL, "securityContext: privileged: true",
            "cgroup v2: /sys/fs/cgroup/cgroup.subtree_control is not writable, so "
            "no controller can be enabled for dockerd (\"device or resource busy\")");
    } else if (f->cg_layout == LZ_CG_V2 && f->cg_at_ns_root) {
        char procs[64] = "";
        if (f->cg_root_procs >= 0)
            snprintf(procs, sizeof procs, ", %d processes in its root cgroup",
                     f->cg_root_procs);
        add(r, "cgroups", T, LZ_LVL_OK, NULL,
            "cgroup v2 at the root of its own namespace%s: lazydind moves them into "
            "init/ and enables the controllers (%s) before dockerd starts",
            procs, f->cg_controllers[0] ? f->cg_controllers : "none listed");
    } else if (f->cg_layout == LZ_CG_V2) {
        add(r, "cgroups", T, LZ_LVL_INFO, NULL,
            "cgroup v2, writable; this pod is not at the root of a cgroup namespace "
            "(host cgroup namespace?), so dockerd's cgroups go beside the pod's");
    } else {
        add(r, "cgroups", T, LZ_LVL_OK, NULL, "cgroup %s, writable",
            lz_cg_layout_name(f->cg_layout));
    }

    /* storage: the data-root */
    const char *fs = f->data_root_fs;
    if (sysbox && f->sysbox.docker_mount)
        add(r, "storage", T, LZ_LVL_OK, NULL,
            "data-root %s is Sysbox's own mount (%s): overlay2 works there",
            f->data_root, fs);
    else if (strcmp(fs, "overlay") == 0 && cfg->tmpfs == LZ_TMPFS_NEVER)
        add(r, "storage", T, LZ_LVL_WARN,
            "LAZYDIND_TMPFS=auto, or mount a volume (emptyDir, PVC) at the data-root",
            "data-root %s is on overlay and LAZYDIND_TMPFS=never: overlay2 cannot "
            "sit on overlay, dockerd falls back to a slow driver", f->data_root);
    else if (strcmp(fs, "overlay") == 0 || cfg->tmpfs == LZ_TMPFS_ALWAYS)
        add(r, "storage", T, LZ_LVL_OK, NULL,
            "data-root %s is on %s: lazydind mounts a tmpfs there before dockerd "
            "starts (overlay-on-overlay handled by tmpfs; it counts against the "
            "pod's memory)", f->data_root, fs);
    else
        add(r, "storage", T, LZ_LVL_OK, NULL, "data-root %s is on %s: overlay2 works there",
            f->data_root, fs);

    if (f->dockerd.found)
        add(r, "dockerd", T, LZ_LVL_OK, NULL, "%s", f->dockerd.path);
    else
        add(r, "dockerd", T, LZ_LVL_FAIL,
            "install Docker in the image (Debian: docker.io) or set LAZYDIND_DOCKERD",
            "dockerd not found (%s)", cfg->dockerd[0] ? cfg->dockerd : "dockerd");
}

/* --------------------------------------------------------- rootless checks */

static void check_bin(struct lz_report *r, const char *id, const struct lz_bin *b,
                      const char *why, const char *fix)
{
    if (b->found)
        add(r, id, LZ_FOR_ROOTLESS, LZ_LVL_OK, NULL, "%s", b->path);
    else
        add(r, id, LZ_FOR_ROOTLESS, LZ_LVL_FAIL, fix, "%s not found: %s", id, why);
}

static const char *who0(const struct lz_facts *f)
{
    return f->user[0] ? f->user : "this user";
}

static void check_rootless(const struct lz_facts *f, const struct lz_config *cfg,
                           struct lz_report *r)
{
    const enum lz_target T = LZ_FOR_ROOTLESS;
    const int root = f->euid == 0;
    char why[256], fix[512], names[256];
    (void)cfg;

    if (!root)
        add(r, "user", T, LZ_LVL_OK, NULL, "runs as %s (uid %lu)",
            f->user[0] ? f->user : "an unnamed user", f->euid);
    else {
        char grp[48] = "";
        if (f->subid_pw_gid >= 0)
            snprintf(grp, sizeof grp, ", runAsGroup: %ld", f->subid_pw_gid);
        snprintf(fix, sizeof fix, "securityContext: runAsUser: %lu%s%s%s%s", r->rl_uid, grp,
                 r->rl_user[0] ? " (the image's user " : "", r->rl_user,
                 r->rl_user[0] ? ")" : "");
        add(r, "user", T, LZ_LVL_FAIL, fix,
            "runs as root: rootless dockerd runs as a non-root user (checked below for "
            "%s, uid %lu)", r->rl_user[0] ? r->rl_user : "uid", r->rl_uid);
    }

    if (f->st.no_new_privs == 1)
        add(r, "no-new-privileges", T, LZ_LVL_FAIL,
            "securityContext: allowPrivilegeEscalation: true",
            "no_new_privs is set: newuidmap and newgidmap lose their set-user-ID "
            "root, so no user namespace can be mapped");
    else if (f->st.no_new_privs == 0)
        add(r, "no-new-privileges", T, LZ_LVL_OK, NULL, "privilege escalation allowed");

    uint64_t missing = LZ_CAPS_ROOTLESS_BND & ~f->st.cap_bnd;
    if (!f->status_read)
        add(r, "capabilities", T, LZ_LVL_WARN, NULL,
            "/proc/self/status is not readable: capabilities unknown");
    else if (missing) {
        lz_caps_format(missing, names, sizeof names);
        snprintf(fix, sizeof fix, "securityContext: capabilities: {add: [%s]}%s", names,
                 missing & ~LZ_CAP_BIT(LZ_CAP_SYS_ADMIN) ? " (or do not drop ALL)" : "");
        add(r, "capabilities", T, LZ_LVL_FAIL, fix,
            "the bounding set lacks %s: the set-user-ID newuidmap cannot map the "
            "user namespace (%s)", names,
            missing & LZ_CAP_BIT(LZ_CAP_DAC_OVERRIDE)
                ? "\"open of uid_map failed: Permission denied\""
                : "\"write to uid_map failed: Operation not permitted\"");
    } else
        add(r, "capabilities", T, LZ_LVL_OK, NULL,
            "the bounding set has SYS_ADMIN, SETUID, SETGID, DAC_OVERRIDE (for newuidmap)");

    /* newuidmap compares our gid with the passwd entry's (shadow's
     * newuidmap.c; measured with --user 1000:0 for agent, gid 1000) */
    if (!root && f->pw_gid >= 0 && f->st.gid >= 0 && f->st.gid != f->pw_gid) {
        snprintf(fix, sizeof fix,
                 "securityContext: runAsGroup: %ld (or make gid %ld the primary group "
                 "of %s in /etc/passwd)", f->pw_gid, f->st.gid, who0(f));
        add(r, "gid", T, LZ_LVL_FAIL, fix,
            "runs with gid %ld but /etc/passwd gives %s gid %ld: newuidmap refuses "
            "(\"Target process ... is owned by a different user\")", f->st.gid, who0(f),
            f->pw_gid);
    } else if (!root && f->pw_gid < 0) {
        add(r, "gid", T, LZ_LVL_WARN, "image: add the user to /etc/passwd",
            "uid %lu has no /etc/passwd entry: newuidmap refuses a user it cannot "
            "look up", f->euid);
    }

    if (f->sysbox.detected || f->st.seccomp == 0)
        add(r, "seccomp", T, LZ_LVL_OK, NULL, "%s",
            f->sysbox.detected ? "Sysbox's own filter" : "no seccomp filter");
    else if (f->st.seccomp > 0)
        add(r, "seccomp", T, LZ_LVL_FAIL, "securityContext: seccompProfile: {type: Unconfined}",
            "a seccomp filter is active: rootlesskit and slirp4netns are refused the "
            "namespace calls they need (\"slirp4netns failed\"), even with SYS_ADMIN added");

    if (lz_apparmor_confined(f->apparmor))
        add(r, "apparmor", T, LZ_LVL_FAIL, "securityContext: appArmorProfile: {type: Unconfined}",
            "AppArmor profile %s confines this pod: rootlesskit's mounts are denied",
            f->apparmor);

    /* user namespaces */
    if (f->max_user_namespaces == 0)
        add(r, "userns", T, LZ_LVL_FAIL,
            "on the node: sysctl user.max_user_namespaces=28633",
            "user.max_user_namespaces is 0: no user namespace can be created");
    else if (f->unprivileged_userns_clone == 0)
        add(r, "userns", T, LZ_LVL_FAIL,
            "on the node: sysctl kernel.unprivileged_userns_clone=1",
            "kernel.unprivileged_userns_clone is 0: users may not create user namespaces");
    else if (f->apparmor_restrict_userns == 1)
        add(r, "userns", T, LZ_LVL_FAIL,
            "on the node: sysctl kernel.apparmor_restrict_unprivileged_userns=0",
            "kernel.apparmor_restrict_unprivileged_userns is 1: AppArmor strips the "
            "capabilities of a user's new user namespace");
    else if (f->max_user_namespaces > 0)
        add(r, "userns", T, LZ_LVL_OK, NULL, "user namespaces allowed (max %ld)",
            f->max_user_namespaces);
    else
        add(r, "userns", T, LZ_LVL_INFO, NULL,
            "user.max_user_namespaces not readable: assuming user namespaces are allowed");

    /* /proc */
    if (f->sysbox.detected)
        add(r, "proc", T, LZ_LVL_OK, NULL, "Sysbox intercepts mounts of /proc");
    else if (f->proc_overmounts > 0)
        add(r, "proc", T, LZ_LVL_FAIL,
            "securityContext: procMount: Unmasked (Kubernetes needs hostUsers: false with it)",
            "/proc is masked (%d mounts over it: %s): every container start fails with "
            "\"mount proc ... operation not permitted\"", f->proc_overmounts,
            f->proc_overmount_list);
    else
        add(r, "proc", T, LZ_LVL_OK, NULL, "/proc is unmasked");

    /* the programs */
    check_bin(r, "rootlesskit", &f->rootlesskit, "it runs dockerd in a user namespace",
              "image: install rootlesskit (Debian: apt-get install rootlesskit)");
    check_bin(r, "slirp4netns", &f->slirp4netns, "rootlesskit's network",
              "image: install slirp4netns");
    if (f->rootless_script)
        add(r, "dockerd-rootless.sh", T, LZ_LVL_OK, NULL, "%s", f->rootless_script_path);
    else
        add(r, "dockerd-rootless.sh", T, LZ_LVL_FAIL,
            "image: install docker.io (Debian ships it in /usr/share/docker.io/contrib) "
            "or docker-ce-rootless-extras",
            "dockerd-rootless.sh not found");
    if (!f->newuidmap.found || !f->newgidmap.found)
        add(r, "newuidmap", T, LZ_LVL_FAIL, "image: install uidmap",
            "%s not found: rootlesskit maps the subordinate ids with it",
            !f->newuidmap.found ? "newuidmap" : "newgidmap");
    else if (!(f->newuidmap.setuid_root || f->newuidmap.file_caps) ||
             !(f->newgidmap.setuid_root || f->newgidmap.file_caps))
        add(r, "newuidmap", T, LZ_LVL_FAIL,
            "image: chmod u+s /usr/bin/newuidmap /usr/bin/newgidmap (or setcap "
            "cap_setuid+ep / cap_setgid+ep)",
            "newuidmap/newgidmap are neither set-user-ID root nor have file capabilities");
    else
        add(r, "newuidmap", T, LZ_LVL_OK, NULL, "%s and %s (%s)", f->newuidmap.path,
            f->newgidmap.path, f->newuidmap.setuid_root ? "set-user-ID root" : "file capabilities");

    /* subordinate ids */
    const char *who = r->rl_user[0] ? r->rl_user : "the user";
    if (!f->subuid_found || !f->subgid_found) {
        snprintf(fix, sizeof fix, "image: echo %s:100000:65536 >>/etc/subuid; echo "
                 "%s:100000:65536 >>/etc/subgid", r->rl_user[0] ? r->rl_user : "USER",
                 r->rl_user[0] ? r->rl_user : "USER");
        add(r, "subids", T, LZ_LVL_FAIL, fix, "no %s range for %s (uid %lu)%s",
            !f->subuid_found ? "/etc/subuid" : "/etc/subgid", who, r->rl_uid,
            f->subid_files_read ? "" : " (the file is missing or unreadable)");
    } else if (f->uid_map_read && !lz_idmap_is_initial(&f->uid_map) &&
               (!lz_idmap_covers(&f->uid_map, f->subuid_start, f->subuid_count) ||
                !lz_idmap_covers(&f->uid_map, f->subgid_start, f->subgid_count))) {
        snprintf(fix, sizeof fix,
                 "image: give %s a range inside the mapped ids, or map more ids to the "
                 "pod (kubelet userNamespaces.idsPerPod)", who);
        add(r, "subids", T, LZ_LVL_FAIL, fix,
            "%s's range %lu-%lu lies outside this pod's user namespace: newuidmap "
            "can only map ids the pod has", who, f->subuid_start,
            f->subuid_start + f->subuid_count - 1);
    } else if (f->subuid_count < 65536 || f->subgid_count < 65536) {
        add(r, "subids", T, LZ_LVL_WARN, "image: give the user 65536 subordinate ids",
            "%s has only %lu subordinate uids and %lu gids: images with higher ids "
            "fail to unpack", who, f->subuid_count, f->subgid_count);
    } else {
        add(r, "subids", T, LZ_LVL_OK, NULL, "%s: uids %lu+%lu, gids %lu+%lu", who,
            f->subuid_start, f->subuid_count, f->subgid_start, f->subgid_count);
    }

    /* runtime dir (only meaningful as the user) */
    if (!root) {
        if (f->xdg_ok)
            add(r, "xdg-runtime-dir", T, LZ_LVL_OK, NULL, "%s%s, writable", f->xdg,
                f->xdg_set ? "" : " (XDG_RUNTIME_DIR unset: the default)");
        else
            add(r, "xdg-runtime-dir", T, LZ_LVL_FAIL,
                "env: XDG_RUNTIME_DIR set to a directory the user owns (e.g. create "
                "/run/user/UID mode 0700 in the image, or use /tmp/run-UID)",
                "%s%s is not a directory this user owns and can write: the socket and "
                "runtime state go there",
                f->xdg_set ? "XDG_RUNTIME_DIR=" : "XDG_RUNTIME_DIR is unset and ", f->xdg);
    }

    /* devices */
    if (f->tun_errno == 0)
        add(r, "tun", T, LZ_LVL_OK, NULL, "/dev/net/tun opens");
    else {
        device_words(f->tun_errno, "/dev/net/tun", why, sizeof why, fix, sizeof fix);
        add(r, "tun", T, LZ_LVL_FAIL, fix,
            "%s: slirp4netns cannot create its tap device (\"setting up tap tap0\")", why);
    }
    int on_overlay = strcmp(f->rl_data_root_fs, "overlay") == 0;
    int fuse_needed = on_overlay && !f->storage_driver_set;
    if (f->fuse_errno == 0)
        add(r, "fuse", T, LZ_LVL_OK, NULL, "/dev/fuse opens");
    else {
        device_words(f->fuse_errno, "/dev/fuse", why, sizeof why, fix, sizeof fix);
        if (fuse_needed) {
            size_t n = strlen(fix);
            snprintf(fix + n, sizeof fix - n,
                     "; or accept vfs, which copies every layer: LAZYDIND_STORAGE_DRIVER=vfs");
            add(r, "fuse", T, LZ_LVL_FAIL, fix,
                "%s: the data-root %s is on overlay, where only fuse-overlayfs can "
                "layer images", why, f->rl_data_root);
        } else {
            add(r, "fuse", T, LZ_LVL_INFO, NULL, "%s (not needed: the data-root %s is on %s%s)",
                why, f->rl_data_root, f->rl_data_root_fs,
                f->storage_driver_set ? ", and a storage driver is set" : "");
        }
    }
    if (on_overlay) {
        if (!f->fuse_overlayfs.found && fuse_needed)
            add(r, "storage", T, LZ_LVL_FAIL,
                "image: install fuse-overlayfs; or accept vfs: LAZYDIND_STORAGE_DRIVER=vfs",
                "data-root %s is on overlay and fuse-overlayfs is not installed",
                f->rl_data_root);
        else if (f->storage_driver_set)
            add(r, "storage", T, LZ_LVL_OK, NULL,
                "data-root %s is on overlay; a storage driver is set", f->rl_data_root);
        else if (f->fuse_errno == 0)
            add(r, "storage", T, LZ_LVL_OK, NULL,
                "data-root %s is on overlay: storage driver fuse-overlayfs (%s)",
                f->rl_data_root, f->fuse_overlayfs.path);
        else
            add(r, "storage", T, LZ_LVL_INFO, NULL,
                "data-root %s is on overlay: it needs fuse-overlayfs, which needs "
                "/dev/fuse (see fuse)", f->rl_data_root);
    } else {
        add(r, "storage", T, LZ_LVL_OK, NULL,
            "data-root %s is on %s: dockerd picks overlay2 (kernel >= 5.11) or "
            "fuse-overlayfs", f->rl_data_root, f->rl_data_root_fs);
    }
    add(r, "cgroups", T, LZ_LVL_INFO, NULL,
        "rootless dockerd without systemd runs containers without cgroup limits");
}

/* ---------------------------------------------------------- shared facts */

static void check_general(const struct lz_facts *f, struct lz_report *r)
{
    const enum lz_target T = LZ_FOR_ALL;
    char bins[128] = "";
    if (f->iptables_nft.found)
        strcat(bins, "iptables-nft");
    if (f->iptables_legacy.found)
        strcat(strcat(bins, bins[0] ? ", " : ""), "iptables-legacy");
    if (f->iptables.found && !bins[0])
        strcat(bins, "iptables");
    const char *use = !f->ipt_names_read ? "backend in use unknown (ip_tables_names unreadable)"
                      : f->ipt_legacy_tables ? "the node has legacy tables: legacy"
                                             : "no legacy tables on the node: nft";
    if (!bins[0])
        add(r, "iptables", T, LZ_LVL_WARN, "image: install iptables",
            "no iptables installed: dockerd runs with iptables off (no NAT, no "
            "published ports); %s", use);
    else
        add(r, "iptables", T, LZ_LVL_OK, NULL, "%s; installed: %s", use, bins);
    if (!f->filesystems_read)
        add(r, "overlay", T, LZ_LVL_INFO, NULL, "/proc/filesystems not readable");
    else if (f->overlay_listed)
        add(r, "overlay", T, LZ_LVL_OK, NULL, "the kernel has overlayfs");
    else
        add(r, "overlay", T, LZ_LVL_WARN, "on the node: modprobe overlay",
            "/proc/filesystems does not list overlay (module not loaded?): overlay2 "
            "cannot work until the node loads it");
    if (f->sysbox.detected)
        add(r, "sysbox", T, LZ_LVL_INFO, NULL,
            "Sysbox: %d sysboxfs mounts, root is host uid %ld%s", f->sysbox.sysboxfs,
            f->sysbox.root_host_uid,
            f->sysbox.docker_mount ? ", /var/lib/docker mounted by Sysbox" : "");
    else if (f->uid_map_read && !lz_idmap_is_initial(&f->uid_map))
        add(r, "userns", T, LZ_LVL_INFO, NULL,
            "the pod has its own user namespace (root is host uid %ld)",
            lz_idmap_outside(&f->uid_map, 0));
}

/* ---------------------------------------------------------------- options */

static void line(struct lz_option *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(struct lz_option *o, const char *fmt, ...)
{
    if (o->nlines >= LZ_MAX_LINES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->lines[o->nlines++], sizeof o->lines[0], fmt, ap);
    va_end(ap);
}

static void options(const struct lz_facts *f, struct lz_report *r)
{
    struct lz_option *p = &r->opt[0], *s = &r->opt[1], *l = &r->opt[2];
    const int rootful_ok = (r->scope & LZ_SCOPE_ROOTFUL) && !has_fail(r, LZ_FOR_ROOTFUL);
    const int sysbox = f->sysbox.detected;

    p->name = "privileged";
    p->works = !sysbox && rootful_ok;
    if (sysbox) {
        snprintf(p->verdict, sizeof p->verdict, "not with Sysbox (it runs this pod)");
    } else if (p->works) {
        snprintf(p->verdict, sizeof p->verdict, "this pod is privileged enough");
    } else {
        int image = failed(r, "dockerd", LZ_FOR_ROOTFUL);
        snprintf(p->verdict, sizeof p->verdict, "needs %sthe lines below",
                 image ? "dockerd in the image and " : "");
        line(p, "spec:");
        line(p, "  containers:");
        line(p, "  - securityContext:");
        line(p, "      privileged: true");
        if (f->euid != 0)
            line(p, "      runAsUser: 0");
        line(p, "# namespace label: pod-security.kubernetes.io/enforce: privileged");
    }

    s->name = "sysbox";
    s->works = sysbox && rootful_ok;
    if (s->works) {
        snprintf(s->verdict, sizeof s->verdict, "this pod runs under Sysbox");
    } else if (sysbox) {
        snprintf(s->verdict, sizeof s->verdict, "runs under Sysbox, but see the rootful checks");
        if (f->euid != 0) {
            line(s, "spec:");
            line(s, "  containers:");
            line(s, "  - securityContext:");
            line(s, "      runAsUser: 0");
        }
    } else {
        snprintf(s->verdict, sizeof s->verdict,
                 "needs Sysbox on the node and the lines below");
        line(s, "spec:");
        line(s, "  runtimeClassName: sysbox-runc");
        line(s, "  hostUsers: false   # Kubernetes >= 1.30 with containerd >= 2.0.5");
        if (f->euid != 0) {
            line(s, "  containers:");
            line(s, "  - securityContext:");
            line(s, "      runAsUser: 0");
        }
        line(s, "# on CRI-O instead of hostUsers: metadata.annotations:");
        line(s, "#   io.kubernetes.cri-o.userns-mode: \"auto:size=65536\"");
        snprintf(s->note, sizeof s->note,
                 "install Sysbox on the node (sysbox-deploy-k8s: label the node "
                 "sysbox-install=yes and apply sysbox-install.yaml); no privileged "
                 "securityContext and no Pod Security exemption are needed");
    }

    l->name = "rootless";
    l->works = (r->scope & LZ_SCOPE_ROOTLESS) && f->euid != 0 && !has_fail(r, LZ_FOR_ROOTLESS);
    if (!(r->scope & LZ_SCOPE_ROOTLESS)) {
        snprintf(l->verdict, sizeof l->verdict, "not checked");
        return;
    }
    if (l->works) {
        snprintf(l->verdict, sizeof l->verdict, "as %s (uid %lu)",
                 f->user[0] ? f->user : "this user", f->euid);
        return;
    }
    int runas = failed(r, "user", LZ_FOR_ROOTLESS);
    int ape = failed(r, "no-new-privileges", LZ_FOR_ROOTLESS);
    int cap = failed(r, "capabilities", LZ_FOR_ROOTLESS);
    int gid = failed(r, "gid", LZ_FOR_ROOTLESS);
    int sec = failed(r, "seccomp", LZ_FOR_ROOTLESS);
    int aa = failed(r, "apparmor", LZ_FOR_ROOTLESS);
    int proc = failed(r, "proc", LZ_FOR_ROOTLESS);
    int fuse = failed(r, "fuse", LZ_FOR_ROOTLESS) && f->fuse_errno != EPERM;
    int tun = failed(r, "tun", LZ_FOR_ROOTLESS) && f->tun_errno != EPERM;
    int manifest = runas || gid || ape || cap || sec || aa || proc || fuse || tun;
    /* what the manifest cannot fix: the image, the node */
    char note[512] = "";
    size_t n = 0;
    for (int i = 0; i < r->nchecks; i++) {
        const struct lz_check *c = &r->checks[i];
        if (c->target != LZ_FOR_ROOTLESS || c->level != LZ_LVL_FAIL)
            continue;
        if (strncmp(c->fix, "image:", 6) != 0 && strncmp(c->fix, "on the node:", 12) != 0 &&
            strncmp(c->fix, "env:", 4) != 0 && !(strcmp(c->id, "tun") == 0 && f->tun_errno == EPERM) &&
            !(strcmp(c->id, "fuse") == 0 && f->fuse_errno == EPERM))
            continue;
        int w = snprintf(note + n, sizeof note - n, "%s%s: %s", n ? "; " : "", c->id, c->fix);
        if (w < 0 || (size_t)w >= sizeof note - n)
            break;
        n += (size_t)w;
    }
    snprintf(l->note, sizeof l->note, "%s", note);
    snprintf(l->verdict, sizeof l->verdict, "needs %s%s%s",
             manifest ? "the lines below" : "", manifest && note[0] ? " and " : "",
             note[0] ? "the changes noted" : "");
    if (!manifest)
        return;
    line(l, "spec:");
    if (proc)
        line(l, "  hostUsers: false       # procMount: Unmasked requires it");
    line(l, "  containers:");
    line(l, "  - securityContext:");
    long pw_gid = f->euid != 0 ? f->pw_gid : f->subid_pw_gid;
    if (runas)
        line(l, "      runAsUser: %lu", r->rl_uid);
    if ((runas || gid) && pw_gid >= 0)
        line(l, "      runAsGroup: %ld     # the user's group in /etc/passwd", pw_gid);
    if (ape)
        line(l, "      allowPrivilegeEscalation: true");
    if (cap) {
        char names[160];
        lz_caps_format(LZ_CAPS_ROOTLESS_BND & ~f->st.cap_bnd, names, sizeof names);
        line(l, "      capabilities: {add: [%s]}", names);
    }
    if (sec)
        line(l, "      seccompProfile: {type: Unconfined}");
    if (aa)
        line(l, "      appArmorProfile: {type: Unconfined}");
    if (proc)
        line(l, "      procMount: Unmasked");
    if (fuse || tun) {
        line(l, "    volumeMounts:");
        if (fuse)
            line(l, "    - {name: dev-fuse, mountPath: /dev/fuse}");
        if (tun)
            line(l, "    - {name: dev-net-tun, mountPath: /dev/net/tun}");
        line(l, "  volumes:");
        if (fuse)
            line(l, "  - {name: dev-fuse, hostPath: {path: /dev/fuse, type: CharDevice}}");
        if (tun)
            line(l, "  - {name: dev-net-tun, hostPath: {path: /dev/net/tun, type: CharDevice}}");
    }
    if (cap || sec || aa || proc || fuse || tun)
        line(l, "# namespace label: pod-security.kubernetes.io/enforce: privileged");
}

/* --------------------------------------------------------------- evaluate */

void lz_doctor_evaluate(const struct lz_facts *f, const struct lz_config *cfg,
                        struct lz_report *r)
{
    memset(r, 0, sizeof *r);
    r->mode_setting = cfg->mode == LZ_MODE_ROOTFUL    ? "rootful"
                      : cfg->mode == LZ_MODE_ROOTLESS ? "rootless"
                                                      : "auto";
    r->rootless = cfg->rootless;
    /* the rootless checks are for this user, or, as root, for the image's
     * user that has subordinate ids (the runAsUser to suggest) */
    r->rl_uid = f->euid != 0 ? f->euid : f->subid_uid ? f->subid_uid : 1000;
    snprintf(r->rl_user, sizeof r->rl_user, "%s", f->euid != 0 ? f->user : f->subid_user);

    /* only what was gathered (the preflight gathers one mode's facts) */
    const unsigned scope = f->scope ? f->scope : LZ_SCOPE_ALL;
    r->scope = scope;
    if (scope & LZ_SCOPE_ROOTFUL)
        check_rootful(f, cfg, r);
    if (scope & LZ_SCOPE_ROOTLESS)
        check_rootless(f, cfg, r);
    if (scope == LZ_SCOPE_ALL)
        check_general(f, r);

    int rootful_ok = (scope & LZ_SCOPE_ROOTFUL) && !has_fail(r, LZ_FOR_ROOTFUL);
    int rootless_ok = (scope & LZ_SCOPE_ROOTLESS) && f->euid != 0 &&
                      !has_fail(r, LZ_FOR_ROOTLESS);
    r->selected_ok = r->rootless ? (scope & LZ_SCOPE_ROOTLESS) && !has_fail(r, LZ_FOR_ROOTLESS)
                                 : rootful_ok;
    if (f->sysbox.detected) {
        r->pod = LZ_POD_SYSBOX;
        snprintf(r->pod_why, sizeof r->pod_why,
                 "sysboxfs over /proc and /sys, root mapped to host uid %ld",
                 f->sysbox.root_host_uid);
    } else if (f->euid == 0 && rootful_ok) {
        r->pod = LZ_POD_PRIVILEGED;
        snprintf(r->pod_why, sizeof r->pod_why,
                 "root with what dockerd needs: capabilities, no seccomp filter, "
                 "writable cgroups");
    } else if (rootless_ok) {
        r->pod = LZ_POD_ROOTLESS;
        snprintf(r->pod_why, sizeof r->pod_why, "uid %lu with everything rootless dockerd needs",
                 f->euid);
    } else {
        r->pod = LZ_POD_UNPRIVILEGED;
        /* the failing checks of the way that fits this user */
        enum lz_target t = f->euid == 0 ? LZ_FOR_ROOTFUL : LZ_FOR_ROOTLESS;
        char ids[200] = "";
        size_t o = 0;
        for (int i = 0; i < r->nchecks; i++) {
            const struct lz_check *c = &r->checks[i];
            if (c->target != t || c->level != LZ_LVL_FAIL)
                continue;
            int w = snprintf(ids + o, sizeof ids - o, "%s%s", o ? ", " : "", c->id);
            if (w < 0 || (size_t)w >= sizeof ids - o)
                break;
            o += (size_t)w;
        }
        snprintf(r->pod_why, sizeof r->pod_why, "uid %lu; %s fails: %s", f->euid,
                 f->euid == 0 ? "rootful" : "rootless", ids);
    }
    options(f, r);
}

/* ------------------------------------------------------------------ print */

static void print_group(const struct lz_report *r, enum lz_target t, const char *title,
                        FILE *out)
{
    fprintf(out, "\n%s\n", title);
    for (int i = 0; i < r->nchecks; i++) {
        const struct lz_check *c = &r->checks[i];
        if (c->target != t)
            continue;
        fprintf(out, "  %-5s %-19s %s\n", lz_level_name(c->level), c->id, c->msg);
        if (c->fix[0] && c->level >= LZ_LVL_WARN)
            fprintf(out, "        %-19s fix: %s\n", "", c->fix);
    }
}

void lz_doctor_print(const struct lz_report *r, const struct lz_facts *f, FILE *out)
{
    (void)f;
    fprintf(out, "pod:   %s (%s)\n", lz_pod_name(r->pod), r->pod_why);
    fprintf(out, "mode:  %s (LAZYDIND_MODE=%s%s): %s\n", r->rootless ? "rootless" : "rootful",
            r->mode_setting,
            strcmp(r->mode_setting, "auto") == 0 ? (r->rootless ? ", not root" : ", root") : "",
            r->selected_ok ? "can work here" : "cannot work here");
    print_group(r, LZ_FOR_ROOTFUL, "dockerd as root (privileged or Sysbox):", out);
    char title[160];
    snprintf(title, sizeof title, "rootless dockerd (as %s, uid %lu):",
             r->rl_user[0] ? r->rl_user : "the user", r->rl_uid);
    print_group(r, LZ_FOR_ROOTLESS, title, out);
    print_group(r, LZ_FOR_ALL, "both:", out);
    fprintf(out, "\noptions:\n");
    for (int i = 0; i < 3; i++) {
        const struct lz_option *o = &r->opt[i];
        fprintf(out, "  %-11s %s %s\n", o->name, o->works ? "yes:" : "no: ", o->verdict);
        for (int j = 0; j < o->nlines; j++)
            fprintf(out, "      %s\n", o->lines[j]);
        if (o->note[0])
            fprintf(out, "      also: %s\n", o->note);
    }
    if (!r->selected_ok)
        fprintf(out, "\nthe selected mode (%s) cannot work here; see the fails above\n",
                r->rootless ? "rootless" : "rootful");
}

json_t *lz_doctor_json(const struct lz_report *r, const struct lz_facts *f)
{
    json_t *checks = json_array(), *opts = json_object();
    for (int i = 0; i < r->nchecks; i++) {
        const struct lz_check *c = &r->checks[i];
        json_array_append_new(checks, json_pack("{s:s, s:s, s:s, s:s, s:s?}", "id", c->id,
                                                "for", target_name(c->target), "status",
                                                lz_level_name(c->level), "message", c->msg,
                                                "fix", c->fix[0] ? c->fix : NULL));
    }
    for (int i = 0; i < 3; i++) {
        const struct lz_option *o = &r->opt[i];
        json_t *lines = json_array();
        for (int j = 0; j < o->nlines; j++)
            json_array_append_new(lines, json_string(o->lines[j]));
        json_object_set_new(opts, o->name,
                            json_pack("{s:b, s:s, s:o, s:s?}", "works", o->works, "verdict",
                                      o->verdict, "manifest", lines, "note",
                                      o->note[0] ? o->note : NULL));
    }
    char eff[32], bnd[32];
    snprintf(eff, sizeof eff, "%016llx", (unsigned long long)f->st.cap_eff);
    snprintf(bnd, sizeof bnd, "%016llx", (unsigned long long)f->st.cap_bnd);
    json_t *facts = json_pack(
        "{s:i, s:s, s:s, s:s, s:i, s:b, s:b, s:s, s:s, s:b, s:b, s:i, s:s, s:s}",
        "uid", (int)f->euid, "user", f->user, "cap_eff", eff, "cap_bnd", bnd,
        "seccomp", f->st.seccomp, "sysbox", f->sysbox.detected, "proc_masked",
        f->proc_overmounts > 0, "cgroup", lz_cg_layout_name(f->cg_layout), "data_root",
        f->data_root, "fuse", f->fuse_errno == 0, "tun", f->tun_errno == 0, "no_new_privs",
        f->st.no_new_privs, "data_root_fs", f->data_root_fs, "iptables",
        !f->ipt_names_read ? "unknown" : f->ipt_legacy_tables ? "legacy" : "nft");
    return json_pack("{s:s, s:s, s:{s:s, s:s, s:b}, s:o, s:o, s:o}", "pod", lz_pod_name(r->pod),
                     "reason", r->pod_why, "mode", "setting", r->mode_setting, "selected",
                     r->rootless ? "rootless" : "rootful", "ok", r->selected_ok, "checks",
                     checks, "options", opts, "facts", facts);
}

/* -------------------------------------------------------------- preflight */

int lz_preflight_text(const struct lz_report *r, char *msg, size_t msglen)
{
    size_t o = 0;
    if (msglen)
        msg[0] = '\0';
    if (r->selected_ok)
        return 0;
    enum lz_target t = r->rootless ? LZ_FOR_ROOTLESS : LZ_FOR_ROOTFUL;
#define PUT(...)                                                              \
    do {                                                                      \
        int w_ = snprintf(msg + o, msglen > o ? msglen - o : 0, __VA_ARGS__); \
        if (w_ > 0)                                                           \
            o = o + (size_t)w_ < msglen ? o + (size_t)w_ : msglen;            \
    } while (0)
    if (r->scope == LZ_SCOPE_ALL)
        PUT("this pod cannot run %s dockerd (it is %s):", r->rootless ? "rootless" : "rootful",
            lz_pod_name(r->pod));
    else
        PUT("this pod cannot run %s dockerd:", r->rootless ? "rootless" : "rootful");
    for (int i = 0; i < r->nchecks; i++) {
        const struct lz_check *c = &r->checks[i];
        if (c->target != t || c->level != LZ_LVL_FAIL)
            continue;
        PUT("\n  %s: %s", c->id, c->msg);
        /* a fix given for an earlier check is not repeated */
        int seen = !c->fix[0];
        for (int j = 0; j < i && !seen; j++)
            seen = r->checks[j].target == t && r->checks[j].level == LZ_LVL_FAIL &&
                   strcmp(r->checks[j].fix, c->fix) == 0;
        if (!seen)
            PUT("\n    fix: %s", c->fix);
    }
    /* the other ways, in one line each */
    for (int i = 0; i < 3; i++) {
        const struct lz_option *op = &r->opt[i];
        if (op->works)
            PUT("\n%s dockerd would work here: LAZYDIND_MODE=%s", op->name,
                i == 2 ? "rootless" : "rootful");
    }
    if (!r->rootless && r->pod != LZ_POD_SYSBOX)
        PUT("\nor: securityContext privileged: true, runtimeClassName: sysbox-runc, "
            "or rootless mode as a non-root user");
#undef PUT
    return -1;
}

int lz_preflight(const struct lz_config *cfg, char *msg, size_t msglen)
{
    struct lz_facts f;
    struct lz_report *r = malloc(sizeof *r);
    if (!r) {
        if (msglen)
            msg[0] = '\0';
        return 0; /* cannot judge: let dockerd say */
    }
    lz_detect_gather_for(&f, cfg, NULL, cfg->rootless ? LZ_SCOPE_ROOTLESS : LZ_SCOPE_ROOTFUL);
    lz_doctor_evaluate(&f, cfg, r);
    int rc = lz_preflight_text(r, msg, msglen);
    lz_facts_free(&f);
    free(r);
    return rc;
}

/* ---------------------------------------------------------------- command */

int lz_cmd_doctor(int argc, char **argv)
{
    int as_json = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            as_json = 1;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: lazydind doctor [--json]\n\n"
                   "What this pod allows, each check with ok/warn/fail, and for\n"
                   "privileged, Sysbox and rootless whether it works here and the\n"
                   "manifest lines that would make it work. Exit 0 when the selected\n"
                   "mode (LAZYDIND_MODE) can work, 1 when it cannot.\n");
            return 0;
        } else {
            lz_error("doctor: unknown argument '%s'; usage: lazydind doctor [--json]", argv[i]);
            return LZ_EXIT_USAGE;
        }
    }
    struct lz_config cfg;
    char err[1024];
    if (lz_config_load(&cfg, err, sizeof err) != 0) {
        lz_error("%s", err);
        return LZ_EXIT_USAGE;
    }
    struct lz_facts f;
    struct lz_report *r = malloc(sizeof *r);
    if (!r) {
        lz_error("out of memory");
        return 1;
    }
    lz_detect_gather(&f, &cfg, NULL);
    lz_doctor_evaluate(&f, &cfg, r);
    if (as_json) {
        json_t *j = lz_doctor_json(r, &f);
        char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (s)
            printf("%s\n", s);
        free(s);
        json_decref(j);
    } else {
        lz_doctor_print(r, &f, stdout);
    }
    int rc = r->selected_ok ? 0 : 1;
    lz_facts_free(&f);
    free(r);
    return rc;
}
