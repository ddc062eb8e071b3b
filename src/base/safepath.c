#define _GNU_SOURCE
#include "base/safepath.h"
#include "base/util.h"

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

/* Walks `todo` (an absolute or relative path) component by component from
 * `done` (the resolved prefix, "" for /). */
int lz_path_trusted(const char *path, char *err, size_t errlen)
{
    char done[BUF] = "", todo[BUF], link[BUF], tmp[2 * BUF];
    uid_t me = geteuid();
    int links = 0;
    if (!path || path[0] != '/' || lz_strlcpy(todo, path, sizeof todo) != 0) {
        snprintf(err, errlen, "%s is not an absolute path", path ? path : "(null)");
        return -1;
    }
    struct stat st;
    /* the root itself */
    if (lstat("/", &st) != 0 || (st.st_uid != 0 && st.st_uid != me)) {
        snprintf(err, errlen, "/ is not owned by root");
        return -1;
    }
    int root_safe = !(st.st_mode & S_IWOTH) || (st.st_mode & S_ISVTX) ||
                    on_readonly_mount("/");
    int parent_safe = root_safe;
    char *p = todo;
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 1 && p[0] == '.') {
            p += n;
            continue;
        }
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            char *slash = strrchr(done, '/');
            if (slash)
                *slash = '\0';
            p += n;
            /* the parent was checked on the way down; what matters now is
             * whether it is open to others */
            if (lstat(done[0] ? done : "/", &st) != 0) {
                snprintf(err, errlen, "cannot check %s: %s", done, strerror(errno));
                return -1;
            }
            parent_safe = !(st.st_mode & S_IWOTH) || (st.st_mode & S_ISVTX) ||
                          on_readonly_mount(done[0] ? done : "/");
            continue;
        }
        if (strlen(done) + 1 + n >= sizeof done) {
            snprintf(err, errlen, "%s: path too long", path);
            return -1;
        }
        char *o = done + strlen(done);
        *o++ = '/';
        memcpy(o, p, n);
        o[n] = '\0';
        p += n;
        if (!parent_safe) {
            /* the directory we came from can be written by others: they
             * could swap this component */
            char parent[BUF];
            lz_strlcpy(parent, done, sizeof parent);
            char *slash = strrchr(parent, '/');
            if (slash)
                *slash = '\0';
            snprintf(err, errlen,
                     "%s is writable by others, who could redirect %s; use a "
                     "path whose directories only root can change",
                     parent[0] ? parent : "/", path);
            return -1;
        }
        if (lstat(done, &st) != 0) {
            if (errno == ENOENT)
                return 0; /* the rest is ours to create */
            snprintf(err, errlen, "cannot check %s: %s", done, strerror(errno));
            return -1;
        }
        if (st.st_uid != 0 && st.st_uid != me) {
            snprintf(err, errlen,
                     "%s is owned by uid %u, who could redirect %s; remove it "
                     "or use another path", done, (unsigned)st.st_uid, path);
            return -1;
        }
        if (S_ISLNK(st.st_mode)) {
            if (++links > MAX_LINKS) {
                snprintf(err, errlen, "%s: too many symlinks", path);
                return -1;
            }
            ssize_t l = readlink(done, link, sizeof link - 1);
            if (l < 0) {
                snprintf(err, errlen, "cannot read the symlink %s: %s", done,
                         strerror(errno));
                return -1;
            }
            link[l] = '\0';
            /* continue with the link's target, then the rest */
            if (snprintf(tmp, sizeof tmp, "%s%s", link, p) >= (int)sizeof todo) {
                snprintf(err, errlen, "%s: path too long", path);
                return -1;
            }
            char *slash = strrchr(done, '/');
            *slash = '\0'; /* the link's own directory, already checked */
            if (link[0] == '/') {
                done[0] = '\0';
                parent_safe = root_safe;
            }
            lz_strlcpy(todo, tmp, sizeof todo);
            p = todo;
            continue;
        }
        /* group members are trusted like the owner (root decides who is
         * in a group); others only in a sticky directory, where they cannot
         * replace what is not theirs, or on a read-only mount (a Kubernetes
         * ConfigMap volume is 0777, mounted read-only) */
        parent_safe = !S_ISDIR(st.st_mode) || !(st.st_mode & S_IWOTH) ||
                      (st.st_mode & S_ISVTX) || on_readonly_mount(done);
    }
    return 0;
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
