/* `lazydind start`: start the daemon if needed; exit 0 when it answers. */
#define _GNU_SOURCE
#include "cli/cmdutil.h"
#include "cli/commands.h"
#include "daemon/bringup.h"
#include "base/util.h"

int lz_cmd_start(int argc, char **argv)
{
    struct lz_config cfg;
    char err[1024];
    if (argc > 2)
        lz_cmd_unexpected("lazydind start", argv[2]);
    /* bad input is refused even when the daemon already answers */
    lz_cmd_settings_or_die(&cfg, 1);
    switch (lz_bring_up(&cfg, LZ_GOAL_ANSWER, 1, err, sizeof err)) {
    case LZ_UP_READY:
        return 0;
    case LZ_UP_BAD_INPUT:
        lz_die(LZ_EXIT_USAGE, "%s", err);
    default:
        return 1;
    }
}
