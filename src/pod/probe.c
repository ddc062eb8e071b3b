/* Reading one live fact (probe.h). */
#define _GNU_SOURCE
#include "pod/probe.h"
#include "base/findcli.h"
#include "base/fs.h"
#include "pod/parse_mounts.h"
#include "pod/parse_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

ssize_t lz_probe_read(const char *root, const char *path, char *buf, size_t cap)
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

char *lz_probe_read_alloc(const char *root, const char *path, size_t max)
{
    char *buf = malloc(max);
    if (!buf)
        return NULL;
    if (lz_probe_read(root, path, buf, max) < 0)
        buf[0] = '\0';
    return buf;
}

long lz_probe_long(const char *root, const char *path)
{
    char buf[64];
    if (lz_probe_read(root, path, buf, sizeof buf) < 0)
        return -1;
    return lz_parse_long(buf, -1);
}

void lz_probe_bin(const char *root, const char *name, struct lz_bin *b)
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

int lz_probe_open(const char *root, const char *dev)
{
    char full[LZ_PATH_MAX];
    snprintf(full, sizeof full, "%s%s", root, dev);
    int fd = open(full, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return errno ? errno : EIO;
    close(fd);
    return 0;
}

void lz_probe_fs(const char *mountinfo, const char *root, const char *dir, char *out,
                 size_t outlen)
{
    struct lz_mount m;
    snprintf(out, outlen, "unknown");
    if (*root) {
        if (lz_mount_holding(mountinfo, dir, &m))
            snprintf(out, outlen, "%s", m.fstype);
        return;
    }
    char p[LZ_PATH_MAX];
    lz_strlcpy(p, dir, sizeof p);
    for (;;) {
        struct statfs sf;
        if (statfs(p, &sf) == 0) {
            snprintf(out, outlen, "%s", lz_fs_name((long)sf.f_type));
            if (strcmp(out, "unknown") == 0 && lz_mount_holding(mountinfo, p, &m))
                snprintf(out, outlen, "%s", m.fstype);
            return;
        }
        char *s = strrchr(p, '/');
        if (!s || s == p)
            break;
        *s = '\0';
    }
}
