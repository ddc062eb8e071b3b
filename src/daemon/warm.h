/* The warm path: whether dockerd is up, told from the typed state and a
 * look at /proc, without a connection to it.
 *
 * When our supervisor owns the socket and its dockerd said READY=1, a
 * /_ping per call decides nothing: the CLI's own connection is served, and
 * were dockerd to die meanwhile, that connection would wait in the backlog
 * until the supervisor's next dockerd serves it, as any client's does. So
 * the shim reads the state (one small file) and checks that both processes
 * live, and pings only when the state cannot tell. The state is read by
 * path, without the runtime dir's trust checks: what it says only decides
 * whether to ping, never what is started or run. */
#ifndef LAZYDIND_WARM_H
#define LAZYDIND_WARM_H

#include "base/state.h"
#include "config/config.h"

enum lz_warm {
    LZ_WARM_READY,     /* our supervisor listens on the socket and its
                          dockerd, alive, said READY=1 */
    LZ_WARM_LISTENING, /* our supervisor listens; its dockerd is not ready
                          (not started yet, starting, re-armed after an exit
                          or backing off): the connection that waits starts it */
    LZ_WARM_UNKNOWN,   /* the state cannot tell: none or unreadable, rootless
                          and past armed (dockerd binds its own socket),
                          another socket, no live supervisor, it gave up */
};

/* The decision (pure). st: the state read, or NULL when there is none.
 * sup_alive: its supervisor_pid is a live lazydind; dockerd_alive: its
 * dockerd_pid exists. */
enum lz_warm lz_warm_decide(const struct lz_state *st, const char *socket_path,
                            int sup_alive, int dockerd_alive);

/* Looks at what the decision needs, no more: first the `warm` hint
 * (state.h: one readlink), then the supervisor's /proc/PID/exe link (a
 * process that exited, a zombie included, has none) and kill(dockerd, 0)
 * (the live supervisor reaps and records an exited dockerd at once): three
 * system calls when dockerd is up. When the hint is absent or does not say
 * ready, <run_dir>/state itself is read into *st (zeroed when there is none)
 * and judged the same way. On LZ_WARM_READY from the hint, *st holds only the
 * hint's fields. In rootless mode (no hint) only the state is read, and says
 * at most LZ_WARM_LISTENING: its supervisor is armed, so the shim waits as
 * for a start of its own (and claims the notice) instead of pinging, which
 * would start dockerd unannounced. */
enum lz_warm lz_warm_look(const struct lz_config *cfg, struct lz_state *st);

#endif
