/* Containment facts: pure decisions over the text of /proc and /sys. */
#define _GNU_SOURCE
#include "pod/cglimit.h"
#include "pod/detect.h"
#include "base/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when the comma-separated list (n bytes) holds word. */
static int list_has(const char *list, size_t n, const char *word)
{
    size_t w = strlen(word);
    const char *p = list, *end = list + n;
    while (p < end) {
        const char *c = memchr(p, ',', (size_t)(end - p));
        size_t len = c ? (size_t)(c - p) : (size_t)(end - p);
        if (len == w && strncmp(p, word, w) == 0)
            return 1;
        p += len + 1;
    }
    return 0;
}

int lz_cg_self_path(const char *text, int v2, const char *controller, char *out,
                    size_t cap)
{
    for (const char *line = text; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        /* "ID:CONTROLLERS:PATH" */
        const char *c1 = memchr(line, ':', n);
        const char *c2 = c1 ? memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - line)) : NULL;
        if (c2) {
            const char *path = c2 + 1;
            size_t plen = n - (size_t)(path - line);
            int hit = v2 ? (c1 - line == 1 && line[0] == '0' && c2 == c1 + 1)
                         : list_has(c1 + 1, (size_t)(c2 - c1 - 1), controller);
            if (hit && plen > 0 && path[0] == '/' && plen < cap) {
                memcpy(out, path, plen);
                out[plen] = '\0';
                return 1;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    return 0;
}

/* 1 when path is base or below it; *rest points at what follows base. */
static int under(const char *path, const char *base, const char **rest)
{
    size_t b = strlen(base);
    if (b == 1 && base[0] == '/') {
        *rest = strcmp(path, "/") == 0 ? "" : path;
        return 1;
    }
    if (strncmp(path, base, b) != 0 || (path[b] != '\0' && path[b] != '/'))
        return 0;
    *rest = path + b;
    return 1;
}

int lz_cg_locate(const char *mountinfo, int v2, const char *controller,
                 const char *cgpath, char *dir, size_t dircap, char *rel, size_t relcap)
{
    const char *cur = mountinfo ? mountinfo : "";
    struct lz_mount m;
    int found = 0;
    while (lz_mountinfo_next(&cur, &m)) {
        if (v2 ? strcmp(m.fstype, "cgroup2") != 0
               : (strcmp(m.fstype, "cgroup") != 0 ||
                  !list_has(m.super_opts, strlen(m.super_opts), controller)))
            continue;
        if (strncmp(m.point, "/sys/fs/cgroup", 14) != 0 ||
            (m.point[14] != '\0' && m.point[14] != '/'))
            continue;
        const char *rest;
        if (!under(cgpath, m.root, &rest))
            continue;
        /* the last matching mount is the visible one */
        if (snprintf(dir, dircap, "%s%s", m.point, rest) >= (int)dircap ||
            snprintf(rel, relcap, "%s", *rest ? rest : "/") >= (int)relcap)
            return 0;
        found = 1;
    }
    return found;
}

void lz_cg_pod_path(const char *self, int has_lazydind_sibling, char *out, size_t cap)
{
    char p[1024];
    if (lz_strlcpy(p, self, sizeof p) != 0) {
        (void)lz_strlcpy(out, self, cap);
        return;
    }
    size_t n = strlen(p);
    if (n >= 16 && strcmp(p + n - 16, "/lazydind/daemon") == 0)
        p[n - 16] = '\0';
    else if (has_lazydind_sibling && n >= 5 && strcmp(p + n - 5, "/init") == 0)
        p[n - 5] = '\0';
    if (!p[0])
        strcpy(p, "/");
    (void)lz_strlcpy(out, p, cap);
}

int64_t lz_cg_parse_limit(const char *text)
{
    while (text && isspace((unsigned char)*text))
        text++;
    if (!text || !*text)
        return -1;
    if (strncmp(text, "max", 3) == 0 && (!text[3] || isspace((unsigned char)text[3])))
        return 0;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (end == text || (*end && !isspace((unsigned char)*end)))
        return -1;
    if (v >= (1ULL << 62))
        return 0;
    return (int64_t)v;
}

int64_t lz_cg_containers_limit(int64_t pod_limit)
{
    if (pod_limit <= 0)
        return 0;
    int64_t reserve = pod_limit / 4;
    if (reserve < 128 * LZ_MIB)
        reserve = 128 * LZ_MIB;
    if (reserve > pod_limit / 2)
        reserve = pod_limit / 2;
    return pod_limit - reserve;
}

int64_t lz_cg_tmpfs_default(int64_t pod_limit)
{
    return pod_limit > 0 ? pod_limit / 2 : 0;
}

void lz_cg_human(int64_t b, char *out, size_t cap)
{
    static const char units[] = "KMGT";
    double v = (double)b;
    int u = -1;
    while (v >= 1024 && u < 3) {
        v /= 1024;
        u++;
    }
    if (u < 0)
        snprintf(out, cap, "%lld", (long long)b);
    else if (v == (double)(long long)v || v >= 100)
        snprintf(out, cap, "%.0f%c", v, units[u]);
    else
        snprintf(out, cap, "%.1f%c", v, units[u]);
}

void lz_cg_containment_verdict(const char *cg, const char *mountinfo, int v2, int rw,
                               int sysbox, struct lz_cg_verdict *v)
{
    char self[1024], dir[1024], rel[1024], pod[1024];
    memset(v, 0, sizeof *v);
    if (sysbox) {
        snprintf(v->msg, sizeof v->msg, "Sysbox gives the pod its own cgroup tree: inner "
                 "containers nest inside the pod's cgroup and its limits bind them");
        return;
    }
    if (!rw) {
        v->level = 2;
        snprintf(v->msg, sizeof v->msg, "the cgroup filesystem is not writable: lazydind "
                 "cannot place dockerd's containers inside the pod's cgroup");
        snprintf(v->fix, sizeof v->fix, "securityContext: privileged: true");
        return;
    }
    if (!lz_cg_self_path(cg, v2, "memory", self, sizeof self)) {
        v->level = 1;
        snprintf(v->msg, sizeof v->msg, "no %s cgroup listed in /proc/self/cgroup: the pod's "
                 "memory limit cannot be applied to inner containers", v2 ? "v2" : "memory");
        return;
    }
    if (!lz_cg_locate(mountinfo, v2, "memory", self, dir, sizeof dir, rel, sizeof rel)) {
        v->level = 1;
        snprintf(v->msg, sizeof v->msg, "the pod's cgroup %s is not under the cgroup mount "
                 "at /sys/fs/cgroup: inner containers would be placed outside the pod, "
                 "beyond its limits", self);
        snprintf(v->fix, sizeof v->fix, "mount the pod's own cgroup tree at /sys/fs/cgroup "
                 "(a private cgroup namespace, the default on cgroup v2)");
        return;
    }
    lz_cg_pod_path(self, 1, pod, sizeof pod);
    if (!v2 && strcmp(pod, "/") == 0) {
        v->level = 1;
        snprintf(v->msg, sizeof v->msg, "the pod's memory cgroup shows as / while "
                 "/sys/fs/cgroup/memory is the node's whole tree (a private cgroup namespace "
                 "over the node's cgroupfs): lazydind cannot tell the pod's cgroup from the "
                 "node's and leaves it alone, so inner containers are not held by the "
                 "pod's limits");
        snprintf(v->fix, sizeof v->fix, "use the node's cgroup namespace with the node's "
                 "cgroupfs (privileged: true), or a private namespace with its own mount");
        return;
    }
    snprintf(v->msg, sizeof v->msg, "cgroup %s: inner containers go to %s/lazydind/containers "
             "inside the pod's cgroup %s (memory limited a margin below the pod's), "
             "dockerd and containerd %s; the pod's memory, CPU and pids limits bind them all",
             v2 ? "v2" : "v1", strcmp(rel, "/") == 0 ? "" : rel, pod,
             v2 ? "in lazydind/daemon, the pod's own processes in init" : "stay in the "
             "pod's cgroup");
}
