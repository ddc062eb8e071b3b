/* The log file the supervisor (rootful or rootless) keeps: dockerd's output
 * and the supervisor's own lines, opened so that nobody else can redirect
 * it, and kept under LAZYDIND_LOG_MAX by copy-truncate rotation. */
#ifndef LAZYDIND_LOGFILE_H
#define LAZYDIND_LOGFILE_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

/* Opens cfg->log_path for appending (making its parent dirs), refusing one
 * someone else could redirect: a parent others can write, a symlink, a file
 * that is not ours or that has another name elsewhere. The fd (O_CLOEXEC),
 * or -1 with a message in err that names the fix (LAZYDIND_LOG). */
int lz_log_open(const struct lz_config *cfg, char *err, size_t errlen);

/* One line "lazydind: [info] ..." in the log; nothing when logfd < 0. */
void lz_log_line(int logfd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* When the log at path (open on logfd) is over max bytes: copies it to
 * path.1, truncates it (dockerd keeps writing with O_APPEND), sets *offset
 * (where the current dockerd's output starts) to 0 and says so in it. */
void lz_log_cap(int logfd, const char *path, int64_t max, int64_t *offset);

#endif
