/* The root-only (or the user's) runtime directory: opened without following
 * symlinks, refused when someone else could swap or write it. */
#define _GNU_SOURCE
#include "base/rundir.h"
#include "base/safepath.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir -p of the parents of path with mode 0755; the last component is
 * left to the caller. */
static void mkparents(const char *path)
{
    char buf[1024];
    if (lz_strlcpy(buf, path, sizeof buf) != 0)
        return;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        (void)mkdir(buf, 0755);
        *p = '/';
    }
}

int lz_rundir_open(const char *path, int create, char *err, size_t errlen)
{
    char why[1024];
    /* lock, state and the generated daemon.json live here: nobody else may
     * be able to swap a directory on the way */
    if (lz_path_trusted(path, why, sizeof why) != 0) {
        snprintf(err, errlen, "will not use the runtime dir %s: %s", path, why);
        return -1;
    }
    if (create) {
        mkparents(path);
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "cannot create runtime dir %s: %s", path,
                     strerror(errno));
            return -1;
        }
    }
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        struct stat ls;
        int is_link = lstat(path, &ls) == 0 && S_ISLNK(ls.st_mode);
        snprintf(err, errlen, "cannot open runtime dir %s: %s", path,
                 is_link ? "it is a symlink; remove it" : strerror(e));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_uid != geteuid()) {
        snprintf(err, errlen,
                 "runtime dir %s is owned by uid %u, not by us; remove it",
                 path, (unsigned)st.st_uid);
        close(fd);
        return -1;
    }
    if ((st.st_mode & 077) != 0 && fchmod(fd, 0700) != 0) {
        snprintf(err, errlen, "runtime dir %s has mode %o; chmod 700 it", path,
                 (unsigned)(st.st_mode & 07777));
        close(fd);
        return -1;
    }
    return fd;
}
