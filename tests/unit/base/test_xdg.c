/* Unit tests for xdg.h: the runtime dir walked from a root without
 * following symlinks, made when missing; DOCKER_HOST spellings. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../helpers.h"
#include "base/xdg.h"

static char T[64];
static int rootfd = -1;

static int tmp_setup(void **state)
{
    (void)state;
    lzt_mkdtemp(T, sizeof T, "xdg");
    rootfd = open(T, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(rootfd >= 0);
    assert_int_equal(mkdir(lzt_path(T, "tmp"), 0777), 0);
    assert_int_equal(chmod(lzt_path(T, "tmp"), 01777), 0);
    return 0;
}

static int tmp_teardown(void **state)
{
    (void)state;
    close(rootfd);
    return lzt_rmtree(T);
}

static void expect_err(const char *path, uid_t uid, int make, const char *word)
{
    char err[1024] = "";
    assert_int_equal(lz_xdg_walk(rootfd, path, uid, make, err, sizeof err), -1);
    if (!strstr(err, word))
        fail_msg("%s: err \"%s\" lacks \"%s\"", path, err, word);
}

/* The documented /tmp/.docker/run: reported as makeable, then made 0700
 * with its parent, then fit as it is. */
static void test_xdg_made_under_sticky_tmp(void **state)
{
    (void)state;
    char err[1024] = "";
    uid_t me = getuid();
    assert_int_equal(lz_xdg_walk(rootfd, "/tmp/.docker/run", me, 0, err, sizeof err), 1);
    struct stat st;
    assert_int_equal(lstat(lzt_path(T, "tmp/.docker"), &st), -1); /* nothing made */
    assert_int_equal(lz_xdg_walk(rootfd, "/tmp/.docker/run", me, 1, err, sizeof err), 0);
    assert_int_equal(lstat(lzt_path(T, "tmp/.docker/run"), &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_int_equal(lstat(lzt_path(T, "tmp/.docker"), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_int_equal(lz_xdg_walk(rootfd, "/tmp/.docker/run", me, 0, err, sizeof err), 0);
    /* the spellings a user may give */
    assert_int_equal(lz_xdg_walk(rootfd, "//tmp/./.docker//run/", me, 0, err, sizeof err), 0);
}

static void test_xdg_symlink_refused(void **state)
{
    (void)state;
    assert_int_equal(mkdir(lzt_path(T, "real"), 0700), 0);
    assert_int_equal(symlink(lzt_path(T, "real"), lzt_path(T, "tmp/link")), 0);
    expect_err("/tmp/link", getuid(), 1, "/tmp/link is a symlink");
    expect_err("/tmp/link/run", getuid(), 1, "/tmp/link is a symlink");
    struct stat st;
    assert_int_equal(lstat(lzt_path(T, "real/run"), &st), -1); /* nothing made */
}

static void test_xdg_group_other_access_refused(void **state)
{
    (void)state;
    assert_int_equal(mkdir(lzt_path(T, "tmp/open"), 0700), 0);
    assert_int_equal(chmod(lzt_path(T, "tmp/open"), 0755), 0);
    expect_err("/tmp/open", getuid(), 1, "mode 755");
    expect_err("/tmp/open", getuid(), 1, "chmod 700 /tmp/open");
    struct stat st;
    assert_int_equal(stat(lzt_path(T, "tmp/open"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0755); /* not changed */
}

static void test_xdg_other_users_refused(void **state)
{
    (void)state;
    assert_int_equal(mkdir(lzt_path(T, "tmp/theirs"), 0700), 0);
    assert_int_equal(chown(lzt_path(T, "tmp/theirs"), 4242, 4242), 0);
    expect_err("/tmp/theirs", getuid(), 1, "owned by uid 4242");
    expect_err("/tmp/theirs/run", getuid(), 1, "owned by uid 4242");
}

static void test_xdg_unwritable_parent_refused(void **state)
{
    (void)state;
    assert_int_equal(mkdir(lzt_path(T, "run"), 0755), 0);
    /* uid 1000 cannot make /run/user in root's 0755 /run */
    expect_err("/run/user/1000", 1000, 0, "/run/user does not exist");
    /* nor under a world-writable dir without the sticky bit */
    assert_int_equal(mkdir(lzt_path(T, "wide"), 0777), 0);
    assert_int_equal(chmod(lzt_path(T, "wide"), 0777), 0);
    expect_err("/wide/run", getuid(), 1, "not sticky");
}

static void test_xdg_bad_values(void **state)
{
    (void)state;
    expect_err("tmp/run", getuid(), 1, "absolute");
    expect_err("/tmp/../etc", getuid(), 1, "\"..\"");
    expect_err("/", getuid(), 1, "names / itself");
}

static void test_xdg_file_refused(void **state)
{
    (void)state;
    lzt_write_file(lzt_path(T, "tmp/file"), "x");
    expect_err("/tmp/file", getuid(), 1, "not a directory");
}

static void expect_host(const char *host, const char *want)
{
    char out[512] = "";
    int r = lz_unix_host_path(host, out, sizeof out);
    if (want ? r != 0 || strcmp(out, want) != 0 : r != -1)
        fail_msg("%s: %d \"%s\", want %s", host, r, out, want ? want : "-1");
}

static void test_unix_host_spellings(void **state)
{
    (void)state;
    const char *sock = "/tmp/.docker/run/docker.sock";
    expect_host("unix:///tmp/.docker/run/docker.sock", sock);
    expect_host("unix:/tmp/.docker/run/docker.sock", sock);
    expect_host("unix:////tmp//.docker/run//docker.sock", sock);
    expect_host("unix:///tmp/.docker/run/./docker.sock/.", sock);
    expect_host("unix:///tmp/.docker/run/docker.sock/", sock);
    expect_host("unix://tmp/docker.sock", NULL);  /* relative */
    expect_host("unix:///tmp/x/../docker.sock", NULL);
    expect_host("tcp://127.0.0.1:2375", NULL);
    expect_host("unix://", NULL);
    expect_host("unix:///", NULL);
    expect_host("/tmp/docker.sock", NULL);
}

#define TMP_TEST(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TMP_TEST(test_xdg_made_under_sticky_tmp),
        TMP_TEST(test_xdg_symlink_refused),
        TMP_TEST(test_xdg_group_other_access_refused),
        TMP_TEST(test_xdg_other_users_refused),
        TMP_TEST(test_xdg_unwritable_parent_refused),
        TMP_TEST(test_xdg_bad_values),
        TMP_TEST(test_xdg_file_refused),
        cmocka_unit_test(test_unix_host_spellings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
