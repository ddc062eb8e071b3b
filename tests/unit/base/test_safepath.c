/* Unit tests for safepath.h: paths that someone other than root (or us)
 * could redirect are refused, on a scratch tree under /tmp. Ownership by
 * another uid needs root (chown); those cases skip otherwise. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/safepath.h"

static char T[64];

static const char *p(const char *rel)
{
    static char buf[8][256];
    static int i;
    i = (i + 1) % 8;
    snprintf(buf[i], sizeof buf[i], "%s/%s", T, rel);
    return buf[i];
}

static int setup(void **state)
{
    (void)state;
    strcpy(T, "/tmp/lz-safepath-XXXXXX");
    assert_non_null(mkdtemp(T));
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    (void)state;
    nftw(T, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static void trusted(const char *path)
{
    char err[1024] = "";
    if (lz_path_trusted(path, err, sizeof err) != 0)
        fail_msg("%s refused: %s", path, err);
}

static void refused(const char *path, const char *needle)
{
    char err[1024] = "";
    if (lz_path_trusted(path, err, sizeof err) == 0)
        fail_msg("%s trusted", path);
    if (needle && !strstr(err, needle))
        fail_msg("%s: message \"%s\" lacks \"%s\"", path, err, needle);
}

/* The defaults and their parents on any sane system. */
static void test_system_paths(void **state)
{
    (void)state;
    trusted("/run/lazydind");
    trusted("/var/run/docker.sock");
    trusted("/var/log/lazydind/dockerd.log");
    trusted("/");
    /* /tmp is world-writable but sticky: a name of ours in it is fine */
    trusted(p("not-yet/there"));
}

static void test_world_writable_parent(void **state)
{
    (void)state;
    assert_int_equal(mkdir(p("open"), 0700), 0);
    assert_int_equal(chmod(p("open"), 0777), 0);
    refused(p("open/lazydind"), "is writable by others");
    refused(p("open/a/b/c"), p("open"));
    /* sticky makes it safe for names that are ours */
    assert_int_equal(chmod(p("open"), 01777), 0);
    trusted(p("open/lazydind"));
    /* group write: root decides who is in the group */
    assert_int_equal(chmod(p("open"), 0775), 0);
    trusted(p("open/lazydind"));
}

static void test_symlinks_followed(void **state)
{
    (void)state;
    assert_int_equal(mkdir(p("open"), 0700), 0);
    assert_int_equal(chmod(p("open"), 0777), 0);
    assert_int_equal(mkdir(p("safe"), 0700), 0);
    /* a link of ours into a world-writable dir: its target is checked */
    assert_int_equal(symlink(p("open"), p("link")), 0);
    refused(p("link/lazydind"), "is writable by others");
    /* relative links and .. */
    assert_int_equal(symlink("safe/../safe", p("rel")), 0);
    trusted(p("rel/lazydind"));
    assert_int_equal(symlink("open", p("rel2")), 0);
    refused(p("rel2/x"), "is writable by others");
    /* a loop */
    assert_int_equal(symlink("loop", p("loop")), 0);
    refused(p("loop/x"), "too many symlinks");
}

static void test_foreign_owner(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip(); /* only root can give things away */
    assert_int_equal(mkdir(p("theirs"), 0700), 0);
    assert_int_equal(chown(p("theirs"), 4242, 4242), 0);
    refused(p("theirs"), "owned by uid 4242");
    refused(p("theirs/deeper/log"), "owned by uid 4242");
    /* a symlink someone else planted, even to a safe place */
    assert_int_equal(mkdir(p("safe"), 0700), 0);
    assert_int_equal(symlink(p("safe"), p("planted")), 0);
    assert_int_equal(lchown(p("planted"), 4242, 4242), 0);
    refused(p("planted/log"), "owned by uid 4242");
    /* a pre-created file of theirs */
    FILE *f = fopen(p("safe/dockerd.log"), "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(chown(p("safe/dockerd.log"), 4242, 4242), 0);
    refused(p("safe/dockerd.log"), "owned by uid 4242");
}

static int file_check(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    int r = lz_file_trusted(path, fd, err, errlen);
    close(fd);
    return r;
}

/* Files root obeys: the path as above, and the file not writable by others
 * nor someone else's. */
static void test_file_trusted(void **state)
{
    (void)state;
    char err[1024] = "";
    FILE *f = fopen(p("conf"), "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(chmod(p("conf"), 0644), 0);
    if (file_check(p("conf"), err, sizeof err) != 0)
        fail_msg("0644 file of ours refused: %s", err);
    assert_int_equal(chmod(p("conf"), 0664), 0);
    if (file_check(p("conf"), err, sizeof err) != 0)
        fail_msg("0664 file of ours refused: %s", err);
    assert_int_equal(chmod(p("conf"), 0666), 0);
    assert_int_equal(file_check(p("conf"), err, sizeof err), -1);
    assert_non_null(strstr(err, "writable by others"));
    if (geteuid() != 0)
        return;
    assert_int_equal(chmod(p("conf"), 0644), 0);
    assert_int_equal(chown(p("conf"), 4242, 4242), 0);
    assert_int_equal(file_check(p("conf"), err, sizeof err), -1);
    assert_non_null(strstr(err, "owned by uid 4242"));
}

static void test_relative_refused(void **state)
{
    (void)state;
    refused("run/lazydind", "not an absolute path");
    refused("", "not an absolute path");
}

#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T_(test_system_paths),
        T_(test_world_writable_parent),
        T_(test_symlinks_followed),
        T_(test_foreign_owner),
        T_(test_file_trusted),
        T_(test_relative_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
