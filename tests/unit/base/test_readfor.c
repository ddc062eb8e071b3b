/* Unit tests for readfor.h: lz_read_for on pipes ending at a newline, at
 * EOF, at a full buffer, at the deadline, on an error, and retrying EINTR. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/readfor.h"
#include "base/util.h"

/* A pipe (O_CLOEXEC) with text already written into it. */
static void pipe_with(int p[2], const char *text)
{
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    size_t n = strlen(text);
    assert_int_equal(write(p[1], text, n), (ssize_t)n);
}

static void close_pipe(int p[2])
{
    close(p[0]);
    if (p[1] >= 0)
        close(p[1]);
}

static void test_ends_at_newline(void **state)
{
    (void)state;
    int p[2];
    char buf[64];
    size_t len = 99;
    pipe_with(p, "abc\ndef");
    /* the writer stays open: only the newline can end it before the deadline */
    assert_int_equal(lz_read_for(p[0], buf, sizeof buf, lz_now_ms() + 5000, LZ_READ_LINE,
                                 &len),
                     LZ_READ_NEWLINE);
    assert_int_equal(len, 7);
    assert_string_equal(buf, "abc\ndef");
    close_pipe(p);
}

static void test_ends_at_eof_with_count(void **state)
{
    (void)state;
    int p[2];
    char buf[64];
    size_t len = 99;
    pipe_with(p, "abc\ndef");
    close(p[1]);
    p[1] = -1;
    assert_int_equal(lz_read_for(p[0], buf, sizeof buf, lz_now_ms() + 5000, 0, &len),
                     LZ_READ_EOF);
    assert_int_equal(len, 7);
    assert_string_equal(buf, "abc\ndef");
    close_pipe(p);
}

static void test_full_buffer(void **state)
{
    (void)state;
    int p[2];
    char buf[5];
    size_t len = 99;
    pipe_with(p, "abcdefgh");
    assert_int_equal(lz_read_for(p[0], buf, sizeof buf, lz_now_ms() + 5000, LZ_READ_LINE,
                                 &len),
                     LZ_READ_FULL);
    assert_int_equal(len, 4);
    assert_string_equal(buf, "abcd");
    /* a one-byte buffer is full at once, and still a string */
    assert_int_equal(lz_read_for(p[0], buf, 1, lz_now_ms() + 5000, 0, &len), LZ_READ_FULL);
    assert_int_equal(len, 0);
    assert_int_equal(buf[0], '\0');
    close_pipe(p);
}

static void test_silent_writer_ends_at_deadline(void **state)
{
    (void)state;
    int p[2];
    char buf[64];
    size_t len = 99;
    pipe_with(p, "");
    int64_t t0 = lz_now_ms();
    assert_int_equal(lz_read_for(p[0], buf, sizeof buf, t0 + 50, 0, &len),
                     LZ_READ_DEADLINE);
    int64_t took = lz_now_ms() - t0;
    assert_true(took >= 50);
    assert_true(took < 2000);
    assert_int_equal(len, 0);
    assert_string_equal(buf, "");
    close_pipe(p);
}

static void test_deadline_keeps_what_came(void **state)
{
    (void)state;
    int p[2];
    char buf[64];
    size_t len = 99;
    pipe_with(p, "ab");
    assert_int_equal(lz_read_for(p[0], buf, sizeof buf, lz_now_ms() + 50, LZ_READ_LINE,
                                 &len),
                     LZ_READ_DEADLINE);
    assert_int_equal(len, 2);
    assert_string_equal(buf, "ab");
    /* a deadline already past reads nothing, even with bytes waiting */
    assert_int_equal(write(p[1], "cd", 2), 2);
    assert_int_equal(lz_read_for(p[0], buf, sizeof buf, lz_now_ms() - 1, 0, &len),
                     LZ_READ_DEADLINE);
    assert_int_equal(len, 0);
    close_pipe(p);
}

static void test_error_keeps_errno(void **state)
{
    (void)state;
    char buf[16];
    size_t len = 99;
    /* always "readable" to poll, but read(2) on a write-only fd fails */
    int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    errno = 0;
    assert_int_equal(lz_read_for(fd, buf, sizeof buf, lz_now_ms() + 5000, 0, &len),
                     LZ_READ_ERROR);
    assert_int_equal(errno, EBADF);
    assert_int_equal(len, 0);
    assert_string_equal(buf, "");
    close(fd);
}

static volatile sig_atomic_t interrupted;

static void on_usr1(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void test_eintr_is_retried(void **state)
{
    (void)state;
    /* no SA_RESTART: the signal makes the waiting poll return EINTR */
    struct sigaction sa = {.sa_handler = on_usr1}, old;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);
    interrupted = 0;
    int p[2];
    char buf[64];
    size_t len = 99;
    pipe_with(p, "");
    pid_t parent = getpid(), pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        usleep(30000);
        kill(parent, SIGUSR1);
        usleep(30000);
        _exit(write(p[1], "late\n", 5) == 5 ? 0 : 1);
    }
    enum lz_read_end end =
        lz_read_for(p[0], buf, sizeof buf, lz_now_ms() + 5000, LZ_READ_LINE, &len);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    sigaction(SIGUSR1, &old, NULL);
    assert_true(interrupted);
    assert_int_equal(end, LZ_READ_NEWLINE);
    assert_string_equal(buf, "late\n");
    close_pipe(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ends_at_newline),
        cmocka_unit_test(test_ends_at_eof_with_count),
        cmocka_unit_test(test_full_buffer),
        cmocka_unit_test(test_silent_writer_ends_at_deadline),
        cmocka_unit_test(test_deadline_keeps_what_came),
        cmocka_unit_test(test_error_keeps_errno),
        cmocka_unit_test(test_eintr_is_retried),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
