/* Splits a string into words like a POSIX shell would, without running one:
 * quotes and backslashes work; expansions and operators are refused. */
#ifndef LAZYDIND_SHSPLIT_H
#define LAZYDIND_SHSPLIT_H

#include <stddef.h>

struct lz_words {
    int argc;
    char **argv;   /* argv[argc] == NULL */
    char *store;   /* backing storage for the words */
};

/* Returns 0 and fills w (free with lz_words_free), or -1 with a reason in err. */
int lz_shsplit(const char *s, struct lz_words *w, char *err, size_t errlen);
void lz_words_free(struct lz_words *w);

#endif
