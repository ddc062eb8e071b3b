/* Waiting until dockerd answers: the /_ping that is also the connection that
 * starts it (it waits in the listener's backlog), the start and ready
 * notices (once per start, however many callers wait), and the reason when
 * it could not start, for every caller that waited. */
#ifndef LAZYDIND_AWAIT_H
#define LAZYDIND_AWAIT_H

#include "base/state.h"
#include "config/config.h"

#include <stdint.h>

enum lz_await {
    LZ_AWAIT_READY,
    LZ_AWAIT_FAILED,   /* the reason was printed */
    LZ_AWAIT_ORPHANED, /* closed without a word and no supervisor lives: the
                          one holding our connection died before a dockerd
                          took over the socket. Nothing was printed: starting
                          afresh may work. Only when may_orphan is set. */
};

enum lz_announce {
    LZ_ANNOUNCE_NONE,
    LZ_ANNOUNCE_CLAIM,  /* when this caller is the first to claim this start
                           (the supervisor's pid and start number) */
    LZ_ANNOUNCE_ALWAYS,
};

struct lz_wait {
    const struct lz_config *cfg;
    int dirfd;                   /* the runtime dir, or -1: opened (never
                                    created) when needed; the caller closes it */
    int64_t t0;                  /* the call began: "ready in" counts from here */
    int64_t deadline;            /* monotonic ms */
    enum lz_announce announce;
    const struct lz_state *seen; /* the state as the caller last read it, for
                                    the claim; NULL: read it */
    int may_orphan;
};

/* Waits on /_ping (rootful, or a connection that is already in someone's
 * backlog). */
enum lz_await lz_await_ping(struct lz_wait *w);

/* Rootless: the supervisor holds the connection until dockerd answers (or
 * answers it with the reason); a refused one (dockerd's socket dead, the
 * supervisor's listener not back yet) is tried again, 1 ms apart growing
 * to 20 ms, while the supervisor lives. Never LZ_AWAIT_ORPHANED. */
enum lz_await lz_await_rootless(struct lz_wait *w);

/* The key of a start for the announcement claim: "SUPERVISOR:START\n",
 * where START is the start to come when dockerd is not running yet; ""
 * when dockerd is running and ready (nothing to announce). Pure. */
void lz_announce_key(const struct lz_state *st, char *out, size_t outlen);

#endif
