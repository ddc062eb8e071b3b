/* Subordinate id ranges that fit a pod's user namespace: see subid_fit.h. */
#include "pod/subid_fit.h"

#include <stdio.h>
#include <string.h>

/* Appends [start, end) to out (when not empty and there is room). */
static void add(struct lz_subrange *out, int max, int *n, unsigned long start,
                unsigned long end)
{
    if (end <= start || *n >= max)
        return;
    out[(*n)++] = (struct lz_subrange){start, end - start};
}

int lz_subid_fit(const struct lz_idmap *m, unsigned long uid, struct lz_subrange *out,
                 int max)
{
    int n = 0;
    for (int i = 0; i < m->n; i++) {
        unsigned long a = m->r[i].inside, e = a + m->r[i].count;
        if (a == 0)
            a = 1; /* root of the namespace is the user's own mapping */
        if (uid >= a && uid < e) {
            add(out, max, &n, a, uid);
            add(out, max, &n, uid + 1, e);
        } else {
            add(out, max, &n, a, e);
        }
    }
    return n;
}

void lz_subid_fit_text(const struct lz_idmap *m, unsigned long uid, const char *name,
                       char *out, size_t outlen)
{
    struct lz_subrange r[8];
    int n = lz_subid_fit(m, uid, r, 8);
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < n && used < outlen; i++) {
        int w = snprintf(out + used, outlen - used, "%s%s:%lu:%lu", i ? " " : "", name,
                         r[i].start, r[i].count);
        if (w < 0 || (size_t)w >= outlen - used) {
            out[used] = '\0';
            return;
        }
        used += (size_t)w;
    }
}
