/* Unit tests for subid_fit.h: subordinate ranges that fit a pod's user
 * namespace, on recorded uid_maps (fixtures/detect/sysbox-*). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "pod/parse_proc.h"
#include "pod/subid_fit.h"

static void fit_text(const char *uid_map, unsigned long uid, const char *want)
{
    struct lz_idmap m;
    char out[256];
    assert_int_equal(lz_parse_idmap(uid_map, &m), 0);
    lz_subid_fit_text(&m, uid, "agent", out, sizeof out);
    if (strcmp(out, want) != 0)
        fail_msg("uid %lu in \"%s\": \"%s\", want \"%s\"", uid, uid_map, out, want);
}

/* Sysbox (fixtures/detect/sysbox-k8s) and hostUsers: false: 0-65535. */
static void test_fit_sysbox(void **state)
{
    (void)state;
    const char *k8s = "         0     296608      65536\n";
    fit_text(k8s, 1000, "agent:1:999 agent:1001:64535");
    fit_text("0 165536 65536\n", 1, "agent:2:65534");
    fit_text("0 165536 65536\n", 65535, "agent:1:65534");
    fit_text("0 165536 65536\n", 0, "agent:1:65535");
    /* the user outside the map: every id but 0 */
    fit_text("0 165536 65536\n", 70000, "agent:1:65535");
}

static void test_fit_several_ranges(void **state)
{
    (void)state;
    fit_text("0 100000 1\n1000 1000 1\n2000 300000 5000\n", 1000, "agent:2000:5000");
    fit_text("0 100000 1001\n", 1000, "agent:1:999");
    /* only the user's own id: nothing to give */
    fit_text("1000 1000 1\n", 1000, "");
}

static void test_fit_ranges_counted(void **state)
{
    (void)state;
    struct lz_idmap m;
    struct lz_subrange r[1];
    assert_int_equal(lz_parse_idmap("0 296608 65536\n", &m), 0);
    assert_int_equal(lz_subid_fit(&m, 1000, r, 1), 1); /* max is kept */
    assert_int_equal(r[0].start, 1);
    assert_int_equal(r[0].count, 999);
    char small[16];
    lz_subid_fit_text(&m, 1000, "agent", small, sizeof small);
    assert_string_equal(small, "agent:1:999"); /* the range that did not fit is left out */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_sysbox),
        cmocka_unit_test(test_fit_several_ranges),
        cmocka_unit_test(test_fit_ranges_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
