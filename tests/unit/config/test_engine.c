/* Unit tests for config/engine.h: dockerd's version line, what each
 * version supports, API versions. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "config/engine.h"

static void test_parse_versions(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        int major, minor, patch;
        const char *version;
    } cases[] = {
        {"Docker version 20.10.24+dfsg1, build 5d6db84", 20, 10, 24, "20.10.24+dfsg1"},
        {"Docker version 26.1.5+dfsg1, build 411e817", 26, 1, 5, "26.1.5+dfsg1"},
        {"Docker version 28.5.2+dfsg4, build 3ef3c07c883be49a2e8097bcf6d2952fce1d70eb",
         28, 5, 2, "28.5.2+dfsg4"},
        {"Docker version 29.1.0, build 360952c", 29, 1, 0, "29.1.0"},
        {"Docker version 27.0.0-rc.1, build abc", 27, 0, 0, "27.0.0-rc.1"},
        {"Docker version 18.09.1-ce, build 4c52b90", 18, 9, 1, "18.09.1-ce"},
        {"Docker version 24.0\n", 24, 0, 0, "24.0"},
        {"Docker version v25.0.3, build x", 25, 0, 3, "v25.0.3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lz_engine e;
        if (lz_engine_parse(cases[i].line, &e) != 0)
            fail_msg("'%s' did not parse", cases[i].line);
        assert_int_equal(e.known, 1);
        assert_int_equal(e.major, cases[i].major);
        assert_int_equal(e.minor, cases[i].minor);
        assert_int_equal(e.patch, cases[i].patch);
        assert_string_equal(e.version, cases[i].version);
    }
}

static void test_parse_garbage(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "dockerd: command not found", "Docker version", "Docker version x.y",
        "Docker version 28", "Docker version 28.", "Docker version 123456.1",
        "Docker version .5.2",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct lz_engine e;
        if (lz_engine_parse(bad[i], &e) == 0)
            fail_msg("'%s' parsed as %d.%d", bad[i], e.major, e.minor);
        assert_int_equal(e.known, 0);
    }
    struct lz_engine e;
    assert_int_equal(lz_engine_parse(NULL, &e), -1);
}

static struct lz_engine v(int major, int minor)
{
    struct lz_engine e = {.known = 1, .major = major, .minor = minor};
    return e;
}

static void test_features_by_version(void **state)
{
    (void)state;
    struct lz_engine unknown = {0}, e;
    e = v(20, 10);
    assert_false(lz_engine_has_default_network_opts(&e));
    assert_false(lz_engine_has_min_api_env(&e));
    assert_string_equal(lz_engine_default_min_api(&e), "1.12");
    e = v(23, 0);
    assert_false(lz_engine_has_default_network_opts(&e));
    e = v(24, 0);
    assert_true(lz_engine_has_default_network_opts(&e));
    assert_false(lz_engine_has_min_api_env(&e));
    e = v(25, 0);
    assert_true(lz_engine_has_min_api_env(&e));
    assert_string_equal(lz_engine_default_min_api(&e), "1.24");
    e = v(28, 5);
    assert_string_equal(lz_engine_default_min_api(&e), "1.24");
    e = v(29, 0);
    assert_string_equal(lz_engine_default_min_api(&e), "1.44");
    /* not knowing the engine means not writing what it may reject */
    assert_false(lz_engine_has_default_network_opts(&unknown));
    assert_false(lz_engine_has_min_api_env(&unknown));
    assert_null(lz_engine_default_min_api(&unknown));
    assert_false(lz_engine_at_least(NULL, 1, 0));
}

static void test_api_versions(void **state)
{
    (void)state;
    int m;
    assert_int_equal(lz_parse_api_version("1.24", &m), 0);
    assert_int_equal(m, 24);
    assert_int_equal(lz_parse_api_version("1.12", &m), 0);
    assert_int_equal(lz_parse_api_version("1.44", &m), 0);
    assert_int_equal(m, 44);
    static const char *const bad[] = {"", "1", "1.", "1.11", "2.0", "1.024", "1.24a",
                                      "v1.24", " 1.24", "1.100", "1.-5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (lz_parse_api_version(bad[i], &m) == 0)
            fail_msg("API version '%s' was accepted", bad[i]);
    assert_int_equal(lz_parse_api_version(NULL, &m), -1);
    assert_true(lz_api_cmp("1.41", "1.44") < 0);
    assert_true(lz_api_cmp("1.44", "1.44") == 0);
    assert_true(lz_api_cmp("1.51", "1.44") > 0);
    assert_true(lz_api_cmp("junk", "1.12") < 0);
}

static void test_containerd_store(void **state)
{
    (void)state;
    struct lz_engine e20 = v(20, 10), e28 = v(28, 5), e29 = v(29, 0), unknown = {0};
    /* daemon.json decides when it says, from Docker 24 on */
    assert_false(lz_containerd_store(1, &e20, 0));
    assert_false(lz_containerd_store(1, &unknown, 0));
    assert_true(lz_containerd_store(1, &e28, 1));
    assert_false(lz_containerd_store(0, &e29, 0));
    /* else Docker 29's default, on a data-root without graph driver data */
    assert_true(lz_containerd_store(-1, &e29, 0));
    assert_false(lz_containerd_store(-1, &e29, 1));
    assert_false(lz_containerd_store(-1, &e28, 0));
    assert_false(lz_containerd_store(-1, &unknown, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_versions),
        cmocka_unit_test(test_parse_garbage),
        cmocka_unit_test(test_features_by_version),
        cmocka_unit_test(test_api_versions),
        cmocka_unit_test(test_containerd_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
