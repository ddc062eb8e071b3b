#include "config/engine.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Reads digits at *p into *v (at most 5). 0 on success. */
static int number(const char **p, int *v)
{
    int n = 0, d = 0;
    while (isdigit((unsigned char)**p) && d < 5) {
        n = n * 10 + (**p - '0');
        (*p)++;
        d++;
    }
    if (d == 0 || isdigit((unsigned char)**p))
        return -1;
    *v = n;
    return 0;
}

int lz_engine_parse(const char *text, struct lz_engine *e)
{
    memset(e, 0, sizeof *e);
    const char *p = text ? strstr(text, "version ") : NULL;
    if (!p)
        return -1;
    p += 8;
    const char *start = p;
    if (*p == 'v')
        p++;
    if (number(&p, &e->major) != 0 || *p++ != '.' || number(&p, &e->minor) != 0)
        return -1;
    if (*p == '.') {
        p++;
        if (number(&p, &e->patch) != 0)
            return -1;
    }
    /* the rest of the version word: "+dfsg4", "-ce", "-rc.1" */
    while (*p && *p != ',' && !isspace((unsigned char)*p))
        p++;
    size_t n = (size_t)(p - start);
    if (n >= sizeof e->version)
        n = sizeof e->version - 1;
    for (size_t i = 0; i < n; i++)
        if (!isprint((unsigned char)start[i]))
            return -1;
    memcpy(e->version, start, n);
    e->version[n] = '\0';
    e->known = 1;
    return 0;
}

int lz_engine_at_least(const struct lz_engine *e, int major, int minor)
{
    return e && e->known &&
           (e->major > major || (e->major == major && e->minor >= minor));
}

int lz_engine_has_default_network_opts(const struct lz_engine *e)
{
    return lz_engine_at_least(e, 24, 0);
}

int lz_engine_has_min_api_env(const struct lz_engine *e)
{
    return lz_engine_at_least(e, 25, 0);
}

const char *lz_engine_default_min_api(const struct lz_engine *e)
{
    if (!e || !e->known)
        return NULL;
    if (lz_engine_at_least(e, 29, 0))
        return "1.44";
    if (lz_engine_at_least(e, 25, 0))
        return "1.24";
    return "1.12";
}

int lz_containerd_store(int feature, const struct lz_engine *e, int has_graph_data)
{
    /* the feature exists from Docker 24 on; older engines ignore it */
    if (!lz_engine_at_least(e, 24, 0))
        return 0;
    if (feature >= 0)
        return feature;
    return lz_engine_at_least(e, 29, 0) && !has_graph_data;
}

int lz_parse_api_version(const char *s, int *minor)
{
    if (!s || s[0] != '1' || s[1] != '.')
        return -1;
    const char *p = s + 2;
    int v;
    if (number(&p, &v) != 0 || *p != '\0' || v < 12 || v > 99)
        return -1;
    if (p - s > 4 || s[2] == '0')
        return -1; /* "1.012": not how versions are written */
    *minor = v;
    return 0;
}

int lz_api_cmp(const char *a, const char *b)
{
    int x = -1, y = -1;
    if (lz_parse_api_version(a, &x) != 0)
        x = -1;
    if (lz_parse_api_version(b, &y) != 0)
        y = -1;
    return (x > y) - (x < y);
}
