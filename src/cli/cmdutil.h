/* What the `lazydind` subcommands (cmd_*.c) share: loading their settings
 * and reading their arguments. */
#ifndef LAZYDIND_CMDUTIL_H
#define LAZYDIND_CMDUTIL_H

#include "config/config.h"

#include <stddef.h>

/* Loads the settings (lz_config_load) and, when resolve is set, the part of
 * them that lives in daemon.json (lz_config_resolve); sets lz_quiet. 0, or
 * -1 with the message in err (bad input: exit 2). */
int lz_cmd_settings(struct lz_config *cfg, int resolve, char *err, size_t errlen);

/* lz_cmd_settings, or exit 2 with its message. */
void lz_cmd_settings_or_die(struct lz_config *cfg, int resolve);

/* Exits 2 with "usage: USAGE (unexpected 'ARG')". */
void lz_cmd_unexpected(const char *usage, const char *arg) __attribute__((noreturn));

/* The value of an option with one: when argv[*i] is `NAME VALUE` (a word
 * follows) or `NAME=VALUE`, returns VALUE and moves *i to its last word;
 * else NULL. Pure. */
const char *lz_cmd_value(int argc, char **argv, int *i, const char *name);

#endif
