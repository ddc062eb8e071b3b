/* Unit tests for await.h: the key by which one caller claims a start's
 * notices. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "daemon/await.h"

static void key(const char *phase, int ready, int spawns, char *out, size_t cap)
{
    struct lz_state st;
    memset(&st, 0, sizeof st);
    strcpy(st.phase, phase);
    st.ready = ready;
    st.spawns = spawns;
    st.supervisor_pid = 77;
    lz_announce_key(&st, out, cap);
}

static void test_announce_key(void **unused)
{
    (void)unused;
    char a[64], b[64];
    /* armed, before its first start, and running that start (not ready):
     * the same start, so the same key whoever reads the state when */
    key("armed", 0, 0, a, sizeof a);
    key("running", 0, 1, b, sizeof b);
    assert_string_equal(a, "77:1\n");
    assert_string_equal(b, a);
    /* backing off after start 3: the next is 4 */
    key("backoff", 0, 3, a, sizeof a);
    assert_string_equal(a, "77:4\n");
    /* ready: nothing to announce */
    key("running", 1, 2, a, sizeof a);
    assert_string_equal(a, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_announce_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
