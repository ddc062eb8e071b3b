/* Containment: every process lazydind starts and every inner container is
 * accounted inside the pod's own cgroup, with the inner containers in a
 * subtree limited a margin below the pod, so that their OOM happens there
 * (docs/containment.md). The supervisor calls lz_contain_prepare once,
 * before the first dockerd; it never touches a cgroup outside the pod's own
 * subtree. */
#ifndef LAZYDIND_CONTAIN_H
#define LAZYDIND_CONTAIN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/vfs.h>

#include "config/config.h"

#define LZ_CG_MAX 1024

struct lz_contain {
    int v2;                      /* cgroup2 at /sys/fs/cgroup */
    int held;                    /* containment set up: parent is set */
    char pod_cg[LZ_CG_MAX];      /* the pod's cgroup (as /proc/self/cgroup
                                    names it), "" unknown */
    char pod_dir[LZ_CG_MAX];     /* its directory here (v1: memory's) */
    char parent[LZ_CG_MAX];      /* dockerd's cgroup-parent, "" for none */
    int64_t pod_limit;           /* the memory limit binding the pod, 0 none */
    int64_t containers_limit;    /* set on the containers' subtree, 0 none */
    char note[1024];             /* what was done, or why it cannot hold */
};

/* The pod's cgroup and memory limit, read only (the cold path, status and
 * doctor): fills c without writing anything; held stays 0. Returns 0, or -1
 * when no cgroup of ours is visible (note says why). */
int lz_contain_probe(struct lz_contain *c);

/* Sets containment up (as root, rootful, not under Sysbox): on cgroup v2
 * moves the pod's processes into <pod>/init (retrying joiners, bounded),
 * enables the controllers, makes <pod>/lazydind/daemon and moves this
 * process there, makes <pod>/lazydind/containers with memory.max set to the
 * containers' share; on v1 makes <pod>/lazydind/containers in the memory
 * hierarchy with that limit. parent is then the cgroup-parent for dockerd.
 * Returns 0 with held = 1, or -1 with the reason in note (dockerd then runs
 * with its own defaults). */
int lz_contain_prepare(struct lz_contain *c);

/* The cgroup of process pid as it names it ("0::/x" on v2, the memory
 * line's path on v1), "" when unreadable. */
void lz_contain_cgroup_of(int pid, char *out, size_t cap);

/* The tmpfs data-root's size (docs/containment.md): LAZYDIND_TMPFS_SIZE
 * when given, else half the pod's memory limit (written into
 * cfg->tmpfs_size), else the kernel's default (half of RAM). why says which
 * and why, with a warning when an explicit size is above the pod's limit. */
void lz_tmpfs_size_choose(struct lz_config *cfg, char *why, size_t cap);

/* A warning for the user when LAZYDIND_TMPFS_SIZE (or tmpfs-size) is above
 * the pod's memory limit: 1 with the text in out, else 0. */
int lz_tmpfs_size_warning(const struct lz_config *cfg, char *out, size_t cap);

/* A notice on stderr when the data-root is a tmpfs that is at least 90%
 * full: how full, why it is that size, what to do. For the shim, before it
 * runs the real CLI: one statfs call (the warm path pays it on every
 * command that talks to the daemon). */
void lz_dataroot_full_notice(const struct lz_config *cfg);

/* The decision (pure): 1 when sf is a tmpfs at least 90% full, with its
 * used and total bytes; else 0. */
int lz_dataroot_full(const struct statfs *sf, int64_t *used, int64_t *size);

#endif
