/* lazydind: one static binary, two faces. Invoked as `docker` it is the shim
 * that starts a private dockerd on first use; as `lazydind` it runs the
 * command named by argv[1], looked up in the command table (cmdtable.c, which
 * also makes the usage text). docs/how-it-works.md and docs/commands.md. */
#define _GNU_SOURCE
#include "cli/cmdtable.h"
#include "cli/commands.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

int main(int argc, char **argv)
{
    if (argc < 1 || !argv[0])
        return LZ_EXIT_USAGE;
    /* 1. invoked as `docker`: the shim */
    if (strcmp(base_name(argv[0]), "docker") == 0)
        return lz_shim_main(argc, argv);
    /* 2. `lazydind` alone: the usage text on stderr */
    if (argc < 2) {
        lz_usage_write(stderr);
        return LZ_EXIT_USAGE;
    }
    /* 3. `lazydind COMMAND ...`: the command's handler gets the whole argv */
    const struct lz_command *cmd = lz_command_find(argv[1]);
    if (!cmd) {
        lz_error("unknown command '%s'; see lazydind --help", argv[1]);
        return LZ_EXIT_USAGE;
    }
    return cmd->run(argc, argv);
}
