/* Why dockerd could not start: the most telling line of its output. */
#ifndef LAZYDIND_REASON_H
#define LAZYDIND_REASON_H

#include <stddef.h>
#include <stdint.h>

/* Picks the most telling line of dockerd's output for a start failure:
 * the last plain (non-logrus) line, else the msg of the last level=fatal,
 * else of the last level=error; else "". */
void lz_pick_reason(const char *text, size_t len, char *out, size_t outlen);

/* Reads the log from offset (at most the last 64 KiB) and picks the reason. */
void lz_log_reason(const char *log_path, int64_t offset, char *out,
                   size_t outlen);

#endif
