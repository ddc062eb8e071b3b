/* "Did you mean": see suggest.h. */
#include "config/suggest.h"
#include "config/conffile.h"

#include <ctype.h>
#include <string.h>

/* Edit distance, capped: for "did you mean" on unknown keys. */
int lz_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int row[LZ_CONF_KEY_MAX + 1];
    if (la > LZ_CONF_KEY_MAX || lb > LZ_CONF_KEY_MAX)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *lz_closest_key(const char *key, const struct lz_setting *table, int n)
{
    char norm[LZ_CONF_KEY_MAX];
    size_t len = 0;
    for (const char *p = key; *p && len + 1 < sizeof norm; p++)
        norm[len++] = *p == '_' ? '-' : (char)tolower((unsigned char)*p);
    norm[len] = '\0';
    const char *k = strncmp(norm, "lazydind-", 9) == 0 ? norm + 9 : norm;
    const char *best = NULL;
    int bd = strlen(k) <= 4 ? 2 : 3; /* at most 1 edit in a short key, else 2 */
    for (int i = 0; i < n; i++) {
        int d = lz_edit_distance(k, table[i].key);
        if (d < bd) {
            bd = d;
            best = table[i].key;
        }
    }
    return best;
}
