/* Containment facts: where the pod's cgroup is, what memory limit binds it,
 * and the shares lazydind derives from that limit. Pure functions over the
 * text of /proc/self/cgroup, /proc/self/mountinfo and cgroup files
 * (docs/containment.md). */
#ifndef LAZYDIND_POD_CGLIMIT_H
#define LAZYDIND_POD_CGLIMIT_H

#include <stddef.h>
#include <stdint.h>

#define LZ_MIB (1024LL * 1024)

/* Our cgroup path from /proc/self/cgroup text: on v2 (v2 = 1) the "0::"
 * line; on v1 the line whose controller list holds controller ("memory").
 * 1 found, 0 not. */
int lz_cg_self_path(const char *proc_self_cgroup, int v2, const char *controller,
                    char *out, size_t cap);

/* Where cgroup cgpath is in our mount tree: the visible cgroup mount (v2:
 * fstype cgroup2; v1: fstype cgroup whose super options list controller)
 * under /sys/fs/cgroup whose root holds cgpath. dir gets its mount point
 * plus the rest of the path, rel the path below the mount's root ("/" for
 * the root itself): what runc inside the pod resolves a cgroup-parent
 * against. 1 found, 0 when no mount shows that cgroup (it lies outside what
 * the pod sees). */
int lz_cg_locate(const char *mountinfo, int v2, const char *controller,
                 const char *cgpath, char *dir, size_t dircap, char *rel, size_t relcap);

/* The pod's own cgroup from our path, undoing lazydind's own nesting: a
 * path ending in /lazydind/daemon, or in /init where the parent also holds
 * a "lazydind" child (has_lazydind_sibling says so), names the pod's cgroup
 * above it. Writes the pod's path to out. */
void lz_cg_pod_path(const char *self, int has_lazydind_sibling, char *out, size_t cap);

/* A memory limit file's text: v2 memory.max ("max" or bytes), v1
 * memory.limit_in_bytes (anything from 2^62 up means none). Bytes; 0 for no
 * limit; -1 when it does not parse. */
int64_t lz_cg_parse_limit(const char *text);

/* The inner containers' memory limit in a pod limited to pod_limit bytes:
 * the limit less a reserve for the pod's own processes and lazydind's
 * daemons, max(128 MiB, a quarter), at most half. 0 when pod_limit is 0. */
int64_t lz_cg_containers_limit(int64_t pod_limit);

/* The default size of the tmpfs data-root in a pod limited to pod_limit
 * bytes: half the limit. 0 (the kernel's default) when pod_limit is 0. */
int64_t lz_cg_tmpfs_default(int64_t pod_limit);

/* doctor's containment verdict for rootful dockerd, from the text of
 * /proc/self/cgroup and /proc/self/mountinfo: v2 says cgroup2 is at
 * /sys/fs/cgroup, rw that the cgroup mounts are writable, root_cgroup_file
 * that the cgroup the pod names as its own has a cgroup.type (v2: it is not
 * the node's root). level 0 ok, 1 warn, 2 fail; msg says where the inner
 * containers will be accounted and whether the pod's limits bind them, fix
 * what to change ("" for none). Where dockerd works but containment cannot
 * hold the verdict is a warning (dockerd still starts, with its defaults);
 * fail only where the cgroups are read-only. */
struct lz_cg_verdict {
    int level;
    char msg[512];
    char fix[256];
};
void lz_cg_containment_verdict(const char *proc_self_cgroup, const char *mountinfo, int v2,
                               int rw, int sysbox, struct lz_cg_verdict *v);

/* A byte count for people: "600M", "1.5G", "512K". */
void lz_cg_human(int64_t bytes, char *out, size_t cap);

#endif
