/* mountinfo and what its mounts say (parse_mounts.h). */
#define _GNU_SOURCE
#include "pod/parse_mounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --------------------------------------------------------------- mountinfo */

/* Copies one space-separated field at *p into out, decoding \ooo escapes;
 * advances *p past it and one separator. 0, or -1 at the end of the line. */
static int take(const char **p, char *out, size_t outlen)
{
    const char *s = *p;
    size_t o = 0;
    if (*s == '\0' || *s == '\n')
        return -1;
    while (*s && *s != ' ' && *s != '\n') {
        char c = *s++;
        if (c == '\\' && s[0] >= '0' && s[0] <= '7' && s[1] >= '0' && s[1] <= '7' &&
            s[2] >= '0' && s[2] <= '7') {
            c = (char)((s[0] - '0') * 64 + (s[1] - '0') * 8 + (s[2] - '0'));
            s += 3;
        }
        if (o + 1 < outlen)
            out[o++] = c;
    }
    if (outlen)
        out[o] = '\0';
    if (*s == ' ')
        s++;
    *p = s;
    return 0;
}

static int parse_mount_line(const char *line, struct lz_mount *m)
{
    char num[32], devno[32], skip[LZ_MNT_PATH];
    const char *p = line;
    memset(m, 0, sizeof *m);
    if (take(&p, num, sizeof num) != 0)
        return -1;
    m->id = atoi(num);
    if (take(&p, num, sizeof num) != 0)
        return -1;
    m->parent = atoi(num);
    if (take(&p, devno, sizeof devno) != 0 || take(&p, m->root, sizeof m->root) != 0 ||
        take(&p, m->point, sizeof m->point) != 0 || take(&p, m->opts, sizeof m->opts) != 0)
        return -1;
    /* optional fields up to "-" */
    for (;;) {
        if (take(&p, skip, sizeof skip) != 0)
            return -1;
        if (strcmp(skip, "-") == 0)
            break;
    }
    if (take(&p, m->fstype, sizeof m->fstype) != 0)
        return -1;
    if (take(&p, m->source, sizeof m->source) != 0)
        return 0; /* no source and options: still a mount */
    (void)take(&p, m->super_opts, sizeof m->super_opts);
    return 0;
}

int lz_mountinfo_next(const char **cursor, struct lz_mount *m)
{
    const char *p = *cursor;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        const char *next = nl ? nl + 1 : p + strlen(p);
        int ok = parse_mount_line(p, m) == 0;
        p = next;
        if (ok) {
            *cursor = p;
            return 1;
        }
    }
    *cursor = p ? p : "";
    return 0;
}

int lz_mount_at(const char *mountinfo, const char *path, struct lz_mount *out)
{
    struct lz_mount m;
    const char *c = mountinfo ? mountinfo : "";
    int found = 0;
    while (lz_mountinfo_next(&c, &m))
        if (strcmp(m.point, path) == 0) {
            *out = m;
            found = 1;
        }
    return found;
}

int lz_mount_holding(const char *mountinfo, const char *path, struct lz_mount *out)
{
    struct lz_mount m;
    const char *c = mountinfo ? mountinfo : "";
    size_t best = 0;
    int found = 0;
    while (lz_mountinfo_next(&c, &m)) {
        size_t n = strlen(m.point);
        int prefix = strcmp(m.point, "/") == 0 ||
                     (strncmp(path, m.point, n) == 0 && (path[n] == '/' || path[n] == '\0'));
        if (!prefix)
            continue;
        if (strcmp(m.point, "/") == 0)
            n = 1;
        if (!found || n >= best) {
            best = n;
            *out = m;
            found = 1;
        }
    }
    return found;
}

/* 1 when the comma-separated list has the word. */
static int has_opt(const char *list, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == wl && strncmp(p, word, wl) == 0)
            return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

int lz_mount_ro(const struct lz_mount *m)
{
    return has_opt(m->opts, "ro");
}

int lz_proc_overmounts(const char *mountinfo, char *list, size_t listlen)
{
    struct lz_mount proc, m;
    if (listlen)
        list[0] = '\0';
    if (!lz_mount_at(mountinfo, "/proc", &proc))
        return 0;
    const char *c = mountinfo;
    int n = 0;
    size_t o = 0;
    while (lz_mountinfo_next(&c, &m)) {
        if (m.parent != proc.id || strncmp(m.point, "/proc/", 6) != 0)
            continue;
        if (strcmp(m.point, "/proc/sys/fs/binfmt_misc") == 0)
            continue; /* a permanently empty directory: the kernel allows it */
        n++;
        if (o + 4 >= listlen)
            continue;
        int w = snprintf(list + o, listlen - o, "%s%s", o ? ", " : "", m.point);
        if (w < 0 || (size_t)w >= listlen - o) {
            /* truncate with "..." */
            snprintf(list + (listlen > 4 ? listlen - 4 : 0), 4, "...");
            o = listlen;
        } else {
            o += (size_t)w;
        }
    }
    return n;
}

/* ------------------------------------------------------------------ Sysbox */

void lz_detect_sysbox(const char *mountinfo, const struct lz_idmap *uid_map,
                      struct lz_sysbox *sb)
{
    struct lz_mount m;
    memset(sb, 0, sizeof *sb);
    sb->root_host_uid = -1;
    const char *c = mountinfo ? mountinfo : "";
    while (lz_mountinfo_next(&c, &m)) {
        /* sysbox-fs mounts FUSE with fsname "sysboxfs" (sysbox-fs
         * fuse/server.go); sysbox-runc binds parts of it over /proc and
         * /sys (sysbox-runc libsysbox/syscont/spec.go SysboxfsMounts) */
        if (strcmp(m.source, "sysboxfs") == 0 && strncmp(m.fstype, "fuse", 4) == 0)
            sb->sysboxfs++;
        /* sysbox-mgr's docker volume: <sysbox data root>/docker/<id> bound
         * at /var/lib/docker (sysbox docs: design.md, security.md) */
        if (strcmp(m.point, "/var/lib/docker") == 0)
            sb->docker_mount = strstr(m.root, "/sysbox/docker/") != NULL;
    }
    if (uid_map && uid_map->n > 0 && !lz_idmap_is_initial(uid_map)) {
        sb->root_host_uid = lz_idmap_outside(uid_map, 0);
        sb->userns = sb->root_host_uid > 0;
    }
    sb->detected = sb->sysboxfs > 0 && sb->userns;
}
