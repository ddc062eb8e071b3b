/* Unit tests for parse_ids.h: /etc/passwd, /etc/subuid on recorded
 * fixtures (fixture.h) and made-up text. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fixture.h"
#include "pod/parse_ids.h"

static void test_users(void **state)
{
    (void)state;
    char name[64], home[256];
    const char *pw = fx("rootless", "etc/passwd");
    long gid = -2;
    assert_true(lz_passwd_by_uid(pw, 1000, name, sizeof name, home, sizeof home, &gid));
    assert_int_equal(gid, 1000);
    assert_string_equal(name, "agent");
    assert_string_equal(home, "/home/agent");
    assert_true(lz_passwd_by_uid(pw, 0, name, sizeof name, NULL, 0, NULL));
    assert_string_equal(name, "root");
    assert_false(lz_passwd_by_uid(pw, 4242, name, sizeof name, NULL, 0, NULL));
    unsigned long s = 0, c = 0, uid = 0;
    const char *su = fx("rootless", "etc/subuid");
    assert_true(lz_subid_find(su, "agent", 1000, &s, &c));
    assert_int_equal(s, 100000);
    assert_int_equal(c, 65536);
    assert_true(lz_passwd_first_with_subid(pw, su, &uid, name, sizeof name));
    assert_int_equal(uid, 1000);
    assert_string_equal(name, "agent");
    assert_false(lz_subid_find(su, "nobody", 65534, &s, &c));
    /* by uid, comments, blanks, several ranges (the largest), bad lines */
    const char *t = "# comment\n\nalice:1:2\n1001:200000:1000\n  1001:300000:65536\n"
                    "bob:x:5\nbob:10:0\ncarol:400000:65536:extra\n";
    assert_true(lz_subid_find(t, "carl", 1001, &s, &c));
    assert_int_equal(s, 300000);
    assert_int_equal(c, 65536);
    assert_false(lz_subid_find(t, "bob", 7, &s, &c));
    assert_true(lz_subid_find(t, "carol", 9, &s, &c) == 0 || c == 65536);
    assert_false(lz_subid_find("", "agent", 1000, &s, &c));
    assert_false(lz_subid_find(NULL, "agent", 1000, &s, &c));
    /* passwd: short lines and comments are skipped */
    assert_false(lz_passwd_by_uid("#x:x:1:1::/:/bin/sh\nshort:x:1\n", 1, name, sizeof name, NULL, 0, NULL));
    assert_false(lz_passwd_first_with_subid("root:x:0:0::/root:/bin/sh\n", su, &uid, name,
                                            sizeof name));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_users),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
