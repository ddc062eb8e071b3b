/* dockerd's generated config: see daemonconf.h for the rules. */
#define _GNU_SOURCE
#include "config/daemonconf.h"
#include "base/safepath.h"
#include "base/state.h"
#include "base/util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* ------------------------------------------------------------- values -- */

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

static json_t *str_array(char items[][ITEM_MAX], int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_string(items[i]));
    return a;
}

int lz_dconf_value(const char *key, const char *text, json_t **out, char *why,
                   size_t whylen)
{
    static char items[MAX_ITEMS][ITEM_MAX];
    int n = 0;
    json_t *v = NULL;
    if (out)
        *out = NULL;
    if (!text)
        return say(why, whylen, "is empty");
    if (strcmp(key, "registry-mirrors") == 0 || strcmp(key, "insecure-registries") == 0 ||
        strcmp(key, "dns") == 0) {
        if (split_list(text, items, &n, why, whylen) != 0)
            return -1;
        for (int i = 0; i < n; i++) {
            if (key[0] == 'r' && check_mirror(items[i], why, whylen) != 0)
                return -1;
            if (key[0] == 'i' && check_insecure(items[i], why, whylen) != 0)
                return -1;
            if (key[0] == 'd') {
                unsigned char a[16];
                if (inet_pton(AF_INET, items[i], a) != 1 &&
                    inet_pton(AF_INET6, items[i], a) != 1)
                    return say(why, whylen, "has '%s', which is not an IP address; "
                               "use e.g. 10.96.0.10,8.8.8.8", items[i]);
                if (n > 3)
                    return say(why, whylen, "has %d servers; a resolv.conf uses at "
                               "most 3", n);
            }
        }
        v = str_array(items, n);
    } else if (strcmp(key, "storage-driver") == 0) {
        static const char *const drivers[] = {"overlay2", "fuse-overlayfs", "btrfs",
                                              "zfs", "vfs", "devicemapper", NULL};
        for (int i = 0; drivers[i] && !v; i++)
            if (strcmp(text, drivers[i]) == 0)
                v = json_string(text);
        if (!v)
            return say(why, whylen, "is not one of overlay2, fuse-overlayfs, btrfs, "
                       "zfs, vfs, devicemapper");
    } else if (strcmp(key, "mtu") == 0) {
        long m = 0;
        const char *p = text;
        while (isdigit((unsigned char)*p) && m < 100000)
            m = m * 10 + (*p++ - '0');
        if (p == text || *p || m < 576 || m > 9216)
            return say(why, whylen, "is not a number between 576 and 9216; use the "
                       "pod network's MTU, e.g. 1450");
        v = json_integer(m);
    } else if (strcmp(key, "bip") == 0) {
        struct lz_net4 b;
        uint32_t host = 0;
        if (lz_parse_net4(text, &b, 0) == 0 && b.len >= 8 && b.len <= 30) {
            uint32_t m = ~((1u << (32 - b.len)) - 1);
            host = b.addr & ~m;
            if (host != 0 && host != ~m)
                v = json_string(text);
        }
        if (!v)
            return say(why, whylen, "is not the bridge's own address with a prefix "
                       "length of 8 to 30 (not the network's address); use e.g. "
                       "172.18.0.1/16");
    } else if (strcmp(key, "default-address-pools") == 0) {
        if (split_list(text, items, &n, why, whylen) != 0)
            return -1;
        v = json_array();
        for (int i = 0; i < n; i++) {
            char *s = items[i], *slash = strchr(s, '/');
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
                json_decref(v);
                return say(why, whylen, "has '%s', which is not a network such as "
                           "10.201.0.0/16 (host bits zero)", s);
            }
            if (size == -1)
                size = fam == 4 ? (len > 24 ? len : 24) : (len > 64 ? len : 64);
            int max = fam == 4 ? 30 : 126;
            if (size < len || size > max) {
                json_decref(v);
                return say(why, whylen, "has '%s' with a network size that is not "
                           "between %d and %d; write BASE/LEN:SIZE, e.g. "
                           "10.201.0.0/16:24", s, len, max);
            }
            json_t *o = json_object();
            json_object_set_new(o, "base", json_string(s));
            json_object_set_new(o, "size", json_integer(size));
            json_array_append_new(v, o);
        }
    } else if (strcmp(key, "log-level") == 0) {
        static const char *const levels[] = {"debug", "info", "warn", "error",
                                             "fatal", NULL};
        for (int i = 0; levels[i] && !v; i++)
            if (strcmp(text, levels[i]) == 0)
                v = json_string(text);
        if (!v)
            return say(why, whylen, "is not one of debug, info, warn, error, fatal");
    } else {
        return say(why, whylen, "is not a dockerd setting lazydind knows");
    }
    if (out)
        *out = v;
    else
        json_decref(v);
    return 0;
}

/* -------------------------------------------------------------- flags -- */

const char *lz_dconf_flag_key(const char *arg, char *buf, size_t cap)
{
    static const char *const shorts[][2] = {
        {"D", "debug"}, {"l", "log-level"}, {"H", "hosts"}, {"b", "bridge"},
        {"G", "group"}, {"s", "storage-driver"}, {"p", "pidfile"},
        {"g", "data-root"},
    };
    static const char *const plural[][2] = {
        {"registry-mirror", "registry-mirrors"},
        {"insecure-registry", "insecure-registries"},
        {"label", "labels"},
        {"storage-opt", "storage-opts"},
        {"log-opt", "log-opts"},
        {"exec-opt", "exec-opts"},
        {"dns-opt", "dns-opts"},
        {"default-address-pool", "default-address-pools"},
        {"host", "hosts"},
        {"add-runtime", "runtimes"},
        {"authorization-plugin", "authorization-plugins"},
        {"default-ulimit", "default-ulimits"},
        {"node-generic-resource", "node-generic-resources"},
        {"cluster-store-opt", "cluster-store-opts"},
        {"feature", "features"},
        {"graph", "data-root"},
    };
    if (!arg || arg[0] != '-' || !arg[1] || strcmp(arg, "--") == 0)
        return NULL;
    if (arg[1] != '-') {
        for (size_t i = 0; i < sizeof shorts / sizeof shorts[0]; i++)
            if (arg[1] == shorts[i][0][0])
                return lz_strlcpy(buf, shorts[i][1], cap) == 0 ? buf : NULL;
        return NULL;
    }
    const char *name = arg + 2;
    size_t n = strcspn(name, "=");
    if (n == 0 || n >= cap)
        return NULL;
    for (size_t i = 0; i < sizeof plural / sizeof plural[0]; i++)
        if (strlen(plural[i][0]) == n && strncmp(name, plural[i][0], n) == 0)
            return lz_strlcpy(buf, plural[i][1], cap) == 0 ? buf : NULL;
    memcpy(buf, name, n);
    buf[n] = '\0';
    return buf;
}

/* -------------------------------------------------------- daemon.json -- */

json_t *lz_dconf_load_user(const char *path, int *absent, char *err, size_t errlen)
{
    json_error_t je;
    *absent = 0;
    FILE *f = fopen(path, "re");
    if (!f) {
        if (errno == ENOENT || errno == ENOTDIR) {
            *absent = 1;
            return NULL;
        }
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    /* root's dockerd obeys it: nobody else may be able to change it */
    char why[1024];
    if (geteuid() == 0 && lz_file_trusted(path, fileno(f), why, sizeof why) != 0) {
        snprintf(err, errlen, "will not use %s as root: %s", path, why);
        fclose(f);
        return NULL;
    }
    json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
    fclose(f);
    if (!root) {
        snprintf(err, errlen,
                 "%s:%d:%d: %s; fix the JSON or remove the file "
                 "(nothing was started)",
                 path, je.line, je.column, je.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        snprintf(err, errlen, "%s: the top level must be a JSON object", path);
        json_decref(root);
        return NULL;
    }
    return root;
}

/* ------------------------------------------------------------- merging -- */

/* A JSON value in short, for origins ("beats daemon.json's 1500"). */
static void brief(const json_t *v, char *out, size_t cap)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!s) {
        snprintf(out, cap, "?");
        return;
    }
    if (strlen(s) > 60)
        snprintf(out, cap, "%.57s...", s);
    else
        snprintf(out, cap, "%s", s);
    free(s);
}

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

static void set_origin(json_t *origins, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_origin(json_t *origins, const char *key, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    json_object_set_new(origins, key, lz_json_text(buf, strlen(buf)));
}

static int has_key(const json_t *flags, const char *key)
{
    return json_object_get(flags, key) != NULL;
}

void lz_dconf_free(struct lz_dconf *d)
{
    json_decref(d->config);
    json_decref(d->origins);
    free(d->argv);
    lz_words_free(&d->words);
    d->config = d->origins = NULL;
    d->argv = NULL;
    d->argc = 0;
}

static void add_note(struct lz_dconf *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add_note(struct lz_dconf *d, const char *fmt, ...)
{
    if (d->nnotes >= LZ_DCONF_NOTES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->notes[d->nnotes++], sizeof d->notes[0], fmt, ap);
    va_end(ap);
}

/* The setting behind each lazydind-managed daemon.json key. */
static const struct {
    const char *env, *key;
} dsettings[] = {
    {"LAZYDIND_REGISTRY_MIRRORS", "registry-mirrors"},
    {"LAZYDIND_INSECURE_REGISTRIES", "insecure-registries"},
    {"LAZYDIND_STORAGE_DRIVER", "storage-driver"},
    {"LAZYDIND_MTU", "mtu"},
    {"LAZYDIND_BIP", "bip"},
    {"LAZYDIND_DEFAULT_ADDRESS_POOLS", "default-address-pools"},
    {"LAZYDIND_DNS", "dns"},
    {"LAZYDIND_LOG_LEVEL", "log-level"},
};

static const char *setting_text(const struct lz_config *cfg, const char *env,
                                char *buf, size_t cap)
{
    if (strcmp(env, "LAZYDIND_MTU") == 0) {
        if (!cfg->mtu)
            return NULL;
        snprintf(buf, cap, "%d", cfg->mtu);
        return buf;
    }
    if (strcmp(env, "LAZYDIND_REGISTRY_MIRRORS") == 0) return cfg->registry_mirrors;
    if (strcmp(env, "LAZYDIND_INSECURE_REGISTRIES") == 0) return cfg->insecure_registries;
    if (strcmp(env, "LAZYDIND_STORAGE_DRIVER") == 0) return cfg->storage_driver;
    if (strcmp(env, "LAZYDIND_BIP") == 0) return cfg->bip;
    if (strcmp(env, "LAZYDIND_DEFAULT_ADDRESS_POOLS") == 0) return cfg->default_address_pools;
    if (strcmp(env, "LAZYDIND_DNS") == 0) return cfg->dns;
    if (strcmp(env, "LAZYDIND_LOG_LEVEL") == 0) return cfg->log_level;
    return NULL;
}

/* docker0's network as configured: bip's, else the first pool's, else
 * docker's default. */
static void bridge_net(const json_t *config, char *out, size_t cap)
{
    struct lz_net4 n;
    const char *bip = json_string_value(json_object_get(config, "bip"));
    if (bip && lz_parse_net4(bip, &n, 0) == 0) {
        lz_net4_format(n, out, cap);
        return;
    }
    const json_t *pools = json_object_get(config, "default-address-pools");
    const char *base = json_string_value(json_object_get(json_array_get(pools, 0), "base"));
    if (base && strlen(base) < cap) {
        strcpy(out, base);
        return;
    }
    snprintf(out, cap, "172.17.0.0/16");
}

int lz_dconf_build(const struct lz_dconf_in *in, struct lz_dconf *out, char *err,
                   size_t errlen)
{
    const struct lz_config *cfg = in->cfg;
    const char *djson = cfg->daemon_json;
    char kb[128], prev[96], where[LZ_PATH_MAX + 64];
    out->config = in->user ? json_deep_copy(in->user) : json_object();
    out->origins = json_object();
    out->argv = calloc((size_t)in->argc + 1, sizeof *out->argv);
    out->argc = 0;
    out->nnotes = 0;
    out->set_no_proxy = 0;
    out->no_proxy[0] = '\0';
    json_t *flags = json_object();  /* key -> the flag that sets it */
    json_t *xhosts = json_array();  /* -H values */
    if (!out->config || !out->origins || !out->argv || !flags || !xhosts) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    json_t *config = out->config, *origins = out->origins;
    const char *key;
    json_t *val;
    json_object_foreach(config, key, val)
        set_origin(origins, key, "%s", djson);

    /* the legacy name of data-root */
    json_t *graph = json_object_get(config, "graph");
    if (graph) {
        if (!json_object_get(config, "data-root"))
            json_object_set(config, "data-root", graph);
        json_object_del(config, "graph");
        json_object_del(origins, "graph");
    }

    /* LAZYDIND_DOCKERD_ARGS: which keys its flags set; -H goes to hosts */
    for (int i = 0; i < in->argc; i++) {
        const char *a = in->argv[i];
        const char *k = lz_dconf_flag_key(a, kb, sizeof kb);
        if (!k) {
            out->argv[out->argc++] = in->argv[i];
            continue;
        }
        if (strcmp(k, "hosts") == 0) {
            const char *v = NULL;
            if (a[1] == '-')
                v = strchr(a, '=') ? strchr(a, '=') + 1 : NULL;
            else if (a[2])
                v = a[2] == '=' ? a + 3 : a + 2;
            if (!v) {
                if (i + 1 >= in->argc) {
                    snprintf(err, errlen, "LAZYDIND_DOCKERD_ARGS: %s needs a value", a);
                    goto fail;
                }
                v = in->argv[++i];
            }
            json_t *hv = json_string(v);
            if (!hv) {
                snprintf(err, errlen, "LAZYDIND_DOCKERD_ARGS: a -H/--host value is "
                         "not UTF-8, which dockerd's config file needs");
                goto fail;
            }
            json_array_append_new(xhosts, hv);
            continue;
        }
        if (strcmp(k, "data-root") == 0) {
            snprintf(err, errlen, "LAZYDIND_DOCKERD_ARGS has %s: set LAZYDIND_DATA_ROOT "
                     "instead (lazydind prepares the data-root before dockerd "
                     "starts)", a);
            goto fail;
        }
        if (strcmp(k, "config-file") == 0) {
            snprintf(err, errlen, "LAZYDIND_DOCKERD_ARGS has %s: lazydind passes its "
                     "own config file, merged from %s; put settings there instead",
                     a, djson);
            goto fail;
        }
        /* the flag as written, for messages (any bytes) */
        size_t fl = strcspn(a, "=");
        json_object_set_new(flags, k, lz_json_text(a, fl));
        out->argv[out->argc++] = in->argv[i];
    }

    /* lazydind's settings beat daemon.json; a flag for the same key is an
     * error */
    for (size_t i = 0; i < sizeof dsettings / sizeof dsettings[0]; i++) {
        char tb[32], why[512];
        const char *text = setting_text(cfg, dsettings[i].env, tb, sizeof tb);
        if (!text)
            continue;
        const char *k = dsettings[i].key;
        lz_config_origin(cfg, dsettings[i].env, where, sizeof where);
        if (has_key(flags, k)) {
            snprintf(err, errlen, "%s and %s in LAZYDIND_DOCKERD_ARGS both set "
                     "dockerd's \"%s\"; keep one of them", where,
                     json_string_value(json_object_get(flags, k)), k);
            goto fail;
        }
        json_t *v;
        if (lz_dconf_value(k, text, &v, why, sizeof why) != 0) {
            snprintf(err, errlen, "%s='%s' %s", where, text, why);
            goto fail;
        }
        json_t *old = json_object_get(config, k);
        if (old && !json_equal(old, v)) {
            brief(old, prev, sizeof prev);
            set_origin(origins, k, "%s (beats %s's %s)", where, djson, prev);
        } else {
            set_origin(origins, k, "%s", where);
        }
        json_object_set_new(config, k, v);
    }

    /* the data-root lazydind prepared */
    {
        const json_t *old = json_object_get(config, "data-root");
        const char *ov = json_string_value(old);
        if (old && !lz_valid_path(ov)) {
            snprintf(err, errlen, "%s: \"data-root\" must be an absolute path string",
                     djson);
            goto fail;
        }
        lz_config_origin(cfg, "LAZYDIND_DATA_ROOT", where, sizeof where);
        json_t *drv = json_string(cfg->data_root);
        if (!drv) {
            snprintf(err, errlen, "%s: the data-root is not UTF-8, which dockerd's "
                     "config file needs; choose another path", where);
            goto fail;
        }
        if (ov && strcmp(ov, cfg->data_root) != 0)
            set_origin(origins, "data-root", "%s (beats %s's \"%s\")", where, djson, ov);
        else
            set_origin(origins, "data-root", "%s", where);
        json_object_set_new(config, "data-root", drv);
    }

    /* no iptables backend works: dockerd without iptables */
    if (in->iptables_off && !has_key(flags, "iptables")) {
        json_t *old = json_object_get(config, "iptables");
        if (old && !json_is_false(old))
            set_origin(origins, "iptables", "lazydind: no iptables backend works in "
                       "this pod (beats %s)", djson);
        else
            set_origin(origins, "iptables", "lazydind: no iptables backend works in "
                       "this pod");
        json_object_set_new(config, "iptables", json_false());
    }

    /* a flag beats daemon.json: its key leaves the file */
    json_object_foreach(flags, key, val) {
        json_t *old = json_object_get(config, key);
        if (old) {
            brief(old, prev, sizeof prev);
            set_origin(origins, key, "LAZYDIND_DOCKERD_ARGS (%s); %s's %s is left "
                       "out, dockerd refuses a flag that repeats a key of its "
                       "config file", json_string_value(val), djson, prev);
            json_object_del(config, key);
        } else {
            set_origin(origins, key, "LAZYDIND_DOCKERD_ARGS (%s)",
                       json_string_value(val));
        }
    }

    /* hosts: fd:// (the socket lazydind owns), then the others */
    {
        json_t *old = json_object_get(config, "hosts");
        json_t *hosts = json_array();
        char sock[LZ_PATH_MAX + 8];
        snprintf(sock, sizeof sock, "unix://%s", cfg->socket_path);
        json_array_append_new(hosts, json_string("fd://"));
        int dropped = 0, kept = 0;
        size_t i;
        json_t *h;
        if (old && !json_is_array(old)) {
            json_decref(hosts);
            snprintf(err, errlen, "%s: \"hosts\" must be an array of strings", djson);
            goto fail;
        }
        json_array_foreach(old, i, h) {
            const char *s = json_string_value(h);
            if (!s) {
                json_decref(hosts);
                snprintf(err, errlen, "%s: \"hosts\" must be an array of strings", djson);
                goto fail;
            }
            if (strcmp(s, "fd://") == 0 || strcmp(s, sock) == 0 ||
                strcmp(s, "unix://") == 0 || strcmp(s, cfg->socket_path) == 0) {
                dropped++;
                continue;
            }
            json_array_append(hosts, h);
            kept++;
        }
        json_array_foreach(xhosts, i, h)
            json_array_append(hosts, h);
        set_origin(origins, "hosts", "lazydind: fd:// is %s, which it owns%s%s%s",
                   cfg->socket_path,
                   kept ? "; the others are from " : "", kept ? djson : "",
                   json_array_size(xhosts) ? "; -H of LAZYDIND_DOCKERD_ARGS" : "");
        (void)dropped;
        json_object_set_new(config, "hosts", hosts);
    }

    /* pod-derived values, used only where nobody set the key */
    const struct lz_podnet *net = in->net;
    if (net && net->default_mtu > 0 && net->default_mtu < 1500 &&
        !json_object_get(config, "mtu") && !has_key(flags, "mtu")) {
        json_object_set_new(config, "mtu", json_integer(net->default_mtu));
        set_origin(origins, "mtu", "auto: %s, the interface of the pod's default "
                   "route, has MTU %d", net->default_iface, net->default_mtu);
    }
    const char *br = json_string_value(json_object_get(config, "bridge"));
    if (net && !json_object_get(config, "bip") &&
        !json_object_get(config, "default-address-pools") && !has_key(flags, "bip") &&
        !has_key(flags, "default-address-pools") && !has_key(flags, "bridge") &&
        !has_key(flags, "fixed-cidr") && !json_object_get(config, "fixed-cidr") &&
        !(br && *br)) {
        static struct lz_pools p;
        lz_pick_pools(net->avoid, net->navoid, &p);
        if (p.dropped && p.n > 0) {
            json_t *pools = json_array();
            char b[32], d[32];
            for (int i = 0; i < p.n; i++) {
                json_t *o = json_object();
                lz_net4_format(p.pool[i], b, sizeof b);
                json_object_set_new(o, "base", json_string(b));
                json_object_set_new(o, "size", json_integer(p.size[i]));
                json_array_append_new(pools, o);
            }
            json_object_set_new(config, "default-address-pools", pools);
            lz_net4_format(p.first_dropped, d, sizeof d);
            lz_net4_format(p.pool[0], b, sizeof b);
            const char *what = net->avoid[p.first_why].what;
            if (p.bridge_clash)
                add_note(out, "docker's default bridge 172.17.0.0/16 overlaps %s: "
                         "docker0 gets %s instead, and docker networks come from "
                         "the %d default pools that overlap nothing in the pod "
                         "(LAZYDIND_DEFAULT_ADDRESS_POOLS or LAZYDIND_BIP choose)",
                         what, b, p.n);
            else
                add_note(out, "docker's address pool %s overlaps %s: docker "
                         "networks come from the %d default pools that overlap "
                         "nothing in the pod (LAZYDIND_DEFAULT_ADDRESS_POOLS "
                         "chooses)", d, what, p.n);
            set_origin(origins, "default-address-pools", "auto: dockerd's default "
                       "pools without %d that overlap the pod's network (%s: %s)",
                       p.dropped, d, what);
        } else if (p.dropped) {
            add_note(out, "every default docker address pool overlaps the pod's "
                     "network (%s); set LAZYDIND_DEFAULT_ADDRESS_POOLS",
                     net->avoid[p.first_why].what);
        }
    }

    /* proxies reach dockerd through its environment; the pod's own
     * addresses and docker0's network must not go through them */
    if (net && (net->http_proxy || net->https_proxy)) {
        const char *adds[LZ_MAX_ADDRS + 1];
        char bnet[32];
        int na = 0;
        for (int i = 0; i < net->naddrs; i++)
            adds[na++] = net->addrs[i];
        bridge_net(config, bnet, sizeof bnet);
        adds[na++] = bnet;
        if (lz_no_proxy(net->no_proxy, adds, na, out->no_proxy,
                        sizeof out->no_proxy) == 0)
            out->set_no_proxy = 1;
    }
    json_decref(flags);
    json_decref(xhosts);
    return 0;
fail:
    json_decref(flags);
    json_decref(xhosts);
    json_decref(out->config);
    json_decref(out->origins);
    free(out->argv);
    out->config = out->origins = NULL;
    out->argv = NULL;
    out->argc = 0;
    return -1;
}

/* ----------------------------------------------------------- the pod -- */

int lz_dconf_make(const struct lz_config *cfg, int iptables_off,
                  struct lz_dconf *out, char *err, size_t errlen)
{
    static struct lz_podnet net;
    char why[512];
    int absent;
    memset(out, 0, sizeof *out);
    json_t *user = lz_dconf_load_user(cfg->daemon_json, &absent, err, errlen);
    if (!user && !absent)
        return -1;
    if (cfg->dockerd_args &&
        lz_shsplit(cfg->dockerd_args, &out->words, why, sizeof why) != 0) {
        snprintf(err, errlen, "LAZYDIND_DOCKERD_ARGS='%s': %s", cfg->dockerd_args, why);
        json_decref(user);
        return -1;
    }
    lz_podnet_read(&net, json_string_value(json_object_get(user, "bridge")));
    struct lz_dconf_in in = {
        .cfg = cfg, .user = user, .argc = out->words.argc, .argv = out->words.argv,
        .net = &net, .iptables_off = iptables_off,
    };
    int rc = lz_dconf_build(&in, out, err, errlen);
    json_decref(user);
    if (rc != 0)
        lz_words_free(&out->words);
    return rc;
}

int lz_dconf_write(int dirfd, const struct lz_dconf *d, char *err, size_t errlen)
{
    char *text = json_dumps(d->config, JSON_INDENT(2));
    if (!text) {
        snprintf(err, errlen, "cannot encode dockerd's config");
        return -1;
    }
    size_t n = strlen(text);
    char *t2 = realloc(text, n + 2);
    if (!t2) {
        free(text);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    text = t2;
    text[n] = '\n';
    text[n + 1] = '\0';
    int rc = lz_state_write(dirfd, "daemon.json", text);
    int e = errno;
    free(text);
    if (rc != 0) {
        snprintf(err, errlen, "cannot write dockerd's config daemon.json in the "
                 "runtime dir: %s", strerror(e));
        return -1;
    }
    char notes[LZ_DCONF_NOTES * 650] = "";
    for (int i = 0; i < d->nnotes; i++) {
        strcat(notes, d->notes[i]);
        strcat(notes, "\n");
    }
    if (d->nnotes)
        (void)lz_state_write(dirfd, "notices", notes);
    else
        (void)unlinkat(dirfd, "notices", 0);
    return 0;
}

int lz_dconf_regenerate(const struct lz_config *cfg, int dirfd, int iptables_off,
                        char *no_proxy, size_t cap, char *err, size_t errlen)
{
    static struct lz_dconf d;
    if (lz_dconf_make(cfg, iptables_off, &d, err, errlen) != 0)
        return -1;
    int rc = lz_dconf_write(dirfd, &d, err, errlen);
    if (rc == 0 && lz_strlcpy(no_proxy, d.set_no_proxy ? d.no_proxy : "", cap) != 0)
        no_proxy[0] = '\0';
    lz_dconf_free(&d);
    return rc;
}

void lz_dconf_print_notices(int dirfd)
{
    char buf[LZ_DCONF_NOTES * 650];
    if (lz_read_file_at(dirfd, "notices", buf, sizeof buf) <= 0)
        return;
    for (char *p = buf, *nl; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (!nl)
            nl = p + strlen(p) - 1;
        else
            *nl = '\0';
        if (*p)
            lz_notice("%s", p);
    }
}

int lz_dconf_resolve(struct lz_config *cfg, char *err, size_t errlen)
{
    char why[512];
    int absent;
    json_t *user = lz_dconf_load_user(cfg->daemon_json, &absent, err, errlen);
    if (!user && !absent)
        return -1;
    json_t *dr = json_object_get(user, "data-root");
    if (!dr)
        dr = json_object_get(user, "graph");
    int di = lz_setting_index("LAZYDIND_DATA_ROOT");
    if (dr) {
        const char *v = json_string_value(dr);
        if (!lz_valid_path(v)) {
            snprintf(err, errlen, "%s: \"data-root\" must be an absolute path string",
                     cfg->daemon_json);
            json_decref(user);
            return -1;
        }
        if (cfg->rootless && cfg->data_root_set && strcmp(v, cfg->data_root) != 0) {
            /* rootless dockerd gets --data-root as a flag */
            snprintf(err, errlen,
                     "LAZYDIND_DATA_ROOT='%s' and \"data-root\": \"%s\" in %s "
                     "disagree; dockerd refuses a flag that repeats a key of "
                     "its config file, so remove one of them",
                     cfg->data_root, v, cfg->daemon_json);
            json_decref(user);
            return -1;
        }
        if (cfg->origin[di].src == LZ_SRC_DEFAULT || cfg->rootless) {
            lz_strlcpy(cfg->data_root, v, sizeof cfg->data_root);
            cfg->data_root_set = 0; /* dockerd reads it from the file */
            /* the text shown is the copy: user is freed before cfg */
            cfg->origin[di] = (struct lz_origin){LZ_SRC_DAEMON_JSON, 0, 0,
                                                 cfg->data_root};
        }
    }
    struct lz_dconf d;
    memset(&d, 0, sizeof d);
    if (cfg->dockerd_args &&
        lz_shsplit(cfg->dockerd_args, &d.words, why, sizeof why) != 0) {
        snprintf(err, errlen, "LAZYDIND_DOCKERD_ARGS='%s': %s", cfg->dockerd_args, why);
        json_decref(user);
        return -1;
    }
    int rc = 0;
    if (cfg->rootless) {
        /* rootless dockerd reads daemon.json itself: no generated config */
        for (size_t i = 0; i < sizeof dsettings / sizeof dsettings[0]; i++) {
            char tb[32];
            if (setting_text(cfg, dsettings[i].env, tb, sizeof tb)) {
                snprintf(err, errlen, "%s is not applied in rootless mode; set "
                         "\"%s\" in %s instead", dsettings[i].env, dsettings[i].key,
                         cfg->daemon_json);
                rc = -1;
                break;
            }
        }
    } else {
        struct lz_dconf_in in = {
            .cfg = cfg, .user = user, .argc = d.words.argc, .argv = d.words.argv,
        };
        rc = lz_dconf_build(&in, &d, err, errlen);
    }
    lz_dconf_free(&d);
    json_decref(user);
    return rc;
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
