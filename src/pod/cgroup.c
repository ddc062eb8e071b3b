/* The pod's cgroup facts: pure decisions over the text of /proc and /sys. */
#define _GNU_SOURCE
#include "pod/cgroup.h"
#include "pod/parse_mounts.h"

#include <ctype.h>
#include <string.h>

const char *lz_cg_layout_name(enum lz_cg_layout l)
{
    switch (l) {
    case LZ_CG_V1: return "v1";
    case LZ_CG_V2: return "v2";
    case LZ_CG_HYBRID: return "hybrid";
    default: return "none";
    }
}

enum lz_cg_layout lz_cgroup_layout(const char *mountinfo)
{
    struct lz_mount m;
    if (!lz_mount_at(mountinfo, "/sys/fs/cgroup", &m))
        return LZ_CG_NONE;
    if (strcmp(m.fstype, "cgroup2") == 0)
        return LZ_CG_V2;
    struct lz_mount u;
    if (lz_mount_at(mountinfo, "/sys/fs/cgroup/unified", &u) && strcmp(u.fstype, "cgroup2") == 0)
        return LZ_CG_HYBRID;
    if (strcmp(m.fstype, "cgroup") == 0)
        return LZ_CG_V1;
    /* a tmpfs: v1 when controllers are mounted under it */
    const char *c = mountinfo;
    while (lz_mountinfo_next(&c, &u))
        if (strcmp(u.fstype, "cgroup") == 0 && strncmp(u.point, "/sys/fs/cgroup/", 15) == 0)
            return LZ_CG_V1;
    return LZ_CG_NONE;
}

int lz_cgroup_mounts_rw(const char *mountinfo, enum lz_cg_layout l)
{
    struct lz_mount m;
    if (l == LZ_CG_NONE)
        return 0;
    if (l == LZ_CG_V2)
        return lz_mount_at(mountinfo, "/sys/fs/cgroup", &m) && !lz_mount_ro(&m);
    int any = 0;
    const char *c = mountinfo;
    while (lz_mountinfo_next(&c, &m)) {
        if (strcmp(m.fstype, "cgroup") != 0 || strncmp(m.point, "/sys/fs/cgroup/", 15) != 0)
            continue;
        any = 1;
        if (lz_mount_ro(&m))
            return 0;
    }
    return any;
}

int lz_count_lines(const char *text)
{
    int n = 0;
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        for (size_t i = 0; i < len; i++)
            if (!isspace((unsigned char)p[i])) {
                n++;
                break;
            }
        p = nl ? nl + 1 : NULL;
    }
    return n;
}

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

