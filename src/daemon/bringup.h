/* Bringing dockerd up: the one sequence behind the docker shim, `lazydind
 * start` and `lazydind activate`, in one order:
 *
 *   0. already up?  the state says our dockerd is ready (the shim), else one
 *                   /_ping where it still decides something: no supervisor
 *                   in the state, rootless, a dockerd lazydind did not start
 *   1. input        lz_config_resolve: daemon.json, LAZYDIND_DOCKERD_ARGS;
 *                   bad input is refused before anything starts
 *   2. preflight    doctor's checks for the mode (pod/gate.h)
 *   3. supervisor   under the start lock: one listener however many callers
 *                   race; the one that starts it prints the config's notes
 *   4. wait         until dockerd answers (the wait is the connection that
 *                   starts it); the start and ready notices once per start
 *
 * `activate` (LZ_GOAL_LISTEN) skips 0 and 4: it never connects, since a
 * connection would start dockerd. A start already under way (a listener
 * whose dockerd is not ready, a connection held in a backlog) goes from 0
 * straight to 4: it is someone else's start. */
#ifndef LAZYDIND_BRINGUP_H
#define LAZYDIND_BRINGUP_H

#include "config/config.h"

#include <stddef.h>

enum lz_up {
    LZ_UP_READY,     /* dockerd answers (the shim: or the state says so) */
    LZ_UP_LISTENING, /* LZ_GOAL_LISTEN: the supervisor listens (or a dockerd
                        lazydind did not start holds the socket) */
    LZ_UP_FAILED,    /* it cannot start: the reason was printed */
    LZ_UP_NOT_OURS,  /* only root may start it here: a notice was printed */
    LZ_UP_BAD_INPUT, /* the message is in err (print it, exit 2); nothing
                        was started */
};

enum lz_up_goal {
    LZ_GOAL_EXEC,    /* the shim: the CLI's own connection will be served */
    LZ_GOAL_ANSWER,  /* `lazydind start`: dockerd answered /_ping */
    LZ_GOAL_LISTEN,  /* `lazydind activate`: the supervisor listens */
};

/* Runs the sequence. resolved: the caller already put cfg through
 * lz_config_resolve (and handled its error), so step 1 is done. cfg is
 * updated by step 1 (data-root from daemon.json). */
enum lz_up lz_bring_up(struct lz_config *cfg, enum lz_up_goal goal, int resolved,
                       char *err, size_t errlen);

/* "ready", "listening", "failed", "not ours", "bad input". */
const char *lz_up_name(enum lz_up up);

#endif
