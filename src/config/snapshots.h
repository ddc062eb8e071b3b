/* The containerd image store on an overlay filesystem. With it (daemon.json
 * features {"containerd-snapshotter": true}, Docker 29's default) images are
 * containerd snapshots under <data-root>/containerd, and its overlayfs
 * snapshotter cannot mount on overlayfs: dockerd starts, and the first
 * `docker run` fails with "invalid argument". lazydind's tmpfs over an
 * overlay data-root covers that directory too; where there is none
 * (LAZYDIND_TMPFS=never, rootless), the snapshots go to the "native"
 * snapshotter, which copies every layer (as vfs does for a graph driver):
 * slow, but it works, as it did on 20.10. */
#ifndef LAZYDIND_SNAPSHOTS_H
#define LAZYDIND_SNAPSHOTS_H

#include <stddef.h>

#include "config/config.h"
#include "config/engine.h"

/* 1 when dockerd will use the containerd image store: the user's
 * daemon.json (cfg->daemon_json) features, else the engine's default for
 * this data-root. */
int lz_containerd_store_in_use(const struct lz_config *cfg, const struct lz_engine *e);

/* Where the store keeps its snapshots: <data-root>/containerd. */
void lz_snapshots_dir(const struct lz_config *cfg, char *out, size_t cap);

/* 1 when the snapshots' directory (or, before it exists, the nearest
 * existing directory above it) is on overlayfs. */
int lz_snapshots_on_overlay(const struct lz_config *cfg);

/* The storage driver lazydind picks for the containerd store on this pod:
 * "native" when the store is in use, its snapshots would be on overlayfs
 * (and, rootful, lazydind mounts no tmpfs over the data-root: it is not on
 * overlayfs, or LAZYDIND_TMPFS=never) and nobody chose a driver (the user's daemon.json "storage-driver",
 * LAZYDIND_STORAGE_DRIVER); else NULL. why gets the reason for the log. */
const char *lz_snapshots_driver(const struct lz_config *cfg, const struct lz_engine *e,
                                char *why, size_t cap);

/* 1 when lz_snapshots_driver's answer may depend on the engine's version
 * for this pod: the snapshots' directory is on overlayfs and, rootful, no
 * tmpfs will be mounted over the data-root. (Elsewhere the engine changes
 * nothing about storage, and the supervisor need not wait for it.) */
int lz_snapshots_engine_matters(const struct lz_config *cfg);

#endif
