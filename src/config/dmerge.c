/* The merge: see dmerge.h for the rules. Each step below is one of them,
 * in the order they apply. */
#define _GNU_SOURCE
#include "config/dmerge.h"
#include "config/describe.h"
#include "config/dflags.h"
#include "config/netopts.h"
#include "config/innersock.h"
#include "base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the steps share. */
struct merge {
    const struct lz_dconf_in *in;
    const struct lz_config *cfg;
    struct lz_dconf *out;
    const char *djson;  /* the user's daemon.json, as named in origins */
    json_t *config;     /* out->config */
    json_t *origins;    /* out->origins */
    json_t *flags;      /* key -> the flag of LAZYDIND_DOCKERD_ARGS that sets it */
    json_t *xhosts;     /* -H values */
    char *err;
    size_t errlen;
};

static int fail(struct merge *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct merge *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->err, m->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

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

static int has_flag(const struct merge *m, const char *key)
{
    return json_object_get(m->flags, key) != NULL;
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

/* ------------------------------------------------------------- the steps -- */

/* The user's keys, each from daemon.json; graph is the old name of
 * data-root. */
static void start_from_user(struct merge *m)
{
    const char *key;
    json_t *val;
    json_object_foreach(m->config, key, val)
        set_origin(m->origins, key, "%s", m->djson);
    json_t *graph = json_object_get(m->config, "graph");
    if (graph) {
        if (!json_object_get(m->config, "data-root"))
            json_object_set(m->config, "data-root", graph);
        json_object_del(m->config, "graph");
        json_object_del(m->origins, "graph");
    }
}

/* A -H/--host flag's value (in the argument, else the next one) into
 * xhosts; *i moves past what was used. */
static int take_host(struct merge *m, int *i)
{
    const char *a = m->in->argv[*i];
    const char *v = NULL;
    if (a[1] == '-')
        v = strchr(a, '=') ? strchr(a, '=') + 1 : NULL;
    else if (a[2])
        v = a[2] == '=' ? a + 3 : a + 2;
    if (!v) {
        if (*i + 1 >= m->in->argc)
            return fail(m, "LAZYDIND_DOCKERD_ARGS: %s needs a value", a);
        v = m->in->argv[++*i];
    }
    json_t *hv = json_string(v);
    if (!hv)
        return fail(m, "LAZYDIND_DOCKERD_ARGS: a -H/--host value is not UTF-8, "
                    "which dockerd's config file needs");
    json_array_append_new(m->xhosts, hv);
    return 0;
}

/* LAZYDIND_DOCKERD_ARGS: which keys its flags set (flags); -H goes to
 * hosts, the rest on to dockerd's argv. */
static int take_flags(struct merge *m)
{
    char kb[128];
    struct lz_dconf *out = m->out;
    for (int i = 0; i < m->in->argc; i++) {
        const char *a = m->in->argv[i];
        const char *k = lz_dconf_flag_key(a, kb, sizeof kb);
        if (!k) {
            out->argv[out->argc++] = m->in->argv[i];
            continue;
        }
        if (strcmp(k, "hosts") == 0) {
            if (take_host(m, &i) != 0)
                return -1;
            continue;
        }
        if (strcmp(k, "data-root") == 0)
            return fail(m, "LAZYDIND_DOCKERD_ARGS has %s: set LAZYDIND_DATA_ROOT "
                        "instead (lazydind prepares the data-root before dockerd "
                        "starts)", a);
        if (strcmp(k, "config-file") == 0)
            return fail(m, "LAZYDIND_DOCKERD_ARGS has %s: lazydind passes its own "
                        "config file, merged from %s; put settings there instead",
                        a, m->djson);
        /* the flag as written, for messages (any bytes) */
        size_t fl = strcspn(a, "=");
        json_object_set_new(m->flags, k, lz_json_text(a, fl));
        out->argv[out->argc++] = m->in->argv[i];
    }
    return 0;
}

/* One dockerd setting of lazydind's beats daemon.json; a flag for the same
 * key is an error. */
static int take_setting(struct merge *m, const struct lz_setting *s, const char *text)
{
    char why[512], prev[96], where[LZ_PATH_MAX + 64];
    const char *k = s->key;
    lz_config_origin(m->cfg, s->env, where, sizeof where);
    if (has_flag(m, k))
        return fail(m, "%s and %s in LAZYDIND_DOCKERD_ARGS both set dockerd's "
                    "\"%s\"; keep one of them", where,
                    json_string_value(json_object_get(m->flags, k)), k);
    json_t *v;
    if (lz_dconf_value(k, text, &v, why, sizeof why) != 0)
        return fail(m, "%s='%s' %s", where, text, why);
    json_t *old = json_object_get(m->config, k);
    if (old && !json_equal(old, v)) {
        brief(old, prev, sizeof prev);
        set_origin(m->origins, k, "%s (beats %s's %s)", where, m->djson, prev);
    } else {
        set_origin(m->origins, k, "%s", where);
    }
    json_object_set_new(m->config, k, v);
    return 0;
}

/* lazydind's dockerd settings, in the table's order. */
static int take_settings(struct merge *m)
{
    for (int i = 0; i < lz_nsettings; i++) {
        char tb[32];
        const char *text = lz_setting_text(&lz_settings[i], m->cfg, tb, sizeof tb);
        if (text && take_setting(m, &lz_settings[i], text) != 0)
            return -1;
    }
    return 0;
}

/* The data-root lazydind prepared. */
static int take_data_root(struct merge *m)
{
    char where[LZ_PATH_MAX + 64];
    const json_t *old = json_object_get(m->config, "data-root");
    const char *ov = json_string_value(old);
    const char *dr = m->cfg->data_root;
    if (old && !lz_valid_path(ov))
        return fail(m, "%s: \"data-root\" must be an absolute path string", m->djson);
    lz_config_origin(m->cfg, "LAZYDIND_DATA_ROOT", where, sizeof where);
    json_t *drv = json_string(dr);
    if (!drv)
        return fail(m, "%s: the data-root is not UTF-8, which dockerd's config "
                    "file needs; choose another path", where);
    if (ov && strcmp(ov, dr) != 0)
        set_origin(m->origins, "data-root", "%s (beats %s's \"%s\")", where, m->djson, ov);
    else
        set_origin(m->origins, "data-root", "%s", where);
    json_object_set_new(m->config, "data-root", drv);
    return 0;
}

/* No iptables backend works: dockerd without iptables. */
static void no_iptables(struct merge *m)
{
    if (!m->in->iptables_off || has_flag(m, "iptables"))
        return;
    json_t *old = json_object_get(m->config, "iptables");
    if (old && !json_is_false(old))
        set_origin(m->origins, "iptables", "lazydind: no iptables backend works in "
                   "this pod (beats %s)", m->djson);
    else
        set_origin(m->origins, "iptables", "lazydind: no iptables backend works in "
                   "this pod");
    json_object_set_new(m->config, "iptables", json_false());
}

/* A flag beats daemon.json: its key leaves the file. */
static void flags_beat_file(struct merge *m)
{
    char prev[96];
    const char *key;
    json_t *val;
    json_object_foreach(m->flags, key, val) {
        json_t *old = json_object_get(m->config, key);
        if (old) {
            brief(old, prev, sizeof prev);
            set_origin(m->origins, key, "LAZYDIND_DOCKERD_ARGS (%s); %s's %s is left "
                       "out, dockerd refuses a flag that repeats a key of its "
                       "config file", json_string_value(val), m->djson, prev);
            json_object_del(m->config, key);
        } else {
            set_origin(m->origins, key, "LAZYDIND_DOCKERD_ARGS (%s)",
                       json_string_value(val));
        }
    }
}

/* 1 for a host that names the socket lazydind owns. */
static int is_our_socket(const char *s, const char *socket_path)
{
    return strcmp(s, "fd://") == 0 || strcmp(s, "unix://") == 0 ||
           strcmp(s, socket_path) == 0 ||
           (strncmp(s, "unix://", 7) == 0 && strcmp(s + 7, socket_path) == 0);
}

/* hosts: fd:// (the socket lazydind owns; rootless: the socket itself,
 * bound inside rootlesskit's namespaces), then the others. */
static int take_hosts(struct merge *m)
{
    const char *sock = m->cfg->socket_path;
    char own[LZ_PATH_MAX + 8], inner[LZ_PATH_MAX + 16] = "";
    if (m->cfg->rootless && lz_inner_socket(m->cfg, inner, sizeof inner) != 0)
        return fail(m, "%s/dockerd.sock is too long", m->cfg->run_dir);
    snprintf(own, sizeof own, "%s%s", m->cfg->rootless ? "unix://" : "fd://", inner);
    json_t *old = json_object_get(m->config, "hosts");
    if (old && !json_is_array(old))
        return fail(m, "%s: \"hosts\" must be an array of strings", m->djson);
    size_t i;
    json_t *h;
    json_array_foreach(old, i, h)
        if (!json_is_string(h))
            return fail(m, "%s: \"hosts\" must be an array of strings", m->djson);
    json_t *hosts = json_array();
    json_array_append_new(hosts, json_string(own));
    int kept = 0;
    json_array_foreach(old, i, h) {
        if (is_our_socket(json_string_value(h), sock) ||
            (inner[0] && is_our_socket(json_string_value(h), inner)))
            continue;
        json_array_append(hosts, h);
        kept++;
    }
    json_array_foreach(m->xhosts, i, h)
        json_array_append(hosts, h);
    char what[2 * LZ_PATH_MAX + 128];
    if (m->cfg->rootless)
        snprintf(what, sizeof what, "the inner socket, which dockerd binds in "
                 "rootlesskit's namespaces and the supervisor renames over %s once "
                 "dockerd answers", sock);
    else
        snprintf(what, sizeof what, "fd:// is %s, which it owns", sock);
    set_origin(m->origins, "hosts", "lazydind: %s%s%s%s", what,
               kept ? "; the others are from " : "", kept ? m->djson : "",
               json_array_size(m->xhosts) ? "; -H of LAZYDIND_DOCKERD_ARGS" : "");
    json_object_set_new(m->config, "hosts", hosts);
    return 0;
}

/* The pod's MTU, when nobody set one and it is below 1500. */
/* containment's cgroup-parent (daemon/contain.h), where nobody set the key */
static void auto_cgroup_parent(struct merge *m, const char *parent)
{
    if (!parent || !parent[0] || json_object_get(m->config, "cgroup-parent") ||
        has_flag(m, "cgroup-parent"))
        return;
    json_object_set_new(m->config, "cgroup-parent", json_string(parent));
    set_origin(m->origins, "cgroup-parent", "auto: the inner containers' subtree inside "
               "the pod's own cgroup (docs/containment.md)");
}

static void auto_mtu(struct merge *m)
{
    const struct lz_podnet *net = m->in->net;
    if (!net || net->default_mtu <= 0 || net->default_mtu >= 1500 ||
        json_object_get(m->config, "mtu") || has_flag(m, "mtu"))
        return;
    json_object_set_new(m->config, "mtu", json_integer(net->default_mtu));
    set_origin(m->origins, "mtu", "auto: %s, the interface of the pod's default "
               "route, has MTU %d", net->default_iface, net->default_mtu);
}

/* The pod's storage driver (the containerd store on overlayfs:
 * config/snapshots.h), when nobody set one. */
static void auto_storage(struct merge *m)
{
    const struct lz_dconf_in *in = m->in;
    if (!in->storage_driver || json_object_get(m->config, "storage-driver") ||
        has_flag(m, "storage-driver"))
        return;
    json_object_set_new(m->config, "storage-driver", json_string(in->storage_driver));
    set_origin(m->origins, "storage-driver", "auto: %s",
               in->storage_why ? in->storage_why : in->storage_driver);
    if (in->storage_why)
        add_note(m->out, "%s", in->storage_why);
}

/* docker0's MTU for the networks dockerd creates too (compose's), where
 * dockerd knows default-network-opts (>= 24): config/netopts.h. */
static void network_mtu(struct merge *m)
{
    json_t *v = json_object_get(m->config, "mtu");
    int mtu = json_is_integer(v) ? (int)json_integer_value(v) : 0;
    if (mtu <= 0 || mtu == 1500 || !lz_engine_has_default_network_opts(m->in->engine) ||
        has_flag(m, "default-network-opts") ||
        lz_netopts_add_bridge_mtu(m->config, mtu) != 1)
        return;
    const char *from = json_string_value(json_object_get(m->origins, "mtu"));
    set_origin(m->origins, "default-network-opts", "lazydind: the bridge driver's MTU "
               "%d for the networks docker creates (compose's too), as \"mtu\" (%s); "
               "dockerd %s has default-network-opts", mtu, from ? from : "set",
               m->in->engine->version);
}

/* 1 when nobody chose docker0's network or the address pools. */
static int networks_unset(const struct merge *m)
{
    const char *br = json_string_value(json_object_get(m->config, "bridge"));
    return !json_object_get(m->config, "bip") &&
           !json_object_get(m->config, "default-address-pools") &&
           !has_flag(m, "bip") && !has_flag(m, "default-address-pools") &&
           !has_flag(m, "bridge") && !has_flag(m, "fixed-cidr") &&
           !json_object_get(m->config, "fixed-cidr") && !(br && *br);
}

static json_t *pools_json(const struct lz_pools *p)
{
    json_t *pools = json_array();
    char b[32];
    for (int i = 0; i < p->n; i++) {
        json_t *o = json_object();
        lz_net4_format(p->pool[i], b, sizeof b);
        json_object_set_new(o, "base", json_string(b));
        json_object_set_new(o, "size", json_integer(p->size[i]));
        json_array_append_new(pools, o);
    }
    return pools;
}

/* dockerd's default pools without those that overlap the pod's network,
 * when nobody chose and some do overlap; the user is told. */
static void auto_pools(struct merge *m)
{
    const struct lz_podnet *net = m->in->net;
    if (!net || !networks_unset(m))
        return;
    static struct lz_pools p;
    lz_pick_pools(net->avoid, net->navoid, &p);
    if (!p.dropped)
        return;
    const char *what = net->avoid[p.first_why].what;
    if (p.n == 0) {
        add_note(m->out, "every default docker address pool overlaps the pod's "
                 "network (%s); set LAZYDIND_DEFAULT_ADDRESS_POOLS", what);
        return;
    }
    char b[32], d[32];
    json_object_set_new(m->config, "default-address-pools", pools_json(&p));
    lz_net4_format(p.first_dropped, d, sizeof d);
    lz_net4_format(p.pool[0], b, sizeof b);
    if (p.bridge_clash)
        add_note(m->out, "docker's default bridge 172.17.0.0/16 overlaps %s: "
                 "docker0 gets %s instead, and docker networks come from the %d "
                 "default pools that overlap nothing in the pod "
                 "(LAZYDIND_DEFAULT_ADDRESS_POOLS or LAZYDIND_BIP choose)",
                 what, b, p.n);
    else
        add_note(m->out, "docker's address pool %s overlaps %s: docker networks "
                 "come from the %d default pools that overlap nothing in the pod "
                 "(LAZYDIND_DEFAULT_ADDRESS_POOLS chooses)", d, what, p.n);
    set_origin(m->origins, "default-address-pools", "auto: dockerd's default pools "
               "without %d that overlap the pod's network (%s: %s)",
               p.dropped, d, what);
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

/* Proxies reach dockerd through its environment; the pod's own addresses
 * and docker0's network must not go through them. */
static void proxy_env(struct merge *m)
{
    const struct lz_podnet *net = m->in->net;
    if (!net || (!net->http_proxy && !net->https_proxy))
        return;
    const char *adds[LZ_MAX_ADDRS + 1];
    char bnet[32];
    int na = 0;
    for (int i = 0; i < net->naddrs; i++)
        adds[na++] = net->addrs[i];
    bridge_net(m->config, bnet, sizeof bnet);
    adds[na++] = bnet;
    if (lz_no_proxy(net->no_proxy, adds, na, m->out->no_proxy,
                    sizeof m->out->no_proxy) == 0)
        m->out->set_no_proxy = 1;
}

/* ------------------------------------------------------------- the merge -- */

static int start(struct merge *m)
{
    struct lz_dconf *out = m->out;
    const struct lz_dconf_in *in = m->in;
    out->config = in->user ? json_deep_copy(in->user) : json_object();
    out->origins = json_object();
    out->argv = calloc((size_t)in->argc + 1, sizeof *out->argv);
    out->argc = 0;
    out->nnotes = 0;
    out->set_no_proxy = 0;
    out->no_proxy[0] = '\0';
    m->config = out->config;
    m->origins = out->origins;
    m->flags = json_object();
    m->xhosts = json_array();
    if (!out->config || !out->origins || !out->argv || !m->flags || !m->xhosts)
        return fail(m, "out of memory");
    return 0;
}

static void drop_output(struct lz_dconf *out)
{
    json_decref(out->config);
    json_decref(out->origins);
    free(out->argv);
    out->config = out->origins = NULL;
    out->argv = NULL;
    out->argc = 0;
}

static long g_builds; /* lz_dconf_builds */

long lz_dconf_builds(void)
{
    return g_builds;
}

int lz_dconf_build(const struct lz_dconf_in *in, struct lz_dconf *out, char *err,
                   size_t errlen)
{
    if (!in->check_only)
        g_builds++;
    struct merge m = {
        .in = in, .cfg = in->cfg, .out = out, .djson = in->cfg->daemon_json,
        .err = err, .errlen = errlen,
    };
    int rc = start(&m);
    if (rc == 0) {
        start_from_user(&m);
        rc = take_flags(&m) != 0 || take_settings(&m) != 0 ||
             take_data_root(&m) != 0 ? -1 : 0;
    }
    if (rc == 0) {
        no_iptables(&m);
        flags_beat_file(&m);
        rc = take_hosts(&m);
    }
    if (rc == 0 && !in->check_only) {
        auto_cgroup_parent(&m, in->cgroup_parent);
        auto_storage(&m);
        auto_mtu(&m);
        network_mtu(&m);
        auto_pools(&m);
        proxy_env(&m);
    }
    json_decref(m.flags);
    json_decref(m.xhosts);
    if (rc != 0)
        drop_output(out);
    return rc;
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
