#define _GNU_SOURCE
#include "base/safepath.h"
#include "base/util.h"

#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define MAX_LINKS 40
#define BUF 4096

/* 1 when path is on a file system mounted read-only: nobody writes there,
 * whatever the mode bits say. */
static int on_readonly_mount(const char *path)
{
    struct statvfs sv;
    return statvfs(path, &sv) == 0 && (sv.f_flag & ST_RDONLY);
}

/* A walk along a path, component by component, symlinks followed: `done`
 * is the resolved prefix ("" for /), `todo` what is left from `p` on, and
 * parent_safe whether the directory `done` may be changed only by root or
 * us (then its entries cannot be swapped under us). */
struct walk {
    const char *path;               /* as given, for messages */
    char done[BUF], todo[BUF];
    char *p;
    uid_t me;
    int links, root_safe, parent_safe;
    char *err;
    size_t errlen;
};

/* A directory others cannot use to swap its entries: not writable by
 * them, or sticky (they cannot replace what is not theirs), or on a
 * read-only mount (a Kubernetes ConfigMap volume is 0777, read-only).
 * Group members are trusted like the owner: root decides who is in a
 * group. */
static int dir_safe(const struct stat *st, const char *path)
{
    return !(st->st_mode & S_IWOTH) || (st->st_mode & S_ISVTX) || on_readonly_mount(path);
}

static int walk_fail(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int walk_fail(struct walk *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, w->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* "..": back to the parent, checked on the way down; what matters now is
 * whether it is open to others. */
static int walk_up(struct walk *w)
{
    struct stat st;
    char *slash = strrchr(w->done, '/');
    if (slash)
        *slash = '\0';
    const char *at = w->done[0] ? w->done : "/";
    if (lstat(at, &st) != 0)
        return walk_fail(w, "cannot check %s: %s", w->done, strerror(errno));
    w->parent_safe = dir_safe(&st, at);
    return 0;
}

/* Appends the next component (n bytes at p) to done; refused when the
 * directory it is in could be changed by others. */
static int walk_append(struct walk *w, size_t n)
{
    if (strlen(w->done) + 1 + n >= sizeof w->done)
        return walk_fail(w, "%s: path too long", w->path);
    char *o = w->done + strlen(w->done);
    *o++ = '/';
    memcpy(o, w->p, n);
    o[n] = '\0';
    w->p += n;
    if (w->parent_safe)
        return 0;
    /* the directory we came from can be written by others: they could swap
     * this component */
    char parent[BUF];
    lz_strlcpy(parent, w->done, sizeof parent);
    char *slash = strrchr(parent, '/');
    if (slash)
        *slash = '\0';
    return walk_fail(w, "%s is writable by others, who could redirect %s; use a path "
                     "whose directories only root can change",
                     parent[0] ? parent : "/", w->path);
}

/* done is a symlink: continue with its target, then the rest. */
static int walk_link(struct walk *w)
{
    char link[BUF], tmp[2 * BUF];
    if (++w->links > MAX_LINKS)
        return walk_fail(w, "%s: too many symlinks", w->path);
    ssize_t l = readlink(w->done, link, sizeof link - 1);
    if (l < 0)
        return walk_fail(w, "cannot read the symlink %s: %s", w->done, strerror(errno));
    link[l] = '\0';
    if (snprintf(tmp, sizeof tmp, "%s%s", link, w->p) >= (int)sizeof w->todo)
        return walk_fail(w, "%s: path too long", w->path);
    char *slash = strrchr(w->done, '/');
    *slash = '\0'; /* the link's own directory, already checked */
    if (link[0] == '/') {
        w->done[0] = '\0';
        w->parent_safe = w->root_safe;
    }
    lz_strlcpy(w->todo, tmp, sizeof w->todo);
    w->p = w->todo;
    return 0;
}

/* One component: 1 when the walk is over (the rest does not exist yet: it
 * is ours to create), 0 to go on, -1 refused. */
static int walk_step(struct walk *w, size_t n)
{
    struct stat st;
    if (n == 1 && w->p[0] == '.') {
        w->p += n;
        return 0;
    }
    if (n == 2 && w->p[0] == '.' && w->p[1] == '.') {
        w->p += n;
        return walk_up(w);
    }
    if (walk_append(w, n) != 0)
        return -1;
    if (lstat(w->done, &st) != 0) {
        if (errno == ENOENT)
            return 1;
        return walk_fail(w, "cannot check %s: %s", w->done, strerror(errno));
    }
    if (st.st_uid != 0 && st.st_uid != w->me)
        return walk_fail(w, "%s is owned by uid %u, who could redirect %s; remove it or "
                         "use another path", w->done, (unsigned)st.st_uid, w->path);
    if (S_ISLNK(st.st_mode))
        return walk_link(w);
    w->parent_safe = !S_ISDIR(st.st_mode) || dir_safe(&st, w->done);
    return 0;
}

int lz_path_trusted(const char *path, char *err, size_t errlen)
{
    struct walk w = {.path = path, .me = geteuid(), .err = err, .errlen = errlen};
    struct stat st;
    if (!path || path[0] != '/' || lz_strlcpy(w.todo, path, sizeof w.todo) != 0) {
        snprintf(err, errlen, "%s is not an absolute path", path ? path : "(null)");
        return -1;
    }
    if (lstat("/", &st) != 0 || (st.st_uid != 0 && st.st_uid != w.me)) {
        snprintf(err, errlen, "/ is not owned by root");
        return -1;
    }
    w.root_safe = w.parent_safe = dir_safe(&st, "/");
    w.p = w.todo;
    for (;;) {
        while (*w.p == '/')
            w.p++;
        if (!*w.p)
            return 0;
        char *end = strchr(w.p, '/');
        int r = walk_step(&w, end ? (size_t)(end - w.p) : strlen(w.p));
        if (r != 0)
            return r < 0 ? -1 : 0;
    }
}

int lz_file_trusted(const char *path, int fd, char *err, size_t errlen)
{
    struct stat st;
    if (lz_path_trusted(path, err, errlen) != 0)
        return -1;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot check %s: %s", path, strerror(errno));
        return -1;
    }
    if (st.st_uid != 0 && st.st_uid != geteuid()) {
        snprintf(err, errlen, "%s is owned by uid %u, who could change what it "
                 "says; chown it to root", path, (unsigned)st.st_uid);
        return -1;
    }
    if ((st.st_mode & S_IWOTH) && !on_readonly_mount(path)) {
        snprintf(err, errlen, "%s is writable by others, who could change what "
                 "it says; chmod o-w it", path);
        return -1;
    }
    return 0;
}
