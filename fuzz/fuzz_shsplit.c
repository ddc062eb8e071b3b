/* LAZYDIND_DOCKERD_ARGS: split like a shell without running one. Whatever
 * it accepts must split back to the same words once re-quoted (so nothing
 * is lost, merged or expanded on the way to dockerd's argv). */
#include "fuzz.h"
#include "base/shsplit.h"

/* Single-quotes every word ('\'' for a quote) and joins them with spaces. */
static char *requote(const struct lz_words *w)
{
    size_t cap = 1;
    for (int i = 0; i < w->argc; i++)
        cap += 4 * strlen(w->argv[i]) + 3;
    char *s = malloc(cap), *o = s;
    if (!s)
        return NULL;
    for (int i = 0; i < w->argc; i++) {
        if (i)
            *o++ = ' ';
        *o++ = '\'';
        for (const char *p = w->argv[i]; *p; p++) {
            if (*p == '\'') {
                memcpy(o, "'\\''", 4);
                o += 4;
            } else {
                *o++ = *p;
            }
        }
        *o++ = '\'';
    }
    *o = '\0';
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fz_str(data, size);
    if (!s)
        return 0;
    struct lz_words w, w2;
    char err[256];
    if (lz_shsplit(s, &w, err, sizeof err) == 0) {
        FZ_ASSERT(w.argc >= 0 && w.argv[w.argc] == NULL);
        size_t total = 0;
        for (int i = 0; i < w.argc; i++)
            total += strlen(w.argv[i]);
        FZ_ASSERT(total <= strlen(s));
        char *q = requote(&w);
        if (q) {
            FZ_ASSERT(lz_shsplit(q, &w2, err, sizeof err) == 0);
            FZ_ASSERT(w2.argc == w.argc);
            for (int i = 0; i < w.argc; i++)
                FZ_ASSERT(strcmp(w.argv[i], w2.argv[i]) == 0);
            lz_words_free(&w2);
            free(q);
        }
        lz_words_free(&w);
    } else {
        FZ_ASSERT(strlen(err) > 0);
    }
    free(s);
    return 0;
}
