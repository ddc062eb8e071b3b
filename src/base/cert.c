/* X.509 certificates in PEM files: base64 blocks, then the few DER fields
 * a user needs to see (subject, notAfter). A strict, bounded DER reader:
 * every length is checked against what is left. */
#define _GNU_SOURCE
#include "base/cert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ DER */

struct der {
    const unsigned char *p;
    size_t n;
};

/* Reads one TLV: its tag and its contents. 0, or -1 when malformed. */
static int der_next(struct der *d, unsigned char *tag, struct der *val)
{
    if (d->n < 2)
        return -1;
    *tag = d->p[0];
    size_t len = d->p[1], hdr = 2;
    if (len & 0x80) {
        size_t nb = len & 0x7f;
        if (nb == 0 || nb > 4 || d->n < 2 + nb)
            return -1;
        len = 0;
        for (size_t i = 0; i < nb; i++)
            len = (len << 8) | d->p[2 + i];
        hdr += nb;
    }
    if (len > d->n - hdr)
        return -1;
    val->p = d->p + hdr;
    val->n = len;
    d->p += hdr + len;
    d->n -= hdr + len;
    return 0;
}

/* Reads one TLV that must have the given tag. */
static int der_expect(struct der *d, unsigned char want, struct der *val)
{
    unsigned char tag;
    return der_next(d, &tag, val) == 0 && tag == want ? 0 : -1;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int digits(const unsigned char *p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 0;
}

/* UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ). */
static int der_time(unsigned char tag, struct der v, int64_t *out)
{
    int y, mo, d, h, mi, s, yl = tag == 0x17 ? 2 : tag == 0x18 ? 4 : 0;
    if (!yl || v.n != (size_t)yl + 11 || v.p[v.n - 1] != 'Z')
        return -1;
    if (digits(v.p, yl, &y) || digits(v.p + yl, 2, &mo) || digits(v.p + yl + 2, 2, &d) ||
        digits(v.p + yl + 4, 2, &h) || digits(v.p + yl + 6, 2, &mi) ||
        digits(v.p + yl + 8, 2, &s))
        return -1;
    if (yl == 2)
        y += y < 50 ? 2000 : 1900; /* RFC 5280, 4.1.2.5.1 */
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return -1;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    return 0;
}

/* The attribute names worth showing, by the last byte of 2.5.4.x. */
static const char *attr_name(struct der oid)
{
    static const unsigned char prefix[] = {0x55, 0x04};
    if (oid.n != 3 || memcmp(oid.p, prefix, 2) != 0)
        return NULL;
    switch (oid.p[2]) {
    case 0x03: return "CN";
    case 0x0a: return "O";
    case 0x0b: return "OU";
    case 0x06: return "C";
    default: return NULL;
    }
}

static void append(char *out, size_t cap, const char *name, struct der val)
{
    size_t o = strlen(out);
    int n = snprintf(out + o, cap - o, "%s%s=", o ? ", " : "", name);
    if (n < 0 || (size_t)n >= cap - o)
        return;
    o += (size_t)n;
    for (size_t i = 0; i < val.n && o + 1 < cap; i++)
        out[o++] = (val.p[i] >= 0x20 && val.p[i] < 0x7f) ? (char)val.p[i] : '?';
    out[o] = '\0';
}

/* Name ::= SEQUENCE OF SET OF SEQUENCE { OID, value } */
static int der_name(struct der name, char *out, size_t cap)
{
    out[0] = '\0';
    while (name.n) {
        struct der set, atv, oid, val;
        unsigned char vtag;
        if (der_expect(&name, 0x31, &set) != 0)
            return -1;
        while (set.n) {
            if (der_expect(&set, 0x30, &atv) != 0 || der_expect(&atv, 0x06, &oid) != 0 ||
                der_next(&atv, &vtag, &val) != 0)
                return -1;
            const char *an = attr_name(oid);
            if (an)
                append(out, cap, an, val);
        }
    }
    return 0;
}

int lz_cert_parse_der(const unsigned char *der, size_t len, struct lz_cert_info *out)
{
    struct der all = {der, len}, cert, tbs, skip, validity, t, subject;
    unsigned char tag;
    memset(out, 0, sizeof *out);
    if (der_expect(&all, 0x30, &cert) != 0 || all.n != 0 ||
        der_expect(&cert, 0x30, &tbs) != 0)
        return -1;
    if (tbs.n && tbs.p[0] == 0xa0 && der_next(&tbs, &tag, &skip) != 0) /* version */
        return -1;
    if (der_expect(&tbs, 0x02, &skip) != 0 ||  /* serialNumber */
        der_expect(&tbs, 0x30, &skip) != 0 ||  /* signature */
        der_expect(&tbs, 0x30, &skip) != 0 ||  /* issuer */
        der_expect(&tbs, 0x30, &validity) != 0 ||
        der_expect(&tbs, 0x30, &subject) != 0)
        return -1;
    if (der_next(&validity, &tag, &t) != 0 ||  /* notBefore */
        der_next(&validity, &tag, &t) != 0 || der_time(tag, t, &out->not_after) != 0)
        return -1;
    return der_name(subject, out->subject, sizeof out->subject);
}

/* --------------------------------------------------------------- base64 */

static int b64(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Decodes base64 text (whitespace ignored, '=' padding) into out. Returns
 * the decoded length, or -1. */
static long b64_decode(const char *s, size_t n, unsigned char *out, size_t cap)
{
    unsigned acc = 0;
    int bits = 0, pad = 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        int v = b64(c);
        if (v < 0 || pad)
            return -1;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= cap)
                return -1;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    return pad > 2 ? -1 : (long)o;
}

/* ------------------------------------------------------------------ PEM */

#define PEM_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_END "-----END CERTIFICATE-----"

int lz_pem_each_cert(const char *text, size_t len,
                     int (*fn)(const struct lz_cert_info *info, void *arg),
                     void *arg, int *bad_block)
{
    const char *p = text, *end = text + len;
    int count = 0;
    while (p < end) {
        const char *b = memmem(p, (size_t)(end - p), PEM_BEGIN, strlen(PEM_BEGIN));
        if (!b)
            break;
        const char *body = b + strlen(PEM_BEGIN);
        const char *e = memmem(body, (size_t)(end - body), PEM_END, strlen(PEM_END));
        count++;
        size_t cap = e ? (size_t)(e - body) : 0;
        unsigned char *der = cap ? malloc(cap) : NULL;
        long n = der ? b64_decode(body, cap, der, cap) : -1;
        struct lz_cert_info info;
        int ok = n > 0 && lz_cert_parse_der(der, (size_t)n, &info) == 0;
        free(der);
        if (!ok) {
            if (bad_block)
                *bad_block = count;
            return -1;
        }
        if (fn && fn(&info, arg) != 0)
            return count;
        p = e + strlen(PEM_END);
    }
    return count;
}

void lz_cert_date(int64_t t, char *out, size_t outlen)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(out, outlen, "%Y-%m-%d", &tm) == 0)
        snprintf(out, outlen, "?");
}
