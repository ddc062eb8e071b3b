/* Unit tests for util.h: how long a process has run, from /proc. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <unistd.h>

#include "base/util.h"

static void test_stat_starttime(void **state)
{
    (void)state;
    unsigned long long t = 0;
    /* fields after the command: state ppid pgrp ... starttime is field 22 */
    const char *stat = "1234 (dockerd) S 1 1234 1234 0 -1 4194560 100 0 0 0 "
                       "5 6 0 0 20 0 12 0 987654 1000000 200";
    assert_int_equal(lz_stat_starttime(stat, &t), 0);
    assert_int_equal(t, 987654ULL);
    /* a command name with spaces and a parenthesis */
    const char *odd = "77 (a) b (c) S 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 42 1 1";
    assert_int_equal(lz_stat_starttime(odd, &t), 0);
    assert_int_equal(t, 42ULL);
    assert_int_equal(lz_stat_starttime("1 (x) S 1 2 3", &t), -1);
    assert_int_equal(lz_stat_starttime("no parenthesis", &t), -1);
    assert_int_equal(lz_stat_starttime("1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 4x2 1",
                                       &t), -1);
}

static void test_pid_age(void **state)
{
    (void)state;
    /* this test has run for well under an hour; pid 0 is nobody */
    int64_t age = lz_pid_age_s(getpid());
    assert_true(age >= 0 && age < 3600);
    assert_int_equal(lz_pid_age_s(0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stat_starttime),
        cmocka_unit_test(test_pid_age),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
