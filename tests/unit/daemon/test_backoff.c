/* Unit tests for backoff.h: the crash-burst policy (re-arm at once, then
 * 1 s doubling to 15 s; 6 failures within a minute give up). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "daemon/backoff.h"

static void test_delays(void **state)
{
    (void)state;
    struct lz_burst b = {{0}, 0};
    int64_t t = 1000000;
    assert_int_equal(lz_burst_fail(&b, t), 0);        /* the first: at once */
    assert_int_equal(lz_burst_fail(&b, t + 10), 1000);
    assert_int_equal(lz_burst_fail(&b, t + 20), 2000);
    assert_int_equal(lz_burst_fail(&b, t + 30), 4000);
    assert_int_equal(lz_burst_fail(&b, t + 40), 8000);
    assert_int_equal(b.n, 5);
    assert_int_equal(lz_burst_fail(&b, t + 50), -1);  /* the sixth: give up */
    assert_int_equal(lz_burst_fail(&b, t + 60), -1);  /* and stays given up */
}

static void test_window_forgets(void **state)
{
    (void)state;
    struct lz_burst b = {{0}, 0};
    int64_t t = 5000000;
    for (int i = 0; i < 5; i++)
        assert_true(lz_burst_fail(&b, t + i) >= 0);
    /* a minute later the old ones no longer count: a new burst */
    assert_int_equal(lz_burst_fail(&b, t + LZ_BURST_WINDOW_MS + 10), 0);
    assert_int_equal(b.n, 1);
    /* just inside the window they still count */
    struct lz_burst c = {{0}, 0};
    assert_int_equal(lz_burst_fail(&c, t), 0);
    assert_int_equal(lz_burst_fail(&c, t + LZ_BURST_WINDOW_MS - 1), 1000);
}

static void test_cap(void **state)
{
    (void)state;
    /* the doubling stops at the cap however long the burst may be */
    struct lz_burst b = {{0}, 0};
    int64_t last = 0;
    for (int i = 0; i < LZ_BURST_MAX - 1; i++)
        last = lz_burst_fail(&b, 100000 + i);
    assert_true(last <= LZ_BURST_CAP_MS);
}

static void test_reset(void **state)
{
    (void)state;
    struct lz_burst b = {{0}, 0};
    lz_burst_fail(&b, 1);
    lz_burst_fail(&b, 2);
    lz_burst_reset(&b);
    assert_int_equal(b.n, 0);
    assert_int_equal(lz_burst_fail(&b, 3), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delays),
        cmocka_unit_test(test_window_forgets),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
