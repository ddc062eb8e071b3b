/* Unit tests for config.h: lz_config_load (LAZYDIND_* variables, then
 * lazydind.conf, then defaults; the messages a user sees for a bad value;
 * unknown keys refused) and the settings table itself. */
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
#include "conf_fixture.h"
#include "config/config.h"

static const char *const all_vars[] = {
    "LAZYDIND_START_TIMEOUT", "LAZYDIND_QUIET",     "LAZYDIND_TMPFS",
    "LAZYDIND_TMPFS_SIZE",    "LAZYDIND_DATA_ROOT", "LAZYDIND_DOCKERD",
    "LAZYDIND_DOCKERD_ARGS",  "LAZYDIND_LOG",       "LAZYDIND_LOG_MAX",
    "LAZYDIND_DOCKER",        "LAZYDIND_RUN_DIR",   "LAZYDIND_DAEMON_JSON",
    "LAZYDIND_IDLE_TIMEOUT",  "LAZYDIND_MIN_API_VERSION",
};

static int clear_env(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof all_vars / sizeof all_vars[0]; i++)
        unsetenv(all_vars[i]);
    return 0;
}

static void test_config_defaults(void **state)
{
    (void)state;
    struct lz_config cfg;
    char err[512] = "";
    assert_int_equal(lz_config_load(&cfg, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_int_equal(cfg.start_timeout_ms, 60000);
    assert_int_equal(cfg.quiet, 0);
    assert_int_equal(cfg.tmpfs, LZ_TMPFS_AUTO);
    assert_string_equal(cfg.tmpfs_size, "");
    assert_string_equal(cfg.data_root, "/var/lib/docker");
    assert_int_equal(cfg.data_root_set, 0);
    assert_string_equal(cfg.dockerd, "dockerd");
    assert_null(cfg.dockerd_args);
    assert_string_equal(cfg.log_path, "/var/log/lazydind/dockerd.log");
    assert_int_equal(cfg.log_max, 10 * 1024 * 1024);
    assert_null(cfg.docker);
    assert_string_equal(cfg.run_dir, "/run/lazydind");
    assert_string_equal(cfg.socket_path, "/var/run/docker.sock");
    assert_string_equal(cfg.daemon_json, "/etc/docker/daemon.json");
}

/* An empty value is the same as an unset one. */
static void test_config_empty_is_unset(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof all_vars / sizeof all_vars[0]; i++)
        setenv(all_vars[i], "", 1);
    struct lz_config cfg;
    char err[512] = "";
    assert_int_equal(lz_config_load(&cfg, err, sizeof err), 0);
    assert_int_equal(cfg.start_timeout_ms, 60000);
    assert_string_equal(cfg.data_root, "/var/lib/docker");
    assert_null(cfg.dockerd_args);
    assert_null(cfg.docker);
}

static void test_config_good_values(void **state)
{
    (void)state;
    setenv("LAZYDIND_START_TIMEOUT", "2m", 1);
    setenv("LAZYDIND_QUIET", "yes", 1);
    setenv("LAZYDIND_TMPFS", "always", 1);
    setenv("LAZYDIND_TMPFS_SIZE", "50%", 1);
    setenv("LAZYDIND_DATA_ROOT", "/workspace/.docker-data", 1);
    setenv("LAZYDIND_DOCKERD", "/usr/bin/dockerd", 1);
    setenv("LAZYDIND_DOCKERD_ARGS", "--debug --log-level info", 1);
    setenv("LAZYDIND_LOG", "/tmp/d.log", 1);
    setenv("LAZYDIND_LOG_MAX", "4k", 1);
    setenv("LAZYDIND_DOCKER", "/usr/bin/docker", 1);
    setenv("LAZYDIND_RUN_DIR", "/run/x", 1);
    setenv("LAZYDIND_DAEMON_JSON", "/etc/d.json", 1);
    setenv("LAZYDIND_MIN_API_VERSION", "1.41", 1);
    struct lz_config cfg;
    char err[512] = "";
    assert_int_equal(lz_config_load(&cfg, err, sizeof err), 0);
    assert_int_equal(cfg.start_timeout_ms, 120000);
    assert_int_equal(cfg.quiet, 1);
    assert_int_equal(cfg.tmpfs, LZ_TMPFS_ALWAYS);
    assert_string_equal(cfg.tmpfs_size, "50%");
    assert_string_equal(cfg.data_root, "/workspace/.docker-data");
    assert_int_equal(cfg.data_root_set, 1);
    assert_string_equal(cfg.dockerd, "/usr/bin/dockerd");
    assert_string_equal(cfg.dockerd_args, "--debug --log-level info");
    assert_string_equal(cfg.log_path, "/tmp/d.log");
    assert_int_equal(cfg.log_max, 4096);
    assert_string_equal(cfg.docker, "/usr/bin/docker");
    assert_string_equal(cfg.run_dir, "/run/x");
    assert_string_equal(cfg.daemon_json, "/etc/d.json");
    assert_string_equal(cfg.min_api_version, "1.41");

    setenv("LAZYDIND_TMPFS", "never", 1);
    setenv("LAZYDIND_TMPFS_SIZE", "8g", 1);
    setenv("LAZYDIND_DOCKERD", "dockerd-custom", 1); /* a bare name is fine */
    assert_int_equal(lz_config_load(&cfg, err, sizeof err), 0);
    assert_int_equal(cfg.tmpfs, LZ_TMPFS_NEVER);
    assert_string_equal(cfg.tmpfs_size, "8589934592");
    assert_string_equal(cfg.dockerd, "dockerd-custom");
}

static void test_config_bad_values(void **state)
{
    (void)state;
    static char long_run_dir[100];
    memset(long_run_dir, 'r', sizeof long_run_dir - 1);
    long_run_dir[0] = '/';
    static const struct {
        const char *var, *value;
    } cases[] = {
        {"LAZYDIND_START_TIMEOUT", "banana"},
        {"LAZYDIND_START_TIMEOUT", "50ms"},      /* under 100ms */
        {"LAZYDIND_START_TIMEOUT", "25h"},
        {"LAZYDIND_QUIET", "maybe"},
        {"LAZYDIND_TMPFS", "sometimes"},
        {"LAZYDIND_TMPFS_SIZE", "lots"},
        {"LAZYDIND_TMPFS_SIZE", "512k"},
        {"LAZYDIND_DATA_ROOT", "relative/path"},
        {"LAZYDIND_DATA_ROOT", "/bad\npath"},
        {"LAZYDIND_DOCKERD", "bin/dockerd"},
        {"LAZYDIND_LOG", "dockerd.log"},
        {"LAZYDIND_LOG_MAX", "1"},
        {"LAZYDIND_LOG_MAX", "ten"},
        {"LAZYDIND_DOCKER", "docker"},
        {"LAZYDIND_RUN_DIR", long_run_dir},     /* over 80 bytes */
        {"LAZYDIND_RUN_DIR", "run"},
        {"LAZYDIND_DAEMON_JSON", "daemon.json"},
        {"LAZYDIND_MIN_API_VERSION", "banana"},
        {"LAZYDIND_MIN_API_VERSION", "1.20"},   /* dockerd 25+ refuses < 1.24 */
        {"LAZYDIND_MIN_API_VERSION", "2.0"},
        {"LAZYDIND_MIN_API_VERSION", "v1.41"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        clear_env(NULL);
        setenv(cases[i].var, cases[i].value, 1);
        struct lz_config cfg;
        char err[512] = "";
        char quoted[256];
        snprintf(quoted, sizeof quoted, "%s='%s'", cases[i].var, cases[i].value);
        int rc = lz_config_load(&cfg, err, sizeof err);
        if (rc != -1)
            fail_msg("%s: rc %d, want -1", quoted, rc);
        if (!strstr(err, quoted))
            fail_msg("%s: message \"%s\" does not name it", quoted, err);
        if (strchr(err, '\n') && !strchr(cases[i].value, '\n'))
            fail_msg("%s: message is not one line: \"%s\"", quoted, err);
    }
}

/* With several bad values the one reported is the first in the order
 * lz_config_load has always checked them: the mode, iptables, quiet,
 * preflight, start-timeout, ... (not the order `lazydind config` shows). */
static void test_config_several_bad(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b, *reported;
    } cases[] = {
        {"LAZYDIND_DOCKER", "LAZYDIND_MODE", "LAZYDIND_MODE="},
        {"LAZYDIND_PREFLIGHT", "LAZYDIND_START_TIMEOUT", "LAZYDIND_PREFLIGHT="},
        {"LAZYDIND_QUIET", "LAZYDIND_IPTABLES", "LAZYDIND_IPTABLES="},
        {"LAZYDIND_DOCKER", "LAZYDIND_LOG_MAX", "LAZYDIND_LOG_MAX="},
        {"LAZYDIND_MTU", "LAZYDIND_DAEMON_JSON", "LAZYDIND_DAEMON_JSON="},
        {"LAZYDIND_LOG_LEVEL", "LAZYDIND_REGISTRY_MIRRORS", "LAZYDIND_REGISTRY_MIRRORS="},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setenv(cases[i].a, "bad value", 1);
        setenv(cases[i].b, "bad value", 1);
        struct lz_config cfg;
        char err[512] = "";
        assert_int_equal(lz_config_load(&cfg, err, sizeof err), -1);
        if (strncmp(err, cases[i].reported, strlen(cases[i].reported)) != 0)
            fail_msg("%s and %s: \"%s\", want %s...", cases[i].a, cases[i].b, err,
                     cases[i].reported);
        unsetenv(cases[i].a);
        unsetenv(cases[i].b);
    }
}

static void test_file_values_and_precedence(void **state)
{
    struct tmp *t = *state;
    struct lz_config cfg;
    char err[1024] = "", where[1200];
    lzt_write_file(t->file, "start-timeout = 2m\n"
                        "mtu = 1450\n"
                        "data-root = /workspace/.docker-data\n"
                        "registry-mirrors = http://127.0.0.1:5000\n"
                        "dockerd-args = --label a=1\n"
                        "log-level =\n");
    setenv("LAZYDIND_MTU", "1400", 1);
    assert_int_equal(lz_config_load(&cfg, err, sizeof err), 0);
    assert_int_equal(cfg.config_found, 1);
    assert_int_equal(cfg.start_timeout_ms, 120000);
    assert_int_equal(cfg.mtu, 1400); /* the variable beats the file */
    assert_string_equal(cfg.data_root, "/workspace/.docker-data");
    assert_int_equal(cfg.data_root_set, 1);
    assert_string_equal(cfg.registry_mirrors, "http://127.0.0.1:5000");
    assert_string_equal(cfg.dockerd_args, "--label a=1");
    assert_null(cfg.log_level); /* empty in the file: unset */
    lz_config_origin(&cfg, "LAZYDIND_MTU", where, sizeof where);
    assert_string_equal(where, "LAZYDIND_MTU");
    lz_config_origin(&cfg, "LAZYDIND_DATA_ROOT", where, sizeof where);
    char want[300];
    snprintf(want, sizeof want, "%s:3 (data-root)", t->file);
    assert_string_equal(where, want);
    lz_config_origin(&cfg, "LAZYDIND_LOG", where, sizeof where);
    assert_string_equal(where, "default");
    int i = lz_setting_index("LAZYDIND_START_TIMEOUT");
    assert_int_equal(cfg.origin[i].src, LZ_SRC_FILE);
    assert_string_equal(cfg.origin[i].value, "2m");
    /* an empty variable does not hide the file */
    setenv("LAZYDIND_MTU", "", 1);
    assert_int_equal(lz_config_load(&cfg, err, sizeof err), 0);
    assert_int_equal(cfg.mtu, 1450);
}

static void test_file_errors(void **state)
{
    struct tmp *t = *state;
    static const struct {
        const char *text, *says;
    } cases[] = {
        {"mtu = 1450\nmirrors = x\n", ":2:1: unknown key 'mirrors'"},
        {"registry_mirrors = x\n", "did you mean 'registry-mirrors'?"},
        {"LAZYDIND_MTU = 1450\n", "did you mean 'mtu'?"},
        {"config = /x\n", "only the variable LAZYDIND_CONFIG"},
        {"frobnicate = 1\n", "`lazydind config` lists the keys"},
        {"\n\nmtu = 99999\n", ":3:7: mtu='99999' is not a number between 576 and 9216"},
        {"start-timeout = banana\n", ":1:17: start-timeout='banana' is not a duration"},
        {"registry-mirrors = ftp://x\n", ":1:20: registry-mirrors='ftp://x' has 'ftp://x'"},
        {"mtu 1450\n", ":1:5: expected '='"},
        {"quiet = 1\nquiet = 0\n", ":2:1: 'quiet' is already set on line 1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lz_config cfg;
        char err[1024] = "";
        lzt_write_file(t->file, cases[i].text);
        if (lz_config_load(&cfg, err, sizeof err) != -1)
            fail_msg("'%s' accepted", cases[i].text);
        if (strncmp(err, t->file, strlen(t->file)) != 0 || !strstr(err, cases[i].says))
            fail_msg("'%s': \"%s\" lacks the file or \"%s\"", cases[i].text, err,
                     cases[i].says);
    }
    /* a bad variable is still named as a variable */
    struct lz_config cfg;
    char err[1024] = "";
    lzt_write_file(t->file, "mtu = 1450\n");
    setenv("LAZYDIND_MTU", "abc", 1);
    assert_int_equal(lz_config_load(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "LAZYDIND_MTU='abc'"));
    unsetenv("LAZYDIND_MTU");
}

/* The table: each variable is LAZYDIND_ and its key in capitals, keys are
 * unique, the check order is a permutation that starts with the mode, and
 * every kind has what it needs. */
static void test_table(void **state)
{
    (void)state;
    int seen[LZ_MAX_SETTINGS] = {0};
    for (int i = 0; i < lz_nsettings; i++) {
        const struct lz_setting *s = &lz_settings[i];
        char want[128] = "LAZYDIND_";
        for (const char *p = s->key; *p; p++) {
            char c = *p == '-' ? '_' : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
            strncat(want, &c, 1);
        }
        assert_string_equal(s->env, want);
        assert_int_equal(lz_setting_index(s->env), i);
        assert_ptr_equal(lz_setting_by_key(s->key), s);
        assert_non_null(s->def);
        assert_non_null(s->parse);
        assert_true(s->check >= 0 && s->check < lz_nsettings);
        assert_int_equal(seen[s->check]++, 0);
        if (s->parse == lz_set_choice)
            assert_non_null(s->choices);
        if (s->parse == lz_set_path || s->parse == lz_set_tmpfs_size ||
            s->parse == lz_set_command)
            assert_true(s->cap > 0);
        if (s->parse == lz_set_dockerd || s->parse == lz_set_dockerd_int)
            assert_non_null(s->dvalue);
        else
            assert_null(s->dvalue);
        /* every kind that cannot explain itself has a hint */
        if (!s->dvalue && s->parse != lz_set_text)
            assert_non_null(s->hint);
    }
    assert_string_equal(lz_settings[0].key, "docker"); /* the order shown */
    int mode = lz_setting_index("LAZYDIND_MODE");
    assert_int_equal(lz_settings[mode].check, 0);
    assert_int_equal(lz_setting_index("LAZYDIND_CONFIG"), -1);
    assert_null(lz_setting_by_key("config"));
}

/* The dockerd settings are the table's rows with a dvalue, in the order
 * the merge applies them; each gets its value from the variable. */
static void test_dockerd_rows(void **state)
{
    (void)state;
    static const char *const want[] = {"registry-mirrors", "insecure-registries",
                                       "storage-driver", "mtu", "bip",
                                       "default-address-pools", "dns", "log-level"};
    static const char *const value[] = {"http://127.0.0.1:5000", "reg:5000", "vfs",
                                        "1400", "172.18.0.1/16", "10.201.0.0/16",
                                        "1.1.1.1", "warn"};
    size_t n = 0;
    for (int i = 0; i < lz_nsettings; i++) {
        if (!lz_settings[i].dvalue)
            continue;
        assert_true(n < 8);
        assert_string_equal(lz_settings[i].key, want[n]);
        setenv(lz_settings[i].env, value[n], 1);
        n++;
    }
    assert_int_equal(n, 8);
    struct lz_config cfg;
    char err[512] = "", buf[32];
    setenv("LAZYDIND_MODE", "rootful", 1);
    assert_int_equal(lz_config_load(&cfg, err, sizeof err), 0);
    n = 0;
    for (int i = 0; i < lz_nsettings; i++) {
        const char *t = lz_setting_text(&lz_settings[i], &cfg, buf, sizeof buf);
        if (!lz_settings[i].dvalue) {
            assert_null(t);
            continue;
        }
        assert_non_null(t);
        assert_string_equal(t, value[n]);
        unsetenv(lz_settings[i].env);
        n++;
    }
    assert_int_equal(cfg.mtu, 1400);
    assert_string_equal(cfg.storage_driver, "vfs");
    unsetenv("LAZYDIND_MODE");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_config_defaults, clear_env),
        cmocka_unit_test_setup_teardown(test_config_empty_is_unset, clear_env, clear_env),
        cmocka_unit_test_setup_teardown(test_config_good_values, clear_env, clear_env),
        cmocka_unit_test_setup_teardown(test_config_bad_values, clear_env, clear_env),
        cmocka_unit_test_setup_teardown(test_config_several_bad, clear_env, clear_env),
        cmocka_unit_test_setup_teardown(test_file_values_and_precedence, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_file_errors, tmp_setup, tmp_teardown),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_dockerd_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
