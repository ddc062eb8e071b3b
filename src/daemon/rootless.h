/* Rootless mode: dockerd runs through dockerd-rootless.sh (rootlesskit,
 * slirp4netns) as the pod's non-root user, everything under the user's own
 * dirs. rootlesskit puts dockerd in namespaces of its own, so the socket
 * cannot be handed over as fd 3: the supervisor listens on the user's
 * socket, starts the daemon on the first connection with dockerd on an
 * inner socket, and renames that over the user's path once it answers
 * (handover.h). */
#ifndef LAZYDIND_ROOTLESS_H
#define LAZYDIND_ROOTLESS_H

#include <stddef.h>
#include "config/config.h"

/* The storage driver for a rootless dockerd whose data-root is on fs
 * (lz_fs_name), given whether fuse-overlayfs is installed and /dev/fuse
 * opens: overlay cannot sit on overlay, so fuse-overlayfs there, else vfs
 * (slow); elsewhere NULL: dockerd picks (overlay2 where the kernel allows it
 * in a user namespace, else fuse-overlayfs). *slow is set for vfs. */
const char *lz_rootless_storage_driver(const char *fs, int have_fuse_overlayfs,
                                       int fuse_ok, int *slow);

/* The rootless supervisor's loop, after the common set-up in
 * lz_supervise_main: logfd is the log, report_fd the starter's pipe. Never
 * returns. */
void lz_supervise_rootless(const struct lz_config *cfg, int dirfd, int logfd,
                           int report_fd, long long gen);

#endif
