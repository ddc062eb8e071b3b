/* Bringing the daemon up: the cold path shared by the shim and
 * `lazydind start`, and the supervisor that owns dockerd. */
#ifndef LAZYDIND_DAEMON_H
#define LAZYDIND_DAEMON_H

#include "config/config.h"

#include <stdint.h>

/* Cold-path checks on input that only matter when starting: daemon.json
 * syntax and its data-root, LAZYDIND_DOCKERD_ARGS. Updates cfg. Returns 0, or
 * -1 with a message in err (the caller exits 2; nothing was started). */
int lz_config_resolve(struct lz_config *cfg, char *err, size_t errlen);

/* Ensures the supervisor listens on the daemon socket (starting it when
 * needed), then, unless activate_only, waits until dockerd answers /_ping
 * (the ping itself is the connection that starts dockerd). Returns 0 when
 * ready (or, with activate_only, listening), 1 when it could not start (the
 * reason was printed), 3 when this user may not start it (a notice was
 * printed). */
int lz_ensure_daemon(const struct lz_config *cfg, int activate_only);

/* Waits on /_ping until t0 + the start timeout; a 503 from the supervisor
 * carries the reason dockerd could not start. announce: 1 print the
 * start/ready notices, 0 do not, -1 only when the state says dockerd is not
 * ready yet. Returns 0 when ready, 1 otherwise (the reason was printed). */
int lz_await_daemon(const struct lz_config *cfg, int64_t t0, int announce);

/* `lazydind supervise --report-fd N`: never returns. */
int lz_supervise_main(int argc, char **argv);

/* The pid of our supervisor / dockerd from the state, when alive; else 0.
 * A dockerd whose supervisor was killed is found through its pid file. In
 * rootless mode "dockerd" is rootlesskit, which runs it (and stops it on
 * SIGTERM). dirfd may be -1 (the runtime dir is not readable). */
int lz_live_pids(const struct lz_config *cfg, int dirfd, int *sup, int *dockerd);

#endif
