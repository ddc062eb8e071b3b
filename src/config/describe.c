/* Text for the user's eyes: see describe.h. */
#include "config/describe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *lz_json_text(const char *s, size_t n)
{
    json_t *v = json_stringn(s, n);
    if (v)
        return v;
    char *t = malloc(n + 1);
    if (!t)
        return NULL;
    for (size_t i = 0; i < n; i++)
        t[i] = (unsigned char)s[i] > 0x7f ? '?' : s[i];
    t[n] = '\0';
    v = json_stringn(t, n);
    free(t);
    return v;
}

void lz_redact_url(const char *url, char *out, size_t outlen)
{
    const char *s = strstr(url, "://");
    const char *start = s ? s + 3 : url;
    const char *at = strchr(start, '@');
    const char *slash = strchr(start, '/');
    const char *colon = at ? memchr(start, ':', (size_t)(at - start)) : NULL;
    if (!at || (slash && slash < at) || !colon) {
        snprintf(out, outlen, "%s", url);
        return;
    }
    snprintf(out, outlen, "%.*s:***%s", (int)(colon - url), url, at);
}
