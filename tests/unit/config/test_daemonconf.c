/* Unit tests for daemonconf.h: the cold-path check (lz_dconf_resolve:
 * data-root from daemon.json, rootless mode's generated config, the arguments) and a
 * config made from the files (lz_dconf_make). */
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
#include "config/daemonconf.h"

#include "conf_fixture.h"

/* lz_config_load + lz_dconf_resolve: their rc, err set. */
static int load_resolve(struct lz_config *cfg, char *err, size_t errlen)
{
    err[0] = '\0';
    if (lz_config_load(cfg, err, errlen) != 0)
        fail_msg("lz_config_load: %s", err);
    return lz_dconf_resolve(cfg, err, errlen);
}

static void test_resolve_data_root(void **state)
{
    struct tmp *t = *state;
    struct lz_config cfg;
    char err[1024], where[256];
    int di = lz_setting_index("LAZYDIND_DATA_ROOT");
    /* no daemon.json: the default */
    assert_int_equal(load_resolve(&cfg, err, sizeof err), 0);
    assert_string_equal(cfg.data_root, "/var/lib/docker");
    assert_int_equal(cfg.origin[di].src, LZ_SRC_DEFAULT);
    /* daemon.json's, shown as its value (the text outlives the JSON) */
    static const char *const files[] = {"{\"data-root\": \"/dj/root\"}",
                                        "{\"graph\": \"/dj/root\"}"};
    for (size_t i = 0; i < 2; i++) {
        lzt_write_file(t->json, files[i]);
        assert_int_equal(load_resolve(&cfg, err, sizeof err), 0);
        assert_string_equal(cfg.data_root, "/dj/root");
        assert_int_equal(cfg.data_root_set, 0);
        assert_int_equal(cfg.origin[di].src, LZ_SRC_DAEMON_JSON);
        assert_string_equal(cfg.origin[di].value, "/dj/root");
        lz_config_origin(&cfg, "LAZYDIND_DATA_ROOT", where, sizeof where);
        assert_string_equal(where, t->json);
    }
    /* a lazydind setting beats it */
    setenv("LAZYDIND_DATA_ROOT", "/env/root", 1);
    assert_int_equal(load_resolve(&cfg, err, sizeof err), 0);
    assert_string_equal(cfg.data_root, "/env/root");
    assert_int_equal(cfg.data_root_set, 1);
    assert_int_equal(cfg.origin[di].src, LZ_SRC_ENV);
    unsetenv("LAZYDIND_DATA_ROOT");
    lzt_write_file(t->json, "{\"data-root\": \"rel\"}");
    assert_int_equal(load_resolve(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "\"data-root\" must be an absolute path string"));
}

static void test_resolve_errors(void **state)
{
    struct tmp *t = *state;
    struct lz_config cfg;
    char err[1024];
    lzt_write_file(t->json, "{\"debug\": tru");
    assert_int_equal(load_resolve(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "fix the JSON or remove the file"));
    lzt_write_file(t->json, "{}");
    setenv("LAZYDIND_DOCKERD_ARGS", "--label 'a", 1);
    assert_int_equal(load_resolve(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "LAZYDIND_DOCKERD_ARGS='--label 'a': "));
    setenv("LAZYDIND_DOCKERD_ARGS", "--mtu 1300", 1);
    setenv("LAZYDIND_MTU", "1400", 1);
    assert_int_equal(load_resolve(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "LAZYDIND_MTU and --mtu in LAZYDIND_DOCKERD_ARGS both set"));
}

/* Rootless dockerd gets the generated config as rootful's does: lazydind's
 * dockerd settings apply, LAZYDIND_DATA_ROOT beats the file's, its own
 * socket instead of fd://, and the file is read as strictly (a duplicate
 * key is refused). */
static void test_resolve_rootless(void **state)
{
    struct tmp *t = *state;
    struct lz_config cfg;
    char err[1024], want[512];
    setenv("LAZYDIND_MODE", "rootless", 1);
    setenv("XDG_RUNTIME_DIR", t->dir, 1);
    assert_int_equal(load_resolve(&cfg, err, sizeof err), 0);
    /* a dockerd setting applies as in rootful mode (the generated config) */
    setenv("LAZYDIND_LOG_LEVEL", "warn", 1);
    assert_int_equal(load_resolve(&cfg, err, sizeof err), 0);
    struct lz_dconf d;
    assert_int_equal(lz_dconf_make(&cfg, 0, NULL, &d, err, sizeof err), 0);
    assert_string_equal(json_string_value(json_object_get(d.config, "log-level")), "warn");
    /* the inner socket, bound inside rootlesskit's namespaces and renamed over
     * the user's socket by the supervisor: no fd:// */
    snprintf(want, sizeof want, "unix://%s/lazydind/dockerd.sock", t->dir);
    assert_string_equal(json_string_value(json_array_get(json_object_get(d.config, "hosts"), 0)),
                        want);
    lz_dconf_free(&d);
    unsetenv("LAZYDIND_LOG_LEVEL");
    /* the data-root: LAZYDIND_DATA_ROOT beats the file, as in rootful mode */
    lzt_write_file(t->json, "{\"data-root\": \"/dj/root\"}");
    setenv("LAZYDIND_DATA_ROOT", "/env/root", 1);
    assert_int_equal(load_resolve(&cfg, err, sizeof err), 0);
    assert_string_equal(cfg.data_root, "/env/root");
    unsetenv("LAZYDIND_DATA_ROOT");
    assert_int_equal(load_resolve(&cfg, err, sizeof err), 0);
    assert_string_equal(cfg.data_root, "/dj/root");
    lzt_write_file(t->json, "{\n  \"a\": 1,\n  \"a\": 2\n}");
    assert_int_equal(load_resolve(&cfg, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s:3:", t->json);
    assert_non_null(strstr(err, want));
    assert_non_null(strstr(err, "duplicate object key"));
}

static void test_make(void **state)
{
    struct tmp *t = *state;
    struct lz_config cfg;
    struct lz_dconf d;
    char err[1024];
    lzt_write_file(t->json, "{\"debug\": true}");
    setenv("LAZYDIND_DOCKERD_ARGS", "--label a=1 -H tcp://127.0.0.1:2376", 1);
    assert_int_equal(load_resolve(&cfg, err, sizeof err), 0);
    assert_int_equal(lz_dconf_make(&cfg, 1, NULL, &d, err, sizeof err), 0);
    assert_true(json_is_true(json_object_get(d.config, "debug")));
    assert_true(json_is_false(json_object_get(d.config, "iptables")));
    json_t *hosts = json_object_get(d.config, "hosts");
    assert_int_equal(json_array_size(hosts), 2);
    assert_string_equal(json_string_value(json_array_get(hosts, 1)), "tcp://127.0.0.1:2376");
    assert_int_equal(d.argc, 2);
    assert_string_equal(d.argv[1], "a=1");
    lz_dconf_free(&d);
    lzt_write_file(t->json, "[]");
    assert_int_equal(lz_dconf_make(&cfg, 0, NULL, &d, err, sizeof err), -1);
    assert_non_null(strstr(err, "top level must be a JSON object"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_resolve_data_root, tmp_setup_json, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_resolve_errors, tmp_setup_json, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_resolve_rootless, tmp_setup_json, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_make, tmp_setup_json, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
