#define _GNU_SOURCE
#include "daemon/storage.h"
#include "base/fs.h"
#include "base/state.h"
#include "base/util.h"
#include "daemon/logfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#define OVERLAYFS_MAGIC 0x794c7630L
#define TMPFS_MAGIC_ 0x01021994L

int lz_want_tmpfs(enum lz_tmpfs_mode mode, long f_type, int is_mountpoint)
{
    int is_tmpfs = ((unsigned long)f_type & 0xffffffffUL) == (unsigned long)TMPFS_MAGIC_;
    switch (mode) {
    case LZ_TMPFS_NEVER:
        return 0;
    case LZ_TMPFS_ALWAYS:
        return !(is_tmpfs && is_mountpoint);
    case LZ_TMPFS_AUTO:
    default:
        /* overlay cannot host overlay2's layers; anything else (ext4/xfs on
         * a PVC, Sysbox's own mount, a tmpfs) is left alone */
        return ((unsigned long)f_type & 0xffffffffUL) == (unsigned long)OVERLAYFS_MAGIC;
    }
}

static int mkdirs(const char *path, mode_t mode)
{
    char buf[LZ_PATH_MAX];
    if (lz_strlcpy(buf, path, sizeof buf) != 0)
        return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, mode) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

int lz_prepare_storage(const struct lz_config *cfg, int *mounted, char *err,
                       size_t errlen)
{
    *mounted = 0;
    if (mkdirs(cfg->data_root, 0711) != 0) {
        snprintf(err, errlen, "cannot create data-root %s: %s", cfg->data_root,
                 strerror(errno));
        return -1;
    }
    struct stat st;
    if (lstat(cfg->data_root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "data-root %s is not a directory", cfg->data_root);
        return -1;
    }
    struct statfs sf;
    if (statfs(cfg->data_root, &sf) != 0) {
        snprintf(err, errlen, "cannot statfs data-root %s: %s", cfg->data_root,
                 strerror(errno));
        return -1;
    }
    if (!lz_want_tmpfs(cfg->tmpfs, (long)sf.f_type,
                       lz_is_mountpoint(cfg->data_root)))
        return 0;
    char opts[96];
    if (cfg->tmpfs_size[0])
        snprintf(opts, sizeof opts, "mode=0711,size=%s", cfg->tmpfs_size);
    else
        snprintf(opts, sizeof opts, "mode=0711");
    if (mount("tmpfs", cfg->data_root, "tmpfs", MS_NOSUID, opts) != 0) {
        snprintf(err, errlen,
                 "cannot mount a tmpfs on data-root %s (it is on %s, where "
                 "overlay2 cannot work): %s; give the pod CAP_SYS_ADMIN, mount "
                 "a volume (emptyDir or PVC) there, or set LAZYDIND_TMPFS=never",
                 cfg->data_root, lz_fs_name((long)sf.f_type), strerror(errno));
        return -1;
    }
    *mounted = 1;
    return 0;
}

int lz_storage_ready(const struct lz_config *cfg, int dirfd, int logfd,
                     int *mounted, char *err, size_t errlen)
{
    if (lz_prepare_storage(cfg, mounted, err, errlen) != 0)
        return -1;
    if (*mounted) {
        (void)lz_mounted_store(dirfd, cfg->data_root);
        lz_log_line(logfd, "mounted a tmpfs on %s (it was on overlayfs)", cfg->data_root);
        return 0;
    }
    char p[LZ_PATH_MAX];
    if (lz_mounted_load(dirfd, p, sizeof p) == 0 && strcmp(p, cfg->data_root) == 0 &&
        strcmp(lz_fs_of(cfg->data_root), "tmpfs") == 0)
        *mounted = 1;
    return 0;
}
