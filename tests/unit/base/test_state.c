/* Unit tests for state.h: key=value state files, the runtime dir, and the
 * reason picked out of dockerd's output when it fails to start. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/state.h"
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

/* --------------------------------------------------------- pick_reason */

#define T0 "time=\"2026-11-29T02:45:39.001234567Z\" "

static const char stream_bad_config[] =
    T0 "level=info msg=\"Starting up\"\n"
    T0 "level=info msg=\"libcontainerd: started new containerd process\" pid=61\n"
    T0 "level=info msg=\"parsed scheme: \\\"unix\\\"\" module=grpc\n"
    T0 "level=warning msg=\"Running in a user namespace\"\n"
    "unable to configure the Docker daemon with file /etc/docker/daemon.json: "
    "the following directives don't match any configuration option: "
    "no-such-option\n";

static const char stream_fatal[] =
    T0 "level=info msg=\"Starting up\"\n"
    T0 "level=error msg=\"failed to mount overlay: invalid argument\" "
    "storage-driver=overlay2\n"
    T0 "level=error msg=\"[graphdriver] prior storage driver overlay2 failed: "
    "driver not supported\"\n"
    T0 "level=fatal msg=\"failed to start daemon: error initializing "
    "graphdriver: driver not supported\"\n"
    T0 "level=info msg=\"stopping event stream following graceful shutdown\" "
    "error=\"<nil>\" module=libcontainerd namespace=moby\n";

static const char stream_error[] =
    T0 "level=info msg=\"Starting up\"\n"
    T0 "level=error msg=\"first error\"\n"
    T0 "level=error msg=\"invalid reference \\\"foo:bar\\\" in C:\\\\x\" "
    "component=x\n"
    T0 "level=info msg=\"Daemon shutdown complete\"\n";

static const char stream_info[] =
    T0 "level=info msg=\"Starting up\"\n"
    T0 "level=warning msg=\"Your kernel does not support cgroup blkio weight\"\n"
    T0 "level=info msg=\"Daemon has completed initialization\"\n"
    T0 "level=info msg=\"API listen on /var/run/docker.sock\"\n";

/* a level named inside a message is not the line's level */
static const char stream_nested_level[] =
    T0 "level=info msg=\"Starting up\"\n"
    T0 "level=warning msg=\"cleanup warnings time=\\\"y\\\" level=error msg=\\\"nested\\\"\"\n"
    T0 "level=info msg=\"saw level=fatal here\"\n";

/* \n and \t escapes become spaces: the reason is one line */
static const char stream_escapes[] =
    T0 "level=fatal msg=\"line one\\nline two\\ttab\"\n";

static const char stream_lazydind[] =
    "lazydind: [info] starting dockerd (data-root /var/lib/docker)\n"
    T0 "level=fatal msg=\"not the reason\"\n"
    "lazydind: cannot run /x: No such file or directory\n"
    "lazydind: [info] dockerd exited with status 127\n";

static void test_pick_reason(void **state)
{
    (void)state;
    static const struct {
        const char *name, *text, *want;
    } cases[] = {
        {"bad config", stream_bad_config,
         "unable to configure the Docker daemon with file "
         "/etc/docker/daemon.json: the following directives don't match any "
         "configuration option: no-such-option"},
        {"fatal", stream_fatal,
         "failed to start daemon: error initializing graphdriver: driver not "
         "supported"},
        {"error", stream_error, "invalid reference \"foo:bar\" in C:\\x"},
        {"info only", stream_info, ""},
        {"a level inside a message", stream_nested_level, ""},
        {"escapes", stream_escapes, "line one line two tab"},
        {"lazydind lines", stream_lazydind,
         "lazydind: cannot run /x: No such file or directory"},
        {"only lazydind info",
         "lazydind: [info] starting dockerd\nlazydind: [info] again\n", ""},
        {"empty", "", ""},
        {"blank lines", "\n\n  \r\n", ""},
        {"plain beats a later fatal",
         "exec: \"containerd\": not found\n" T0 "level=fatal msg=\"later\"\n",
         "exec: \"containerd\": not found"},
        {"last fatal beats a later error",
         T0 "level=fatal msg=\"one\"\n" T0 "level=fatal msg=\"two\"\n"
         T0 "level=error msg=\"three\"\n", "two"},
        {"last plain line, trimmed",
         "first plain\nsecond plain  \r\n\n", "second plain"},
        {"no final newline", T0 "level=info msg=\"x\"\nboom", "boom"},
        {"msg without closing quote", T0 "level=error msg=\"cut sho", "cut sho"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[512] = "untouched";
        lz_pick_reason(cases[i].text, strlen(cases[i].text), out, sizeof out);
        if (strcmp(out, cases[i].want) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", cases[i].name, out,
                     cases[i].want);
    }
}

static void test_pick_reason_bounds(void **state)
{
    (void)state;
    /* only the first len bytes are read */
    const char text[] = "early reason\nlate reason\n";
    char out[64];
    lz_pick_reason(text, 13, out, sizeof out);
    assert_string_equal(out, "early reason");
    /* the output is cut to fit */
    char small[8];
    lz_pick_reason(stream_bad_config, strlen(stream_bad_config), small, sizeof small);
    assert_string_equal(small, "unable ");
    lz_pick_reason(stream_fatal, strlen(stream_fatal), small, sizeof small);
    assert_string_equal(small, "failed ");
    char one[1] = {'x'};
    lz_pick_reason(stream_fatal, strlen(stream_fatal), one, sizeof one);
    assert_int_equal(one[0], '\0');
}

/* ------------------------------------------------------ files and dirs */

static char T[64];

static int tmp_setup(void **state)
{
    (void)state;
    strcpy(T, "/tmp/lz-state-XXXXXX");
    assert_non_null(mkdtemp(T));
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int tmp_teardown(void **state)
{
    (void)state;
    return nftw(T, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *p(const char *rel)
{
    static char bufs[4][256];
    static int n;
    char *b = bufs[n++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", T, rel);
    return b;
}

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

/* ---------------------------------------------------------- log_reason */

static void test_log_reason_from_offset(void **state)
{
    (void)state;
    const char *log = p("dockerd.log");
    FILE *f = fopen(log, "w");
    assert_non_null(f);
    fputs("old plain failure\n", f);
    long off = ftell(f);
    fputs(stream_fatal, f);
    fclose(f);
    char out[256];
    lz_log_reason(log, off, out, sizeof out);
    assert_string_equal(out, "failed to start daemon: error initializing "
                             "graphdriver: driver not supported");
    lz_log_reason(log, 0, out, sizeof out);
    assert_string_equal(out, "old plain failure");
    /* an offset past the end (the log was rotated) reads from the start */
    lz_log_reason(log, 1 << 20, out, sizeof out);
    assert_string_equal(out, "old plain failure");
    strcpy(out, "untouched");
    lz_log_reason(p("no-such.log"), 0, out, sizeof out);
    assert_string_equal(out, "");
}

#define TMP_TEST(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kv_get),
        cmocka_unit_test(test_kv_get_truncates),
        cmocka_unit_test(test_kv_int),
        cmocka_unit_test(test_pick_reason),
        cmocka_unit_test(test_pick_reason_bounds),
        TMP_TEST(test_state_write_read_back),
        TMP_TEST(test_state_write_stale_temp),
        TMP_TEST(test_state_write_over_symlink),
        TMP_TEST(test_rundir_fresh),
        TMP_TEST(test_rundir_missing_no_create),
        TMP_TEST(test_rundir_symlink_refused),
        TMP_TEST(test_rundir_open_mode_fixed),
        TMP_TEST(test_rundir_not_a_dir),
        TMP_TEST(test_rundir_foreign_owner),
        TMP_TEST(test_log_reason_from_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
