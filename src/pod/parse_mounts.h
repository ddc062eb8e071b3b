/* What /proc/self/mountinfo says: its mounts, the paths mounted over /proc
 * (what makes rootless dockerd's containers fail) and whether Sysbox runs
 * the pod (its sysboxfs mounts inside a user namespace). Pure functions
 * over the recorded text. */
#ifndef LAZYDIND_POD_PARSE_MOUNTS_H
#define LAZYDIND_POD_PARSE_MOUNTS_H

#include <stddef.h>

#include "pod/parse_proc.h"

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

#endif
