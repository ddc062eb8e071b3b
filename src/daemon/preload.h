/* LAZYDIND_PRELOAD (docs/preload.md): the image archives the first dockerd
 * of a pod loads, one by one through its API, in a child of the
 * supervisor, after dockerd is ready; the progress in the runtime dir's
 * preload.json, which `lazydind status` shows and the shim reads to make a
 * command that needs a preloaded image wait for its archive. */
#ifndef LAZYDIND_PRELOAD_H
#define LAZYDIND_PRELOAD_H

#include "config/config.h"

#include <jansson.h>
#include <stdint.h>

/* The supervisor, before its first dockerd: lists the archives (every
 * file of a directory, by name) and what each holds when its tar headers
 * say, and writes preload.json with all of them pending. Nothing without
 * cfg->preload. */
void lz_preload_plan(const struct lz_config *cfg, int dirfd, int logfd);

/* The supervisor, when its first dockerd is ready: forks the loader, which
 * streams each planned archive to POST /images/load and records each
 * outcome. Once per supervisor; nothing without a plan. */
void lz_preload_begin(const struct lz_config *cfg, int dirfd, int logfd);

/* preload.json as last written, or NULL. */
json_t *lz_preload_load(int dirfd);

/* `lazydind status`: the lines for a progress record (text). */
void lz_preload_print(const json_t *rec);

/* The shim, before exec'ing a command that uses image: waits while an
 * archive that holds it (or may: its refs are not known before loading) is
 * pending or loading, at most until t0 + the start timeout. */
void lz_preload_wait(const struct lz_config *cfg, const char *image, int64_t t0);

#endif
