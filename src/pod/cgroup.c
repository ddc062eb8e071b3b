/* The pod's cgroup facts: pure decisions over the text of /proc and /sys. */
#define _GNU_SOURCE
#include "pod/cgroup.h"

#include <string.h>

int lz_cgroup_needs_nesting(int is_cgroup2, const char *proc_self_cgroup)
{
    if (!is_cgroup2 || !proc_self_cgroup)
        return 0;
    /* cgroup v2 only: a single line "0::/path" */
    const char *p = proc_self_cgroup;
    while (*p) {
        if (strncmp(p, "0::", 3) == 0) {
            const char *path = p + 3;
            size_t n = strcspn(path, "\n");
            return n == 1 && path[0] == '/';
        }
        p = strchr(p, '\n');
        if (!p)
            break;
        p++;
    }
    return 0;
}

