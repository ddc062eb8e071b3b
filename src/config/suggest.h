/* "Did you mean": the setting closest to a misspelt lazydind.conf key or
 * LAZYDIND_* variable. Pure, over any table of settings. */
#ifndef LAZYDIND_SUGGEST_H
#define LAZYDIND_SUGGEST_H

#include "config/settings.h"

/* Edit distance between a and b, or 99 when either is longer than
 * LZ_CONF_KEY_MAX. */
int lz_edit_distance(const char *a, const char *b);

/* The key of table[0..n) closest to name, or NULL when none is close: name
 * is compared lowercased, '_' as '-', without a "LAZYDIND_" prefix; at
 * most 1 edit away for a key of up to 4 characters, else 2. */
const char *lz_closest_key(const char *name, const struct lz_setting *table,
                           int n);

#endif
