/* Unit tests for lz_containers_count (listen.h): the idle check's reading
 * of dockerd's GET /containers/json answer. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "daemon/listen.h"

/* Counts a copy of s made without its terminating NUL. */
static int count(const char *s)
{
    size_t n = strlen(s);
    char *p = malloc(n ? n : 1);
    assert_non_null(p);
    memcpy(p, s, n);
    int r = lz_containers_count(p, n);
    free(p);
    return r;
}

static void test_answers(void **state)
{
    (void)state;
    assert_int_equal(count("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n"
                           "[{\"Id\":\"a\"},{\"Id\":\"b\"}]\n"), 2);
    assert_int_equal(count("HTTP/1.1 200 OK\r\n\r\n[]"), 0);
    /* not healthy, not an array, not complete: -1 (counts as busy) */
    assert_int_equal(count("HTTP/1.1 500 Internal Server Error\r\n\r\n[]"), -1);
    assert_int_equal(count("HTTP/1.1 200 OK\r\n\r\n{\"message\":\"x\"}"), -1);
    assert_int_equal(count("HTTP/1.1 200 OK\r\n\r\n[{\"Id\""), -1);
    assert_int_equal(count("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"), -1);
    /* shorter than a status line: never read past the end */
    assert_int_equal(count("HTTP/1.0 2"), -1);
    assert_int_equal(count("HTTP/1."), -1);
    assert_int_equal(count(""), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
