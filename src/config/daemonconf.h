/* dockerd's configuration for a start, as lazydind generates it: the user's
 * daemon.json (daemonjson.h) merged with lazydind's settings, the flags of
 * LAZYDIND_DOCKERD_ARGS and the pod's network (dmerge.h has the rules),
 * written to <run_dir>/daemon.json (dwrite.h) and passed with --config-file.
 * This header brings the pieces together for the callers: the supervisor
 * (each dockerd start), the cold path (lz_dconf_resolve) and `lazydind
 * config`. */
#ifndef LAZYDIND_DAEMONCONF_H
#define LAZYDIND_DAEMONCONF_H

#include <jansson.h>
#include <stddef.h>

#include "config/config.h"
#include "config/daemonjson.h"
#include "config/describe.h"
#include "config/dflags.h"
#include "config/dmerge.h"
#include "config/dvalue.h"
#include "config/dwrite.h"
#include "config/podnet.h"

/* Reads the user's daemon.json and the pod's network, splits
 * LAZYDIND_DOCKERD_ARGS and builds. */
/* The cgroup-parent that containment chose (daemon/contain.h), for
 * lz_dconf_make to use where nobody set the key; NULL or "" for none. */
void lz_dconf_set_cgroup_parent(const char *parent);

int lz_dconf_make(const struct lz_config *cfg, int iptables_off,
                  const struct lz_engine *engine, struct lz_dconf *out, char *err,
                  size_t errlen);

/* lz_dconf_make + lz_dconf_write, for each dockerd start: no_proxy gets
 * dockerd's NO_PROXY ("" when no proxy is set). */
int lz_dconf_regenerate(const struct lz_config *cfg, int dirfd, int iptables_off,
                        const struct lz_engine *engine, char *no_proxy, size_t cap,
                        char *err, size_t errlen);

/* Cold-path resolution: takes data-root from daemon.json when no lazydind
 * setting gave one, and checks that a config can be generated (daemon.json
 * syntax, LAZYDIND_DOCKERD_ARGS, conflicting settings). 0 or -1 with err. */
int lz_dconf_resolve(struct lz_config *cfg, char *err, size_t errlen);

/* lz_dconf_resolve without the check: what the supervisor needs from the
 * input (data-root from daemon.json), whose starter has checked it. */
int lz_dconf_inputs(struct lz_config *cfg, char *err, size_t errlen);

#endif
