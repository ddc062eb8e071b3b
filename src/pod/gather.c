/* Gathering the live facts of the pod (gather.h): one small function per
 * group of facts, each reading its files through probe.h and handing the
 * text to a parser. */
#define _GNU_SOURCE
#include "pod/gather.h"
#include "config/cacerts.h"
#include "config/daemonjson.h"
#include "base/findcli.h"
#include "base/xdg.h"
#include "pod/parse_ids.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- identity */

/* Who we are: /proc/self/status, cap_last_cap, uid_map and (passwd, when
 * the rootless facts are wanted) our /etc/passwd entry. */
static void gather_identity(struct lz_facts *f, const char *root, const char *passwd)
{
    char buf[16384];
    char *status = lz_probe_read_alloc(root, "/proc/self/status", 8192);
    f->status_read = status && lz_parse_status(status, &f->st) == 0;
    free(status);
    if (!f->status_read)
        lz_parse_status("", &f->st);
    f->euid = f->status_read ? (unsigned long)f->st.euid : (unsigned long)geteuid();
    f->egid = f->status_read ? (unsigned long)f->st.egid : (unsigned long)getegid();
    f->cap_last_cap = (int)lz_probe_long(root, "/proc/sys/kernel/cap_last_cap");
    if (lz_probe_read(root, "/proc/self/uid_map", buf, sizeof buf) >= 0)
        f->uid_map_read = lz_parse_idmap(buf, &f->uid_map) == 0;
    f->pw_gid = -1;
    if (passwd)
        (void)lz_passwd_by_uid(passwd, f->euid, f->user, sizeof f->user, f->home,
                               sizeof f->home, &f->pw_gid);
}

/* ------------------------------------------------------------------ mounts */

static void gather_mounts(struct lz_facts *f, const char *root)
{
    f->mountinfo = lz_probe_read_alloc(root, "/proc/self/mountinfo", 262144);
    if (!f->mountinfo)
        f->mountinfo = calloc(1, 1);
    lz_detect_sysbox(f->mountinfo, f->uid_map_read ? &f->uid_map : NULL, &f->sysbox);
    f->proc_overmounts = lz_proc_overmounts(f->mountinfo, f->proc_overmount_list,
                                            sizeof f->proc_overmount_list);
}

/* ------------------------------------------------------------ kernel knobs */

/* The user namespace sysctls (rootless), our AppArmor label, and
 * /proc/filesystems (doctor only). */
static void gather_knobs(struct lz_facts *f, const char *root, unsigned scope)
{
    f->max_user_namespaces = f->unprivileged_userns_clone = f->apparmor_restrict_userns = -1;
    if (scope & LZ_SCOPE_ROOTLESS) {
        f->max_user_namespaces = lz_probe_long(root, "/proc/sys/user/max_user_namespaces");
        f->unprivileged_userns_clone =
            lz_probe_long(root, "/proc/sys/kernel/unprivileged_userns_clone");
        f->apparmor_restrict_userns =
            lz_probe_long(root, "/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
    }
    if (lz_probe_read(root, "/proc/self/attr/apparmor/current", f->apparmor,
                      sizeof f->apparmor) < 0)
        (void)lz_probe_read(root, "/proc/self/attr/current", f->apparmor, sizeof f->apparmor);
    f->apparmor[strcspn(f->apparmor, "\n")] = '\0';
    if (scope == LZ_SCOPE_ALL) {
        f->filesystems_read = lz_probe_read(root, "/proc/filesystems", f->filesystems,
                                            sizeof f->filesystems) >= 0;
        f->overlay_listed = lz_fs_listed(f->filesystems, "overlay");
    }
}

/* ----------------------------------------------------------------- cgroups */

/* cgroup v2's root, for rootful dockerd: its controllers, whether
 * subtree_control can be written, how many processes sit in it. */
static void gather_cgroup_v2_root(struct lz_facts *f, const char *root)
{
    (void)lz_probe_read(root, "/sys/fs/cgroup/cgroup.controllers", f->cg_controllers,
                        sizeof f->cg_controllers);
    f->cg_controllers[strcspn(f->cg_controllers, "\n")] = '\0';
    char path[LZ_PATH_MAX];
    snprintf(path, sizeof path, "%s/sys/fs/cgroup/cgroup.subtree_control", root);
    f->cg_subtree_writable = access(path, W_OK) == 0 && f->cg_mounts_rw;
    char *procs = lz_probe_read_alloc(root, "/sys/fs/cgroup/cgroup.procs", 65536);
    if (procs && (procs[0] || access(path, F_OK) == 0))
        f->cg_root_procs = lz_count_lines(procs);
    free(procs);
    f->cg_at_ns_root = lz_cgroup_needs_nesting(1, f->proc_self_cgroup);
}

static void gather_cgroups(struct lz_facts *f, const char *root, unsigned scope)
{
    f->cg_layout = lz_cgroup_layout(f->mountinfo);
    f->cg_mounts_rw = lz_cgroup_mounts_rw(f->mountinfo, f->cg_layout);
    (void)lz_probe_read(root, "/proc/self/cgroup", f->proc_self_cgroup,
                        sizeof f->proc_self_cgroup);
    f->cg_root_procs = -1;
    if ((scope & LZ_SCOPE_ROOTFUL) && f->cg_layout == LZ_CG_V2)
        gather_cgroup_v2_root(f, root);
}

/* ---------------------------------------------------------------- iptables */

static void gather_iptables(struct lz_facts *f, const char *root)
{
    char buf[4096];
    f->ipt_names_read = lz_probe_read(root, "/proc/net/ip_tables_names", buf, sizeof buf) >= 0;
    f->ipt_legacy_tables = f->ipt_names_read && lz_text_nonblank(buf);
    lz_probe_bin(root, "iptables", &f->iptables);
    lz_probe_bin(root, "iptables-legacy", &f->iptables_legacy);
    lz_probe_bin(root, "iptables-nft", &f->iptables_nft);
}

/* ---------------------------------------------------------------- rootless */

/* The programs rootless dockerd runs, and dockerd-rootless.sh (on the
 * live system where findcli.h looks for it; in a recorded tree on its
 * default PATH or in Debian's contrib dir). */
static void gather_rootless_programs(struct lz_facts *f, const char *root)
{
    lz_probe_bin(root, "rootlesskit", &f->rootlesskit);
    lz_probe_bin(root, "slirp4netns", &f->slirp4netns);
    lz_probe_bin(root, "newuidmap", &f->newuidmap);
    lz_probe_bin(root, "newgidmap", &f->newgidmap);
    lz_probe_bin(root, "fuse-overlayfs", &f->fuse_overlayfs);
    if (!*root) {
        f->rootless_script = lz_find_rootless_script(f->rootless_script_path,
                                                     sizeof f->rootless_script_path) == 0;
        return;
    }
    struct lz_bin s;
    lz_probe_bin(root, "dockerd-rootless.sh", &s);
    if (!s.found) {
        snprintf(s.path, sizeof s.path, "%s/usr/share/docker.io/contrib/dockerd-rootless.sh", root);
        s.found = access(s.path, F_OK) == 0;
    }
    f->rootless_script = s.found;
    if (s.found)
        lz_strlcpy(f->rootless_script_path, s.path, sizeof f->rootless_script_path);
}

/* Whose subordinate ranges: ours, or (as root) the first user that has
 * some, the one a runAsUser would most likely name. rl_home receives that
 * user's home. */
static void gather_subid_owner(struct lz_facts *f, const char *passwd, const char *subuid,
                               char *rl_home, size_t rl_homelen)
{
    f->subid_uid = f->euid;
    f->subid_pw_gid = f->pw_gid;
    snprintf(f->subid_user, sizeof f->subid_user, "%s", f->user);
    snprintf(rl_home, rl_homelen, "%s", f->home);
    if (f->euid == 0 && passwd && subuid &&
        !lz_passwd_first_with_subid(passwd, subuid, &f->subid_uid, f->subid_user,
                                    sizeof f->subid_user))
        f->subid_uid = 1000;
    if (f->euid == 0 && passwd &&
        !lz_passwd_by_uid(passwd, f->subid_uid, f->subid_user, sizeof f->subid_user,
                          rl_home, rl_homelen, &f->subid_pw_gid)) {
        f->subid_user[0] = '\0';
        rl_home[0] = '\0';
    }
}

/* /etc/subuid and /etc/subgid: the owner's ranges. */
static void gather_subids(struct lz_facts *f, const char *root, const char *passwd,
                          char *rl_home, size_t rl_homelen)
{
    char *subuid = lz_probe_read_alloc(root, "/etc/subuid", 65536);
    char *subgid = lz_probe_read_alloc(root, "/etc/subgid", 65536);
    char path[LZ_PATH_MAX];
    snprintf(path, sizeof path, "%s/etc/subuid", root);
    f->subid_files_read = access(path, R_OK) == 0;
    snprintf(path, sizeof path, "%s/etc/subgid", root);
    f->subid_files_read = f->subid_files_read && access(path, R_OK) == 0;
    gather_subid_owner(f, passwd, subuid, rl_home, rl_homelen);
    if (subuid)
        f->subuid_found = lz_subid_find(subuid, f->subid_user, f->subid_uid,
                                        &f->subuid_start, &f->subuid_count);
    if (subgid)
        f->subgid_found = lz_subid_find(subgid, f->subid_user, f->subid_uid,
                                        &f->subgid_start, &f->subgid_count);
    free(subuid);
    free(subgid);
}

/* XDG_RUNTIME_DIR (or its default /run/user/UID): a directory we own and
 * can write? A set one is walked as the cold path walks it (base/xdg.h):
 * missing but makeable is fine, lazydind makes it. */
static void gather_xdg(struct lz_facts *f, const char *root)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    f->xdg_set = xdg && *xdg;
    if (f->xdg_set)
        snprintf(f->xdg, sizeof f->xdg, "%s", xdg);
    else
        snprintf(f->xdg, sizeof f->xdg, "/run/user/%lu", f->euid);
    struct stat st;
    char full[LZ_PATH_MAX + 64];
    snprintf(full, sizeof full, "%s%s", root, f->xdg);
    f->xdg_ok = f->xdg[0] == '/' && stat(full, &st) == 0 && S_ISDIR(st.st_mode) &&
                st.st_uid == f->euid && access(full, W_OK | X_OK) == 0;
    if (!f->xdg_set)
        return;
    int rfd = open(root[0] ? root : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int r = lz_xdg_walk(rfd, f->xdg, (uid_t)f->euid, 0, f->xdg_why, sizeof f->xdg_why);
    if (rfd >= 0)
        close(rfd);
    f->xdg_ok = r >= 0;
    f->xdg_to_make = r == 1;
    if (r >= 0)
        f->xdg_why[0] = '\0';
}

/* The rootless facts. passwd: the text of /etc/passwd or NULL; rl_home
 * receives the home of the user the checks are for. */
static void gather_rootless(struct lz_facts *f, const char *root, const char *passwd,
                            char *rl_home, size_t rl_homelen)
{
    gather_rootless_programs(f, root);
    gather_subids(f, root, passwd, rl_home, rl_homelen);
    gather_xdg(f, root);
    f->fuse_errno = lz_probe_open(root, "/dev/fuse");
    f->tun_errno = lz_probe_open(root, "/dev/net/tun");
}

/* ----------------------------------------------------------------- storage */

/* 1 when the user's daemon.json names a storage-driver (read as every
 * reader of lazydind's reads it; a file that cannot be read names none). */
static int daemon_json_sets_driver(const char *path)
{
    char err[256];
    int absent;
    json_t *o = lz_daemon_json_load(path, &absent, err, sizeof err);
    int has = json_is_string(json_object_get(o, "storage-driver"));
    json_decref(o);
    return has;
}

/* The data-roots: rootful dockerd uses the configured one (the default
 * /var/lib/docker when the config is the rootless one); rootless dockerd
 * ~/.local/share/docker of its user (rl_home as root). */
static void gather_data_roots(struct lz_facts *f, const struct lz_config *cfg,
                              const char *rl_home)
{
    if (cfg && (!cfg->rootless || cfg->data_root_set))
        lz_strlcpy(f->data_root, cfg->data_root, sizeof f->data_root);
    else
        lz_strlcpy(f->data_root, "/var/lib/docker", sizeof f->data_root);
    const char *xdh = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (cfg && (cfg->rootless || cfg->data_root_set))
        lz_strlcpy(f->rl_data_root, cfg->data_root, sizeof f->rl_data_root);
    else if (f->euid != 0 && xdh && *xdh == '/')
        snprintf(f->rl_data_root, sizeof f->rl_data_root, "%s/docker", xdh);
    else if (f->euid != 0 && home && *home == '/')
        snprintf(f->rl_data_root, sizeof f->rl_data_root, "%s/.local/share/docker", home);
    else if (rl_home[0] == '/')
        snprintf(f->rl_data_root, sizeof f->rl_data_root, "%s/.local/share/docker", rl_home);
    else
        snprintf(f->rl_data_root, sizeof f->rl_data_root, "/home/%s/.local/share/docker",
                 f->subid_user[0] ? f->subid_user : "user");
}

/* The data-roots, the filesystems they are on, and whether a storage
 * driver is chosen (rootless). */
static void gather_storage(struct lz_facts *f, const struct lz_config *cfg, const char *root,
                           const char *rl_home, unsigned scope)
{
    const int rootless = scope & LZ_SCOPE_ROOTLESS;
    gather_data_roots(f, cfg, rl_home);
    f->storage_driver_set = rootless && cfg &&
                            (cfg->storage_driver != NULL ||
                             daemon_json_sets_driver(cfg->daemon_json));
    if (scope & LZ_SCOPE_ROOTFUL)
        lz_probe_fs(f->mountinfo, root, f->data_root, f->data_root_fs, sizeof f->data_root_fs);
    if (rootless)
        lz_probe_fs(f->mountinfo, root, f->rl_data_root, f->rl_data_root_fs,
                    sizeof f->rl_data_root_fs);
}

/* ------------------------------------------------------------------ gather */

void lz_detect_gather(struct lz_facts *f, const struct lz_config *cfg, const char *root)
{
    lz_detect_gather_for(f, cfg, root, LZ_SCOPE_ALL);
}

static void note_expiry(const char *file, const struct lz_cert_info *info, void *arg)
{
    struct lz_facts *f = arg;
    (void)file;
    if (info->not_after >= lz_wall_s())
        return;
    if (f->ca_expired++ == 0)
        lz_strlcpy(f->ca_expired_subject, info->subject, sizeof f->ca_expired_subject);
}

/* The extra CAs dockerd will trust: how many, and whether any expired. */
static void gather_ca_certs(struct lz_facts *f, const struct lz_config *cfg)
{
    if (cfg)
        f->ca_certs = lz_cacerts_scan(cfg, note_expiry, f, f->ca_error, sizeof f->ca_error);
}

void lz_detect_gather_for(struct lz_facts *f, const struct lz_config *cfg, const char *root,
                          unsigned scope)
{
    memset(f, 0, sizeof *f);
    if (!root)
        root = "";
    f->scope = scope & LZ_SCOPE_ALL;
    const int rootful = scope & LZ_SCOPE_ROOTFUL, rootless = scope & LZ_SCOPE_ROOTLESS;
    char rl_home[LZ_PATH_MAX] = "";
    char *passwd = rootless ? lz_probe_read_alloc(root, "/etc/passwd", 65536) : NULL;

    gather_identity(f, root, passwd);
    gather_mounts(f, root);
    gather_knobs(f, root, scope);
    gather_cgroups(f, root, scope);
    if (scope == LZ_SCOPE_ALL) {
        gather_iptables(f, root); /* for doctor only */
        gather_ca_certs(f, cfg);
    }
    if (rootless)
        gather_rootless(f, root, passwd, rl_home, sizeof rl_home);
    free(passwd);
    gather_storage(f, cfg, root, rl_home, scope);
    if (rootful)
        lz_probe_bin(root, cfg && cfg->dockerd[0] ? cfg->dockerd : "dockerd", &f->dockerd);
}

void lz_facts_free(struct lz_facts *f)
{
    free(f->mountinfo);
    f->mountinfo = NULL;
}
