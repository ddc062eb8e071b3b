/* What filesystem a path is on, and whether it is a mount point. */
#define _GNU_SOURCE
#include "base/fs.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

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

