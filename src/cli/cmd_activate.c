/* `lazydind activate`: make sure the supervisor listens on the daemon
 * socket, so that any client's first connection starts dockerd. Built for a
 * Kubernetes postStart hook: returns in milliseconds, starts nothing else,
 * touches no connection, and exits 0 for anything a later docker command can
 * still recover from (a failing hook restarts the container); the reason is
 * printed and written to the log. --strict exits non-zero instead. */
#define _GNU_SOURCE
#include "cli/cmdutil.h"
#include "cli/commands.h"
#include "daemon/bringup.h"
#include "base/util.h"

#include <string.h>

int lz_cmd_activate(int argc, char **argv)
{
    struct lz_config cfg;
    char err[1024];
    int strict = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--strict") == 0)
            strict = 1;
        else
            lz_cmd_unexpected("lazydind activate [--strict]", argv[i]);
    }
    if (lz_cmd_settings(&cfg, 1, err, sizeof err) != 0) {
        lz_error("%s", err);
        lz_error("not activated; docker commands will report this too");
        return strict ? LZ_EXIT_USAGE : 0;
    }
    switch (lz_bring_up(&cfg, LZ_GOAL_LISTEN, 1, err, sizeof err)) {
    case LZ_UP_LISTENING:
    case LZ_UP_READY:
        return 0;
    default: /* failed or not ours: said why */
        return strict ? 1 : 0;
    }
}
