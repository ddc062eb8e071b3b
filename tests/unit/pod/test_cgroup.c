/* Unit tests for cgroup.h: the cgroup layout and its mounts on recorded
 * fixtures (fixture.h). lz_cgroup_needs_nesting: tests/unit/daemon/test_prepare.c. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fixture.h"
#include "pod/cgroup.h"

static void test_cgroups(void **state)
{
    (void)state;
    const char *mi;
    mi = fx("host", "proc/self/mountinfo");
    assert_int_equal(lz_cgroup_layout(mi), LZ_CG_HYBRID);
    assert_true(lz_cgroup_mounts_rw(mi, LZ_CG_HYBRID));
    mi = fx("priv", "proc/self/mountinfo"); /* the host's tree, bound rw */
    assert_int_equal(lz_cgroup_layout(mi), LZ_CG_HYBRID);
    assert_true(lz_cgroup_mounts_rw(mi, LZ_CG_HYBRID));
    mi = fx("default", "proc/self/mountinfo"); /* v1 controllers, read-only */
    assert_int_equal(lz_cgroup_layout(mi), LZ_CG_V1);
    assert_false(lz_cgroup_mounts_rw(mi, LZ_CG_V1));
    mi = fx("cgroup2-priv", "proc/self/mountinfo");
    assert_int_equal(lz_cgroup_layout(mi), LZ_CG_V2);
    assert_true(lz_cgroup_mounts_rw(mi, LZ_CG_V2));
    mi = fx("sysbox-k8s", "proc/self/mountinfo");
    assert_int_equal(lz_cgroup_layout(mi), LZ_CG_V2);
    mi = fx("sysbox-docker", "proc/self/mountinfo");
    assert_int_equal(lz_cgroup_layout(mi), LZ_CG_V1);
    assert_true(lz_cgroup_mounts_rw(mi, LZ_CG_V1));
    /* a read-only cgroup2 (a default pod on a v2 node) */
    const char *ro = "1 0 0:1 / / rw - overlay overlay rw\n"
                     "2 1 0:2 / /sys ro - sysfs sysfs ro\n"
                     "3 2 0:3 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw\n";
    assert_int_equal(lz_cgroup_layout(ro), LZ_CG_V2);
    assert_false(lz_cgroup_mounts_rw(ro, LZ_CG_V2));
    assert_int_equal(lz_cgroup_layout("1 0 0:1 / / rw - ext4 x rw\n"), LZ_CG_NONE);
    assert_false(lz_cgroup_mounts_rw("", LZ_CG_NONE));
    assert_string_equal(lz_cg_layout_name(LZ_CG_HYBRID), "hybrid");
    assert_int_equal(lz_count_lines(fx("cgroup2-priv", "sys/fs/cgroup/cgroup.procs")), 3);
    assert_int_equal(lz_count_lines(""), 0);
    assert_int_equal(lz_count_lines("1\n\n  \n2"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cgroups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
