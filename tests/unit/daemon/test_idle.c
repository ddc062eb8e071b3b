/* Unit tests for idle.h's pure parts: how often to look, and the idle
 * decision with what it logs. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../helpers.h"
#include "daemon/idle.h"

static void test_every(void **state)
{
    (void)state;
    assert_int_equal(lz_idle_every(100), 250);
    assert_int_equal(lz_idle_every(8000), 2000);
    assert_int_equal(lz_idle_every(3600000), 10000);
}

static void test_expired(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    int64_t last = 1000;
    /* busy: the clock restarts, not expired */
    assert_int_equal(lz_idle_expired(p[1], 1, 50000, &last, 30000), 0);
    assert_int_equal(last, 50000);
    /* idle, but not for long enough */
    assert_int_equal(lz_idle_expired(p[1], 0, 79999, &last, 30000), 0);
    assert_int_equal(last, 50000);
    /* idle for the timeout: expired, and the log says why */
    assert_int_equal(lz_idle_expired(p[1], 0, 80000, &last, 30000), 1);
    close(p[1]);
    char buf[512] = "";
    ssize_t n = read(p[0], buf, sizeof buf - 1);
    close(p[0]);
    assert_true(n > 0);
    assert_non_null(strstr(buf, "idle for 30 s (no container running, no API connection): "
                                "stopping dockerd; the next connection starts it again"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every),
        cmocka_unit_test(test_expired),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
