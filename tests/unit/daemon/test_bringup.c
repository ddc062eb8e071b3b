/* Unit tests for bringup.h: the results' names. (The sequence itself runs
 * against a real dockerd in the e2e suite.) */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "daemon/bringup.h"

static void test_up_names(void **unused)
{
    (void)unused;
    assert_string_equal(lz_up_name(LZ_UP_READY), "ready");
    assert_string_equal(lz_up_name(LZ_UP_LISTENING), "listening");
    assert_string_equal(lz_up_name(LZ_UP_FAILED), "failed");
    assert_string_equal(lz_up_name(LZ_UP_NOT_OURS), "not ours");
    assert_string_equal(lz_up_name(LZ_UP_BAD_INPUT), "bad input");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_up_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
