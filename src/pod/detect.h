/* What this pod allows: privileged, Sysbox, rootless-capable, or none of
 * them; storage, cgroups and iptables. Every detector is a pure function
 * over the text of a /proc, /sys or /etc file (unit-tested on recorded
 * fixtures); lz_detect_gather() reads the live system (or a recorded tree)
 * into struct lz_facts, without forking and without writing anything. */
#ifndef LAZYDIND_DETECT_H
#define LAZYDIND_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

/* ---- capabilities (linux/capability.h numbers) ---- */
#define LZ_CAP_BIT(n) (UINT64_C(1) << (n))
#define LZ_CAP_SETUID 7
#define LZ_CAP_SETGID 6
#define LZ_CAP_NET_ADMIN 12
#define LZ_CAP_SYS_ADMIN 21
#define LZ_CAP_SYS_RESOURCE 24
/* Docker's default set for a container (moby's oci/caps DefaultCapabilities:
 * CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
 * NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP, i.e. the
 * CapEff 00000000a80425fb of a default `docker run`). A process cannot give
 * a container a capability it lacks, so rootful dockerd needs all of them. */
#define LZ_CAPS_DOCKER_DEFAULT UINT64_C(0x00000000a80425fb)
/* Rootful dockerd: the default set, plus SYS_ADMIN (mounts: overlay, tmpfs,
 * the containers' /proc; namespaces; pivot_root) and NET_ADMIN (the bridge,
 * veth pairs, iptables). Everything else (SYS_RESOURCE for oom_score_adj,
 * SYS_MODULE for modprobe, ...) dockerd tolerates missing. */
#define LZ_CAPS_ROOTFUL \
    (LZ_CAPS_DOCKER_DEFAULT | LZ_CAP_BIT(LZ_CAP_SYS_ADMIN) | LZ_CAP_BIT(LZ_CAP_NET_ADMIN))
/* Rootless: what the *bounding* set must hold for the user (whose CapEff is
 * empty), all for the set-user-ID newuidmap/newgidmap, which run as root
 * over a user namespace the user owns (measured, with --cap-drop ALL and
 * adding back): DAC_OVERRIDE to open /proc/PID/uid_map, which the user owns
 * ("open of uid_map failed: Permission denied"), SYS_ADMIN to write a
 * multi-range map ("write to uid_map failed: Operation not permitted"),
 * SETUID and SETGID. NET_ADMIN is not needed (measured). */
#define LZ_CAP_DAC_OVERRIDE 1
#define LZ_CAPS_ROOTLESS_BND                                                  \
    (LZ_CAP_BIT(LZ_CAP_SYS_ADMIN) | LZ_CAP_BIT(LZ_CAP_SETUID) |               \
     LZ_CAP_BIT(LZ_CAP_SETGID) | LZ_CAP_BIT(LZ_CAP_DAC_OVERRIDE))

/* Every capability up to cap_last_cap (/proc/sys/kernel/cap_last_cap). */
uint64_t lz_caps_all(int cap_last_cap);
/* "SYS_ADMIN", or "cap42" for a bit without a name here. */
const char *lz_cap_name(int bit);
/* The names of the bits of mask, ", "-separated, into out. */
void lz_caps_format(uint64_t mask, char *out, size_t outlen);

/* ---- /proc/self/status ---- */
struct lz_status {
    uint64_t cap_eff, cap_prm, cap_bnd;
    int seccomp;        /* 0 none, 1 strict, 2 filter; -1 when not shown */
    int no_new_privs;   /* 0/1; -1 when not shown */
    long uid, euid, gid, egid; /* -1 when not shown */
};
/* Parses the lines it knows; 0 when CapEff and Uid were found, else -1. */
int lz_parse_status(const char *text, struct lz_status *st);

/* ---- user namespaces: /proc/self/uid_map ---- */
#define LZ_IDMAP_MAX 16
struct lz_idmap {
    int n;
    struct lz_idrange {
        unsigned long inside, outside, count;
    } r[LZ_IDMAP_MAX];
};
/* 0, or -1 when no line parses. */
int lz_parse_idmap(const char *text, struct lz_idmap *m);
/* 1 for the initial user namespace ("0 0 4294967295"). */
int lz_idmap_is_initial(const struct lz_idmap *m);
/* The host id that id `inside` maps to, or -1 when it is not mapped. */
long lz_idmap_outside(const struct lz_idmap *m, unsigned long inside);
/* 1 when every id of [start, start+count) is mapped (inside ids). */
int lz_idmap_covers(const struct lz_idmap *m, unsigned long start, unsigned long count);

/* ---- /proc/self/mountinfo ---- */
#define LZ_MNT_PATH 512
struct lz_mount {
    int id, parent;
    char root[LZ_MNT_PATH];   /* the mount's root within its filesystem */
    char point[LZ_MNT_PATH];  /* where it is mounted (octal escapes decoded) */
    char opts[256];           /* per-mount options: rw/ro, nosuid, ... */
    char fstype[64];
    char source[LZ_MNT_PATH];
    char super_opts[256];     /* per-superblock options */
};
/* Parses the line at *cursor into m and advances *cursor past it. Returns 1
 * for a mount, 0 at the end of the text; lines that do not parse are
 * skipped. */
int lz_mountinfo_next(const char **cursor, struct lz_mount *m);
/* The last mount exactly at path (the one that is visible). 1 found, 0 not. */
int lz_mount_at(const char *mountinfo, const char *path, struct lz_mount *m);
/* The visible mount that holds path: the last one whose mount point is the
 * longest prefix of path. 1 found, 0 not. */
int lz_mount_holding(const char *mountinfo, const char *path, struct lz_mount *m);
/* 1 when the per-mount options say read-only. */
int lz_mount_ro(const struct lz_mount *m);

/* Paths mounted over the /proc mount (masked: tmpfs or /dev/null over
 * /proc/kcore, /proc/keys, ...; read-only binds of /proc/sys, /proc/bus,
 * ...; also lxcfs or Sysbox files). A mount of a new procfs -- what every
 * container start of a rootless dockerd does -- is refused ("mount proc ...
 * operation not permitted") while any of them hides a file or non-empty
 * directory of /proc (the kernel's mount_too_revealing check for a user
 * namespace). /proc/sys/fs/binfmt_misc (a permanently empty directory) does
 * not count. Returns how many there are; their paths go into list
 * (", "-separated, truncated with "..."). */
int lz_proc_overmounts(const char *mountinfo, char *list, size_t listlen);

/* ---- Sysbox (runtimeClassName: sysbox-runc) ---- */
struct lz_sysbox {
    int sysboxfs;       /* fuse mounts whose source is "sysboxfs" (sysbox-fs
                           emulates /proc/sys, /proc/swaps, /proc/uptime,
                           /sys/kernel, /sys/devices/virtual, ...) */
    int userns;         /* a user namespace with root mapped to a host id != 0 */
    long root_host_uid; /* that host id, or -1 */
    int docker_mount;   /* /var/lib/docker is a mount Sysbox made (its root is
                           a per-container dir under .../sysbox/docker/) */
    int detected;       /* sysboxfs mounts inside a user namespace */
};
void lz_detect_sysbox(const char *mountinfo, const struct lz_idmap *uid_map,
                      struct lz_sysbox *sb);

/* ---- cgroups ---- */
enum lz_cg_layout { LZ_CG_NONE, LZ_CG_V1, LZ_CG_V2, LZ_CG_HYBRID };
const char *lz_cg_layout_name(enum lz_cg_layout l);
/* From the mount at /sys/fs/cgroup: cgroup2 is v2; a tmpfs with v1
 * controllers is v1, and hybrid when cgroup2 is also mounted at
 * /sys/fs/cgroup/unified. */
enum lz_cg_layout lz_cgroup_layout(const char *mountinfo);
/* 1 when the hierarchy dockerd would use is mounted read-write: on v2 the
 * cgroup2 mount at /sys/fs/cgroup; on v1/hybrid every v1 controller mount
 * under it. 0 when any of them is read-only or there is none. */
int lz_cgroup_mounts_rw(const char *mountinfo, enum lz_cg_layout l);
/* Counts the pids listed in a cgroup.procs text. */
int lz_count_lines(const char *text);

/* ---- users and subordinate ids (no NSS: the files themselves) ---- */
/* The /etc/passwd entry of uid: name, home and primary gid (each may be
 * NULL). 1 found, 0 not. */
int lz_passwd_by_uid(const char *passwd, unsigned long uid, char *name,
                     size_t namelen, char *home, size_t homelen, long *gid);
/* The first entry of /etc/passwd with uid >= 1000 (and < 65534) that has a
 * range in subuid_text: for advice when running as root. 1 found, 0 not. */
int lz_passwd_first_with_subid(const char *passwd, const char *subuid_text,
                               unsigned long *uid, char *name, size_t namelen);
/* The subordinate range of a user in /etc/subuid or /etc/subgid text
 * ("name:start:count" or "uid:start:count"); with several lines the largest
 * range. 1 found, 0 not. */
int lz_subid_find(const char *text, const char *name, unsigned long uid,
                  unsigned long *start, unsigned long *count);

/* ---- small ones ---- */
/* 1 when /proc/filesystems lists fs (e.g. "overlay"). */
int lz_fs_listed(const char *proc_filesystems, const char *fs);
/* 1 when text has anything but whitespace (e.g. /proc/net/ip_tables_names:
 * the node has legacy iptables tables loaded). */
int lz_text_nonblank(const char *text);
/* A number from a sysctl file, or dflt when text is NULL or not a number. */
long lz_parse_long(const char *text, long dflt);
/* An AppArmor label (/proc/self/attr/current): 1 when a profile confines
 * us ("docker-default (enforce)"), 0 for "unconfined", empty or NULL. */
int lz_apparmor_confined(const char *label);

/* ---- the live system ---- */
struct lz_bin {
    int found;
    char path[LZ_PATH_MAX];
    int setuid_root;    /* owned by root with the set-user-ID bit */
    int file_caps;      /* has a security.capability xattr */
};

/* What lz_detect_gather found. Texts are "" when the file could not be
 * read (then *_read is 0). */
/* What to gather: what dockerd as root needs, what rootless dockerd
 * needs, or everything (doctor). */
#define LZ_SCOPE_ROOTFUL 1u
#define LZ_SCOPE_ROOTLESS 2u
#define LZ_SCOPE_ALL 3u

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
};

/* Reads the live system into f: /proc/self/{status,uid_map,mountinfo,
 * cgroup}, a few sysctls, /etc/{passwd,subuid,subgid}, /sys/fs/cgroup, the
 * binaries on PATH, whether /dev/fuse and /dev/net/tun open. cfg gives the
 * data-root, daemon.json and mode. root: "" or NULL for the live system, or
 * a directory holding a recorded tree (proc/self/status, etc/subuid, ...:
 * see tests/unit/fixtures/detect), where probes of devices and binaries
 * look under that directory too. No fork; nothing is written. Free with
 * lz_facts_free(). */
void lz_detect_gather(struct lz_facts *f, const struct lz_config *cfg, const char *root);
/* The same for one scope only (LZ_SCOPE_ROOTFUL or LZ_SCOPE_ROOTLESS): the
 * preflight reads only what the selected mode needs. */
void lz_detect_gather_for(struct lz_facts *f, const struct lz_config *cfg, const char *root,
                          unsigned scope);
void lz_facts_free(struct lz_facts *f);

#endif
