/* Unit tests for config/preload.h: LAZYDIND_PRELOAD's syntax, its paths'
 * check, and comparing image references. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../helpers.h"
#include "config/preload.h"

static int collect(const char *path, void *arg)
{
    char *out = arg;
    strcat(out, path);
    strcat(out, "|");
    return 0;
}

static void test_each_splits(void **state)
{
    (void)state;
    char out[256] = "";
    assert_int_equal(lz_preload_each(" /a : /b,/c d,, :", collect, out), 0);
    assert_string_equal(out, "/a|/b|/c d|");
}

static void test_set_preload(void **state)
{
    (void)state;
    char dir[256], why[512], value[600];
    const char *field = NULL;
    lzt_mkdtemp(dir, sizeof dir, "preload");
    lzt_write_file(lzt_path(dir, "x.tar"), "");
    snprintf(value, sizeof value, "%s:%s", dir, lzt_path(dir, "x.tar"));
    assert_int_equal(lz_set_preload(NULL, value, &field, why, sizeof why), 0);
    assert_ptr_equal(field, value);

    snprintf(value, sizeof value, "%s:%s", dir, lzt_path(dir, "missing.tar"));
    assert_int_equal(lz_set_preload(NULL, value, &field, why, sizeof why), -1);
    assert_non_null(strstr(why, "missing.tar', which does not exist"));
    assert_int_equal(lz_set_preload(NULL, "images", &field, why, sizeof why), -1);
    assert_non_null(strstr(why, "'images', which is not an absolute path"));
    assert_int_equal(lz_set_preload(NULL, " : ,", &field, why, sizeof why), -1);
    assert_non_null(strstr(why, "names no path"));
    lzt_rmtree(dir);
}

static void test_refs(void **state)
{
    (void)state;
    char out[128];
    static const char *const cases[][2] = {
        {"busybox", "busybox:latest"},
        {"docker.io/library/busybox", "busybox:latest"},
        {"library/postgres:16", "postgres:16"},
        {"index.docker.io/me/app:2", "me/app:2"},
        {"127.0.0.1:5000/busybox", "127.0.0.1:5000/busybox:latest"},
        {"127.0.0.1:5000/busybox:1", "127.0.0.1:5000/busybox:1"},
        {"ghcr.io/library/x", "ghcr.io/library/x:latest"},
        {"a@sha256:00", "a@sha256:00"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(lz_ref_normalize(cases[i][0], out, sizeof out), 0);
        assert_string_equal(out, cases[i][1]);
    }
    assert_true(lz_ref_same("postgres:16", "docker.io/library/postgres:16"));
    assert_false(lz_ref_same("postgres:16", "postgres:15"));
    assert_int_equal(lz_ref_normalize("busybox", out, 8), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_splits),
        cmocka_unit_test(test_set_preload),
        cmocka_unit_test(test_refs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
