/* The pod's cgroup facts: pure decisions over the text of /proc and /sys
 * (the mounts at /sys/fs/cgroup, /proc/self/cgroup, cgroup.procs). */
#ifndef LAZYDIND_POD_CGROUP_H
#define LAZYDIND_POD_CGROUP_H

enum lz_cg_layout { LZ_CG_NONE, LZ_CG_V1, LZ_CG_V2, LZ_CG_HYBRID };
/* "none", "v1", "v2", "hybrid" */
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

/* 1 when cgroup v2 must be nested before dockerd can use it: /sys/fs/cgroup
 * is cgroup2 (is_cgroup2) and we sit at the root of our cgroup namespace
 * (/proc/self/cgroup is "0::/"), so the container's processes are in the
 * root cgroup where no controller can be enabled for children. Never on the
 * host's cgroup tree (a path other than "/"). */
int lz_cgroup_needs_nesting(int is_cgroup2, const char *proc_self_cgroup);

#endif
