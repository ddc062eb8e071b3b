#define _GNU_SOURCE
#include "pod/detect.h"
#include "base/fs.h"
#include "base/findcli.h"
#include "pod/cgroup.h"
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* ------------------------------------------------------------ capabilities */

static const char *const cap_names[] = {
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
    "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE",
    "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
    "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
    "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
    "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL",
    "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
    "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
};

uint64_t lz_caps_all(int cap_last_cap)
{
    if (cap_last_cap < 0)
        return 0;
    if (cap_last_cap >= 63)
        return UINT64_MAX;
    return (UINT64_C(1) << (cap_last_cap + 1)) - 1;
}

const char *lz_cap_name(int bit)
{
    static char buf[16];
    if (bit >= 0 && (size_t)bit < sizeof cap_names / sizeof cap_names[0])
        return cap_names[bit];
    snprintf(buf, sizeof buf, "cap%d", bit);
    return buf;
}

void lz_caps_format(uint64_t mask, char *out, size_t outlen)
{
    size_t o = 0;
    if (outlen == 0)
        return;
    out[0] = '\0';
    for (int b = 0; b < 64; b++) {
        if (!(mask & LZ_CAP_BIT(b)))
            continue;
        char item[40];
        int w = snprintf(item, sizeof item, "%s%s", o ? ", " : "", lz_cap_name(b));
        /* whole names only; "..." when the rest does not fit */
        if (w < 0 || (size_t)w + 5 >= outlen - o) {
            if (o + 4 < outlen)
                memcpy(out + o, o ? ", ..." : "...", o ? 6 : 4);
            else if (outlen > 4)
                memcpy(out + outlen - 4, "...", 4);
            return;
        }
        memcpy(out + o, item, (size_t)w + 1);
        o += (size_t)w;
    }
}

/* ------------------------------------------------------------------ status */

/* The value after "Key:" on its own line of text, or NULL. */
static const char *field(const char *text, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = text; p && *p;) {
        if (strncmp(p, key, kl) == 0 && p[kl] == ':') {
            p += kl + 1;
            while (*p == ' ' || *p == '\t')
                p++;
            return p;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return NULL;
}

static int hex64(const char *s, uint64_t *out)
{
    if (!s || !isxdigit((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 16);
    if (errno)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int lz_parse_status(const char *text, struct lz_status *st)
{
    memset(st, 0, sizeof *st);
    st->seccomp = st->no_new_privs = -1;
    st->uid = st->euid = st->gid = st->egid = -1;
    if (!text)
        return -1;
    int have_eff = hex64(field(text, "CapEff"), &st->cap_eff) == 0;
    (void)hex64(field(text, "CapPrm"), &st->cap_prm);
    if (hex64(field(text, "CapBnd"), &st->cap_bnd) != 0)
        st->cap_bnd = st->cap_eff;
    const char *v;
    if ((v = field(text, "Seccomp")) && isdigit((unsigned char)*v))
        st->seccomp = (int)strtol(v, NULL, 10);
    if ((v = field(text, "NoNewPrivs")) && isdigit((unsigned char)*v))
        st->no_new_privs = (int)strtol(v, NULL, 10);
    if ((v = field(text, "Uid")) && sscanf(v, "%ld %ld", &st->uid, &st->euid) != 2)
        st->uid = st->euid = -1;
    if ((v = field(text, "Gid")) && sscanf(v, "%ld %ld", &st->gid, &st->egid) != 2)
        st->gid = st->egid = -1;
    return have_eff && st->euid >= 0 ? 0 : -1;
}

/* ------------------------------------------------------------------ idmaps */

int lz_parse_idmap(const char *text, struct lz_idmap *m)
{
    memset(m, 0, sizeof *m);
    for (const char *p = text; p && *p && m->n < LZ_IDMAP_MAX;) {
        unsigned long a, b, c;
        if (sscanf(p, "%lu %lu %lu", &a, &b, &c) == 3) {
            m->r[m->n].inside = a;
            m->r[m->n].outside = b;
            m->r[m->n].count = c;
            m->n++;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return m->n > 0 ? 0 : -1;
}

int lz_idmap_is_initial(const struct lz_idmap *m)
{
    return m->n == 1 && m->r[0].inside == 0 && m->r[0].outside == 0 &&
           m->r[0].count == 4294967295UL;
}

long lz_idmap_outside(const struct lz_idmap *m, unsigned long inside)
{
    for (int i = 0; i < m->n; i++)
        if (inside >= m->r[i].inside && inside - m->r[i].inside < m->r[i].count)
            return (long)(m->r[i].outside + (inside - m->r[i].inside));
    return -1;
}

int lz_idmap_covers(const struct lz_idmap *m, unsigned long start, unsigned long count)
{
    /* ranges do not overlap; walk [start, end) through them */
    unsigned long at = start, end = start + count;
    if (count == 0)
        return 1;
    for (int guard = 0; guard <= m->n && at < end; guard++) {
        int hit = 0;
        for (int i = 0; i < m->n; i++) {
            const struct lz_idrange *r = &m->r[i];
            if (at >= r->inside && at - r->inside < r->count) {
                at = r->inside + r->count;
                hit = 1;
                break;
            }
        }
        if (!hit)
            return 0;
    }
    return at >= end;
}

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

/* ----------------------------------------------------------------- cgroups */

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

/* ------------------------------------------------------ passwd and subids */

/* Splits the line at p (up to '\n') into at most max ':'-separated fields,
 * copied into buf; returns the count. */
static int split_colon(const char *p, char *buf, size_t buflen, char **fields, int max)
{
    size_t len = strcspn(p, "\n");
    if (len >= buflen)
        len = buflen - 1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    int n = 0;
    char *s = buf;
    while (n < max) {
        fields[n++] = s;
        char *c = strchr(s, ':');
        if (!c)
            break;
        *c = '\0';
        s = c + 1;
    }
    return n;
}

static int parse_ulong(const char *s, unsigned long *out)
{
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

int lz_passwd_by_uid(const char *passwd, unsigned long uid, char *name,
                     size_t namelen, char *home, size_t homelen, long *gid)
{
    char buf[1024], *f[7];
    for (const char *p = passwd; p && *p;) {
        if (*p != '#' && split_colon(p, buf, sizeof buf, f, 7) == 7) {
            unsigned long u;
            if (parse_ulong(f[2], &u) == 0 && u == uid) {
                if (name)
                    snprintf(name, namelen, "%s", f[0]);
                if (home)
                    snprintf(home, homelen, "%s", f[5]);
                unsigned long g;
                if (gid)
                    *gid = parse_ulong(f[3], &g) == 0 ? (long)g : -1;
                return 1;
            }
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return 0;
}

int lz_passwd_first_with_subid(const char *passwd, const char *subuid_text,
                               unsigned long *uid, char *name, size_t namelen)
{
    char buf[1024], *f[7];
    for (const char *p = passwd; p && *p;) {
        unsigned long u, s, c;
        if (*p != '#' && split_colon(p, buf, sizeof buf, f, 7) == 7 &&
            parse_ulong(f[2], &u) == 0 && u >= 1000 && u < 65534 &&
            lz_subid_find(subuid_text, f[0], u, &s, &c)) {
            *uid = u;
            snprintf(name, namelen, "%s", f[0]);
            return 1;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return 0;
}

int lz_subid_find(const char *text, const char *name, unsigned long uid,
                  unsigned long *start, unsigned long *count)
{
    char buf[512], *f[3], uidtext[32];
    int found = 0;
    snprintf(uidtext, sizeof uidtext, "%lu", uid);
    for (const char *p = text; p && *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        unsigned long s, c;
        if (*p != '#' && split_colon(p, buf, sizeof buf, f, 3) == 3 &&
            ((name && *name && strcmp(f[0], name) == 0) || strcmp(f[0], uidtext) == 0) &&
            parse_ulong(f[1], &s) == 0 && parse_ulong(f[2], &c) == 0 && c > 0 &&
            (!found || c > *count)) {
            *start = s;
            *count = c;
            found = 1;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return found;
}

/* ------------------------------------------------------------- small ones */

int lz_fs_listed(const char *text, const char *fs)
{
    size_t fl = strlen(fs);
    for (const char *p = text; p && *p;) {
        /* "nodev\toverlay" or "\text4" */
        const char *tab = strchr(p, '\t');
        const char *nl = strchr(p, '\n');
        if (tab && (!nl || tab < nl)) {
            const char *name = tab + 1;
            size_t n = nl ? (size_t)(nl - name) : strlen(name);
            if (n == fl && strncmp(name, fs, fl) == 0)
                return 1;
        }
        p = nl ? nl + 1 : NULL;
    }
    return 0;
}

int lz_text_nonblank(const char *text)
{
    for (const char *p = text ? text : ""; *p; p++)
        if (!isspace((unsigned char)*p))
            return 1;
    return 0;
}

long lz_parse_long(const char *text, long dflt)
{
    if (!text)
        return dflt;
    while (isspace((unsigned char)*text))
        text++;
    if (!isdigit((unsigned char)*text) && *text != '-')
        return dflt;
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text)
        return dflt;
    return v;
}

int lz_apparmor_confined(const char *label)
{
    if (!label)
        return 0;
    while (isspace((unsigned char)*label))
        label++;
    if (*label == '\0' || strncmp(label, "unconfined", 10) == 0)
        return 0;
    /* "profile (complain)" logs, it does not refuse */
    return strstr(label, "(complain)") == NULL;
}

/* ------------------------------------------------------------------ gather */

/* Reads root+path into buf (cap bytes); returns length or -1 and "" in buf. */
static ssize_t slurp(const char *root, const char *path, char *buf, size_t cap)
{
    char full[LZ_PATH_MAX + 64];
    snprintf(full, sizeof full, "%s%s", root, path);
    int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        buf[0] = '\0';
        return -1;
    }
    ssize_t n = lz_read_all(fd, buf, cap);
    close(fd);
    if (n < 0)
        buf[0] = '\0';
    return n;
}

/* Like slurp, into a malloc'd buffer of up to max bytes. */
static char *slurp_alloc(const char *root, const char *path, size_t max)
{
    char *buf = malloc(max);
    if (!buf)
        return NULL;
    if (slurp(root, path, buf, max) < 0)
        buf[0] = '\0';
    return buf;
}

static long read_long(const char *root, const char *path)
{
    char buf[64];
    if (slurp(root, path, buf, sizeof buf) < 0)
        return -1;
    return lz_parse_long(buf, -1);
}

static void find_bin(const char *root, const char *name, struct lz_bin *b)
{
    memset(b, 0, sizeof *b);
    const char *pe = getenv("PATH");
    if (!pe || !*pe)
        pe = DEFAULT_PATH;
    if (strchr(name, '/')) {
        char full[LZ_PATH_MAX];
        snprintf(full, sizeof full, "%s%s", root, name);
        if (access(full, X_OK) != 0)
            return;
        lz_strlcpy(b->path, full, sizeof b->path);
    } else if (!*root) {
        if (lz_path_search(name, pe, NULL, b->path, sizeof b->path) != 0)
            return;
    } else {
        /* a recorded tree: look in its copies of the default PATH dirs */
        char dirs[] = DEFAULT_PATH, *save = NULL;
        for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
            char full[LZ_PATH_MAX];
            snprintf(full, sizeof full, "%s%s/%s", root, d, name);
            if (access(full, F_OK) == 0) {
                lz_strlcpy(b->path, full, sizeof b->path);
                break;
            }
        }
        if (!b->path[0])
            return;
    }
    b->found = 1;
    struct stat st;
    if (stat(b->path, &st) == 0)
        b->setuid_root = st.st_uid == 0 && (st.st_mode & S_ISUID);
    b->file_caps = getxattr(b->path, "security.capability", NULL, 0) > 0;
}

/* errno of opening dev read-write, 0 when it opens. */
static int try_open(const char *root, const char *dev)
{
    char full[LZ_PATH_MAX];
    snprintf(full, sizeof full, "%s%s", root, dev);
    int fd = open(full, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return errno ? errno : EIO;
    close(fd);
    return 0;
}

/* The filesystem dir is (or will be) on: statfs of it or of its nearest
 * existing parent, or the mount holding it in mountinfo for a recorded
 * tree. */
static void fs_of(const struct lz_facts *f, const char *root, const char *dir,
                  char *out, size_t outlen)
{
    struct lz_mount m;
    snprintf(out, outlen, "unknown");
    if (*root) {
        if (lz_mount_holding(f->mountinfo, dir, &m))
            snprintf(out, outlen, "%s", m.fstype);
        return;
    }
    char p[LZ_PATH_MAX];
    lz_strlcpy(p, dir, sizeof p);
    for (;;) {
        struct statfs sf;
        if (statfs(p, &sf) == 0) {
            snprintf(out, outlen, "%s", lz_fs_name((long)sf.f_type));
            if (strcmp(out, "unknown") == 0 && lz_mount_holding(f->mountinfo, p, &m))
                snprintf(out, outlen, "%s", m.fstype);
            return;
        }
        char *s = strrchr(p, '/');
        if (!s || s == p)
            break;
        *s = '\0';
    }
}

static int daemon_json_sets_driver(const char *path)
{
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    int has = json_is_string(json_object_get(o, "storage-driver"));
    json_decref(o);
    return has;
}

static void gather_iptables(struct lz_facts *f, const char *root)
{
    char buf[4096];
    f->ipt_names_read = slurp(root, "/proc/net/ip_tables_names", buf, sizeof buf) >= 0;
    f->ipt_legacy_tables = f->ipt_names_read && lz_text_nonblank(buf);
    find_bin(root, "iptables", &f->iptables);
    find_bin(root, "iptables-legacy", &f->iptables_legacy);
    find_bin(root, "iptables-nft", &f->iptables_nft);
}

/* The rootless facts. passwd: the text of /etc/passwd or NULL; rl_home
 * receives the home of the user the checks are for. */
static void gather_rootless(struct lz_facts *f, const char *root, const char *passwd,
                            char *rl_home, size_t rl_homelen)
{
    find_bin(root, "rootlesskit", &f->rootlesskit);
    find_bin(root, "slirp4netns", &f->slirp4netns);
    find_bin(root, "newuidmap", &f->newuidmap);
    find_bin(root, "newgidmap", &f->newgidmap);
    find_bin(root, "fuse-overlayfs", &f->fuse_overlayfs);
    if (!*root) {
        f->rootless_script = lz_find_rootless_script(f->rootless_script_path,
                                                     sizeof f->rootless_script_path) == 0;
    } else {
        struct lz_bin s;
        find_bin(root, "dockerd-rootless.sh", &s);
        if (!s.found) {
            snprintf(s.path, sizeof s.path, "%s/usr/share/docker.io/contrib/dockerd-rootless.sh", root);
            s.found = access(s.path, F_OK) == 0;
        }
        f->rootless_script = s.found;
        if (s.found)
            lz_strlcpy(f->rootless_script_path, s.path, sizeof f->rootless_script_path);
    }
    /* whose ranges: ours, or (as root) the first user that has some, the
     * one a runAsUser would most likely name */
    char *subuid = slurp_alloc(root, "/etc/subuid", 65536);
    char *subgid = slurp_alloc(root, "/etc/subgid", 65536);
    char path[LZ_PATH_MAX];
    snprintf(path, sizeof path, "%s/etc/subuid", root);
    f->subid_files_read = access(path, R_OK) == 0;
    snprintf(path, sizeof path, "%s/etc/subgid", root);
    f->subid_files_read = f->subid_files_read && access(path, R_OK) == 0;
    f->subid_uid = f->euid;
    f->subid_pw_gid = f->pw_gid;
    snprintf(f->subid_user, sizeof f->subid_user, "%s", f->user);
    snprintf(rl_home, rl_homelen, "%s", f->home);
    if (f->euid == 0 && passwd && subuid &&
        !lz_passwd_first_with_subid(passwd, subuid, &f->subid_uid, f->subid_user,
                                    sizeof f->subid_user))
        f->subid_uid = 1000;
    if (f->euid == 0 && passwd &&
        !lz_passwd_by_uid(passwd, f->subid_uid, f->subid_user, sizeof f->subid_user,
                          rl_home, rl_homelen, &f->subid_pw_gid)) {
        f->subid_user[0] = '\0';
        rl_home[0] = '\0';
    }
    if (subuid)
        f->subuid_found = lz_subid_find(subuid, f->subid_user, f->subid_uid,
                                        &f->subuid_start, &f->subuid_count);
    if (subgid)
        f->subgid_found = lz_subid_find(subgid, f->subid_user, f->subid_uid,
                                        &f->subgid_start, &f->subgid_count);
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    f->xdg_set = xdg && *xdg;
    if (f->xdg_set)
        snprintf(f->xdg, sizeof f->xdg, "%s", xdg);
    else
        snprintf(f->xdg, sizeof f->xdg, "/run/user/%lu", f->euid);
    {
        struct stat st;
        char full[LZ_PATH_MAX + 64];
        snprintf(full, sizeof full, "%s%s", root, f->xdg);
        f->xdg_ok = f->xdg[0] == '/' && stat(full, &st) == 0 && S_ISDIR(st.st_mode) &&
                    st.st_uid == f->euid && access(full, W_OK | X_OK) == 0;
    }
    f->fuse_errno = try_open(root, "/dev/fuse");
    f->tun_errno = try_open(root, "/dev/net/tun");
    free(subuid);
    free(subgid);
}

void lz_detect_gather(struct lz_facts *f, const struct lz_config *cfg, const char *root)
{
    lz_detect_gather_for(f, cfg, root, LZ_SCOPE_ALL);
}

void lz_detect_gather_for(struct lz_facts *f, const struct lz_config *cfg, const char *root,
                          unsigned scope)
{
    char buf[16384];
    memset(f, 0, sizeof *f);
    if (!root)
        root = "";
    f->scope = scope & LZ_SCOPE_ALL;
    const int rootful = scope & LZ_SCOPE_ROOTFUL, rootless = scope & LZ_SCOPE_ROOTLESS;
    char rl_home[LZ_PATH_MAX] = "";

    /* who we are */
    char *status = slurp_alloc(root, "/proc/self/status", 8192);
    f->status_read = status && lz_parse_status(status, &f->st) == 0;
    free(status);
    if (!f->status_read)
        lz_parse_status("", &f->st);
    f->euid = f->status_read ? (unsigned long)f->st.euid : (unsigned long)geteuid();
    f->egid = f->status_read ? (unsigned long)f->st.egid : (unsigned long)getegid();
    f->cap_last_cap = (int)read_long(root, "/proc/sys/kernel/cap_last_cap");
    if (slurp(root, "/proc/self/uid_map", buf, sizeof buf) >= 0)
        f->uid_map_read = lz_parse_idmap(buf, &f->uid_map) == 0;
    char *passwd = rootless ? slurp_alloc(root, "/etc/passwd", 65536) : NULL;
    f->pw_gid = -1;
    if (passwd)
        (void)lz_passwd_by_uid(passwd, f->euid, f->user, sizeof f->user, f->home,
                               sizeof f->home, &f->pw_gid);

    /* mounts */
    f->mountinfo = slurp_alloc(root, "/proc/self/mountinfo", 262144);
    if (!f->mountinfo)
        f->mountinfo = calloc(1, 1);
    lz_detect_sysbox(f->mountinfo, f->uid_map_read ? &f->uid_map : NULL, &f->sysbox);
    f->proc_overmounts = lz_proc_overmounts(f->mountinfo, f->proc_overmount_list,
                                            sizeof f->proc_overmount_list);

    /* kernel knobs */
    f->max_user_namespaces = f->unprivileged_userns_clone = f->apparmor_restrict_userns = -1;
    if (rootless) {
        f->max_user_namespaces = read_long(root, "/proc/sys/user/max_user_namespaces");
        f->unprivileged_userns_clone =
            read_long(root, "/proc/sys/kernel/unprivileged_userns_clone");
        f->apparmor_restrict_userns =
            read_long(root, "/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
    }
    if (slurp(root, "/proc/self/attr/apparmor/current", f->apparmor, sizeof f->apparmor) < 0)
        (void)slurp(root, "/proc/self/attr/current", f->apparmor, sizeof f->apparmor);
    f->apparmor[strcspn(f->apparmor, "\n")] = '\0';
    if (scope == LZ_SCOPE_ALL) {
        f->filesystems_read = slurp(root, "/proc/filesystems", f->filesystems,
                                    sizeof f->filesystems) >= 0;
        f->overlay_listed = lz_fs_listed(f->filesystems, "overlay");
    }

    /* cgroups */
    f->cg_layout = lz_cgroup_layout(f->mountinfo);
    f->cg_mounts_rw = lz_cgroup_mounts_rw(f->mountinfo, f->cg_layout);
    (void)slurp(root, "/proc/self/cgroup", f->proc_self_cgroup, sizeof f->proc_self_cgroup);
    f->cg_root_procs = -1;
    if (rootful && f->cg_layout == LZ_CG_V2) {
        (void)slurp(root, "/sys/fs/cgroup/cgroup.controllers", f->cg_controllers,
                    sizeof f->cg_controllers);
        f->cg_controllers[strcspn(f->cg_controllers, "\n")] = '\0';
        char path[LZ_PATH_MAX];
        snprintf(path, sizeof path, "%s/sys/fs/cgroup/cgroup.subtree_control", root);
        f->cg_subtree_writable = access(path, W_OK) == 0 && f->cg_mounts_rw;
        char *procs = slurp_alloc(root, "/sys/fs/cgroup/cgroup.procs", 65536);
        if (procs && (procs[0] || access(path, F_OK) == 0))
            f->cg_root_procs = lz_count_lines(procs);
        free(procs);
        f->cg_at_ns_root = lz_cgroup_needs_nesting(1, f->proc_self_cgroup);
    }

    if (scope == LZ_SCOPE_ALL)
        gather_iptables(f, root); /* for doctor only */
    if (rootless)
        gather_rootless(f, root, passwd, rl_home, sizeof rl_home);
    free(passwd);

    /* storage: rootful dockerd uses the configured data-root (the default
     * /var/lib/docker when the config is the rootless one); rootless
     * dockerd ~/.local/share/docker of its user */
    if (cfg && (!cfg->rootless || cfg->data_root_set))
        lz_strlcpy(f->data_root, cfg->data_root, sizeof f->data_root);
    else
        lz_strlcpy(f->data_root, "/var/lib/docker", sizeof f->data_root);
    const char *xdh = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (cfg && (cfg->rootless || cfg->data_root_set))
        lz_strlcpy(f->rl_data_root, cfg->data_root, sizeof f->rl_data_root);
    else if (f->euid != 0 && xdh && *xdh == '/')
        snprintf(f->rl_data_root, sizeof f->rl_data_root, "%s/docker", xdh);
    else if (f->euid != 0 && home && *home == '/')
        snprintf(f->rl_data_root, sizeof f->rl_data_root, "%s/.local/share/docker", home);
    else if (rl_home[0] == '/')
        snprintf(f->rl_data_root, sizeof f->rl_data_root, "%s/.local/share/docker", rl_home);
    else
        snprintf(f->rl_data_root, sizeof f->rl_data_root, "/home/%s/.local/share/docker",
                 f->subid_user[0] ? f->subid_user : "user");
    f->storage_driver_set = rootless && cfg &&
                            (cfg->storage_driver != NULL || daemon_json_sets_driver(cfg->daemon_json));
    if (rootful)
        fs_of(f, root, f->data_root, f->data_root_fs, sizeof f->data_root_fs);
    if (rootless)
        fs_of(f, root, f->rl_data_root, f->rl_data_root_fs, sizeof f->rl_data_root_fs);

    /* dockerd */
    if (rootful)
        find_bin(root, cfg && cfg->dockerd[0] ? cfg->dockerd : "dockerd", &f->dockerd);
}

void lz_facts_free(struct lz_facts *f)
{
    free(f->mountinfo);
    f->mountinfo = NULL;
}
