/* Unit tests for conffile.h (the lazydind.conf parser) and the file layer of
 * lz_config_load: a variable beats the file, errors name file:line:column,
 * unknown keys are refused. */
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

#include "config/conffile.h"
#include "config/config.h"

static int parse_ok(const char *text, struct lz_conf *c)
{
    struct lz_conf_error e;
    int rc = lz_conf_parse(text, strlen(text), c, &e);
    if (rc != 0)
        fail_msg("'%s' refused: %d:%d: %s", text, e.line, e.col, e.what);
    return rc;
}

static void test_parse_basic(void **state)
{
    (void)state;
    struct lz_conf c;
    parse_ok("# comment\n"
             "; another\n"
             "\n"
             "   \t\n"
             "data-root = /workspace/.docker-data\n"
             "  mtu=1450  \n"
             "registry-mirrors =\thttp://127.0.0.1:5000, https://mirror.gcr.io\r\n"
             "dockerd-args = --label \"a;b\" --label 'c # d'\n"
             "log-level =\n"
             "quiet = 1", &c);
    assert_int_equal(c.n, 6);
    assert_string_equal(c.v[0].key, "data-root");
    assert_string_equal(c.v[0].value, "/workspace/.docker-data");
    assert_int_equal(c.v[0].line, 5);
    assert_int_equal(c.v[0].key_col, 1);
    assert_int_equal(c.v[0].value_col, 13);
    assert_string_equal(c.v[1].key, "mtu");
    assert_string_equal(c.v[1].value, "1450");
    assert_int_equal(c.v[1].key_col, 3);
    assert_int_equal(c.v[1].value_col, 7);
    /* CRLF: the \r goes */
    assert_string_equal(c.v[2].value, "http://127.0.0.1:5000, https://mirror.gcr.io");
    /* no inline comments: ';' and '#' stay in values */
    assert_string_equal(c.v[3].value, "--label \"a;b\" --label 'c # d'");
    assert_string_equal(c.v[4].value, "");
    assert_string_equal(c.v[5].value, "1"); /* no final newline */
    assert_non_null(lz_conf_find(&c, "mtu"));
    assert_null(lz_conf_find(&c, "dns"));
    lz_conf_free(&c);

    parse_ok("", &c);
    assert_int_equal(c.n, 0);
    lz_conf_free(&c);
    parse_ok("\xef\xbb\xbfmtu = 1450\n", &c); /* a BOM */
    assert_int_equal(c.n, 1);
    assert_string_equal(c.v[0].key, "mtu");
    lz_conf_free(&c);
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        int line, col;
        const char *says;
    } cases[] = {
        {"mtu 1450\n", 0, 1, 5, "expected '='"},
        {"mtu\n", 0, 1, 4, "expected '='"},
        {"= 1450\n", 0, 1, 1, "expected a key"},
        {"  [daemon]\nmtu = 1\n", 0, 1, 3, "sections"},
        {"a = 1\n\nmtu = 1\n  mtu = 2\n", 0, 4, 3, "already set on line 3"},
        {"mtu = 14\x01" "50\n", 0, 1, 9, "control character"},
        {"mtu = 1\n\nx\xffy = 2\n", 0, 3, 2, "expected '='"},
        {"mtu = 1\nm\0tu = 2\n", 16, 2, 2, "NUL"},
        {"key\"quoted = 1\n", 0, 1, 4, "expected '='"},
        {"mtu = 1\rx\n", 0, 1, 8, "control character"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lz_conf c;
        struct lz_conf_error e;
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
        if (lz_conf_parse(cases[i].text, len, &c, &e) != -1)
            fail_msg("case %zu accepted", i);
        if (e.line != cases[i].line || e.col != cases[i].col ||
            !strstr(e.what, cases[i].says))
            fail_msg("case %zu: %d:%d: %s; want %d:%d: ...%s...", i, e.line, e.col,
                     e.what, cases[i].line, cases[i].col, cases[i].says);
        assert_null(c.v);
        assert_int_equal(c.n, 0);
    }
    /* a key too long */
    char big[200];
    memset(big, 'k', 100);
    strcpy(big + 100, " = 1\n");
    struct lz_conf c;
    struct lz_conf_error e;
    assert_int_equal(lz_conf_parse(big, strlen(big), &c, &e), -1);
    assert_non_null(strstr(e.what, "longer"));
}

/* Inputs that end inside a construct (a lone CR, half a BOM, a key at the
 * very end). */
static void test_parse_edges(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t len;
    } cases[] = {
        {"\r", 1},
        {"\xef\xbb", 2},
        {"a=\r", 3},
        {"\n\n\n=", 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lz_conf c;
        struct lz_conf_error e;
        if (lz_conf_parse(cases[i].text, cases[i].len, &c, &e) == 0)
            lz_conf_free(&c);
    }
}

/* ------------------------------------------------- the config file layer */

struct tmp {
    char dir[64];
    char file[128];
};

static int tmp_setup(void **state)
{
    static const char *const vars[] = {
        "LAZYDIND_CONFIG", "LAZYDIND_MTU", "LAZYDIND_START_TIMEOUT",
        "LAZYDIND_DATA_ROOT", "LAZYDIND_REGISTRY_MIRRORS", "LAZYDIND_QUIET",
        "LAZYDIND_DOCKERD_ARGS", "LAZYDIND_LOG_LEVEL", "LAZYDIND_MODE",
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        unsetenv(vars[i]);
    struct tmp *t = calloc(1, sizeof *t);
    strcpy(t->dir, "/tmp/lz-conf-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->file, sizeof t->file, "%s/lazydind.conf", t->dir);
    setenv("LAZYDIND_CONFIG", t->file, 1);
    setenv("LAZYDIND_MODE", "rootful", 1);
    *state = t;
    return 0;
}

static int tmp_teardown(void **state)
{
    struct tmp *t = *state;
    unlink(t->file);
    rmdir(t->dir);
    free(t);
    unsetenv("LAZYDIND_CONFIG");
    unsetenv("LAZYDIND_MODE");
    return 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_file_values_and_precedence(void **state)
{
    struct tmp *t = *state;
    struct lz_config cfg;
    char err[1024] = "", where[1200];
    write_file(t->file, "start-timeout = 2m\n"
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
        write_file(t->file, cases[i].text);
        if (lz_config_load(&cfg, err, sizeof err) != -1)
            fail_msg("'%s' accepted", cases[i].text);
        if (strncmp(err, t->file, strlen(t->file)) != 0 || !strstr(err, cases[i].says))
            fail_msg("'%s': \"%s\" lacks the file or \"%s\"", cases[i].text, err,
                     cases[i].says);
    }
    /* a bad variable is still named as a variable */
    struct lz_config cfg;
    char err[1024] = "";
    write_file(t->file, "mtu = 1450\n");
    setenv("LAZYDIND_MTU", "abc", 1);
    assert_int_equal(lz_config_load(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "LAZYDIND_MTU='abc'"));
    unsetenv("LAZYDIND_MTU");
}

static void test_file_missing(void **state)
{
    struct tmp *t = *state;
    struct lz_config cfg;
    char err[1024] = "";
    /* named by LAZYDIND_CONFIG: it must exist */
    assert_int_equal(lz_config_load(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, t->file));
    assert_non_null(strstr(err, "LAZYDIND_CONFIG"));
    setenv("LAZYDIND_CONFIG", "relative.conf", 1);
    assert_int_equal(lz_config_load(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "not an absolute path"));
    /* a directory is not a config file */
    setenv("LAZYDIND_CONFIG", t->dir, 1);
    assert_int_equal(lz_config_load(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "regular file"));
    setenv("LAZYDIND_CONFIG", t->file, 1);
}

static void test_suggest(void **state)
{
    (void)state;
    static const struct {
        const char *name, *want;
    } cases[] = {
        {"registry_mirrors", "registry-mirrors"}, {"LAZYDIND_REGISTRY_MIRROR", "registry-mirrors"},
        {"LAZYDIND_MTUU", "mtu"}, {"Data-Root", "data-root"}, {"loglevel", "log-level"},
        {"LAZYDIND_FOO", NULL}, {"frobnicate", NULL}, {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *s = lz_setting_suggest(cases[i].name);
        if (cases[i].want ? (!s || strcmp(s, cases[i].want) != 0) : s != NULL)
            fail_msg("'%s' -> %s, want %s", cases[i].name, s ? s : "NULL",
                     cases[i].want ? cases[i].want : "NULL");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_basic),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_edges),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test_setup_teardown(test_file_values_and_precedence, tmp_setup,
                                        tmp_teardown),
        cmocka_unit_test_setup_teardown(test_file_errors, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_file_missing, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
