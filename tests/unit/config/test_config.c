/* Unit tests for config.h: LAZYDIND_* parsing, defaults, the messages a
 * user sees for a bad value, and daemon.json's data-root. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"

#define SENTINEL 424242

/* ------------------------------------------------------------ durations */

static void test_parse_duration_ok(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int64_t ms;
    } cases[] = {
        {"60", 60000},     {"60s", 60000},       {"500ms", 500},
        {"2m", 120000},    {"1h30m", 5400000},   {"1m30s", 90000},
        {"0", 0},          {"100ms", 100},       {"1h", 3600000},
        {"24h", 86400000}, {"1440m", 86400000},  {"86400000ms", 86400000},
        {"1m500ms", 60500}, {"007s", 7000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t ms = SENTINEL;
        if (lz_parse_duration_ms(cases[i].s, &ms) != 0)
            fail_msg("'%s' rejected", cases[i].s);
        if (ms != cases[i].ms)
            fail_msg("'%s' = %lld ms, want %lld", cases[i].s, (long long)ms,
                     (long long)cases[i].ms);
    }
}

static void test_parse_duration_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "abc", "-1", "+1s", "1.5s", "10x", "1m30", "1ms30", "s", "ms",
        "5 s", " 5s", "5s ", "5S", "1d",
        "25h", "24h1ms", "86400001ms", "1441m", "90000s",  /* over 24h */
        "99999999999999999999", "9223372036854775807ms",   /* huge */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms = SENTINEL;
        if (lz_parse_duration_ms(bad[i], &ms) != -1)
            fail_msg("'%s' accepted as %lld ms", bad[i], (long long)ms);
        if (ms != SENTINEL)
            fail_msg("'%s' rejected but wrote %lld", bad[i], (long long)ms);
    }
    int64_t ms = SENTINEL;
    assert_int_equal(lz_parse_duration_ms(NULL, &ms), -1);
}

/* ---------------------------------------------------------------- sizes */

static void test_parse_size_ok(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int64_t bytes;
    } cases[] = {
        {"10M", 10485760},   {"10MiB", 10485760}, {"10mb", 10485760},
        {"10MB", 10485760},  {"10Mi", 10485760},  {"1g", 1073741824},
        {"1GiB", 1073741824}, {"4096", 4096},     {"4k", 4096},
        {"4K", 4096},        {"1T", 1099511627776LL}, {"0", 0},
        {"10b", 10},         {"10B", 10},
        {"8388607T", 8388607LL << 40},             /* largest that fits */
        {"1125899906842624", 1125899906842624LL},  /* 2^50 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t b = SENTINEL;
        if (lz_parse_size(cases[i].s, &b) != 0)
            fail_msg("'%s' rejected", cases[i].s);
        if (b != cases[i].bytes)
            fail_msg("'%s' = %lld, want %lld", cases[i].s, (long long)b,
                     (long long)cases[i].bytes);
    }
}

static void test_parse_size_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "M", "-1", "+1", "1.5G", "10Q", "10 M", " 10M", "10M ", "10iB",
        "10bb", "10MiBx", "10MBB", "1e6", "0x10",
        "8388608T",                 /* 2^63: overflows int64 */
        "1125899906842625",         /* over 2^50 */
        "99999999999999999999999", "9999999999999999999T",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t b = SENTINEL;
        if (lz_parse_size(bad[i], &b) != -1)
            fail_msg("'%s' accepted as %lld", bad[i], (long long)b);
        if (b != SENTINEL)
            fail_msg("'%s' rejected but wrote %lld", bad[i], (long long)b);
    }
    int64_t b = SENTINEL;
    assert_int_equal(lz_parse_size(NULL, &b), -1);
}

/* ---------------------------------------------------------------- bools */

static void test_parse_bool(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int rc, v;
    } cases[] = {
        {"1", 0, 1},     {"true", 0, 1},  {"TRUE", 0, 1}, {"Yes", 0, 1},
        {"on", 0, 1},    {"ON", 0, 1},    {"0", 0, 0},    {"false", 0, 0},
        {"False", 0, 0}, {"no", 0, 0},    {"NO", 0, 0},   {"off", 0, 0},
        {"", -1, SENTINEL},      {"maybe", -1, SENTINEL}, {"2", -1, SENTINEL},
        {"y", -1, SENTINEL},     {"n", -1, SENTINEL},     {"truee", -1, SENTINEL},
        {" 1", -1, SENTINEL},    {"1 ", -1, SENTINEL},    {"01", -1, SENTINEL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int v = SENTINEL;
        int rc = lz_parse_bool(cases[i].s, &v);
        if (rc != cases[i].rc || v != cases[i].v)
            fail_msg("'%s': rc %d value %d, want rc %d value %d", cases[i].s,
                     rc, v, cases[i].rc, cases[i].v);
    }
    int v = SENTINEL;
    assert_int_equal(lz_parse_bool(NULL, &v), -1);
}

/* ----------------------------------------------------------- tmpfs size */

static void test_parse_tmpfs_size(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        const char *out; /* NULL: rejected */
    } cases[] = {
        {"50%", "50%"},   {"1%", "1%"},     {"100%", "100%"},
        {"050%", "50%"},  {"8g", "8589934592"}, {"1M", "1048576"},
        {"1048576", "1048576"}, {"2GiB", "2147483648"},
        {"0%", NULL},     {"101%", NULL},   {"%", NULL},   {"1000%", NULL},
        {"-5%", NULL},    {"5.5%", NULL},   {"50%%", NULL}, {"x%", NULL},
        {"99999999999999999999%", NULL},
        {"512k", NULL},   {"1048575", NULL}, {"0", NULL},  /* under 1M */
        {"", NULL},       {"lots", NULL},   {"8q", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[32] = "untouched";
        int rc = lz_parse_tmpfs_size(cases[i].s, out, sizeof out);
        if (cases[i].out == NULL) {
            if (rc != -1)
                fail_msg("'%s' accepted as '%s'", cases[i].s, out);
        } else {
            if (rc != 0)
                fail_msg("'%s' rejected", cases[i].s);
            assert_string_equal(out, cases[i].out);
        }
    }
    /* an output buffer too small is an error, not a truncated option */
    char small[4];
    assert_int_equal(lz_parse_tmpfs_size("8g", small, sizeof small), -1);
    assert_int_equal(lz_parse_tmpfs_size("100%", small, sizeof small), -1);
    char out[32];
    assert_int_equal(lz_parse_tmpfs_size(NULL, out, sizeof out), -1);
}

/* --------------------------------------------------------- lz_config_load */

static const char *const all_vars[] = {
    "LAZYDIND_START_TIMEOUT", "LAZYDIND_QUIET",     "LAZYDIND_TMPFS",
    "LAZYDIND_TMPFS_SIZE",    "LAZYDIND_DATA_ROOT", "LAZYDIND_DOCKERD",
    "LAZYDIND_DOCKERD_ARGS",  "LAZYDIND_LOG",       "LAZYDIND_LOG_MAX",
    "LAZYDIND_DOCKER",        "LAZYDIND_RUN_DIR",   "LAZYDIND_DAEMON_JSON",
    "LAZYDIND_IDLE_TIMEOUT",
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

/* ----------------------------------------------- daemon.json's data-root */

struct tmp {
    char dir[64];
    char file[96];
};

static int tmp_setup(void **state)
{
    struct tmp *t = calloc(1, sizeof *t);
    assert_non_null(t);
    strcpy(t->dir, "/tmp/lz-config-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->file, sizeof t->file, "%s/daemon-XXXXXX", t->dir);
    int fd = mkstemp(t->file);
    assert_true(fd >= 0);
    close(fd);
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
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void test_daemon_json_absent(void **state)
{
    struct tmp *t = *state;
    char path[128], out[LZ_PATH_MAX] = "untouched", err[512] = "";
    snprintf(path, sizeof path, "%s/no-such.json", t->dir);
    assert_int_equal(lz_daemon_json_data_root(path, out, sizeof out, err, sizeof err), 0);
    assert_string_equal(out, "untouched");
    assert_string_equal(err, "");
}

static void test_daemon_json_valid(void **state)
{
    struct tmp *t = *state;
    static const struct {
        const char *json;
        int rc;
        const char *out;
    } cases[] = {
        {"{\"data-root\": \"/data/docker\"}\n", 1, "/data/docker"},
        {"{\n  \"debug\": true,\n  \"data-root\": \"/mnt/d\",\n"
         "  \"storage-driver\": \"overlay2\"\n}\n", 1, "/mnt/d"},
        {"{\"debug\": true}", 0, NULL},
        {"{}", 0, NULL},
        {"{\"graph\": \"/old\"}", 0, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file(t->file, cases[i].json);
        char out[LZ_PATH_MAX] = "untouched", err[512] = "";
        int rc = lz_daemon_json_data_root(t->file, out, sizeof out, err, sizeof err);
        if (rc != cases[i].rc)
            fail_msg("%s: rc %d, want %d (err %s)", cases[i].json, rc,
                     cases[i].rc, err);
        assert_string_equal(out, cases[i].out ? cases[i].out : "untouched");
    }
}

static void test_daemon_json_malformed(void **state)
{
    struct tmp *t = *state;
    write_file(t->file, "{\"debug\": tru");
    char out[LZ_PATH_MAX] = "untouched", err[512] = "";
    assert_int_equal(lz_daemon_json_data_root(t->file, out, sizeof out, err, sizeof err), -1);
    char where[128];
    snprintf(where, sizeof where, "%s:1:", t->file);
    if (!strstr(err, where))
        fail_msg("err \"%s\" lacks \"%s\"", err, where);
    assert_string_equal(out, "untouched");

    /* the line number is the one with the error */
    write_file(t->file, "{\n  \"debug\": true,\n  \"data-root\": /x\n}\n");
    err[0] = '\0';
    assert_int_equal(lz_daemon_json_data_root(t->file, out, sizeof out, err, sizeof err), -1);
    snprintf(where, sizeof where, "%s:3:", t->file);
    if (!strstr(err, where))
        fail_msg("err \"%s\" lacks \"%s\"", err, where);
}

static void test_daemon_json_bad_data_root(void **state)
{
    struct tmp *t = *state;
    static const struct {
        const char *json, *says;
    } cases[] = {
        {"{\"data-root\": 42}", "data-root"},
        {"{\"data-root\": null}", "data-root"},
        {"{\"data-root\": [\"/x\"]}", "data-root"},
        {"{\"data-root\": \"relative/docker\"}", "data-root"},
        {"{\"data-root\": \"\"}", "data-root"},
        {"{\"data-root\": \"/a\\nb\"}", "data-root"},
        {"[{\"data-root\": \"/x\"}]", "object"},
        {"\"/x\"", ":1:"},          /* jansson: not an object or array */
        {"{\"data-root\": \"/a\", \"data-root\": \"/b\"}", "data-root"},
        {"", ":"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file(t->file, cases[i].json);
        char out[LZ_PATH_MAX] = "", err[512] = "";
        int rc = lz_daemon_json_data_root(t->file, out, sizeof out, err, sizeof err);
        if (rc != -1)
            fail_msg("%s: rc %d, want -1", cases[i].json, rc);
        if (!strstr(err, t->file) || !strstr(err, cases[i].says))
            fail_msg("%s: err \"%s\" lacks the path or \"%s\"", cases[i].json,
                     err, cases[i].says);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_duration_ok),
        cmocka_unit_test(test_parse_duration_rejects),
        cmocka_unit_test(test_parse_size_ok),
        cmocka_unit_test(test_parse_size_rejects),
        cmocka_unit_test(test_parse_bool),
        cmocka_unit_test(test_parse_tmpfs_size),
        cmocka_unit_test_setup(test_config_defaults, clear_env),
        cmocka_unit_test_setup_teardown(test_config_empty_is_unset, clear_env, clear_env),
        cmocka_unit_test_setup_teardown(test_config_good_values, clear_env, clear_env),
        cmocka_unit_test_setup_teardown(test_config_bad_values, clear_env, clear_env),
        cmocka_unit_test_setup_teardown(test_daemon_json_absent, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_daemon_json_valid, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_daemon_json_malformed, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_daemon_json_bad_data_root, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
