/* Unit tests for rundir.h: the runtime dir, never through a symlink or
 * another user's dir. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../helpers.h"
#include "base/kv.h"
#include "base/rundir.h"
#include "base/util.h"

LZT_SCRATCH_DIR("rundir")

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    return st.st_mode & 07777;
}

static void test_rundir_fresh(void **state)
{
    (void)state;
    char err[512] = "";
    int fd = lz_rundir_open(p("a/b/run"), 1, err, sizeof err);
    if (fd < 0)
        fail_msg("%s", err);
    assert_int_equal(mode_of(p("a/b/run")), 0700);
    /* the dirfd is the dir: a state file lands in it */
    assert_int_equal(lz_state_write(fd, "state", "x=1\n"), 0);
    assert_int_equal(access(p("a/b/run/state"), F_OK), 0);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    close(fd);
    /* opening it again is fine */
    fd = lz_rundir_open(p("a/b/run"), 1, err, sizeof err);
    assert_true(fd >= 0);
    close(fd);
    fd = lz_rundir_open(p("a/b/run"), 0, err, sizeof err);
    assert_true(fd >= 0);
    close(fd);
}

static void test_rundir_missing_no_create(void **state)
{
    (void)state;
    char err[512] = "";
    assert_int_equal(lz_rundir_open(p("nope"), 0, err, sizeof err), -1);
    assert_non_null(strstr(err, p("nope")));
    assert_int_equal(access(p("nope"), F_OK), -1);
}

static void test_rundir_symlink_refused(void **state)
{
    (void)state;
    assert_int_equal(mkdir(p("real"), 0700), 0);
    assert_int_equal(symlink(p("real"), p("link")), 0);
    for (int create = 0; create <= 1; create++) {
        char err[512] = "";
        assert_int_equal(lz_rundir_open(p("link"), create, err, sizeof err), -1);
        if (!strstr(err, p("link")) || !strstr(err, "symlink"))
            fail_msg("create=%d: err \"%s\"", create, err);
    }
    /* a dangling one too */
    assert_int_equal(symlink(p("nowhere"), p("dangling")), 0);
    char err[512] = "";
    assert_int_equal(lz_rundir_open(p("dangling"), 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "symlink"));
    assert_int_equal(access(p("nowhere"), F_OK), -1);
}

static void test_rundir_open_mode_fixed(void **state)
{
    (void)state;
    assert_int_equal(mkdir(p("wide"), 0700), 0);
    assert_int_equal(chmod(p("wide"), 0777), 0);
    char err[512] = "";
    int fd = lz_rundir_open(p("wide"), 1, err, sizeof err);
    if (fd < 0)
        fail_msg("%s", err);
    close(fd);
    assert_int_equal(mode_of(p("wide")), 0700);
}

static void test_rundir_not_a_dir(void **state)
{
    (void)state;
    int fd = open(p("file"), O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    close(fd);
    char err[512] = "";
    assert_int_equal(lz_rundir_open(p("file"), 1, err, sizeof err), -1);
    assert_non_null(strstr(err, p("file")));
}

static void test_rundir_foreign_owner(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip(); /* only root can give a dir away */
    assert_int_equal(mkdir(p("theirs"), 0700), 0);
    assert_int_equal(chown(p("theirs"), 4242, 4242), 0);
    char err[512] = "";
    assert_int_equal(lz_rundir_open(p("theirs"), 1, err, sizeof err), -1);
    if (!strstr(err, "4242") || !strstr(err, p("theirs")))
        fail_msg("err \"%s\"", err);
}

#define TMP_TEST(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TMP_TEST(test_rundir_fresh),
        TMP_TEST(test_rundir_missing_no_create),
        TMP_TEST(test_rundir_symlink_refused),
        TMP_TEST(test_rundir_open_mode_fixed),
        TMP_TEST(test_rundir_not_a_dir),
        TMP_TEST(test_rundir_foreign_owner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
