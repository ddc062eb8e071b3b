/* The root-only runtime directory and the small key=value files in it. */
#ifndef LAZYDIND_STATE_H
#define LAZYDIND_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Opens (creating with mode 0700 when create is set) the runtime dir,
 * refusing a symlink, a dir owned by someone else or one others can write.
 * Returns a dirfd (O_CLOEXEC) or -1 with a message in err. */
int lz_rundir_open(const char *path, int create, char *err, size_t errlen);

/* Atomically replaces dirfd/name with text (temp file + rename). */
int lz_state_write(int dirfd, const char *name, const char *text);

/* Looks up key in "key=value\n" text; copies the value. 0 when found. */
int lz_kv_get(const char *text, const char *key, char *out, size_t outlen);
/* As lz_kv_get, parsed as an integer; def when absent or malformed. */
int64_t lz_kv_int(const char *text, const char *key, int64_t def);

/* Picks the most telling line of dockerd's output for a start failure:
 * the last plain (non-logrus) line, else the msg of the last level=fatal,
 * else of the last level=error; else "". */
void lz_pick_reason(const char *text, size_t len, char *out, size_t outlen);

/* Reads the log from offset (at most the last 64 KiB) and picks the reason. */
void lz_log_reason(const char *log_path, int64_t offset, char *out,
                   size_t outlen);

#endif
