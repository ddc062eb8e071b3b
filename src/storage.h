/* The data-root: what filesystem it is on, and the tmpfs that avoids
 * overlay-on-overlay. */
#ifndef LAZYDIND_STORAGE_H
#define LAZYDIND_STORAGE_H

#include <stddef.h>
#include "config.h"

/* A name for a statfs f_type ("overlay", "tmpfs", "ext4", ...). */
const char *lz_fs_name(long f_type);
/* The filesystem name of path, or "unknown". */
const char *lz_fs_of(const char *path);
/* 1 when the tmpfs policy says to mount one over a data-root on fs_type. */
int lz_want_tmpfs(enum lz_tmpfs_mode mode, long f_type, int is_mountpoint);

/* Creates the data-root and mounts a tmpfs there when the policy says so.
 * *mounted is set to 1 when this call mounted it. Returns 0, or -1 with a
 * message in err. */
int lz_prepare_storage(const struct lz_config *cfg, int *mounted, char *err,
                       size_t errlen);

/* 1 when path is a mount point (its st_dev differs from its parent's, or
 * it appears in /proc/self/mountinfo). */
int lz_is_mountpoint(const char *path);

#endif
