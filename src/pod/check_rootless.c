/* Doctor's checks for rootless dockerd (check_rootless.h): one function per
 * check, in the order the report lists them. */
#define _GNU_SOURCE
#include "pod/check_rootless.h"
#include "pod/parse_security.h"
#include "pod/subid_fit.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const enum lz_target T = LZ_FOR_ROOTLESS;

/* ------------------------------------------------------------ the user */

static const char *who0(const struct lz_facts *f)
{
    return f->user[0] ? f->user : "this user";
}

/* As root, the fix names the image's user the other checks are for. */
static void check_user(const struct lz_facts *f, struct lz_report *r)
{
    char fix[512];
    if (f->euid != 0) {
        lz_report_add(r, "user", T, LZ_LVL_OK, NULL, "runs as %s (uid %lu)",
                      f->user[0] ? f->user : "an unnamed user", f->euid);
        return;
    }
    char grp[48] = "";
    if (f->subid_pw_gid >= 0)
        snprintf(grp, sizeof grp, ", runAsGroup: %ld", f->subid_pw_gid);
    snprintf(fix, sizeof fix, "securityContext: runAsUser: %lu%s%s%s%s", r->rl_uid, grp,
             r->rl_user[0] ? " (the image's user " : "", r->rl_user,
             r->rl_user[0] ? ")" : "");
    lz_report_add(r, "user", T, LZ_LVL_FAIL, fix,
                  "runs as root: rootless dockerd runs as a non-root user (checked below for "
                  "%s, uid %lu)", r->rl_user[0] ? r->rl_user : "uid", r->rl_uid);
}

static void check_no_new_privs(const struct lz_facts *f, struct lz_report *r)
{
    if (f->st.no_new_privs == 1)
        lz_report_add(r, "no-new-privileges", T, LZ_LVL_FAIL,
                      "securityContext: allowPrivilegeEscalation: true",
                      "no_new_privs is set: newuidmap and newgidmap lose their set-user-ID "
                      "root, so no user namespace can be mapped");
    else if (f->st.no_new_privs == 0)
        lz_report_add(r, "no-new-privileges", T, LZ_LVL_OK, NULL,
                      "privilege escalation allowed");
}

/* The bounding set the set-user-ID newuidmap gets (LZ_CAPS_ROOTLESS_BND). */
static void check_capabilities(const struct lz_facts *f, struct lz_report *r)
{
    char fix[512], names[256];
    uint64_t missing = LZ_CAPS_ROOTLESS_BND & ~f->st.cap_bnd;
    if (!f->status_read) {
        lz_report_add(r, "capabilities", T, LZ_LVL_WARN, NULL,
                      "/proc/self/status is not readable: capabilities unknown");
    } else if (missing) {
        lz_caps_format(missing, names, sizeof names);
        snprintf(fix, sizeof fix, "securityContext: capabilities: {add: [%s]}%s", names,
                 missing & ~LZ_CAP_BIT(LZ_CAP_SYS_ADMIN) ? " (or do not drop ALL)" : "");
        lz_report_add(r, "capabilities", T, LZ_LVL_FAIL, fix,
                      "the bounding set lacks %s: the set-user-ID newuidmap cannot map the "
                      "user namespace (%s)", names,
                      missing & LZ_CAP_BIT(LZ_CAP_DAC_OVERRIDE)
                          ? "\"open of uid_map failed: Permission denied\""
                          : "\"write to uid_map failed: Operation not permitted\"");
    } else {
        lz_report_add(r, "capabilities", T, LZ_LVL_OK, NULL,
                      "the bounding set has SYS_ADMIN, SETUID, SETGID, DAC_OVERRIDE (for "
                      "newuidmap)");
    }
}

/* newuidmap compares our gid with the passwd entry's (shadow's
 * newuidmap.c; measured with --user 1000:0 for agent, gid 1000). Only
 * meaningful as the user. */
static void check_gid(const struct lz_facts *f, struct lz_report *r)
{
    char fix[512];
    if (f->euid == 0)
        return;
    if (f->pw_gid >= 0 && f->st.gid >= 0 && f->st.gid != f->pw_gid) {
        snprintf(fix, sizeof fix,
                 "securityContext: runAsGroup: %ld (or make gid %ld the primary group "
                 "of %s in /etc/passwd)", f->pw_gid, f->st.gid, who0(f));
        lz_report_add(r, "gid", T, LZ_LVL_FAIL, fix,
                      "runs with gid %ld but /etc/passwd gives %s gid %ld: newuidmap refuses "
                      "(\"Target process ... is owned by a different user\")", f->st.gid,
                      who0(f), f->pw_gid);
    } else if (f->pw_gid < 0) {
        lz_report_add(r, "gid", T, LZ_LVL_WARN, "image: add the user to /etc/passwd",
                      "uid %lu has no /etc/passwd entry: newuidmap refuses a user it cannot "
                      "look up", f->euid);
    }
}

/* ------------------------------------------------------ the pod's limits */

static void check_seccomp(const struct lz_facts *f, struct lz_report *r)
{
    if (f->sysbox.detected || f->st.seccomp == 0)
        lz_report_add(r, "seccomp", T, LZ_LVL_OK, NULL, "%s",
                      f->sysbox.detected ? "Sysbox's own filter" : "no seccomp filter");
    else if (f->st.seccomp > 0)
        lz_report_add(r, "seccomp", T, LZ_LVL_FAIL,
                      "securityContext: seccompProfile: {type: Unconfined}",
                      "a seccomp filter is active: rootlesskit and slirp4netns are refused the "
                      "namespace calls they need (\"slirp4netns failed\"), even with SYS_ADMIN "
                      "added");
}

static void check_apparmor(const struct lz_facts *f, struct lz_report *r)
{
    if (lz_apparmor_confined(f->apparmor))
        lz_report_add(r, "apparmor", T, LZ_LVL_FAIL,
                      "securityContext: appArmorProfile: {type: Unconfined}",
                      "AppArmor profile %s confines this pod: rootlesskit's mounts are denied",
                      f->apparmor);
}

/* The node's sysctls that forbid user namespaces. */
static void check_userns(const struct lz_facts *f, struct lz_report *r)
{
    if (f->max_user_namespaces == 0)
        lz_report_add(r, "userns", T, LZ_LVL_FAIL,
                      "on the node: sysctl user.max_user_namespaces=28633",
                      "user.max_user_namespaces is 0: no user namespace can be created");
    else if (f->unprivileged_userns_clone == 0)
        lz_report_add(r, "userns", T, LZ_LVL_FAIL,
                      "on the node: sysctl kernel.unprivileged_userns_clone=1",
                      "kernel.unprivileged_userns_clone is 0: users may not create user "
                      "namespaces");
    else if (f->apparmor_restrict_userns == 1)
        lz_report_add(r, "userns", T, LZ_LVL_FAIL,
                      "on the node: sysctl kernel.apparmor_restrict_unprivileged_userns=0",
                      "kernel.apparmor_restrict_unprivileged_userns is 1: AppArmor strips the "
                      "capabilities of a user's new user namespace");
    else if (f->max_user_namespaces > 0)
        lz_report_add(r, "userns", T, LZ_LVL_OK, NULL, "user namespaces allowed (max %ld)",
                      f->max_user_namespaces);
    else
        lz_report_add(r, "userns", T, LZ_LVL_INFO, NULL,
                      "user.max_user_namespaces not readable: assuming user namespaces are "
                      "allowed");
}

static void check_proc(const struct lz_facts *f, struct lz_report *r)
{
    if (f->sysbox.detected)
        lz_report_add(r, "proc", T, LZ_LVL_OK, NULL, "Sysbox intercepts mounts of /proc");
    else if (f->proc_overmounts > 0)
        lz_report_add(r, "proc", T, LZ_LVL_FAIL,
                      "securityContext: procMount: Unmasked (Kubernetes needs hostUsers: false "
                      "with it)",
                      "/proc is masked (%d mounts over it: %s): every container start fails "
                      "with \"mount proc ... operation not permitted\"", f->proc_overmounts,
                      f->proc_overmount_list);
    else
        lz_report_add(r, "proc", T, LZ_LVL_OK, NULL, "/proc is unmasked");
}

/* ---------------------------------------------------------- the programs */

static void check_bin(struct lz_report *r, const char *id, const struct lz_bin *b,
                      const char *why, const char *fix)
{
    if (b->found)
        lz_report_add(r, id, T, LZ_LVL_OK, NULL, "%s", b->path);
    else
        lz_report_add(r, id, T, LZ_LVL_FAIL, fix, "%s not found: %s", id, why);
}

static void check_newuidmap(const struct lz_facts *f, struct lz_report *r)
{
    const struct lz_bin *u = &f->newuidmap, *g = &f->newgidmap;
    if (!u->found || !g->found)
        lz_report_add(r, "newuidmap", T, LZ_LVL_FAIL, "image: install uidmap",
                      "%s not found: rootlesskit maps the subordinate ids with it",
                      !u->found ? "newuidmap" : "newgidmap");
    else if (!(u->setuid_root || u->file_caps) || !(g->setuid_root || g->file_caps))
        lz_report_add(r, "newuidmap", T, LZ_LVL_FAIL,
                      "image: chmod u+s /usr/bin/newuidmap /usr/bin/newgidmap (or setcap "
                      "cap_setuid+ep / cap_setgid+ep)",
                      "newuidmap/newgidmap are neither set-user-ID root nor have file "
                      "capabilities");
    else
        lz_report_add(r, "newuidmap", T, LZ_LVL_OK, NULL, "%s and %s (%s)", u->path, g->path,
                      u->setuid_root ? "set-user-ID root" : "file capabilities");
}

static void check_programs(const struct lz_facts *f, struct lz_report *r)
{
    check_bin(r, "rootlesskit", &f->rootlesskit, "it runs dockerd in a user namespace",
              "image: install rootlesskit (Debian: apt-get install rootlesskit)");
    check_bin(r, "slirp4netns", &f->slirp4netns, "rootlesskit's network",
              "image: install slirp4netns");
    if (f->rootless_script)
        lz_report_add(r, "dockerd-rootless.sh", T, LZ_LVL_OK, NULL, "%s",
                      f->rootless_script_path);
    else
        lz_report_add(r, "dockerd-rootless.sh", T, LZ_LVL_FAIL,
                      "image: install docker.io (Debian ships it in "
                      "/usr/share/docker.io/contrib) or docker-ce-rootless-extras",
                      "dockerd-rootless.sh not found");
    check_newuidmap(f, r);
}

/* ------------------------------------------------------ subordinate ids */

/* 1 when the pod has a user namespace of its own that does not hold the
 * user's subordinate ranges. */
static int subids_outside_userns(const struct lz_facts *f)
{
    return f->uid_map_read && !lz_idmap_is_initial(&f->uid_map) &&
           (!lz_idmap_covers(&f->uid_map, f->subuid_start, f->subuid_count) ||
            !lz_idmap_covers(&f->uid_map, f->subgid_start, f->subgid_count));
}

static void check_subids(const struct lz_facts *f, struct lz_report *r)
{
    char fix[512];
    const char *who = r->rl_user[0] ? r->rl_user : "the user";
    const char *user = r->rl_user[0] ? r->rl_user : "USER";
    char fit[256] = "";
    if (f->uid_map_read && !lz_idmap_is_initial(&f->uid_map))
        lz_subid_fit_text(&f->uid_map, r->rl_uid, user, fit, sizeof fit);
    if (!f->subuid_found || !f->subgid_found) {
        /* in a user namespace of the pod's own only its ids exist */
        if (fit[0])
            snprintf(fix, sizeof fix, "image: write %s to /etc/subuid and to /etc/subgid, "
                     "one per line (only the ids of this pod's user namespace exist)", fit);
        else
            snprintf(fix, sizeof fix, "image: echo %s:100000:65536 >>/etc/subuid; echo "
                     "%s:100000:65536 >>/etc/subgid", user, user);
        lz_report_add(r, "subids", T, LZ_LVL_FAIL, fix, "no %s range for %s (uid %lu)%s",
                      !f->subuid_found ? "/etc/subuid" : "/etc/subgid", who, r->rl_uid,
                      f->subid_files_read ? "" : " (the file is missing or unreadable)");
    } else if (subids_outside_userns(f)) {
        snprintf(fix, sizeof fix,
                 "image: give %s ranges inside the mapped ids%s%s (in /etc/subuid and "
                 "/etc/subgid, one per line), or map more ids to the pod (kubelet "
                 "userNamespaces.idsPerPod)", who, fit[0] ? ", e.g. " : "", fit);
        lz_report_add(r, "subids", T, LZ_LVL_FAIL, fix,
                      "%s's range %lu-%lu lies outside this pod's user namespace: newuidmap "
                      "can only map ids the pod has", who, f->subuid_start,
                      f->subuid_start + f->subuid_count - 1);
    } else if (!fit[0] && (f->subuid_count < 65536 || f->subgid_count < 65536)) {
        /* (in the pod's own user namespace fewer than 65536 is all there is) */
        lz_report_add(r, "subids", T, LZ_LVL_WARN, "image: give the user 65536 subordinate ids",
                      "%s has only %lu subordinate uids and %lu gids: images with higher ids "
                      "fail to unpack", who, f->subuid_count, f->subgid_count);
    } else {
        lz_report_add(r, "subids", T, LZ_LVL_OK, NULL, "%s: uids %lu+%lu, gids %lu+%lu", who,
                      f->subuid_start, f->subuid_count, f->subgid_start, f->subgid_count);
    }
}

/* The runtime dir (only meaningful as the user). */
static void check_xdg(const struct lz_facts *f, struct lz_report *r)
{
    if (f->euid == 0)
        return;
    if (f->xdg_ok && f->xdg_to_make)
        lz_report_add(r, "xdg-runtime-dir", T, LZ_LVL_OK, NULL, "%s does not exist yet: "
                      "lazydind makes it (mode 0700) at the first start", f->xdg);
    else if (f->xdg_ok)
        lz_report_add(r, "xdg-runtime-dir", T, LZ_LVL_OK, NULL, "%s%s, writable", f->xdg,
                      f->xdg_set ? "" : " (XDG_RUNTIME_DIR unset: the default)");
    else if (f->xdg_why[0])
        lz_report_add(r, "xdg-runtime-dir", T, LZ_LVL_FAIL,
                      "env: XDG_RUNTIME_DIR set to a directory the user owns, mode 0700, "
                      "or to a path under /tmp that does not exist yet",
                      "XDG_RUNTIME_DIR=%s: %s", f->xdg, f->xdg_why);
    else
        lz_report_add(r, "xdg-runtime-dir", T, LZ_LVL_FAIL,
                      "env: XDG_RUNTIME_DIR set to a directory the user owns (e.g. create "
                      "/run/user/UID mode 0700 in the image, or use /tmp/run-UID)",
                      "%s%s is not a directory this user owns and can write: the socket and "
                      "runtime state go there",
                      f->xdg_set ? "XDG_RUNTIME_DIR=" : "XDG_RUNTIME_DIR is unset and ",
                      f->xdg);
}

/* ------------------------------------------------------ devices, storage */

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

static void check_tun(const struct lz_facts *f, struct lz_report *r)
{
    char why[256], fix[512];
    if (f->tun_errno == 0) {
        lz_report_add(r, "tun", T, LZ_LVL_OK, NULL, "/dev/net/tun opens");
        return;
    }
    device_words(f->tun_errno, "/dev/net/tun", why, sizeof why, fix, sizeof fix);
    lz_report_add(r, "tun", T, LZ_LVL_FAIL, fix,
                  "%s: slirp4netns cannot create its tap device (\"setting up tap tap0\")", why);
}

/* On an overlay data-root only fuse-overlayfs can layer images, unless a
 * storage driver is chosen. */
static int rl_on_overlay(const struct lz_facts *f)
{
    return strcmp(f->rl_data_root_fs, "overlay") == 0;
}

static int fuse_needed(const struct lz_facts *f)
{
    return rl_on_overlay(f) && !f->storage_driver_set;
}

static void check_fuse(const struct lz_facts *f, struct lz_report *r)
{
    char why[256], fix[512];
    if (f->fuse_errno == 0) {
        lz_report_add(r, "fuse", T, LZ_LVL_OK, NULL, "/dev/fuse opens");
        return;
    }
    device_words(f->fuse_errno, "/dev/fuse", why, sizeof why, fix, sizeof fix);
    if (fuse_needed(f)) {
        size_t n = strlen(fix);
        snprintf(fix + n, sizeof fix - n,
                 "; or accept vfs, which copies every layer: LAZYDIND_STORAGE_DRIVER=vfs");
        lz_report_add(r, "fuse", T, LZ_LVL_FAIL, fix,
                      "%s: the data-root %s is on overlay, where only fuse-overlayfs can "
                      "layer images", why, f->rl_data_root);
    } else {
        lz_report_add(r, "fuse", T, LZ_LVL_INFO, NULL,
                      "%s (not needed: the data-root %s is on %s%s)", why, f->rl_data_root,
                      f->rl_data_root_fs,
                      f->storage_driver_set ? ", and a storage driver is set" : "");
    }
}

static void check_storage(const struct lz_facts *f, struct lz_report *r)
{
    if (!rl_on_overlay(f))
        lz_report_add(r, "storage", T, LZ_LVL_OK, NULL,
                      "data-root %s is on %s: dockerd picks overlay2 (kernel >= 5.11) or "
                      "fuse-overlayfs", f->rl_data_root, f->rl_data_root_fs);
    else if (!f->fuse_overlayfs.found && fuse_needed(f))
        lz_report_add(r, "storage", T, LZ_LVL_FAIL,
                      "image: install fuse-overlayfs; or accept vfs: LAZYDIND_STORAGE_DRIVER=vfs",
                      "data-root %s is on overlay and fuse-overlayfs is not installed",
                      f->rl_data_root);
    else if (f->storage_driver_set)
        lz_report_add(r, "storage", T, LZ_LVL_OK, NULL,
                      "data-root %s is on overlay; a storage driver is set", f->rl_data_root);
    else if (f->fuse_errno == 0)
        lz_report_add(r, "storage", T, LZ_LVL_OK, NULL,
                      "data-root %s is on overlay: storage driver fuse-overlayfs (%s)",
                      f->rl_data_root, f->fuse_overlayfs.path);
    else
        lz_report_add(r, "storage", T, LZ_LVL_INFO, NULL,
                      "data-root %s is on overlay: it needs fuse-overlayfs, which needs "
                      "/dev/fuse (see fuse)", f->rl_data_root);
}

void lz_check_rootless(const struct lz_facts *f, struct lz_report *r)
{
    check_user(f, r);
    check_no_new_privs(f, r);
    check_capabilities(f, r);
    check_gid(f, r);
    check_seccomp(f, r);
    check_apparmor(f, r);
    check_userns(f, r);
    check_proc(f, r);
    check_programs(f, r);
    check_subids(f, r);
    check_xdg(f, r);
    check_tun(f, r);
    check_fuse(f, r);
    check_storage(f, r);
    lz_report_add(r, "cgroups", T, LZ_LVL_INFO, NULL,
                  "rootless dockerd without systemd runs containers without cgroup limits");
    lz_report_add(r, "containment", T, LZ_LVL_INFO, NULL,
                  "rootless dockerd creates no cgroups: inner containers stay in the pod's own "
                  "cgroup, accounted and bound by the pod's limits, but an inner --memory, --cpus "
                  "or --pids-limit is not applied");
}
