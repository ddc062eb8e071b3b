/* What a supervisor (rootful or rootless) records about its dockerd in the
 * runtime dir: the fields of `state` that both fill alike, and the `exit`
 * record (how dockerd ended and the most telling line of its output). */
#ifndef LAZYDIND_RECORDS_H
#define LAZYDIND_RECORDS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/state.h"
#include "config/config.h"

/* Zeroes *st and fills what every supervisor writes: gen, our pid, the
 * data-root, socket and log. The caller adds phase, dockerd and the rest. */
void lz_record_state_base(struct lz_state *st, const struct lz_config *cfg,
                          long long gen);

/* A wait status as the exit record says it: "exited with status 1",
 * "killed by signal 9", else "ended (wait status N)". */
void lz_wait_describe(int status, char *how, size_t cap);

/* Fills *ex for dockerd (pid, generation gen) that ended with wait status
 * `status`: the time, the status text and the reason, the most telling
 * line of the log from offset on (one line: newlines become spaces). */
void lz_record_exit(struct lz_exit_record *ex, const struct lz_config *cfg,
                    long long gen, pid_t pid, int status, int ready,
                    int64_t offset);

#endif
