/* The kinds of value a setting can have: see settings.h. */
#include "config/settings.h"
#include "config/parse.h"
#include "config/engine.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hint(const struct lz_setting *s, char *why, size_t whylen)
{
    snprintf(why, whylen, "%s", s->hint);
    return -1;
}

int lz_set_text(const struct lz_setting *s, const char *text, void *field,
                char *why, size_t whylen)
{
    (void)s, (void)why, (void)whylen;
    *(const char **)field = text;
    return 0;
}

int lz_set_bool(const struct lz_setting *s, const char *text, void *field,
                char *why, size_t whylen)
{
    return lz_parse_bool(text, field) == 0 ? 0 : hint(s, why, whylen);
}

int lz_set_choice(const struct lz_setting *s, const char *text, void *field,
                  char *why, size_t whylen)
{
    for (int i = 0; s->choices[i]; i++)
        if (strcmp(text, s->choices[i]) == 0) {
            *(int *)field = i;
            return 0;
        }
    return hint(s, why, whylen);
}

int lz_set_duration(const struct lz_setting *s, const char *text, void *field,
                    char *why, size_t whylen)
{
    int64_t ms;
    if (lz_parse_duration_ms(text, &ms) != 0 || ms < s->min)
        return hint(s, why, whylen);
    *(int64_t *)field = ms;
    return 0;
}

int lz_set_duration_or_off(const struct lz_setting *s, const char *text,
                           void *field, char *why, size_t whylen)
{
    if (strcmp(text, "0") == 0 || strcmp(text, "off") == 0) {
        *(int64_t *)field = 0;
        return 0;
    }
    return lz_set_duration(s, text, field, why, whylen);
}

int lz_set_size(const struct lz_setting *s, const char *text, void *field,
                char *why, size_t whylen)
{
    int64_t bytes;
    if (lz_parse_size(text, &bytes) != 0 || bytes < s->min)
        return hint(s, why, whylen);
    *(int64_t *)field = bytes;
    return 0;
}

int lz_set_tmpfs_size(const struct lz_setting *s, const char *text, void *field,
                      char *why, size_t whylen)
{
    return lz_parse_tmpfs_size(text, field, s->cap) == 0 ? 0 : hint(s, why, whylen);
}

static int path_ok(const struct lz_setting *s, const char *text)
{
    return lz_valid_path(text) && (!s->maxlen || strlen(text) <= s->maxlen);
}

int lz_set_path(const struct lz_setting *s, const char *text, void *field,
                char *why, size_t whylen)
{
    if (!path_ok(s, text) || lz_strlcpy(field, text, s->cap) != 0)
        return hint(s, why, whylen);
    return 0;
}

int lz_set_path_ref(const struct lz_setting *s, const char *text, void *field,
                    char *why, size_t whylen)
{
    if (!path_ok(s, text))
        return hint(s, why, whylen);
    *(const char **)field = text;
    return 0;
}

int lz_set_path_list(const struct lz_setting *s, const char *text, void *field,
                     char *why, size_t whylen)
{
    size_t n = 0;
    for (const char *p = text; *p; p += n + (p[n] == ',')) {
        while (*p == ' ' || *p == ',')
            p++;
        n = strcspn(p, ",");
        if (n == 0)
            continue;
        if (p[0] != '/' || memchr(p, '\n', n) || n >= LZ_PATH_MAX)
            return hint(s, why, whylen);
    }
    *(const char **)field = text;
    return 0;
}

int lz_set_command(const struct lz_setting *s, const char *text, void *field,
                   char *why, size_t whylen)
{
    if (strchr(text, '\n') || (strchr(text, '/') && text[0] != '/') ||
        lz_strlcpy(field, text, s->cap) != 0)
        return hint(s, why, whylen);
    return 0;
}

static int dockerd_ok(const struct lz_setting *s, const char *text, char *why,
                      size_t whylen)
{
    json_t *v = s->dvalue(text, why, whylen);
    json_decref(v);
    return v ? 0 : -1;
}

int lz_set_dockerd(const struct lz_setting *s, const char *text, void *field,
                   char *why, size_t whylen)
{
    if (dockerd_ok(s, text, why, whylen) != 0)
        return -1;
    *(const char **)field = text;
    return 0;
}

int lz_set_dockerd_int(const struct lz_setting *s, const char *text, void *field,
                       char *why, size_t whylen)
{
    if (dockerd_ok(s, text, why, whylen) != 0)
        return -1;
    *(int *)field = atoi(text);
    return 0;
}

int lz_set_api_version(const struct lz_setting *s, const char *text, void *field,
                       char *why, size_t whylen)
{
    int minor;
    if (lz_parse_api_version(text, &minor) != 0 || minor < s->min)
        return hint(s, why, whylen);
    *(const char **)field = text;
    return 0;
}

const char *lz_setting_text(const struct lz_setting *s, const void *base,
                            char *buf, size_t cap)
{
    const void *field = (const char *)base + s->off;
    if (!s->dvalue)
        return NULL;
    if (s->parse == lz_set_dockerd_int) {
        int v = *(const int *)field;
        if (!v)
            return NULL;
        snprintf(buf, cap, "%d", v);
        return buf;
    }
    return *(const char *const *)field;
}
