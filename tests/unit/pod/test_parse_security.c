/* Unit tests for parse_security.h: capability masks and names, AppArmor
 * labels (recorded fixtures: fixture.h). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fixture.h"
#include "pod/parse_proc.h"
#include "pod/parse_security.h"

static void test_caps(void **state)
{
    (void)state;
    assert_int_equal(lz_caps_all(40), UINT64_C(0x1ffffffffff));
    assert_int_equal(lz_caps_all(37), UINT64_C(0x3fffffffff));
    assert_int_equal(lz_caps_all(-1), 0);
    assert_string_equal(lz_cap_name(21), "SYS_ADMIN");
    assert_string_equal(lz_cap_name(40), "CHECKPOINT_RESTORE");
    assert_string_equal(lz_cap_name(50), "cap50");
    char buf[256];
    lz_caps_format(LZ_CAPS_ROOTFUL & ~UINT64_C(0x00000000a80425fb), buf, sizeof buf);
    assert_string_equal(buf, "NET_ADMIN, SYS_ADMIN");
    lz_caps_format(0, buf, sizeof buf);
    assert_string_equal(buf, "");
    /* truncation never overflows */
    char tiny[8];
    lz_caps_format(UINT64_MAX, tiny, sizeof tiny);
    assert_true(strlen(tiny) < sizeof tiny);
    /* the constants match a default docker run's CapEff */
    struct lz_status st;
    assert_int_equal(lz_parse_status(fx("default", "proc/self/status"), &st), 0);
    assert_int_equal(st.cap_eff, LZ_CAPS_DOCKER_DEFAULT);
}

static void test_apparmor(void **state)
{
    (void)state;
    assert_false(lz_apparmor_confined("unconfined\n"));
    assert_false(lz_apparmor_confined(""));
    assert_false(lz_apparmor_confined(NULL));
    assert_true(lz_apparmor_confined("docker-default (enforce)\n"));
    assert_true(lz_apparmor_confined("cri-containerd.apparmor.d (enforce)"));
    assert_false(lz_apparmor_confined("foo (complain)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_apparmor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
