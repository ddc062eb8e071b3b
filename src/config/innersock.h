/* Rootless mode's inner socket: where dockerd (inside rootlesskit's
 * namespaces) binds, next to lazydind's runtime dir in $XDG_RUNTIME_DIR,
 * until the supervisor renames it over the user's socket (the hand-over,
 * daemon/handover.h). Same filesystem as the user's socket, so rename(2)
 * works; inside rootlesskit's mount namespace $XDG_RUNTIME_DIR is the same
 * directory (a bind of the original), so the path is visible outside. */
#ifndef LAZYDIND_INNERSOCK_H
#define LAZYDIND_INNERSOCK_H

#include <stddef.h>
#include "config/config.h"

/* "<run_dir>/dockerd.sock" into out. 0, or -1 when it does not fit. */
int lz_inner_socket(const struct lz_config *cfg, char *out, size_t outlen);

#endif
