/* The user's runtime dir, walked from / with openat(O_NOFOLLOW) so that no
 * symlink (and no one else's directory) can redirect it, made when it does
 * not exist yet; and DOCKER_HOST's socket path, normalised lexically. */
#define _GNU_SOURCE
#include "base/xdg.h"
#include "base/cleanup.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The next component of *p (skipping slashes and "."), copied into out;
 * 0 at the end, 1 for a component, -1 for ".." or one too long. */
static int next_component(const char **p, char *out, size_t outlen)
{
    for (;;) {
        while (**p == '/')
            (*p)++;
        if (**p == '\0')
            return 0;
        size_t n = strcspn(*p, "/");
        if (n == 1 && (*p)[0] == '.') {
            *p += 1;
            continue;
        }
        if ((n == 2 && (*p)[0] == '.' && (*p)[1] == '.') || n >= outlen)
            return -1;
        memcpy(out, *p, n);
        out[n] = '\0';
        *p += n;
        return 1;
    }
}

/* Whether the directory so far (st, named upto) may lie on the way. */
static int fit_on_the_way(const struct stat *st, const char *upto, uid_t uid,
                          char *err, size_t errlen)
{
    if (st->st_uid != 0 && st->st_uid != uid) {
        snprintf(err, errlen, "%s is owned by uid %u, who could swap what is under it; "
                 "use a directory under /tmp or the user's own", upto, (unsigned)st->st_uid);
        return -1;
    }
    if ((st->st_mode & 0002) && !(st->st_mode & S_ISVTX)) {
        snprintf(err, errlen, "%s is writable by others and not sticky; chmod o-w (or "
                 "+t) it, or use a directory under /tmp", upto);
        return -1;
    }
    return 0;
}

/* Whether the last directory (st, named upto) is fit to be the runtime
 * dir. */
static int fit_as_runtime_dir(const struct stat *st, const char *upto, uid_t uid,
                              char *err, size_t errlen)
{
    if (st->st_uid != uid) {
        snprintf(err, errlen, "%s is owned by uid %u, not by this user (uid %u); point "
                 "XDG_RUNTIME_DIR at a directory of this user's, or remove it so that "
                 "lazydind makes it", upto, (unsigned)st->st_uid, (unsigned)uid);
        return -1;
    }
    if (st->st_mode & 077) {
        snprintf(err, errlen, "%s has mode %03o: others could reach the Docker socket; "
                 "chmod 700 %s", upto, (unsigned)(st->st_mode & 0777), upto);
        return -1;
    }
    return 0;
}

/* Why comp under dirfd could not be opened as a directory. */
static void why_not_dir(int dirfd, const char *comp, const char *upto, int e,
                        char *err, size_t errlen)
{
    struct stat ls;
    if (fstatat(dirfd, comp, &ls, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(ls.st_mode))
        snprintf(err, errlen, "%s is a symlink, which lazydind does not follow; point "
                 "XDG_RUNTIME_DIR at the real directory, or remove the link", upto);
    else if (e == ENOTDIR || e == ELOOP)
        snprintf(err, errlen, "%s exists and is not a directory; remove it or point "
                 "XDG_RUNTIME_DIR elsewhere", upto);
    else
        snprintf(err, errlen, "cannot open %s: %s", upto, strerror(e));
}

/* Makes comp under dirfd and opens it: -1 with err
 * when the parent does not allow it or someone else won the race. */
static int make_one(int dirfd, const char *comp,
                    const char *upto, uid_t uid, char *err, size_t errlen)
{
    if (mkdirat(dirfd, comp, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s; create it in the image (mkdir -m 700, "
                 "owned by uid %u) or use a directory under /tmp", upto, strerror(errno),
                 (unsigned)uid);
        return -1;
    }
    int fd = openat(dirfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        why_not_dir(dirfd, comp, upto, errno, err, errlen);
        return -1;
    }
    struct stat st;
    /* what we made is ours; what someone made just before us is refused */
    if (fstat(fd, &st) != 0 || st.st_uid != uid ||
        ((st.st_mode & 077) && fchmod(fd, 0700) != 0)) {
        snprintf(err, errlen, "%s was made by uid %u meanwhile; remove it", upto,
                 (unsigned)st.st_uid);
        close(fd);
        return -1;
    }
    if ((st.st_mode & 0700) != 0700)
        (void)fchmod(fd, 0700); /* a umask such as 0277 */
    return fd;
}

/* Whether a missing entry could be made in the directory pst. */
static int can_make_in(const struct stat *pst, uid_t uid)
{
    return pst->st_uid == uid || ((pst->st_mode & 0002) && (pst->st_mode & S_ISVTX));
}

int lz_xdg_walk(int rootfd, const char *path, uid_t uid, int make, char *err,
                size_t errlen)
{
    if (!path || path[0] != '/') {
        snprintf(err, errlen, "not an absolute path; set it to one such as /tmp/.docker/run");
        return -1;
    }
    LZ_AUTOFD cur = fcntl(rootfd, F_DUPFD_CLOEXEC, 0);
    struct stat st;
    if (cur < 0 || fstat(cur, &st) != 0) {
        snprintf(err, errlen, "cannot open /: %s", strerror(errno));
        return -1;
    }
    char upto[4096] = "", comp[256];
    const char *p = path;
    int r, missing = 0;
    while ((r = next_component(&p, comp, sizeof comp)) == 1) {
        if (missing == 0 && fit_on_the_way(&st, upto[0] ? upto : "/", uid, err, errlen) != 0)
            return -1;
        if (strlen(upto) + strlen(comp) + 2 > sizeof upto)
            break;
        strcat(upto, "/");
        strcat(upto, comp);
        int fd = -1;
        if (!missing) {
            fd = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0 && errno != ENOENT) {
                why_not_dir(cur, comp, upto, errno, err, errlen);
                return -1;
            }
            if (fd < 0 && !can_make_in(&st, uid)) {
                snprintf(err, errlen, "%s does not exist and uid %u cannot create it in its "
                         "parent; create it in the image (mkdir -m 700, owned by uid %u) or "
                         "use a directory under /tmp", upto, (unsigned)uid, (unsigned)uid);
                return -1;
            }
            if (fd < 0)
                missing = 1;
        }
        if (missing && !make)
            continue;
        if (fd < 0 && (fd = make_one(cur, comp, upto, uid, err, errlen)) < 0)
            return -1;
        close(cur);
        cur = fd;
        if (fstat(cur, &st) != 0) {
            snprintf(err, errlen, "cannot stat %s: %s", upto, strerror(errno));
            return -1;
        }
    }
    if (r != 0) {
        snprintf(err, errlen, "has a \"..\" or an overlong component; give the directory "
                 "itself, such as /tmp/.docker/run");
        return -1;
    }
    if (upto[0] == '\0') {
        snprintf(err, errlen, "names / itself; set it to a directory such as /tmp/.docker/run");
        return -1;
    }
    if (missing && !make)
        return 1;
    return fit_as_runtime_dir(&st, upto, uid, err, errlen);
}

int lz_unix_host_path(const char *host, char *out, size_t outlen)
{
    if (!host || strncmp(host, "unix:", 5) != 0)
        return -1;
    /* unix:///p is the usual spelling; unix://p names a relative path */
    const char *p = strncmp(host, "unix://", 7) == 0 ? host + 7 : host + 5;
    if (p[0] != '/')
        return -1;
    size_t n = 0;
    char comp[256];
    int r;
    while ((r = next_component(&p, comp, sizeof comp)) == 1) {
        size_t c = strlen(comp);
        if (n + c + 2 > outlen)
            return -1;
        out[n++] = '/';
        memcpy(out + n, comp, c);
        n += c;
    }
    if (r != 0 || n == 0)
        return -1;
    out[n] = '\0';
    return 0;
}
