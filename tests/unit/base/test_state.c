/* Unit tests for state.h: the typed runtime records round-trip through
 * their files, read what older writers wrote, and never let a value start a
 * new key. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../helpers.h"
#include "base/state.h"

static char T[64];

static int tmp_setup(void **state)
{
    (void)state;
    lzt_mkdtemp(T, sizeof T, "state");
    return 0;
}

static int tmp_teardown(void **state)
{
    (void)state;
    return lzt_rmtree(T);
}

static int dir(void)
{
    int fd = open(T, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(fd >= 0);
    return fd;
}

static void test_state_round_trip(void **state)
{
    (void)state;
    int fd = dir();
    struct lz_state in;
    memset(&in, 0, sizeof in); /* padding too: the whole struct is compared */
    in.gen = 7;
    in.supervisor_pid = 12;
    in.dockerd_pid = 34;
    in.ready = 1;
    in.started_ms = 1700000000123LL;
    in.tmpfs_mounted = 1;
    in.log_offset = 4096;
    in.failures = 2;
    in.spawns = 3;
    strcpy(in.phase, "running");
    strcpy(in.data_root, "/var/lib/docker");
    strcpy(in.socket, "/var/run/docker.sock");
    strcpy(in.log, "/var/log/lazydind/dockerd.log");
    assert_int_equal(lz_state_store(fd, &in), 0);
    struct lz_state out;
    assert_int_equal(lz_state_load(fd, &out), 0);
    assert_memory_equal(&in, &out, sizeof in);
    close(fd);
}

/* The keys the shell tools and older lazydind read stay as they were. */
static void test_state_text_keys(void **state)
{
    (void)state;
    struct lz_state st = {.gen = 1, .supervisor_pid = 99, .started_ms = 5000};
    strcpy(st.phase, "armed");
    char text[8192];
    lz_state_format(&st, text, sizeof text);
    assert_non_null(strstr(text, "gen=1\nphase=armed\n"));
    assert_non_null(strstr(text, "\nsupervisor_pid=99\n"));
    assert_non_null(strstr(text, "\nstarted=5000\n"));
    /* a record written by an earlier rootless supervisor reads */
    struct lz_state old;
    lz_state_parse("gen=3\nphase=running\nmode=rootless\nsupervisor_pid=5\n"
                   "dockerd_pid=6\nstorage_driver=fuse-overlayfs\n", &old);
    assert_int_equal(old.gen, 3);
    assert_string_equal(old.mode, "rootless");
    assert_int_equal(old.dockerd_pid, 6);
    assert_string_equal(old.storage_driver, "fuse-overlayfs");
    assert_string_equal(old.reason, "");
}

/* A reason with a newline in it must not forge a key. */
static void test_exit_reason_one_line(void **state)
{
    (void)state;
    int fd = dir();
    struct lz_exit_record ex = {.gen = 2, .pid = 40, .time = 1, .ready = 0};
    strcpy(ex.status, "exited with status 1");
    strcpy(ex.reason, "bad\ngen=99\nready=1");
    assert_int_equal(lz_exit_store(fd, &ex), 0);
    struct lz_exit_record back;
    assert_int_equal(lz_exit_load(fd, &back), 0);
    assert_int_equal(back.gen, 2);
    assert_int_equal(back.ready, 0);
    assert_string_equal(back.reason, "bad gen=99 ready=1");
    close(fd);
}

static void test_absent_records(void **state)
{
    (void)state;
    int fd = dir();
    struct lz_state st;
    memset(&st, 0x55, sizeof st);
    assert_int_equal(lz_state_load(fd, &st), -1);
    assert_int_equal(st.supervisor_pid, 0);
    assert_string_equal(st.phase, "");
    assert_int_equal(lz_state_load(-1, &st), -1);
    struct lz_exit_record ex;
    assert_int_equal(lz_exit_load(fd, &ex), -1);
    assert_int_equal(lz_gen_load(fd), 0);
    char m[64] = "x";
    assert_int_equal(lz_mounted_load(fd, m, sizeof m), -1);
    assert_string_equal(m, "");
    close(fd);
}

static void test_gen_and_mounted(void **state)
{
    (void)state;
    int fd = dir();
    assert_int_equal(lz_gen_store(fd, 41), 0);
    assert_int_equal(lz_gen_load(fd), 41);
    assert_int_equal(lz_mounted_store(fd, "/var/lib/docker"), 0);
    char m[64];
    assert_int_equal(lz_mounted_load(fd, m, sizeof m), 0);
    assert_string_equal(m, "/var/lib/docker");
    lz_mounted_clear(fd);
    assert_int_equal(lz_mounted_load(fd, m, sizeof m), -1);
    struct lz_state st = {.gen = 1};
    assert_int_equal(lz_state_store(fd, &st), 0);
    lz_state_clear(fd);
    assert_int_equal(lz_state_load(fd, &st), -1);
    close(fd);
}

/* The warm hint: written with a rootful state, one readlink's worth of
 * its fields; gone with a rootless state and with the state. */
static void test_warm_hint(void **state)
{
    (void)state;
    int fd = dir();
    struct lz_state in = {.supervisor_pid = 12, .dockerd_pid = 34, .ready = 1};
    strcpy(in.phase, "running");
    strcpy(in.socket, "/run/my docker.sock");
    strcpy(in.reason, "not in the hint");
    assert_int_equal(lz_state_store(fd, &in), 0);
    char text[256];
    ssize_t n = readlinkat(fd, LZ_WARM_HINT, text, sizeof text - 1);
    assert_true(n > 0);
    text[n] = '\0';
    assert_string_equal(text, "w1 running 1 12 34 /run/my docker.sock");
    struct lz_state out;
    assert_int_equal(lz_warm_hint_parse(text, &out), 0);
    assert_string_equal(out.phase, "running");
    assert_int_equal(out.ready, 1);
    assert_int_equal(out.supervisor_pid, 12);
    assert_int_equal(out.dockerd_pid, 34);
    assert_string_equal(out.socket, "/run/my docker.sock");
    assert_string_equal(out.reason, "");
    /* rootless: no hint (its dockerd binds its own socket) */
    strcpy(in.mode, "rootless");
    assert_int_equal(lz_state_store(fd, &in), 0);
    assert_true(readlinkat(fd, LZ_WARM_HINT, text, sizeof text) < 0);
    in.mode[0] = '\0';
    assert_int_equal(lz_state_store(fd, &in), 0);
    lz_state_clear(fd);
    assert_true(readlinkat(fd, LZ_WARM_HINT, text, sizeof text) < 0);
    close(fd);
}

static void test_warm_hint_malformed(void **state)
{
    (void)state;
    static const char *bad[] = {
        "", "w1", "w2 running 1 12 34 /s", "w1 running 1 12 34", "w1 running 1 12 34 ",
        "w1 running x 12 34 /s", "w1 running 1 -12 34 /s", "w1 running 1 99999999999 34 /s",
        "w1  1 12 34 /s", "w1 running 1 12 34/s",
    };
    struct lz_state out;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        out.ready = 7;
        assert_int_equal(lz_warm_hint_parse(bad[i], &out), -1);
        assert_int_equal(out.ready, 0);
    }
    /* no phase yet is written as "-" */
    struct lz_state in = {.supervisor_pid = 5};
    strcpy(in.socket, "/s");
    char text[128];
    lz_warm_hint_format(&in, text, sizeof text);
    assert_int_equal(lz_warm_hint_parse(text, &out), 0);
    assert_string_equal(out.phase, "");
    assert_int_equal(out.supervisor_pid, 5);
}

#define TMP_TEST(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TMP_TEST(test_state_round_trip),
        cmocka_unit_test(test_state_text_keys),
        TMP_TEST(test_exit_reason_one_line),
        TMP_TEST(test_absent_records),
        TMP_TEST(test_gen_and_mounted),
        TMP_TEST(test_warm_hint),
        cmocka_unit_test(test_warm_hint_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
