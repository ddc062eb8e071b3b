/* Unit tests for livepids.h: telling our supervisor by its command line. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "daemon/livepids.h"

/* sizeof - 1: the text as read, the terminating NUL after it */
#define IS(lit) lz_cmdline_is_supervisor(lit, sizeof lit - 1)

static void test_cmdline_is_supervisor(void **unused)
{
    (void)unused;
    assert_true(IS("lazydind\0supervise\0--report-fd\0" "3\0"));
    assert_true(IS("/usr/local/bin/lazydind\0supervise\0"));
    assert_false(IS("lazydind\0status\0"));
    assert_false(IS("lazydind\0supervisey\0"));
    assert_false(IS("lazydind\0"));
    assert_false(IS("supervise\0"));
    assert_false(IS(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cmdline_is_supervisor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
