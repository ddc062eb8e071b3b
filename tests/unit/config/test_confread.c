/* Unit tests for confread.h: which lazydind.conf is read, and the checks
 * before it is (absolute path, a regular file, the trust check as root). */
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
#include "config/confread.h"
#include "config/config.h"

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

static void test_conf_read(void **state)
{
    struct tmp *t = *state;
    char path[LZ_PATH_MAX], err[1024] = "";
    struct lz_conf c;
    int found = 7;
    lzt_write_file(t->file, "mtu = 1450\n# c\nanything = goes here\n");
    assert_int_equal(lz_conf_read(path, &found, &c, err, sizeof err), 0);
    assert_string_equal(path, t->file);
    assert_int_equal(found, 1);
    assert_int_equal(c.n, 2); /* which keys exist is not its business */
    assert_string_equal(lz_conf_find(&c, "anything")->value, "goes here");
    lz_conf_free(&c);
    /* a syntax error names file:line:column */
    lzt_write_file(t->file, "mtu = 1\n\nmtu 2\n");
    assert_int_equal(lz_conf_read(path, &found, &c, err, sizeof err), -1);
    char want[256];
    snprintf(want, sizeof want, "%s:3:5: expected '='", t->file);
    if (strncmp(err, want, strlen(want)) != 0)
        fail_msg("\"%s\", want \"%s...\"", err, want);
    assert_null(c.v);
    /* without LAZYDIND_CONFIG: the default, which need not exist */
    unsetenv("LAZYDIND_CONFIG");
    struct stat st;
    if (stat(LZ_DEFAULT_CONFIG, &st) != 0) {
        found = 7;
        assert_int_equal(lz_conf_read(path, &found, &c, err, sizeof err), 0);
        assert_string_equal(path, LZ_DEFAULT_CONFIG);
        assert_int_equal(found, 0);
        assert_int_equal(c.n, 0);
    }
    setenv("LAZYDIND_CONFIG", "", 1); /* empty is unset */
    if (stat(LZ_DEFAULT_CONFIG, &st) != 0) {
        assert_int_equal(lz_conf_read(path, &found, &c, err, sizeof err), 0);
        assert_string_equal(path, LZ_DEFAULT_CONFIG);
    }
    setenv("LAZYDIND_CONFIG", t->file, 1);
}

/* Root obeys it (it may name the dockerd binary): a file others can write
 * is refused, by lz_config_load too. */
static void test_conf_untrusted(void **state)
{
    struct tmp *t = *state;
    char path[LZ_PATH_MAX], err[1024] = "";
    struct lz_conf c;
    int found;
    if (geteuid() != 0)
        skip();
    lzt_write_file(t->file, "mtu = 1450\n");
    assert_int_equal(chmod(t->file, 0666), 0);
    assert_int_equal(lz_conf_read(path, &found, &c, err, sizeof err), -1);
    char want[256];
    snprintf(want, sizeof want, "will not read the config file %s as root: ", t->file);
    if (strncmp(err, want, strlen(want)) != 0)
        fail_msg("\"%s\"", err);
    struct lz_config cfg;
    assert_int_equal(lz_config_load(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, want));
    assert_int_equal(chmod(t->file, 0644), 0);
    assert_int_equal(lz_config_load(&cfg, err, sizeof err), 0);
    assert_int_equal(cfg.mtu, 1450);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_file_missing, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_conf_read, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_conf_untrusted, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
