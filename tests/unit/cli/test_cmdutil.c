/* Unit tests for cmdutil.h: options with a value. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli/cmdutil.h"

static void test_cmd_value(void **unused)
{
    (void)unused;
    char *argv[] = {"lazydind", "stop", "--timeout", "10s", "--timeout=3s",
                    "--timeoutx=1", "--timeout", NULL};
    int argc = 7, i = 2;
    assert_string_equal(lz_cmd_value(argc, argv, &i, "--timeout"), "10s");
    assert_int_equal(i, 3);
    i = 4;
    assert_string_equal(lz_cmd_value(argc, argv, &i, "--timeout"), "3s");
    assert_int_equal(i, 4);
    i = 5;
    assert_null(lz_cmd_value(argc, argv, &i, "--timeout"));
    /* the name last, without its value */
    i = 6;
    assert_null(lz_cmd_value(argc, argv, &i, "--timeout"));
    assert_int_equal(i, 6);
    i = 1;
    assert_null(lz_cmd_value(argc, argv, &i, "--timeout"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cmd_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
