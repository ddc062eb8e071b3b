/* Unit tests for pidfile.h: a pid file is stale unless its pid runs the
 * program it names. */
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
#include "daemon/pidfile.h"

static void test_exe_is(void **state)
{
    (void)state;
    assert_true(lz_exe_is("/usr/bin/containerd", "containerd"));
    assert_true(lz_exe_is("/usr/bin/containerd (deleted)", "containerd"));
    assert_true(lz_exe_is("containerd", "containerd"));
    assert_false(lz_exe_is("/usr/bin/containerd-shim-runc-v2", "containerd"));
    assert_false(lz_exe_is("/usr/bin/bash", "containerd"));
    assert_false(lz_exe_is("/opt/containerd/bin/sleep", "containerd"));
    assert_false(lz_exe_is("", "containerd"));
    assert_false(lz_exe_is(" (deleted)", "containerd"));
}

static void test_clear_stale(void **state)
{
    (void)state;
    char dir[64], why[512], text[32], self[4096];
    lzt_mkdtemp(dir, sizeof dir, "pidfile");
    const char *pf = lzt_path(dir, "containerd.pid");

    /* absent: nothing to do */
    assert_int_equal(lz_pidfile_clear_stale(pf, "containerd", why, sizeof why), 0);

    /* our own pid, which runs this test program, not containerd: reused */
    snprintf(text, sizeof text, "%d\n", (int)getpid());
    lzt_write_file(pf, text);
    assert_int_equal(lz_pidfile_clear_stale(pf, "containerd", why, sizeof why), 1);
    assert_non_null(strstr(why, "not containerd"));
    assert_int_equal(access(pf, F_OK), -1);

    /* our own pid under our own program's name: kept */
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(n > 0);
    self[n] = '\0';
    const char *base = strrchr(self, '/') + 1;
    lzt_write_file(pf, text);
    assert_int_equal(lz_pidfile_clear_stale(pf, base, why, sizeof why), 0);
    assert_int_equal(access(pf, F_OK), 0);

    /* malformed and dead pids */
    lzt_write_file(pf, "12ab\n");
    assert_int_equal(lz_pidfile_clear_stale(pf, "containerd", why, sizeof why), 1);
    assert_non_null(strstr(why, "holds no pid"));
    lzt_write_file(pf, "4194304\n");
    assert_int_equal(lz_pidfile_clear_stale(pf, "containerd", why, sizeof why), 1);
    assert_non_null(strstr(why, "is not running"));
    assert_int_equal(lzt_rmtree(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exe_is),
        cmocka_unit_test(test_clear_stale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
