/* The lazydind.conf parser (see conffile.h for the grammar). Written here
 * rather than taken from libinih: Debian's libinih.a is built with 200-byte
 * lines (longer ones are split), indented-line continuation and ';' inline
 * comments, and it reports no column. */
#include "config/conffile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

static int fail(struct lz_conf_error *e, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(struct lz_conf_error *e, int line, int col, const char *fmt, ...)
{
    va_list ap;
    e->line = line;
    e->col = col;
    va_start(ap, fmt);
    vsnprintf(e->what, sizeof e->what, fmt, ap);
    va_end(ap);
    return -1;
}

/* A printable rendering of byte c for messages. */
static const char *show_char(unsigned char c, char *buf, size_t cap)
{
    if (c >= 0x21 && c < 0x7f)
        snprintf(buf, cap, "'%c'", c);
    else
        snprintf(buf, cap, "byte 0x%02x", c);
    return buf;
}

void lz_conf_free(struct lz_conf *c)
{
    free(c->v);
    free(c->store);
    c->v = NULL;
    c->store = NULL;
    c->n = 0;
}

const struct lz_conf_entry *lz_conf_find(const struct lz_conf *c, const char *key)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->v[i].key, key) == 0)
            return &c->v[i];
    return NULL;
}

/* Appends an entry, growing out->v (*cap entries). */
static int add_entry(struct lz_conf *out, int *cap, struct lz_conf_entry en,
                     struct lz_conf_error *e)
{
    if (out->n == *cap) {
        int ncap = *cap ? *cap * 2 : 16;
        struct lz_conf_entry *nv = realloc(out->v, (size_t)ncap * sizeof *nv);
        if (!nv)
            return fail(e, en.line, 1, "out of memory");
        out->v = nv;
        *cap = ncap;
    }
    out->v[out->n++] = en;
    return 0;
}

/* The value of a `key = value` line from q (just after the '='): blanks
 * trimmed, NUL-terminated in place. */
static int take_value(char *q, char *eol, const char *bol, int lineno, char **v,
                      struct lz_conf_error *e)
{
    while (q < eol && is_blank(*q))
        q++;
    char *vend = eol;
    while (vend > q && is_blank(vend[-1]))
        vend--;
    for (char *c = q; c < vend; c++)
        if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
            return fail(e, lineno, (int)(c - bol) + 1,
                        "control character (byte 0x%02x) in the value",
                        (unsigned char)*c);
    *vend = '\0';
    *v = q;
    return 0;
}

/* One line, p..eol (columns count from bol): nothing for a blank or
 * comment line, else its entry goes to out. */
static int parse_line(char *p, char *eol, const char *bol, int lineno,
                      struct lz_conf *out, int *cap, struct lz_conf_error *e)
{
    char sc[16];
    char *nul = memchr(p, '\0', (size_t)(eol - p));
    if (nul)
        return fail(e, lineno, (int)(nul - bol) + 1, "NUL byte");
    char *q = p;
    while (q < eol && is_blank(*q))
        q++;
    if (q == eol || *q == '#' || *q == ';')
        return 0;
    if (*q == '[')
        return fail(e, lineno, (int)(q - bol) + 1,
                    "sections are not used; write key = value lines");
    char *k = q;
    while (q < eol && is_key_char(*q))
        q++;
    if (q == k)
        return fail(e, lineno, (int)(q - bol) + 1,
                    "expected a key (letters, digits, '-'), found %s",
                    show_char((unsigned char)*q, sc, sizeof sc));
    if (q - k >= LZ_CONF_KEY_MAX)
        return fail(e, lineno, (int)(k - bol) + 1,
                    "key is longer than %d bytes", LZ_CONF_KEY_MAX - 1);
    char *kend = q;
    while (q < eol && is_blank(*q))
        q++;
    if (q == eol || *q != '=')
        return fail(e, lineno, (int)(q - bol) + 1,
                    q == eol ? "expected '=' after the key '%.*s'"
                             : "expected '=' after the key '%.*s', found %s",
                    (int)(kend - k), k, show_char((unsigned char)*q, sc, sizeof sc));
    char *v = NULL;
    if (take_value(q + 1, eol, bol, lineno, &v, e) != 0)
        return -1;
    *kend = '\0';
    const struct lz_conf_entry *dup = lz_conf_find(out, k);
    if (dup)
        return fail(e, lineno, (int)(k - bol) + 1,
                    "'%s' is already set on line %d; set it once", k, dup->line);
    struct lz_conf_entry en = {
        .key = k, .value = v, .line = lineno,
        .key_col = (int)(k - bol) + 1, .value_col = (int)(v - bol) + 1,
    };
    return add_entry(out, cap, en, e);
}

static int parse(char *s, size_t len, struct lz_conf *out, struct lz_conf_error *e)
{
    int cap = 0, lineno = 0;
    char *p = s, *end = s + len;
    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    char *bol = s; /* columns count from the real start of the line */
    while (p < end) {
        lineno++;
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n > 0 && p[n - 1] == '\r')
            n--;
        if (parse_line(p, p + n, bol, lineno, out, &cap, e) != 0)
            return -1;
        if (!nl)
            break;
        p = nl + 1;
        bol = p;
    }
    return 0;
}

int lz_conf_parse(const char *text, size_t len, struct lz_conf *out,
                  struct lz_conf_error *e)
{
    memset(out, 0, sizeof *out);
    memset(e, 0, sizeof *e);
    if (len > (size_t)1 << 30)
        return fail(e, 1, 1, "file too large");
    out->store = malloc(len + 1);
    if (!out->store)
        return fail(e, 1, 1, "out of memory");
    if (len)
        memcpy(out->store, text, len);
    out->store[len] = '\0';
    if (parse(out->store, len, out, e) != 0) {
        lz_conf_free(out);
        return -1;
    }
    return 0;
}
