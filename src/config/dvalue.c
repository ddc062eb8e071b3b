/* The values of dockerd's settings as lazydind takes them: see dvalue.h. */
#define _GNU_SOURCE
#include "config/dvalue.h"
#include "config/podnet.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 32
#define ITEM_MAX 512

static int say(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int say(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
    return -1;
}

static json_t *refuse(char *why, size_t whylen, const char *what)
{
    say(why, whylen, "%s", what);
    return NULL;
}

/* ------------------------------------------------------------- pieces -- */

/* Splits a comma-separated list; blanks around items are dropped. */
static int split_list(const char *text, char items[][ITEM_MAX], int *n, char *why,
                      size_t whylen)
{
    const char *p = text;
    *n = 0;
    for (;;) {
        const char *c = strchr(p, ',');
        const char *e = c ? c : p + strlen(p);
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        const char *t = e;
        while (t > p && (t[-1] == ' ' || t[-1] == '\t'))
            t--;
        if (t == p)
            return say(why, whylen, "has an empty item; separate items with "
                       "single commas");
        if (*n == MAX_ITEMS)
            return say(why, whylen, "has more than %d items", MAX_ITEMS);
        if ((size_t)(t - p) >= ITEM_MAX)
            return say(why, whylen, "has an item longer than %d bytes", ITEM_MAX - 1);
        memcpy(items[*n], p, (size_t)(t - p));
        items[*n][t - p] = '\0';
        (*n)++;
        if (!c)
            return 0;
        p = c + 1;
    }
}

static int valid_port(const char *s)
{
    long v = 0;
    if (!*s || strlen(s) > 5)
        return 0;
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)*p))
            return 0;
        v = v * 10 + (*p - '0');
    }
    return v >= 1 && v <= 65535;
}

/* host, host:port, [v6]:port, v4:port. */
static int valid_hostport(const char *s)
{
    char host[ITEM_MAX];
    const char *port = NULL;
    if (!*s || strlen(s) >= sizeof host)
        return 0;
    if (s[0] == '[') {
        const char *rb = strchr(s, ']');
        if (!rb)
            return 0;
        memcpy(host, s + 1, (size_t)(rb - s - 1));
        host[rb - s - 1] = '\0';
        struct in6_addr a6;
        if (inet_pton(AF_INET6, host, &a6) != 1)
            return 0;
        if (rb[1] == '\0')
            return 1;
        return rb[1] == ':' && valid_port(rb + 2);
    }
    strcpy(host, s);
    char *colon = strchr(host, ':');
    if (colon) {
        *colon = '\0';
        port = colon + 1;
        if (!valid_port(port))
            return 0;
    }
    if (!host[0] || host[0] == '.' || host[0] == '-')
        return 0;
    for (const char *p = host; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_')
            return 0;
    return 1;
}

/* "addr/len" for IPv4 or IPv6; host bits must be zero when require_net.
 * 0 and the family and length. */
static int parse_cidr(const char *s, int require_net, int *family, int *len)
{
    struct lz_net4 n4;
    if (lz_parse_net4(s, &n4, require_net) == 0) {
        *family = 4;
        *len = n4.len;
        return 0;
    }
    char ip[64];
    const char *slash = strchr(s, '/');
    if (!slash || (size_t)(slash - s) >= sizeof ip || !strchr(s, ':'))
        return -1;
    memcpy(ip, s, (size_t)(slash - s));
    ip[slash - s] = '\0';
    unsigned char a[16];
    if (inet_pton(AF_INET6, ip, a) != 1)
        return -1;
    const char *p = slash + 1;
    if (!isdigit((unsigned char)*p) || strlen(p) > 3 || (p[0] == '0' && p[1]))
        return -1;
    for (const char *q = p; *q; q++)
        if (!isdigit((unsigned char)*q))
            return -1;
    int l = atoi(p);
    if (l > 128)
        return -1;
    if (require_net)
        for (int bit = l; bit < 128; bit++)
            if (a[bit / 8] & (0x80 >> (bit % 8)))
                return -1;
    *family = 6;
    *len = l;
    return 0;
}

static int check_mirror(const char *s, char *why, size_t whylen)
{
    const char *rest;
    if (strncmp(s, "http://", 7) == 0)
        rest = s + 7;
    else if (strncmp(s, "https://", 8) == 0)
        rest = s + 8;
    else
        return say(why, whylen, "has '%s', which is not an http:// or https:// "
                   "URL; use e.g. https://mirror.gcr.io or http://127.0.0.1:5000", s);
    if (strchr(rest, '@'))
        return say(why, whylen, "has '%s': credentials do not belong in a mirror "
                   "URL (use docker login)", s);
    char host[ITEM_MAX];
    const char *slash = strchr(rest, '/');
    size_t hl = slash ? (size_t)(slash - rest) : strlen(rest);
    memcpy(host, rest, hl);
    host[hl] = '\0';
    if (!valid_hostport(host))
        return say(why, whylen, "has '%s', whose host[:port] is not valid", s);
    if (slash && slash[1])
        return say(why, whylen, "has '%s': a mirror is a registry's root URL, "
                   "without a path", s);
    return 0;
}

static int check_insecure(const char *s, char *why, size_t whylen)
{
    int fam, len;
    if (strstr(s, "://"))
        return say(why, whylen, "has '%s': an insecure registry is host[:port] or "
                   "a CIDR, without a scheme", s);
    if (strchr(s, '/')) {
        if (parse_cidr(s, 0, &fam, &len) != 0)
            return say(why, whylen, "has '%s', which is not a CIDR such as "
                       "10.0.0.0/8", s);
        return 0;
    }
    if (!valid_hostport(s))
        return say(why, whylen, "has '%s', which is not a registry host[:port] "
                   "such as registry.local:5000", s);
    return 0;
}

/* --------------------------------------------------------- the lists -- */

/* Checks one item of a list of n items. 0, or -1 with why. */
typedef int item_check(const char *item, int n, char *why, size_t whylen);

static int mirror_item(const char *s, int n, char *why, size_t whylen)
{
    (void)n;
    return check_mirror(s, why, whylen);
}

static int insecure_item(const char *s, int n, char *why, size_t whylen)
{
    (void)n;
    return check_insecure(s, why, whylen);
}

static int dns_item(const char *s, int n, char *why, size_t whylen)
{
    unsigned char a[16];
    if (inet_pton(AF_INET, s, a) != 1 && inet_pton(AF_INET6, s, a) != 1)
        return say(why, whylen, "has '%s', which is not an IP address; "
                   "use e.g. 10.96.0.10,8.8.8.8", s);
    if (n > 3)
        return say(why, whylen, "has %d servers; a resolv.conf uses at most 3", n);
    return 0;
}

/* A comma-separated list whose every item passes check: a JSON array of
 * strings. */
static json_t *string_list(const char *text, item_check *check, char *why,
                           size_t whylen)
{
    static char items[MAX_ITEMS][ITEM_MAX];
    int n = 0;
    if (split_list(text, items, &n, why, whylen) != 0)
        return NULL;
    for (int i = 0; i < n; i++)
        if (check(items[i], n, why, whylen) != 0)
            return NULL;
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_string(items[i]));
    return a;
}

json_t *lz_dvalue_registry_mirrors(const char *text, char *why, size_t whylen)
{
    return string_list(text, mirror_item, why, whylen);
}

json_t *lz_dvalue_insecure_registries(const char *text, char *why, size_t whylen)
{
    return string_list(text, insecure_item, why, whylen);
}

json_t *lz_dvalue_dns(const char *text, char *why, size_t whylen)
{
    return string_list(text, dns_item, why, whylen);
}

/* -------------------------------------------------------- the choices -- */

static json_t *one_of(const char *text, const char *const *names, char *why,
                      size_t whylen, const char *what)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(text, names[i]) == 0)
            return json_string(text);
    return refuse(why, whylen, what);
}

json_t *lz_dvalue_storage_driver(const char *text, char *why, size_t whylen)
{
    static const char *const drivers[] = {"overlay2", "fuse-overlayfs", "btrfs",
                                          "zfs", "vfs", "devicemapper", NULL};
    return one_of(text, drivers, why, whylen, "is not one of overlay2, "
                  "fuse-overlayfs, btrfs, zfs, vfs, devicemapper");
}

json_t *lz_dvalue_log_level(const char *text, char *why, size_t whylen)
{
    static const char *const levels[] = {"debug", "info", "warn", "error",
                                         "fatal", NULL};
    return one_of(text, levels, why, whylen,
                  "is not one of debug, info, warn, error, fatal");
}

/* ------------------------------------------------------- the networks -- */

json_t *lz_dvalue_mtu(const char *text, char *why, size_t whylen)
{
    long m = 0;
    const char *p = text;
    while (isdigit((unsigned char)*p) && m < 100000)
        m = m * 10 + (*p++ - '0');
    if (p == text || *p || m < 576 || m > 9216)
        return refuse(why, whylen, "is not a number between 576 and 9216; use "
                      "the pod network's MTU, e.g. 1450");
    return json_integer(m);
}

json_t *lz_dvalue_bip(const char *text, char *why, size_t whylen)
{
    struct lz_net4 b;
    if (lz_parse_net4(text, &b, 0) == 0 && b.len >= 8 && b.len <= 30) {
        uint32_t m = ~((1u << (32 - b.len)) - 1);
        uint32_t host = b.addr & ~m;
        if (host != 0 && host != ~m)
            return json_string(text);
    }
    return refuse(why, whylen, "is not the bridge's own address with a prefix "
                  "length of 8 to 30 (not the network's address); use e.g. "
                  "172.18.0.1/16");
}

/* One pool, "BASE/LEN[:SIZE]" (s is changed): {"base", "size"}, or NULL
 * with why. */
static json_t *address_pool(char *s, char *why, size_t whylen)
{
    char *slash = strchr(s, '/');
    char *colon = slash ? strchr(slash, ':') : NULL;
    int fam = 0, len = 0, size = -1;
    if (colon) {
        *colon = '\0';
        const char *p = colon + 1;
        size = 0;
        while (isdigit((unsigned char)*p) && size < 1000)
            size = size * 10 + (*p++ - '0');
        if (p == colon + 1 || *p)
            size = -2;
    }
    if (parse_cidr(s, 1, &fam, &len) != 0) {
        say(why, whylen, "has '%s', which is not a network such as "
            "10.201.0.0/16 (host bits zero)", s);
        return NULL;
    }
    if (size == -1)
        size = fam == 4 ? (len > 24 ? len : 24) : (len > 64 ? len : 64);
    int max = fam == 4 ? 30 : 126;
    if (size < len || size > max) {
        say(why, whylen, "has '%s' with a network size that is not between %d "
            "and %d; write BASE/LEN:SIZE, e.g. 10.201.0.0/16:24", s, len, max);
        return NULL;
    }
    json_t *o = json_object();
    json_object_set_new(o, "base", json_string(s));
    json_object_set_new(o, "size", json_integer(size));
    return o;
}

json_t *lz_dvalue_address_pools(const char *text, char *why, size_t whylen)
{
    static char items[MAX_ITEMS][ITEM_MAX];
    int n = 0;
    if (split_list(text, items, &n, why, whylen) != 0)
        return NULL;
    json_t *v = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = address_pool(items[i], why, whylen);
        if (!o) {
            json_decref(v);
            return NULL;
        }
        json_array_append_new(v, o);
    }
    return v;
}
