#define _GNU_SOURCE
#include "storage.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#define OVERLAYFS_MAGIC 0x794c7630L
#define TMPFS_MAGIC_ 0x01021994L

const char *lz_fs_name(long t)
{
    switch ((unsigned long)t & 0xffffffffUL) {
    case 0x794c7630UL: return "overlay";
    case 0x01021994UL: return "tmpfs";
    case 0x63677270UL: return "cgroup2";
    case 0x0027e0ebUL: return "cgroup";
    case 0x0000ef53UL: return "ext4";
    case 0x58465342UL: return "xfs";
    case 0x9123683eUL: return "btrfs";
    case 0x2fc12fc1UL: return "zfs";
    case 0x00006969UL: return "nfs";
    case 0x65735546UL: return "fuse";
    case 0x858458f6UL: return "ramfs";
    case 0x61756673UL: return "aufs";
    case 0xf2f52010UL: return "f2fs";
    case 0xca451a4eUL: return "bcachefs";
    default: return "unknown";
    }
}

const char *lz_fs_of(const char *path)
{
    struct statfs sf;
    if (statfs(path, &sf) != 0)
        return "unknown";
    return lz_fs_name((long)sf.f_type);
}

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

int lz_is_mountpoint(const char *path)
{
    char parent[LZ_PATH_MAX + 4];
    struct stat a, b;
    if (snprintf(parent, sizeof parent, "%s/..", path) >= (int)sizeof parent)
        return 0;
    if (lstat(path, &a) != 0 || stat(parent, &b) != 0)
        return 0;
    if (a.st_dev != b.st_dev)
        return 1;
    /* a bind mount from the same filesystem: ask mountinfo */
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (!f)
        return 0;
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        /* id parent major:minor root mountpoint ... */
        char *p = line;
        for (int field = 0; field < 4 && p; field++) {
            p = strchr(p, ' ');
            if (p)
                p++;
        }
        if (!p)
            continue;
        char *end = strchr(p, ' ');
        if (end && (size_t)(end - p) == strlen(path) &&
            strncmp(p, path, (size_t)(end - p)) == 0)
            found = 1;
    }
    fclose(f);
    return found;
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
