/* The syntaxes of lazydind's own values: see parse.h. */
#include "config/parse.h"
#include "base/util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_DURATION_MS (24LL * 3600 * 1000)

int lz_parse_duration_ms(const char *s, int64_t *out)
{
    if (!s || !*s)
        return -1;
    int64_t total = 0;
    const char *p = s;
    int units = 0;
    while (*p) {
        if (!isdigit((unsigned char)*p))
            return -1;
        int64_t v = 0;
        while (isdigit((unsigned char)*p)) {
            v = v * 10 + (*p - '0');
            if (v > MAX_DURATION_MS)
                return -1;
            p++;
        }
        int64_t mult;
        if (*p == '\0') {
            if (units) /* "1m30" is ambiguous */
                return -1;
            mult = 1000;
        } else if (strncmp(p, "ms", 2) == 0) {
            mult = 1;
            p += 2;
        } else if (*p == 's') {
            mult = 1000;
            p++;
        } else if (*p == 'm') {
            mult = 60 * 1000;
            p++;
        } else if (*p == 'h') {
            mult = 3600 * 1000;
            p++;
        } else {
            return -1;
        }
        units++;
        total += v * mult;
        if (total > MAX_DURATION_MS)
            return -1;
    }
    *out = total;
    return 0;
}

int lz_parse_size(const char *s, int64_t *out)
{
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    int64_t v = 0;
    const char *p = s;
    while (isdigit((unsigned char)*p)) {
        v = v * 10 + (*p - '0');
        if (v > (1LL << 50))
            return -1;
        p++;
    }
    int shift = 0;
    switch (tolower((unsigned char)*p)) {
    case '\0': break;
    case 'k': shift = 10; p++; break;
    case 'm': shift = 20; p++; break;
    case 'g': shift = 30; p++; break;
    case 't': shift = 40; p++; break;
    case 'b': break;
    default: return -1;
    }
    if (shift && (*p == 'i' || *p == 'I'))
        p++;
    if (*p == 'b' || *p == 'B')
        p++;
    if (*p != '\0')
        return -1;
    if (shift && v > (INT64_MAX >> shift))
        return -1;
    *out = v << shift;
    return 0;
}

int lz_parse_bool(const char *s, int *out)
{
    static const char *yes[] = {"1", "true", "yes", "on"};
    static const char *no[] = {"0", "false", "no", "off"};
    if (!s)
        return -1;
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

int lz_parse_tmpfs_size(const char *s, char *out, size_t outlen)
{
    size_t n = s ? strlen(s) : 0;
    if (n >= 2 && s[n - 1] == '%') {
        int v = 0;
        for (size_t i = 0; i + 1 < n; i++) {
            if (!isdigit((unsigned char)s[i]) || v > 100)
                return -1;
            v = v * 10 + (s[i] - '0');
        }
        if (v < 1 || v > 100)
            return -1;
        return snprintf(out, outlen, "%d%%", v) < (int)outlen ? 0 : -1;
    }
    int64_t bytes;
    if (lz_parse_size(s, &bytes) != 0 || bytes < (1 << 20))
        return -1;
    return snprintf(out, outlen, "%lld", (long long)bytes) < (int)outlen ? 0 : -1;
}

int lz_valid_path(const char *s)
{
    if (!s || s[0] != '/' || strlen(s) >= LZ_PATH_MAX)
        return 0;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}
