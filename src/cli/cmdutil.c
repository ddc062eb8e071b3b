/* Settings and arguments for the subcommands. */
#define _GNU_SOURCE
#include "cli/cmdutil.h"
#include "daemon/daemon.h"
#include "base/util.h"

#include <string.h>

int lz_cmd_settings(struct lz_config *cfg, int resolve, char *err, size_t errlen)
{
    if (lz_config_load(cfg, err, errlen) != 0)
        return -1;
    lz_quiet = cfg->quiet;
    return resolve ? lz_config_resolve(cfg, err, errlen) : 0;
}

void lz_cmd_settings_or_die(struct lz_config *cfg, int resolve)
{
    char err[1024];
    if (lz_cmd_settings(cfg, resolve, err, sizeof err) != 0)
        lz_die(LZ_EXIT_USAGE, "%s", err);
}

void lz_cmd_unexpected(const char *usage, const char *arg)
{
    lz_die(LZ_EXIT_USAGE, "usage: %s (unexpected '%s')", usage, arg);
}

const char *lz_cmd_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strcmp(a, name) == 0 && *i + 1 < argc)
        return argv[++*i];
    if (strncmp(a, name, n) == 0 && a[n] == '=')
        return a + n + 1;
    return NULL;
}
