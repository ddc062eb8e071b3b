/* Unit tests for dmerge.h: the merge rules (a lazydind setting beats
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
#include <sys/stat.h>
#include <unistd.h>

#include "../helpers.h"
#include "base_cfg.h"
#include "config/dmerge.h"
#include "config/describe.h"
#include "config/dflags.h"

/* -------------------------------------------------------------- merging */


static void set_env_origin(struct lz_config *cfg, const char *env, const char *value)
{
    int i = lz_setting_index(env);
    assert_true(i >= 0);
    cfg->origin[i] = (struct lz_origin){LZ_SRC_ENV, 0, 0, value};
}

/* Builds with daemon.json text `user` (NULL: none) and argv; returns the
 * config as compact JSON (caller frees) or NULL with err. */
/* containment's cgroup-parent for build() (NULL: none) */
static const char *cg_parent;

static char *build(const struct lz_config *cfg, const char *user, const char *args,
                   const struct lz_podnet *net, int ipt_off, struct lz_dconf *d,
                   char *err, size_t errlen)
{
    json_error_t je;
    json_t *u = user ? json_loads(user, 0, &je) : NULL;
    struct lz_words w = {0, NULL, NULL};
    if (args)
        assert_int_equal(lz_shsplit(args, &w, err, errlen), 0);
    struct lz_dconf_in in = {.cfg = cfg, .user = u, .argc = w.argc, .argv = w.argv,
                             .net = net, .iptables_off = ipt_off, .cgroup_parent = cg_parent};
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

/* containment's cgroup-parent is used where nobody set the key */
static void test_build_cgroup_parent(void **state)
{
    (void)state;
    struct lz_config cfg;
    struct lz_dconf d;
    char err[1024];
    base_cfg(&cfg);
    cg_parent = "/docker/abc/lazydind/containers";
    char *s = build(&cfg, NULL, NULL, NULL, 0, &d, err, sizeof err);
    assert_non_null(strstr(s, "\"cgroup-parent\":\"/docker/abc/lazydind/containers\""));
    assert_non_null(strstr(origin(&d, "cgroup-parent"), "auto"));
    free(s);
    lz_dconf_free(&d);
    s = build(&cfg, "{\"cgroup-parent\":\"/mine\"}", NULL, NULL, 0, &d, err, sizeof err);
    assert_non_null(strstr(s, "\"cgroup-parent\":\"/mine\""));
    free(s);
    lz_dconf_free(&d);
    s = build(&cfg, NULL, "--cgroup-parent=/flag", NULL, 0, &d, err, sizeof err);
    assert_null(strstr(s, "cgroup-parent"));
    free(s);
    lz_dconf_free(&d);
    cg_parent = NULL;
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_plain),
        cmocka_unit_test(test_build_cgroup_parent),
        cmocka_unit_test(test_build_precedence),
        cmocka_unit_test(test_build_auto),
        cmocka_unit_test(test_build_not_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
