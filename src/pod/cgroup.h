/* The pod's cgroup facts: pure decisions over the text of /proc and /sys. */
#ifndef LAZYDIND_POD_CGROUP_H
#define LAZYDIND_POD_CGROUP_H

/* 1 when cgroup v2 must be nested before dockerd can use it: /sys/fs/cgroup
 * is cgroup2 (is_cgroup2) and we sit at the root of our cgroup namespace
 * (/proc/self/cgroup is "0::/"), so the container's processes are in the
 * root cgroup where no controller can be enabled for children. Never on the
 * host's cgroup tree (a path other than "/"). */
int lz_cgroup_needs_nesting(int is_cgroup2, const char *proc_self_cgroup);

#endif
