/* Unit tests for launch.h: the supervisor's one-line report. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "daemon/launch.h"

static void test_report_parse(void **unused)
{
    (void)unused;
    char msg[64];
    int pid = -1;
    assert_int_equal(lz_report_parse("ok 4242", &pid, msg, sizeof msg), LZ_LAUNCH_OK);
    assert_int_equal(pid, 4242);
    assert_string_equal(msg, "");
    assert_int_equal(lz_report_parse("err LAZYDIND_MTU='x' is not a number", &pid, msg,
                                     sizeof msg), LZ_LAUNCH_REFUSED);
    assert_int_equal(pid, 0);
    assert_string_equal(msg, "LAZYDIND_MTU='x' is not a number");
    assert_int_equal(lz_report_parse("", &pid, msg, sizeof msg), LZ_LAUNCH_SILENT);
    /* ok without a usable pid: still ok, pid unknown */
    const char *odd[] = {"ok", "ok ", "ok 12x", "ok -3", "ok 0", "ready"};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        pid = -1;
        assert_int_equal(lz_report_parse(odd[i], &pid, msg, sizeof msg), LZ_LAUNCH_OK);
        assert_int_equal(pid, 0);
    }
    /* a long message is cut, not dropped */
    char small[8];
    assert_int_equal(lz_report_parse("err 0123456789", &pid, small, sizeof small),
                     LZ_LAUNCH_REFUSED);
    assert_string_equal(small, "0123456");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
