/* The `docker` shim as a list of named steps (lz_shim_main runs them, then
 * execs the real CLI), each callable alone so that bench/ can time them. */
#ifndef LAZYDIND_SHIM_H
#define LAZYDIND_SHIM_H

#include "cli/classify.h"
#include "config/config.h"
#include "daemon/bringup.h"

#include <stddef.h>

struct lz_shim {
    struct lz_config cfg;
    char real[LZ_PATH_MAX];     /* the real CLI, once found */
    struct lz_argv_info ai;
};

/* 1. The settings (and lz_quiet). 0, or -1 with the message in err: exit 2. */
int lz_shim_settings(struct lz_shim *s, char *err, size_t errlen);

/* 2. The real CLI: never the shim itself. 0, or -1 with err: exit 2. */
int lz_shim_find_cli(struct lz_shim *s, const char *argv0, char *err, size_t errlen);

/* 3. 1 when this command talks to the daemon lazydind manages (not
 * client-only, no other host or context in argv, the environment or the
 * CLI's config.json). */
int lz_shim_needs_daemon(struct lz_shim *s, int argc, char **argv);

/* 4. Brings it up (lz_bring_up, LZ_GOAL_EXEC) and, in rootless mode, points
 * the CLI at the user's socket unless told otherwise. */
enum lz_up lz_shim_bring_up(struct lz_shim *s, char *err, size_t errlen);

#endif
