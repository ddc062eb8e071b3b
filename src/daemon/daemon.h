/* The daemon layer's entry points: the cold path's input check, the
 * supervisor that owns dockerd, and finding our processes. Bringing dockerd
 * up is bringup.h. */
#ifndef LAZYDIND_DAEMON_H
#define LAZYDIND_DAEMON_H

#include "config/config.h"
#include "daemon/livepids.h"

#include <stdint.h>

/* Cold-path checks on input that only matter when starting: daemon.json
 * syntax and its data-root, LAZYDIND_DOCKERD_ARGS. Updates cfg. Returns 0, or
 * -1 with a message in err (the caller exits 2; nothing was started). Writes
 * nothing. */
int lz_config_resolve(struct lz_config *cfg, char *err, size_t errlen);

/* `lazydind supervise --report-fd N`: never returns. */
int lz_supervise_main(int argc, char **argv);

#endif
