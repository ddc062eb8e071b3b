/* Unit tests for suggest.h: "did you mean" for misspelt keys and
 * variables. */
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
#include "config/config.h"
#include "config/suggest.h"

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

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(lz_edit_distance("mtu", "mtu"), 0);
    assert_int_equal(lz_edit_distance("mtu", "mtuu"), 1);
    assert_int_equal(lz_edit_distance("", "abc"), 3);
    assert_int_equal(lz_edit_distance("kitten", "sitting"), 3);
    char big[100];
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(lz_edit_distance(big, "k"), 99);
    /* over any table */
    static const struct lz_setting t[] = {{.env = "X_ALPHA", .key = "alpha"},
                                          {.env = "X_BETA", .key = "beta"}};
    assert_string_equal(lz_closest_key("alpah", t, 2), "alpha");
    assert_string_equal(lz_closest_key("LAZYDIND_BETA", t, 2), "beta");
    assert_null(lz_closest_key("gamma", t, 2));
    assert_null(lz_closest_key("alpha", t, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_edit_distance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
