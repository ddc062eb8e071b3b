/* The data-root: what filesystem it is on, and the tmpfs that avoids
 * overlay-on-overlay. */
#ifndef LAZYDIND_STORAGE_H
#define LAZYDIND_STORAGE_H

#include <stddef.h>
#include "config/config.h"

/* 1 when the tmpfs policy says to mount one over a data-root on fs_type. */
int lz_want_tmpfs(enum lz_tmpfs_mode mode, long f_type, int is_mountpoint);

/* Creates the data-root and mounts a tmpfs there when the policy says so.
 * *mounted is set to 1 when this call mounted it. Returns 0, or -1 with a
 * message in err. */
int lz_prepare_storage(const struct lz_config *cfg, int *mounted, char *err,
                       size_t errlen);

/* The data-root made ready for the supervisor's first dockerd
 * (lz_prepare_storage), with the tmpfs record in dirfd: a tmpfs this call
 * mounts is recorded (and logged to logfd); one an earlier supervisor
 * mounted and recorded is still ours (*mounted = 1). Returns 0, or -1 with
 * a message in err. */
int lz_storage_ready(const struct lz_config *cfg, int dirfd, int logfd,
                     int *mounted, char *err, size_t errlen);

#endif
