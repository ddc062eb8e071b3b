/* Subordinate id ranges that fit a pod's user namespace (Sysbox,
 * hostUsers: false: only the ids of its uid_map exist, usually 0-65535,
 * so the usual 100000:65536 cannot be mapped). Pure functions. */
#ifndef LAZYDIND_POD_SUBID_FIT_H
#define LAZYDIND_POD_SUBID_FIT_H

#include <stddef.h>

#include "pod/parse_proc.h"

struct lz_subrange {
    unsigned long start, count;
};

/* The ranges of every id mapped in m (inside ids) but 0 and uid, in order:
 * for uid 1000 under "0 X 65536", 1:999 and 1001:64535. At most max;
 * returns how many. */
int lz_subid_fit(const struct lz_idmap *m, unsigned long uid, struct lz_subrange *out,
                 int max);

/* "name:1:999 name:1001:64535" (the /etc/subuid lines, space separated) of
 * the ranges that fit; "" when none do. */
void lz_subid_fit_text(const struct lz_idmap *m, unsigned long uid, const char *name,
                       char *out, size_t outlen);

#endif
