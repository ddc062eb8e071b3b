/* The daemon.json merge. Input: one byte of switches (pod MTU, an address
 * clash, a proxy, no iptables), then lazydind settings as lazydind.conf
 * lines, a NUL, then the user's daemon.json. Whatever the merge produces is
 * a config dockerd can take: an object whose hosts start with fd://, whose
 * data-root is lazydind's, that repeats no key passed as a flag, that gives
 * every key an origin, and that survives an encode/decode round trip. */
#include "config/conffile.h"
#include "config/daemonconf.h"
#include "fuzz.h"

/* The JSON type a dockerd setting's value has. */
static int type_ok(const char *key, const json_t *v)
{
    if (strcmp(key, "mtu") == 0)
        return json_is_integer(v);
    if (strcmp(key, "storage-driver") == 0 || strcmp(key, "bip") == 0 ||
        strcmp(key, "log-level") == 0)
        return json_is_string(v);
    return json_is_array(v);
}

/* A lazydind.conf line for a dockerd setting: checked as lz_config_load
 * checks it (the row's kind), then stored in cfg. */
static void take_setting(struct lz_config *cfg, const struct lz_conf_entry *e)
{
    char why[512];
    const struct lz_setting *s = lz_setting_by_key(e->key);
    if (!s || !s->dvalue)
        return;
    json_t *v = NULL;
    if (lz_dconf_value(s->key, e->value, &v, why, sizeof why) != 0) {
        FZ_ASSERT(v == NULL && why[0]);
        FZ_ASSERT(s->parse(s, e->value, (char *)cfg + s->off, why, sizeof why) != 0);
        return;
    }
    FZ_ASSERT(v != NULL && type_ok(s->key, v));
    json_decref(v);
    FZ_ASSERT(s->parse(s, e->value, (char *)cfg + s->off, why, sizeof why) == 0);
    cfg->origin[s - lz_settings] = (struct lz_origin){LZ_SRC_FILE, e->line, 1, e->value};
}

/* The pod as the switch bits say: an MTU below 1500, a route that clashes
 * with docker's default pools, a proxy (with NO_PROXY). */
static void pod_from_switches(struct lz_podnet *net, unsigned sw)
{
    memset(net, 0, sizeof *net);
    if (sw & 1) {
        strcpy(net->default_iface, "eth0");
        net->default_mtu = 1450;
    }
    if (sw & 2) {
        net->avoid[0].net = (struct lz_net4){0xac100000u, 12};
        strcpy(net->avoid[0].what, "a route");
        net->navoid = 1;
    }
    if (sw & 4) {
        net->https_proxy = "http://proxy:3128";
        net->no_proxy = (sw & 16) ? ".svc" : NULL;
        strcpy(net->addrs[0], "10.0.0.7");
        net->naddrs = 1;
    }
}

/* A config dockerd can take: see the top of this file. */
static void check_merged(const struct lz_config *cfg, const struct lz_dconf *d,
                         unsigned sw)
{
    json_t *conf_obj = d->config;
    FZ_ASSERT(json_is_object(conf_obj));
    json_t *hosts = json_object_get(conf_obj, "hosts");
    FZ_ASSERT(json_is_array(hosts));
    FZ_ASSERT(strcmp(json_string_value(json_array_get(hosts, 0)), "fd://") == 0);
    FZ_ASSERT(strcmp(json_string_value(json_object_get(conf_obj, "data-root")),
                     cfg->data_root) == 0);
    FZ_ASSERT(!json_object_get(conf_obj, "graph"));
    const char *key;
    json_t *val;
    json_object_foreach(conf_obj, key, val)
        FZ_ASSERT(json_is_string(json_object_get(d->origins, key)));
    for (int i = 0; i < d->argc; i++) {
        char kb[128];
        const char *k = lz_dconf_flag_key(d->argv[i], kb, sizeof kb);
        FZ_ASSERT(!k || (strcmp(k, "hosts") != 0 && !json_object_get(conf_obj, k)));
    }
    if (cfg->mtu)
        FZ_ASSERT(json_integer_value(json_object_get(conf_obj, "mtu")) == cfg->mtu);
    if ((sw & 4))
        FZ_ASSERT(d->set_no_proxy && strstr(d->no_proxy, "10.0.0.7"));
    char *s = json_dumps(conf_obj, JSON_INDENT(2));
    FZ_ASSERT(s != NULL);
    json_error_t je;
    json_t *back = json_loads(s, JSON_REJECT_DUPLICATES, &je);
    FZ_ASSERT(back && json_equal(back, conf_obj));
    json_decref(back);
    free(s);
}

/* lazydind.conf's lines into cfg and the split dockerd-args into w. */
static void take_conf(struct lz_config *cfg, const struct lz_conf *c, struct lz_words *w)
{
    for (int i = 0; i < c->n; i++) {
        char why[512];
        if (strcmp(c->v[i].key, "dockerd-args") == 0) {
            lz_words_free(w);
            if (lz_shsplit(c->v[i].value, w, why, sizeof why) != 0)
                *w = (struct lz_words){0, NULL, NULL};
            continue;
        }
        take_setting(cfg, &c->v[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct lz_config cfg;
    static struct lz_podnet net;
    unsigned sw = fz_take_byte(&data, &size);
    const uint8_t *z = memchr(data, 0, size);
    size_t conf_len = z ? (size_t)(z - data) : size;
    char *conf = fz_bytes(data, conf_len);
    char *user_text = z ? fz_bytes(z + 1, size - conf_len - 1) : NULL;
    size_t user_len = z ? size - conf_len - 1 : 0;

    memset(&cfg, 0, sizeof cfg);
    strcpy(cfg.data_root, "/var/lib/docker");
    strcpy(cfg.socket_path, "/var/run/docker.sock");
    strcpy(cfg.daemon_json, "/etc/docker/daemon.json");
    strcpy(cfg.config_path, LZ_DEFAULT_CONFIG);
    pod_from_switches(&net, sw);

    struct lz_conf c;
    struct lz_conf_error ce;
    struct lz_words w = {0, NULL, NULL};
    json_t *user = NULL;
    if (!conf || lz_conf_parse(conf, conf_len, &c, &ce) != 0)
        goto out;
    take_conf(&cfg, &c, &w);
    if (user_text) {
        json_error_t je;
        user = json_loadb(user_text, user_len, JSON_REJECT_DUPLICATES, &je);
        if (user && !json_is_object(user))
            goto done;
    }
    /* a current dockerd (default-network-opts and the rest) or none known */
    static const struct lz_engine engine28 = {1, 28, 5, 2, "28.5.2"};
    struct lz_dconf_in in = {.cfg = &cfg, .user = user, .argc = w.argc, .argv = w.argv,
                             .net = &net, .iptables_off = (sw & 8) != 0,
                             .cgroup_parent = (sw & 16) ? "/pod/lazydind/containers" : NULL,
                             .engine = (sw & 32) ? &engine28 : NULL,
                             .storage_driver = (sw & 64) ? "native" : NULL};
    struct lz_dconf d;
    char err[1024];
    memset(&d, 0, sizeof d);
    if (lz_dconf_build(&in, &d, err, sizeof err) == 0) {
        check_merged(&cfg, &d, sw);
        lz_dconf_free(&d);
    } else {
        FZ_ASSERT(err[0] != '\0');
        FZ_ASSERT(d.config == NULL && d.argv == NULL);
    }
done:
    json_decref(user);
    lz_conf_free(&c);
out:
    lz_words_free(&w);
    free(conf);
    free(user_text);
    return 0;
}
