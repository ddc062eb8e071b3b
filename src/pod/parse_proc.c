/* The text of /proc files (parse_proc.h). */
#define _GNU_SOURCE
#include "pod/parse_proc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ status */

/* The value after "Key:" on its own line of text, or NULL. */
static const char *field(const char *text, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = text; p && *p;) {
        if (strncmp(p, key, kl) == 0 && p[kl] == ':') {
            p += kl + 1;
            while (*p == ' ' || *p == '\t')
                p++;
            return p;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return NULL;
}

static int hex64(const char *s, uint64_t *out)
{
    if (!s || !isxdigit((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 16);
    if (errno)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int lz_parse_status(const char *text, struct lz_status *st)
{
    memset(st, 0, sizeof *st);
    st->seccomp = st->no_new_privs = -1;
    st->uid = st->euid = st->gid = st->egid = -1;
    if (!text)
        return -1;
    int have_eff = hex64(field(text, "CapEff"), &st->cap_eff) == 0;
    (void)hex64(field(text, "CapPrm"), &st->cap_prm);
    if (hex64(field(text, "CapBnd"), &st->cap_bnd) != 0)
        st->cap_bnd = st->cap_eff;
    const char *v;
    if ((v = field(text, "Seccomp")) && isdigit((unsigned char)*v))
        st->seccomp = (int)strtol(v, NULL, 10);
    if ((v = field(text, "NoNewPrivs")) && isdigit((unsigned char)*v))
        st->no_new_privs = (int)strtol(v, NULL, 10);
    if ((v = field(text, "Uid")) && sscanf(v, "%ld %ld", &st->uid, &st->euid) != 2)
        st->uid = st->euid = -1;
    if ((v = field(text, "Gid")) && sscanf(v, "%ld %ld", &st->gid, &st->egid) != 2)
        st->gid = st->egid = -1;
    return have_eff && st->euid >= 0 ? 0 : -1;
}

/* ------------------------------------------------------------------ idmaps */

int lz_parse_idmap(const char *text, struct lz_idmap *m)
{
    memset(m, 0, sizeof *m);
    for (const char *p = text; p && *p && m->n < LZ_IDMAP_MAX;) {
        unsigned long a, b, c;
        if (sscanf(p, "%lu %lu %lu", &a, &b, &c) == 3) {
            m->r[m->n].inside = a;
            m->r[m->n].outside = b;
            m->r[m->n].count = c;
            m->n++;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return m->n > 0 ? 0 : -1;
}

int lz_idmap_is_initial(const struct lz_idmap *m)
{
    return m->n == 1 && m->r[0].inside == 0 && m->r[0].outside == 0 &&
           m->r[0].count == 4294967295UL;
}

long lz_idmap_outside(const struct lz_idmap *m, unsigned long inside)
{
    for (int i = 0; i < m->n; i++)
        if (inside >= m->r[i].inside && inside - m->r[i].inside < m->r[i].count)
            return (long)(m->r[i].outside + (inside - m->r[i].inside));
    return -1;
}

int lz_idmap_covers(const struct lz_idmap *m, unsigned long start, unsigned long count)
{
    /* ranges do not overlap; walk [start, end) through them */
    unsigned long at = start, end = start + count;
    if (count == 0)
        return 1;
    for (int guard = 0; guard <= m->n && at < end; guard++) {
        int hit = 0;
        for (int i = 0; i < m->n; i++) {
            const struct lz_idrange *r = &m->r[i];
            if (at >= r->inside && at - r->inside < r->count) {
                at = r->inside + r->count;
                hit = 1;
                break;
            }
        }
        if (!hit)
            return 0;
    }
    return at >= end;
}

/* ----------------------------------------------- sysctls, filesystems, net */

long lz_parse_long(const char *text, long dflt)
{
    if (!text)
        return dflt;
    while (isspace((unsigned char)*text))
        text++;
    if (!isdigit((unsigned char)*text) && *text != '-')
        return dflt;
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text)
        return dflt;
    return v;
}

int lz_fs_listed(const char *text, const char *fs)
{
    size_t fl = strlen(fs);
    for (const char *p = text; p && *p;) {
        /* "nodev\toverlay" or "\text4" */
        const char *tab = strchr(p, '\t');
        const char *nl = strchr(p, '\n');
        if (tab && (!nl || tab < nl)) {
            const char *name = tab + 1;
            size_t n = nl ? (size_t)(nl - name) : strlen(name);
            if (n == fl && strncmp(name, fs, fl) == 0)
                return 1;
        }
        p = nl ? nl + 1 : NULL;
    }
    return 0;
}

int lz_text_nonblank(const char *text)
{
    for (const char *p = text ? text : ""; *p; p++)
        if (!isspace((unsigned char)*p))
            return 1;
    return 0;
}

