/* Unit tests for pod/doctor_engine.h: doctor's engine and CLI API checks. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "pod/doctor_engine.h"

static struct lz_engine v(int major, int minor, const char *text)
{
    struct lz_engine e = {.known = 1, .major = major, .minor = minor};
    strcpy(e.version, text);
    return e;
}

static int run(const struct lz_engine *e, const char *cli_api, const char *min_api,
               struct lz_engine_check out[2])
{
    struct lz_engine_facts f = {
        .engine = e, .dockerd = "/usr/sbin/dockerd", .cli = "/usr/bin/docker",
        .cli_api = cli_api, .min_api = min_api,
    };
    return lz_doctor_engine_checks(&f, out);
}

static void test_min_api(void **state)
{
    (void)state;
    struct lz_engine e20 = v(20, 10, "20.10.24"), e28 = v(28, 5, "28.5.2"),
                     e29 = v(29, 0, "29.0.0"), unknown = {0};
    assert_string_equal(lz_engine_min_api(&e20, NULL), "1.12");
    assert_string_equal(lz_engine_min_api(&e20, "1.41"), "1.12"); /* 20.10 reads none */
    assert_string_equal(lz_engine_min_api(&e28, NULL), "1.24");
    assert_string_equal(lz_engine_min_api(&e29, NULL), "1.44");
    assert_string_equal(lz_engine_min_api(&e29, "1.41"), "1.41");
    assert_null(lz_engine_min_api(&unknown, "1.41"));
}

static void test_checks(void **state)
{
    (void)state;
    struct lz_engine_check c[2];
    struct lz_engine e29 = v(29, 0, "29.0.0"), e28 = v(28, 5, "28.5.2+dfsg4"),
                     e20 = v(20, 10, "20.10.24+dfsg1");
    /* Docker 20.10's CLI (API 1.41) against Docker 29: warned, with the fix */
    assert_int_equal(run(&e29, "1.41", NULL, c), 2);
    assert_string_equal(c[0].id, "engine");
    assert_int_equal(c[0].level, 1);
    assert_non_null(strstr(c[0].msg, "Docker 29.0.0 (/usr/sbin/dockerd): serves API 1.44 and later"));
    assert_string_equal(c[1].id, "cli-api");
    assert_int_equal(c[1].level, 2);
    assert_non_null(strstr(c[1].msg, "speaks API 1.41, older than dockerd 29.0.0 serves (1.44 and later)"));
    assert_non_null(strstr(c[1].msg, "client version 1.41 is too old"));
    assert_non_null(strstr(c[1].fix, "LAZYDIND_MIN_API_VERSION=1.41"));
    /* ... and with min-api-version 1.41: fine */
    assert_int_equal(run(&e29, "1.41", "1.41", c), 2);
    assert_int_equal(c[1].level, 0);
    assert_non_null(strstr(c[0].msg, "serves API 1.41 and later (min-api-version)"));
    /* a current CLI */
    assert_int_equal(run(&e28, "1.51", NULL, c), 2);
    assert_int_equal(c[1].level, 0);
    /* a CLI below what any dockerd 25+ can be lowered to */
    assert_int_equal(run(&e28, "1.20", NULL, c), 2);
    assert_int_equal(c[1].level, 2);
    assert_null(strstr(c[1].fix, "LAZYDIND_MIN_API_VERSION"));
    assert_non_null(strstr(c[1].fix, "a newer docker CLI"));
    /* 20.10 serves everything from 1.12 */
    assert_int_equal(run(&e20, "1.20", NULL, c), 2);
    assert_int_equal(c[1].level, 0);
    /* the CLI's version unknown: only the engine */
    assert_int_equal(run(&e28, "", NULL, c), 1);
    /* an engine that did not tell: a warning */
    struct lz_engine unknown = {0};
    assert_int_equal(run(&unknown, "1.51", NULL, c), 1);
    assert_int_equal(c[0].level, 2);
    /* no dockerd */
    struct lz_engine_facts f = {.engine = &unknown, .dockerd = "", .cli = "", .cli_api = ""};
    assert_int_equal(lz_doctor_engine_checks(&f, c), 1);
    assert_int_equal(c[0].level, 2);
    assert_non_null(strstr(c[0].fix, "docker.io"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_min_api),
        cmocka_unit_test(test_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
