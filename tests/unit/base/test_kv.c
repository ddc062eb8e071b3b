/* Unit tests for kv.h: small key=value files, replaced atomically. */
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
#include "base/util.h"

/* ------------------------------------------------------------ key=value */

static const char kv_text[] =
    "pid=123\n"
    "generation=7\n"
    "gen=3\n"
    "notpid=9\n"
    "socket=/var/run/docker.sock\n"
    "empty=\n"
    "bad=12abc\n"
    "neg=-5\n"
    "big=99999999999999999999\n"
    "eq=a=b\n"
    "last=x";  /* no final newline */

static void test_kv_get(void **state)
{
    (void)state;
    static const struct {
        const char *key;
        int rc;
        const char *val;
    } cases[] = {
        {"pid", 0, "123"},
        {"gen", 0, "3"},           /* not generation's value */
        {"generation", 0, "7"},
        {"gene", -1, NULL},        /* a prefix of a key is not the key */
        {"ge", -1, NULL},
        {"id", -1, NULL},          /* nor a suffix (notpid, pid) */
        {"socket", 0, "/var/run/docker.sock"},
        {"empty", 0, ""},
        {"eq", 0, "a=b"},
        {"last", 0, "x"},
        {"missing", -1, NULL},
        {"pid=123", -1, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64] = "untouched";
        int rc = lz_kv_get(kv_text, cases[i].key, out, sizeof out);
        if (rc != cases[i].rc)
            fail_msg("key %s: rc %d, want %d", cases[i].key, rc, cases[i].rc);
        assert_string_equal(out, cases[i].val ? cases[i].val : "untouched");
    }
    /* a later line does not hide behind an earlier prefix match */
    char out[16];
    assert_int_equal(lz_kv_get("generation=7\ngen=3\n", "gen", out, sizeof out), 0);
    assert_string_equal(out, "3");
    assert_int_equal(lz_kv_get("", "gen", out, sizeof out), -1);
}

static void test_kv_get_truncates(void **state)
{
    (void)state;
    char out[5];
    assert_int_equal(lz_kv_get(kv_text, "socket", out, sizeof out), 0);
    assert_string_equal(out, "/var");
    char one[1];
    assert_int_equal(lz_kv_get(kv_text, "pid", one, sizeof one), 0);
    assert_string_equal(one, "");
}

static void test_kv_int(void **state)
{
    (void)state;
    static const struct {
        const char *key;
        int64_t want;
    } cases[] = {
        {"pid", 123},     {"gen", 3},      {"generation", 7},
        {"neg", -5},      {"missing", -1}, {"empty", -1},
        {"bad", -1},      {"big", -1},     {"socket", -1},
        {"eq", -1},       {"gene", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t got = lz_kv_int(kv_text, cases[i].key, -1);
        if (got != cases[i].want)
            fail_msg("key %s: %lld, want %lld", cases[i].key, (long long)got,
                     (long long)cases[i].want);
    }
    assert_int_equal(lz_kv_int("t=1700000000123\n", "t", 0), 1700000000123LL);
    /* a value longer than a number can be is malformed, not cut short */
    assert_int_equal(lz_kv_int("n=123456789012345678901234567890123456\n", "n", 42), 42);
}

/* ------------------------------------------------------------ files */

LZT_SCRATCH_DIR("kv")

/* The names in dirfd, space-separated and sorted. */
static void listing(int dirfd, char *out, size_t outlen)
{
    struct dirent **names;
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int n = scandir(path, &names, NULL, alphasort);
    assert_true(n >= 0);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
            if (out[0])
                strncat(out, " ", outlen - strlen(out) - 1);
            strncat(out, names[i]->d_name, outlen - strlen(out) - 1);
        }
        free(names[i]);
    }
    free(names);
    close(fd);
}

static void test_state_write_read_back(void **state)
{
    (void)state;
    int dfd = open(T, O_RDONLY | O_DIRECTORY);
    assert_true(dfd >= 0);
    char buf[256], names[256];

    assert_int_equal(lz_state_write(dfd, "state", "pid=1\ngen=1\n"), 0);
    assert_int_equal(lz_read_file_at(dfd, "state", buf, sizeof buf), 12);
    assert_string_equal(buf, "pid=1\ngen=1\n");
    assert_int_equal(lz_kv_int(buf, "pid", 0), 1);

    /* replaced whole, not appended or merged */
    assert_int_equal(lz_state_write(dfd, "state", "pid=22\n"), 0);
    assert_int_equal(lz_read_file_at(dfd, "state", buf, sizeof buf), 7);
    assert_string_equal(buf, "pid=22\n");

    /* private, and no temp file left behind */
    struct stat st;
    assert_int_equal(fstatat(dfd, "state", &st, 0), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    listing(dfd, names, sizeof names);
    assert_string_equal(names, "state");

    /* empty text is an empty file */
    assert_int_equal(lz_state_write(dfd, "other", ""), 0);
    assert_int_equal(lz_read_file_at(dfd, "other", buf, sizeof buf), 0);
    listing(dfd, names, sizeof names);
    assert_string_equal(names, "other state");
    close(dfd);
}

/* A stale temp file of ours (same pid, a crash) does not block a write. */
static void test_state_write_stale_temp(void **state)
{
    (void)state;
    int dfd = open(T, O_RDONLY | O_DIRECTORY);
    assert_true(dfd >= 0);
    char tmp[64], names[256], buf[64];
    snprintf(tmp, sizeof tmp, ".state.%d.tmp", (int)getpid());
    int fd = openat(dfd, tmp, O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(lz_state_write(dfd, "state", "pid=3\n"), 0);
    assert_int_equal(lz_read_file_at(dfd, "state", buf, sizeof buf), 6);
    listing(dfd, names, sizeof names);
    assert_string_equal(names, "state");
    close(dfd);
}

/* A symlink planted at the name is replaced, its target left alone. */
static void test_state_write_over_symlink(void **state)
{
    (void)state;
    int dfd = open(T, O_RDONLY | O_DIRECTORY);
    assert_true(dfd >= 0);
    int fd = open(p("victim"), O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "precious\n", 9), 9);
    close(fd);
    assert_int_equal(symlink(p("victim"), p("state")), 0);
    assert_int_equal(lz_state_write(dfd, "state", "pid=4\n"), 0);
    char buf[64];
    struct stat st;
    assert_int_equal(lstat(p("state"), &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(lz_read_file_at(AT_FDCWD, p("victim"), buf, sizeof buf), 9);
    assert_string_equal(buf, "precious\n");
    close(dfd);
}

#define TMP_TEST(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kv_get),
        cmocka_unit_test(test_kv_get_truncates),
        cmocka_unit_test(test_kv_int),
        TMP_TEST(test_state_write_read_back),
        TMP_TEST(test_state_write_stale_temp),
        TMP_TEST(test_state_write_over_symlink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
