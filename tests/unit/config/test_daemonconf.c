/* Unit tests for daemonconf.h: setting values, the flag -> key map, loading
 * the user's daemon.json, and the merge rules (a lazydind setting beats
 * daemon.json, a LAZYDIND_DOCKERD_ARGS flag beats it too and its key leaves
 * the file, pod-derived values fill only what nobody set). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/daemonconf.h"

/* ------------------------------------------------------------- values */

static void test_values_ok(void **state)
{
    (void)state;
    static const struct {
        const char *key, *text, *json;
    } cases[] = {
        {"registry-mirrors", "http://127.0.0.1:5000", "[\"http://127.0.0.1:5000\"]"},
        {"registry-mirrors", " https://mirror.gcr.io/ ,\thttp://[::1]:5000",
         "[\"https://mirror.gcr.io/\",\"http://[::1]:5000\"]"},
        {"insecure-registries", "reg.local:5000,10.0.0.0/8,fd00::/8,myreg",
         "[\"reg.local:5000\",\"10.0.0.0/8\",\"fd00::/8\",\"myreg\"]"},
        {"storage-driver", "fuse-overlayfs", "\"fuse-overlayfs\""},
        {"mtu", "1450", "1450"},
        {"mtu", "576", "576"},
        {"mtu", "9216", "9216"},
        {"bip", "172.30.0.1/16", "\"172.30.0.1/16\""},
        {"default-address-pools", "10.201.0.0/16:24,10.202.0.0/16",
         "[{\"base\":\"10.201.0.0/16\",\"size\":24},{\"base\":\"10.202.0.0/16\",\"size\":24}]"},
        {"default-address-pools", "10.0.0.0/28", "[{\"base\":\"10.0.0.0/28\",\"size\":28}]"},
        {"default-address-pools", "fd00:1::/48:64", "[{\"base\":\"fd00:1::/48\",\"size\":64}]"},
        {"dns", "10.96.0.10,8.8.8.8,2001:4860:4860::8888",
         "[\"10.96.0.10\",\"8.8.8.8\",\"2001:4860:4860::8888\"]"},
        {"log-level", "warn", "\"warn\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *v = NULL;
        char why[512] = "";
        if (lz_dconf_value(cases[i].key, cases[i].text, &v, why, sizeof why) != 0)
            fail_msg("%s='%s' refused: %s", cases[i].key, cases[i].text, why);
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (strcmp(s, cases[i].json) != 0)
            fail_msg("%s='%s' -> %s, want %s", cases[i].key, cases[i].text, s,
                     cases[i].json);
        free(s);
        json_decref(v);
        assert_int_equal(lz_dconf_value(cases[i].key, cases[i].text, NULL, why,
                                        sizeof why), 0);
    }
}

static void test_values_rejected(void **state)
{
    (void)state;
    static const struct {
        const char *key, *text, *says;
    } cases[] = {
        {"registry-mirrors", "ftp://x", "not an http:// or https:// URL"},
        {"registry-mirrors", "mirror.gcr.io", "not an http:// or https:// URL"},
        {"registry-mirrors", "http://a,,http://b", "empty item"},
        {"registry-mirrors", "", "empty item"},
        {"registry-mirrors", "https://u:p@m.io", "credentials"},
        {"registry-mirrors", "https://m.io/v2/", "without a path"},
        {"registry-mirrors", "http://", "host[:port]"},
        {"registry-mirrors", "http://a b", "host[:port]"},
        {"registry-mirrors", "http://m:99999", "host[:port]"},
        {"insecure-registries", "http://reg:5000", "without a scheme"},
        {"insecure-registries", "10.0.0.0/33", "not a CIDR"},
        {"insecure-registries", "reg:port", "host[:port]"},
        {"storage-driver", "overlay3", "not one of"},
        {"storage-driver", "aufs", "not one of"},
        {"mtu", "1450x", "between 576 and 9216"},
        {"mtu", "575", "between 576 and 9216"},
        {"mtu", "9217", "between 576 and 9216"},
        {"mtu", "-1", "between 576 and 9216"},
        {"mtu", "99999999999999999999999", "between 576 and 9216"},
        {"mtu", " 1450", "between 576 and 9216"},
        {"bip", "172.30.0.0/16", "not the network's address"},
        {"bip", "172.30.255.255/16", "own address"},
        {"bip", "172.30.0.1/31", "8 to 30"},
        {"bip", "172.30.0.1", "prefix"},
        {"default-address-pools", "10.201.0.1/16", "host bits zero"},
        {"default-address-pools", "10.201.0.0/16:8", "between 16 and 30"},
        {"default-address-pools", "10.201.0.0/16:31", "between 16 and 30"},
        {"default-address-pools", "10.201.0.0/16:x", "between 16 and 30"},
        {"default-address-pools", "10.201.0.0", "host bits zero"},
        {"dns", "8.8.8.8,dns.google", "not an IP address"},
        {"dns", "1.1.1.1,1.0.0.1,8.8.8.8,8.8.4.4", "at most 3"},
        {"log-level", "verbose", "debug, info, warn, error, fatal"},
        {"log-level", "WARN", "debug, info, warn, error, fatal"},
        {"no-such-key", "1", "not a dockerd setting"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *v = (json_t *)1;
        char why[512] = "";
        if (lz_dconf_value(cases[i].key, cases[i].text, &v, why, sizeof why) != -1)
            fail_msg("%s='%s' accepted", cases[i].key, cases[i].text);
        if (!strstr(why, cases[i].says))
            fail_msg("%s='%s': \"%s\" lacks \"%s\"", cases[i].key, cases[i].text, why,
                     cases[i].says);
        assert_null(v);
    }
    char why[128];
    char many[2000] = "http://a";
    for (int i = 0; i < 40; i++)
        strcat(many, ",http://b");
    assert_int_equal(lz_dconf_value("registry-mirrors", many, NULL, why, sizeof why), -1);
    assert_non_null(strstr(why, "more than"));
}

static void test_flag_keys(void **state)
{
    (void)state;
    static const struct {
        const char *arg, *key;
    } cases[] = {
        {"--log-level=warn", "log-level"}, {"--log-level", "log-level"},
        {"-l", "log-level"},               {"-D", "debug"},
        {"--debug", "debug"},              {"-H", "hosts"},
        {"-Htcp://x", "hosts"},            {"--host=unix:///x", "hosts"},
        {"--registry-mirror", "registry-mirrors"},
        {"--insecure-registry=x", "insecure-registries"},
        {"--label", "labels"},             {"--storage-opt", "storage-opts"},
        {"--default-address-pool", "default-address-pools"},
        {"--mtu=1400", "mtu"},             {"--bip", "bip"},
        {"--iptables=false", "iptables"},  {"--graph", "data-root"},
        {"-g", "data-root"},               {"--data-root", "data-root"},
        {"--add-runtime", "runtimes"},     {"-s", "storage-driver"},
        {"--config-file", "config-file"},
        {"value", NULL}, {"-", NULL}, {"--", NULL}, {"--=x", NULL}, {"-x", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        const char *k = lz_dconf_flag_key(cases[i].arg, buf, sizeof buf);
        if (cases[i].key == NULL ? k != NULL : (!k || strcmp(k, cases[i].key) != 0))
            fail_msg("'%s' -> %s, want %s", cases[i].arg, k ? k : "NULL",
                     cases[i].key ? cases[i].key : "NULL");
    }
}

/* ---------------------------------------------------------- daemon.json */

struct tmp {
    char dir[64];
    char file[128];
};

static int tmp_setup(void **state)
{
    struct tmp *t = calloc(1, sizeof *t);
    strcpy(t->dir, "/tmp/lz-dconf-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->file, sizeof t->file, "%s/daemon.json", t->dir);
    *state = t;
    return 0;
}

static int tmp_teardown(void **state)
{
    struct tmp *t = *state;
    unlink(t->file);
    rmdir(t->dir);
    free(t);
    return 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_load_user(void **state)
{
    struct tmp *t = *state;
    char err[512];
    int absent;
    assert_null(lz_dconf_load_user(t->file, &absent, err, sizeof err));
    assert_int_equal(absent, 1);
    write_file(t->file, "{\"log-level\": \"warn\"}");
    json_t *u = lz_dconf_load_user(t->file, &absent, err, sizeof err);
    assert_non_null(u);
    assert_int_equal(absent, 0);
    json_decref(u);
    static const struct {
        const char *json, *says;
    } bad[] = {
        {"{\"debug\": tru", ":1:"},
        {"{\n  \"a\": 1,\n  \"a\": 2\n}", ":3:"},   /* duplicate key */
        {"[1]", "top level must be a JSON object"},
        {"", ":"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(t->file, bad[i].json);
        err[0] = '\0';
        assert_null(lz_dconf_load_user(t->file, &absent, err, sizeof err));
        assert_int_equal(absent, 0);
        if (!strstr(err, t->file) || !strstr(err, bad[i].says))
            fail_msg("'%s': \"%s\"", bad[i].json, err);
    }
}

/* -------------------------------------------------------------- merging */

static void base_cfg(struct lz_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    strcpy(cfg->data_root, "/var/lib/docker");
    strcpy(cfg->socket_path, "/var/run/docker.sock");
    strcpy(cfg->daemon_json, "/etc/docker/daemon.json");
    strcpy(cfg->config_path, LZ_DEFAULT_CONFIG);
    strcpy(cfg->run_dir, "/run/lazydind");
}

static void set_env_origin(struct lz_config *cfg, const char *env, const char *value)
{
    int i = lz_setting_index(env);
    assert_true(i >= 0);
    cfg->origin[i] = (struct lz_origin){LZ_SRC_ENV, 0, 0, value};
}

/* Builds with daemon.json text `user` (NULL: none) and argv; returns the
 * config as compact JSON (caller frees) or NULL with err. */
static char *build(const struct lz_config *cfg, const char *user, const char *args,
                   const struct lz_podnet *net, int ipt_off, struct lz_dconf *d,
                   char *err, size_t errlen)
{
    json_error_t je;
    json_t *u = user ? json_loads(user, 0, &je) : NULL;
    struct lz_words w = {0, NULL, NULL};
    if (args)
        assert_int_equal(lz_shsplit(args, &w, err, errlen), 0);
    struct lz_dconf_in in = {cfg, u, w.argc, w.argv, net, ipt_off};
    memset(d, 0, sizeof *d);
    int rc = lz_dconf_build(&in, d, err, errlen);
    json_decref(u);
    d->words = w; /* freed with d */
    if (rc != 0) {
        lz_dconf_free(d);
        return NULL;
    }
    /* the invariant dockerd needs: no key both in the file and as a flag */
    for (int i = 0; i < d->argc; i++) {
        char kb[64];
        const char *k = lz_dconf_flag_key(d->argv[i], kb, sizeof kb);
        if (k && json_object_get(d->config, k))
            fail_msg("flag %s and key %s both passed", d->argv[i], k);
    }
    return json_dumps(d->config, JSON_COMPACT);
}

static const char *origin(const struct lz_dconf *d, const char *key)
{
    const char *s = json_string_value(json_object_get(d->origins, key));
    return s ? s : "";
}

static void test_build_plain(void **state)
{
    (void)state;
    struct lz_config cfg;
    struct lz_dconf d;
    char err[1024];
    base_cfg(&cfg);
    char *s = build(&cfg, NULL, NULL, NULL, 0, &d, err, sizeof err);
    assert_string_equal(s, "{\"data-root\":\"/var/lib/docker\",\"hosts\":[\"fd://\"]}");
    assert_string_equal(origin(&d, "data-root"), "default");
    free(s);
    lz_dconf_free(&d);

    /* the user's keys survive, in their order; hosts loses our socket */
    s = build(&cfg, "{\"log-level\":\"warn\",\"labels\":[\"a=1\"],\"debug\":true,"
                    "\"hosts\":[\"unix:///var/run/docker.sock\",\"tcp://0.0.0.0:2375\"]}",
              NULL, NULL, 0, &d, err, sizeof err);
    assert_string_equal(s, "{\"log-level\":\"warn\",\"labels\":[\"a=1\"],\"debug\":true,"
                           "\"hosts\":[\"fd://\",\"tcp://0.0.0.0:2375\"],"
                           "\"data-root\":\"/var/lib/docker\"}");
    assert_string_equal(origin(&d, "log-level"), "/etc/docker/daemon.json");
    assert_non_null(strstr(origin(&d, "hosts"), "the others are from"));
    free(s);
    lz_dconf_free(&d);

    /* graph is the old name of data-root */
    strcpy(cfg.data_root, "/srv/docker");
    cfg.origin[lz_setting_index("LAZYDIND_DATA_ROOT")] =
        (struct lz_origin){LZ_SRC_DAEMON_JSON, 0, 0, "/srv/docker"};
    s = build(&cfg, "{\"graph\":\"/srv/docker\"}", NULL, NULL, 0, &d, err, sizeof err);
    assert_string_equal(s, "{\"data-root\":\"/srv/docker\",\"hosts\":[\"fd://\"]}");
    free(s);
    lz_dconf_free(&d);

    s = build(&cfg, "{\"hosts\":\"tcp://x\"}", NULL, NULL, 0, &d, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "\"hosts\" must be an array of strings"));
    s = build(&cfg, "{\"data-root\":\"rel\"}", NULL, NULL, 0, &d, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "absolute path"));
}

static void test_build_precedence(void **state)
{
    (void)state;
    struct lz_config cfg;
    struct lz_dconf d;
    char err[1024];
    base_cfg(&cfg);
    /* a variable beats daemon.json, and says so */
    cfg.mtu = 1400;
    set_env_origin(&cfg, "LAZYDIND_MTU", "1400");
    cfg.registry_mirrors = "http://127.0.0.1:5000";
    set_env_origin(&cfg, "LAZYDIND_REGISTRY_MIRRORS", cfg.registry_mirrors);
    strcpy(cfg.data_root, "/workspace/.docker-data");
    set_env_origin(&cfg, "LAZYDIND_DATA_ROOT", cfg.data_root);
    char *s = build(&cfg, "{\"mtu\":1500,\"data-root\":\"/srv/d\",\"log-level\":\"warn\"}",
                    "--log-level=debug --label x=1 -H tcp://127.0.0.1:2376", NULL, 0, &d,
                    err, sizeof err);
    assert_non_null(s);
    assert_string_equal(s, "{\"mtu\":1400,\"data-root\":\"/workspace/.docker-data\","
                           "\"registry-mirrors\":[\"http://127.0.0.1:5000\"],"
                           "\"hosts\":[\"fd://\",\"tcp://127.0.0.1:2376\"]}");
    assert_string_equal(origin(&d, "mtu"),
                        "LAZYDIND_MTU (beats /etc/docker/daemon.json's 1500)");
    assert_non_null(strstr(origin(&d, "data-root"), "beats"));
    /* the flag beats daemon.json: log-level left the file */
    assert_non_null(strstr(origin(&d, "log-level"), "LAZYDIND_DOCKERD_ARGS (--log-level)"));
    assert_non_null(strstr(origin(&d, "log-level"), "is left out"));
    assert_string_equal(origin(&d, "labels"), "LAZYDIND_DOCKERD_ARGS (--label)");
    /* -H went into hosts, the rest is passed on */
    assert_int_equal(d.argc, 3);
    assert_string_equal(d.argv[0], "--log-level=debug");
    assert_string_equal(d.argv[1], "--label");
    assert_string_equal(d.argv[2], "x=1");
    free(s);
    lz_dconf_free(&d);

    /* a setting and a flag for the same key: say which */
    s = build(&cfg, NULL, "--mtu 1300", NULL, 0, &d, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "LAZYDIND_MTU and --mtu in LAZYDIND_DOCKERD_ARGS"));
    /* flags lazydind owns */
    cfg.mtu = 0;
    s = build(&cfg, NULL, "--data-root /x", NULL, 0, &d, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "set LAZYDIND_DATA_ROOT instead"));
    s = build(&cfg, NULL, "--config-file=/x", NULL, 0, &d, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "passes its own config file"));
    s = build(&cfg, NULL, "-H", NULL, 0, &d, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "needs a value"));
}

static void test_build_auto(void **state)
{
    (void)state;
    struct lz_config cfg;
    struct lz_dconf d;
    char err[1024];
    static struct lz_podnet net;
    base_cfg(&cfg);
    memset(&net, 0, sizeof net);
    strcpy(net.default_iface, "eth0");
    net.default_mtu = 1450;
    net.avoid[0].net = (struct lz_net4){0xac110000u, 16};
    strcpy(net.avoid[0].what, "the pod's route 172.17.0.0/16 (eth0)");
    net.navoid = 1;

    char *s = build(&cfg, NULL, NULL, &net, 1, &d, err, sizeof err);
    json_t *c = d.config;
    assert_int_equal(json_integer_value(json_object_get(c, "mtu")), 1450);
    assert_non_null(strstr(origin(&d, "mtu"), "auto: eth0"));
    json_t *pools = json_object_get(c, "default-address-pools");
    assert_int_equal(json_array_size(pools), 15);
    assert_string_equal(json_string_value(json_object_get(json_array_get(pools, 0), "base")),
                        "172.18.0.0/16");
    assert_true(json_is_false(json_object_get(c, "iptables")));
    assert_int_equal(d.nnotes, 1);
    assert_non_null(strstr(d.notes[0], "docker0 gets 172.18.0.0/16"));
    assert_int_equal(d.set_no_proxy, 0); /* no proxy set */
    free(s);
    lz_dconf_free(&d);

    /* anybody's value beats the automatic one */
    s = build(&cfg, "{\"mtu\":1500,\"bip\":\"10.9.0.1/24\"}", "--iptables=true", &net, 1,
              &d, err, sizeof err);
    assert_string_equal(s, "{\"mtu\":1500,\"bip\":\"10.9.0.1/24\",\"data-root\":"
                           "\"/var/lib/docker\",\"hosts\":[\"fd://\"]}");
    assert_int_equal(d.nnotes, 0);
    free(s);
    lz_dconf_free(&d);
    s = build(&cfg, NULL, "--mtu=1400 --default-address-pool base=10.1.0.0/16,size=24",
              &net, 0, &d, err, sizeof err);
    assert_string_equal(s, "{\"data-root\":\"/var/lib/docker\",\"hosts\":[\"fd://\"]}");
    free(s);
    lz_dconf_free(&d);
    /* no clash, an MTU of 1500 or more: nothing automatic */
    net.navoid = 0;
    net.default_mtu = 9001;
    s = build(&cfg, NULL, NULL, &net, 0, &d, err, sizeof err);
    assert_string_equal(s, "{\"data-root\":\"/var/lib/docker\",\"hosts\":[\"fd://\"]}");
    free(s);
    lz_dconf_free(&d);

    /* proxies: the pod's addresses and docker0's network skip them */
    net.https_proxy = "http://proxy:3128";
    net.no_proxy = ".svc,10.244.1.7";
    strcpy(net.addrs[0], "10.244.1.7");
    strcpy(net.addrs[1], "fd00::7");
    net.naddrs = 2;
    s = build(&cfg, "{\"bip\":\"172.30.0.1/16\"}", NULL, &net, 0, &d, err, sizeof err);
    assert_int_equal(d.set_no_proxy, 1);
    assert_string_equal(d.no_proxy, ".svc,10.244.1.7,fd00::7,172.30.0.0/16");
    free(s);
    lz_dconf_free(&d);
    net.no_proxy = NULL;
    s = build(&cfg, NULL, NULL, &net, 0, &d, err, sizeof err);
    assert_string_equal(d.no_proxy, "10.244.1.7,fd00::7,172.17.0.0/16");
    free(s);
    lz_dconf_free(&d);
}

/* Found by fuzz/fuzz_dconf (fuzz/regress/dconf/): jansson refuses strings
 * that are not UTF-8, so a flag spelled with such a byte was not recorded
 * and LAZYDIND_STORAGE_DRIVER plus `-s\xa0evel` went to dockerd as a key and
 * a flag; a -H value or a data-root with such bytes silently left the file. */
static void test_build_not_utf8(void **state)
{
    (void)state;
    struct lz_config cfg;
    struct lz_dconf d;
    char err[1024];
    base_cfg(&cfg);
    cfg.storage_driver = "vfs";
    set_env_origin(&cfg, "LAZYDIND_STORAGE_DRIVER", "vfs");
    char *s = build(&cfg, NULL, "- g= -s\xa0" "evel = debug", NULL, 0, &d, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "LAZYDIND_STORAGE_DRIVER and -s?evel in LAZYDIND_DOCKERD_ARGS"));
    cfg.storage_driver = NULL;
    s = build(&cfg, NULL, "--lab\xa0" "el x", NULL, 0, &d, err, sizeof err);
    assert_non_null(s);
    assert_string_equal(origin(&d, "lab\xa0" "el"), ""); /* no such key: not recorded */
    assert_int_equal(d.argc, 2);
    free(s);
    lz_dconf_free(&d);
    s = build(&cfg, "{\"log-level\":\"warn\"}", "--log-level=\xa0", NULL, 0, &d, err,
              sizeof err);
    assert_non_null(s);
    assert_null(json_object_get(d.config, "log-level"));
    assert_non_null(strstr(origin(&d, "log-level"), "LAZYDIND_DOCKERD_ARGS (--log-level)"));
    free(s);
    lz_dconf_free(&d);
    s = build(&cfg, NULL, "-H tcp://\xa0", NULL, 0, &d, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "-H/--host value is not UTF-8"));
    strcpy(cfg.data_root, "/d\xa0");
    s = build(&cfg, NULL, NULL, NULL, 0, &d, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "data-root is not UTF-8"));
    json_t *t = lz_json_text("a\xa0" "b", 3);
    assert_string_equal(json_string_value(t), "a?b");
    json_decref(t);
}

static void test_redact(void **state)
{
    (void)state;
    char out[128];
    lz_redact_url("http://user:secret@proxy:3128", out, sizeof out);
    assert_string_equal(out, "http://user:***@proxy:3128");
    lz_redact_url("http://proxy:3128", out, sizeof out);
    assert_string_equal(out, "http://proxy:3128");
    lz_redact_url("http://user@proxy:3128/a@b", out, sizeof out);
    assert_string_equal(out, "http://user@proxy:3128/a@b");
    lz_redact_url("u:p@proxy", out, sizeof out);
    assert_string_equal(out, "u:***@proxy");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_ok),
        cmocka_unit_test(test_values_rejected),
        cmocka_unit_test(test_flag_keys),
        cmocka_unit_test_setup_teardown(test_load_user, tmp_setup, tmp_teardown),
        cmocka_unit_test(test_build_plain),
        cmocka_unit_test(test_build_precedence),
        cmocka_unit_test(test_build_auto),
        cmocka_unit_test(test_build_not_utf8),
        cmocka_unit_test(test_redact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
