#define _GNU_SOURCE
#include "base/shsplit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lz_words_free(struct lz_words *w)
{
    free(w->argv);
    free(w->store);
    w->argv = NULL;
    w->store = NULL;
    w->argc = 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

int lz_shsplit(const char *s, struct lz_words *w, char *err, size_t errlen)
{
    size_t n = strlen(s);
    w->argc = 0;
    w->store = malloc(n + 1);
    w->argv = calloc(n / 2 + 2, sizeof *w->argv);
    if (!w->store || !w->argv) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    char *o = w->store;
    const char *p = s;
    for (;;) {
        while (is_blank(*p))
            p++;
        if (!*p)
            break;
        w->argv[w->argc++] = o;
        const char *word = p;
        while (*p && !is_blank(*p)) {
            char c = *p;
            if (c == '\'') {
                const char *end = strchr(p + 1, '\'');
                if (!end) {
                    snprintf(err, errlen, "unterminated single quote");
                    goto fail;
                }
                memcpy(o, p + 1, (size_t)(end - p - 1));
                o += end - p - 1;
                p = end + 1;
            } else if (c == '"') {
                p++;
                while (*p != '"') {
                    if (!*p) {
                        snprintf(err, errlen, "unterminated double quote");
                        goto fail;
                    }
                    if (*p == '$' || *p == '`') {
                        snprintf(err, errlen,
                                 "'%c' inside double quotes would need a shell, "
                                 "and none runs; use single quotes", *p);
                        goto fail;
                    }
                    if (*p == '\\' && (p[1] == '"' || p[1] == '\\' ||
                                       p[1] == '$' || p[1] == '`')) {
                        p++;
                    } else if (*p == '\\' && p[1] == '\n') {
                        p += 2;
                        continue;
                    }
                    *o++ = *p++;
                }
                p++;
            } else if (c == '\\') {
                if (!p[1]) {
                    snprintf(err, errlen, "trailing backslash");
                    goto fail;
                }
                if (p[1] != '\n')
                    *o++ = p[1];
                p += 2;
            } else if (strchr("$`;&|<>()*?[", c) ||
                       (p == word && (c == '~' || c == '#'))) {
                snprintf(err, errlen,
                         "unquoted '%c' would need a shell, and none runs; "
                         "quote it with single quotes", c);
                goto fail;
            } else {
                *o++ = *p++;
            }
        }
        *o++ = '\0';
    }
    w->argv[w->argc] = NULL;
    return 0;
fail:
    lz_words_free(w);
    return -1;
}
