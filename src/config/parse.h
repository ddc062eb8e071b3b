/* The syntaxes of lazydind's own values (durations, sizes, booleans, tmpfs
 * sizes, paths): pure functions, unit-tested and fuzzed (fuzz/fuzz_env.c).
 * Each returns 0 on success; on failure the first three leave *out alone. */
#ifndef LAZYDIND_PARSE_H
#define LAZYDIND_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* 1 for an absolute path without control characters that fits LZ_PATH_MAX. */
int lz_valid_path(const char *s);

/* "60", "60s", "500ms", "2m", "1h30m" -> milliseconds, at most 24h. */
int lz_parse_duration_ms(const char *s, int64_t *out);
/* "10485760", "10M", "10MiB", "1g" -> bytes. */
int lz_parse_size(const char *s, int64_t *out);
/* 1/0/true/false/yes/no/on/off, any case. */
int lz_parse_bool(const char *s, int *out);
/* A tmpfs size option: a size as above of at least 1M, or "N%" with
 * 1<=N<=100; writes the normalized mount option value (bytes or N%). */
int lz_parse_tmpfs_size(const char *s, char *out, size_t outlen);

#endif
