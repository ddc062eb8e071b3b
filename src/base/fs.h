/* What filesystem a path is on, and whether it is a mount point. */
#ifndef LAZYDIND_FS_H
#define LAZYDIND_FS_H

/* A name for a statfs f_type ("overlay", "tmpfs", "ext4", ...). */
const char *lz_fs_name(long f_type);
/* The filesystem name of path, or "unknown". */
const char *lz_fs_of(const char *path);
/* 1 when path is a mount point (its st_dev differs from its parent's, or
 * it appears in /proc/self/mountinfo). */
int lz_is_mountpoint(const char *path);

#endif
