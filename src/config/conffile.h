/* lazydind.conf: `key = value` lines and whole-line comments, parsed by a
 * pure function over text so that it can be unit-tested and fuzzed.
 *
 * The grammar, in full:
 *   - an optional UTF-8 byte order mark at the very start;
 *   - lines end with "\n" (a "\r" right before it is dropped);
 *   - blank lines, and lines whose first non-blank character is '#' or ';',
 *     are ignored (there are no inline comments: a value runs to the end of
 *     its line, so `dockerd-args = --label "a;b"` keeps its ';');
 *   - every other line is `key = value`, blanks (space, tab) allowed around
 *     both; a key is 1..63 of [A-Za-z0-9_.-] (the caller decides which keys
 *     exist); the value is the rest of the line with blanks trimmed, and may
 *     be empty (the same as not setting the key);
 *   - a key may appear only once; no sections; no NUL byte anywhere; no
 *     control characters (other than tab) in a value.
 * Errors carry a 1-based line and byte column. */
#ifndef LAZYDIND_CONFFILE_H
#define LAZYDIND_CONFFILE_H

#include <stddef.h>

#define LZ_CONF_KEY_MAX 64

struct lz_conf_entry {
    const char *key;   /* NUL-terminated, in the conf's storage */
    const char *value; /* NUL-terminated, trimmed, may be "" */
    int line;          /* 1-based */
    int key_col;       /* 1-based byte columns */
    int value_col;
};

struct lz_conf {
    struct lz_conf_entry *v;
    int n;
    char *store; /* one allocation backing every key and value */
};

struct lz_conf_error {
    int line;
    int col;
    char what[160];
};

/* Parses len bytes of text. Returns 0 and fills out (free it with
 * lz_conf_free), or -1 with the first error in e (out is then empty). */
int lz_conf_parse(const char *text, size_t len, struct lz_conf *out,
                  struct lz_conf_error *e);
void lz_conf_free(struct lz_conf *c);

/* The entry for key, or NULL. */
const struct lz_conf_entry *lz_conf_find(const struct lz_conf *c,
                                         const char *key);

#endif
