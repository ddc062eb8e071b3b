/* Gathering what this pod allows from the live system (or a recorded tree)
 * into struct lz_facts: the files the parsers read (parse_proc.h,
 * parse_mounts.h, parse_ids.h, parse_security.h, cgroup.h) and the probes
 * of programs and devices (probe.h). No fork; nothing is written. */
#ifndef LAZYDIND_POD_GATHER_H
#define LAZYDIND_POD_GATHER_H

#include "config/config.h"
#include "pod/cgroup.h"
#include "pod/parse_mounts.h"
#include "pod/parse_proc.h"
#include "pod/probe.h"

/* What to gather: what dockerd as root needs, what rootless dockerd
 * needs, or everything (doctor). */
#define LZ_SCOPE_ROOTFUL 1u
#define LZ_SCOPE_ROOTLESS 2u
#define LZ_SCOPE_ALL 3u

/* What lz_detect_gather found. Texts are "" when the file could not be
 * read (then *_read is 0). */
struct lz_facts {
    unsigned scope;                       /* LZ_SCOPE_* gathered */
    /* identity */
    unsigned long euid, egid;
    char user[64], home[LZ_PATH_MAX];     /* from /etc/passwd, may be "" */
    long pw_gid;                          /* the passwd entry's gid, -1 unknown */
    struct lz_status st;
    int status_read;
    int cap_last_cap;
    struct lz_idmap uid_map;
    int uid_map_read;
    /* mounts */
    char *mountinfo;                      /* malloc'd; "" when unreadable */
    struct lz_sysbox sysbox;
    int proc_overmounts;
    char proc_overmount_list[512];
    /* kernel knobs (-1 when the file is absent) */
    long max_user_namespaces;
    long unprivileged_userns_clone;       /* Debian/Ubuntu kernels */
    long apparmor_restrict_userns;        /* Ubuntu 23.10+ */
    char apparmor[128];                   /* our AppArmor label, or "" */
    char filesystems[4096];
    int filesystems_read;
    int overlay_listed;
    /* cgroups */
    enum lz_cg_layout cg_layout;
    int cg_mounts_rw;
    char proc_self_cgroup[2048];
    char cg_controllers[512];             /* v2: /sys/fs/cgroup/cgroup.controllers */
    int cg_subtree_writable;              /* v2: access(cgroup.subtree_control, W_OK) */
    int cg_root_procs;                    /* v2: pids in /sys/fs/cgroup/cgroup.procs, -1 unknown */
    int cg_at_ns_root;                    /* v2: /proc/self/cgroup is "0::/" */
    /* iptables */
    int ipt_names_read;                   /* /proc/net/ip_tables_names readable */
    int ipt_legacy_tables;                /* ... and not empty */
    struct lz_bin iptables, iptables_legacy, iptables_nft;
    /* rootless */
    struct lz_bin rootlesskit, slirp4netns, newuidmap, newgidmap, fuse_overlayfs;
    int rootless_script;                  /* dockerd-rootless.sh found */
    char rootless_script_path[LZ_PATH_MAX];
    unsigned long subid_uid;              /* the user the ranges are for */
    char subid_user[64];
    long subid_pw_gid;                    /* that user's passwd gid, -1 unknown */
    int subuid_found, subgid_found;
    unsigned long subuid_start, subuid_count, subgid_start, subgid_count;
    int subid_files_read;                 /* /etc/subuid and /etc/subgid */
    char xdg[LZ_PATH_MAX];                /* XDG_RUNTIME_DIR, or /run/user/UID */
    int xdg_set;                          /* XDG_RUNTIME_DIR was set */
    int xdg_ok;                           /* a directory we own and can write */
    int xdg_to_make;                      /* set, missing, and lazydind can make it */
    char xdg_why[512];                    /* why a set XDG_RUNTIME_DIR is refused */
    int fuse_errno, tun_errno;            /* 0: opens read-write; else errno */
    /* storage: the data-root of rootful dockerd and of the rootless one
     * (~/.local/share/docker of the user the rootless checks are for) */
    char data_root[LZ_PATH_MAX];
    char data_root_fs[32];                /* lz_fs_name of the data-root (or of
                                             the nearest existing parent) */
    char rl_data_root[LZ_PATH_MAX];
    char rl_data_root_fs[32];
    int storage_driver_set;               /* LAZYDIND_STORAGE_DRIVER or daemon.json */
    /* dockerd */
    struct lz_bin dockerd;
    /* the extra CA certificates (LAZYDIND_CA_CERTS), doctor only */
    int ca_certs;                         /* how many; -1 when they cannot be read */
    int ca_expired;                       /* how many of them have expired */
    char ca_expired_subject[256];         /* the first expired one */
    char ca_error[512];                   /* why they cannot be read */
};

/* Reads the live system into f: /proc/self/{status,uid_map,mountinfo,
 * cgroup}, a few sysctls, /etc/{passwd,subuid,subgid}, /sys/fs/cgroup, the
 * binaries on PATH, whether /dev/fuse and /dev/net/tun open. cfg gives the
 * data-root, daemon.json and mode. root: "" or NULL for the live system, or
 * a directory holding a recorded tree (proc/self/status, etc/subuid, ...:
 * see tests/unit/pod/fixtures/detect), where probes of devices and binaries
 * look under that directory too. No fork; nothing is written. Free with
 * lz_facts_free(). */
void lz_detect_gather(struct lz_facts *f, const struct lz_config *cfg, const char *root);
/* The same for one scope only (LZ_SCOPE_ROOTFUL or LZ_SCOPE_ROOTLESS): the
 * preflight reads only what the selected mode needs. */
void lz_detect_gather_for(struct lz_facts *f, const struct lz_config *cfg, const char *root,
                          unsigned scope);
void lz_facts_free(struct lz_facts *f);

#endif
