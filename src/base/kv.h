/* Small key=value files in the runtime dir. */
#ifndef LAZYDIND_KV_H
#define LAZYDIND_KV_H

#include <stddef.h>
#include <stdint.h>

/* Atomically replaces dirfd/name with text (temp file + rename). */
int lz_state_write(int dirfd, const char *name, const char *text);
/* The same for a symlink whose target is text (what one readlink(2) reads
 * back): 0, or -1 with errno. */
int lz_link_write(int dirfd, const char *name, const char *text);

/* Looks up key in "key=value\n" text; copies the value. 0 when found. */
int lz_kv_get(const char *text, const char *key, char *out, size_t outlen);
/* As lz_kv_get, parsed as an integer; def when absent or malformed. */
int64_t lz_kv_int(const char *text, const char *key, int64_t def);

#endif
