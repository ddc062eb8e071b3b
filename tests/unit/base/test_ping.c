/* Unit tests for ping.h: the /_ping response parser, and lz_ping against
 * real unix socket servers run by a forked child. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/ping.h"

/* What dockerd 20.10 really answers. */
static const char real_answer[] =
    "HTTP/1.1 200 OK\r\n"
    "Api-Version: 1.41\r\n"
    "Cache-Control: no-cache, no-store, must-revalidate\r\n"
    "Content-Length: 2\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Docker-Experimental: false\r\n"
    "Ostype: linux\r\n"
    "Pragma: no-cache\r\n"
    "Server: Docker/20.10.24+dfsg1 (linux)\r\n"
    "Date: Sun, 29 Nov 2026 02:45:39 GMT\r\n"
    "\r\n"
    "OK";

#define ANSWER_500                                                           \
    "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\n\r\nOK"

/* ---------------------------------------------------------------- parse */

static void test_parse_real_answer(void **state)
{
    (void)state;
    assert_int_equal(lz_ping_parse(real_answer, strlen(real_answer)), 1);
}

/* A partial answer always asks for more bytes. */
static void test_parse_every_prefix_needs_more(void **state)
{
    (void)state;
    size_t n = strlen(real_answer);
    for (size_t len = 0; len < n; len++) {
        int r = lz_ping_parse(real_answer, len);
        if (r != 0)
            fail_msg("prefix of %zu/%zu bytes: %d, want 0", len, n, r);
    }
}

static void test_parse_table(void **state)
{
    (void)state;
    static const struct {
        const char *resp;
        int want;
    } cases[] = {
        {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK", 1},
        {"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nOK", 1},
        {"HTTP/1.1 200 OK\r\n\r\nOK", 1},                /* no length */
        {"HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nOK", 1},  /* no reason */
        {"HTTP/1.1 200 OK\r\ncontent-length:2\r\n\r\nOK", 1},
        {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", 0},
        {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nO", 0},
        {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n", 0},
        {"HTTP/1", 0},
        {ANSWER_500, -1},
        {"HTTP/1.1 503 Service Unavailable\r\n\r\n", -1},
        {"HTTP/1.1 404 Not Found\r\n", -1},
        {"HTTP/1.1 2000 OK\r\n\r\nOK", -1},
        {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nNO", -1},
        {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", -1},
        {"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nOK", -1},
        {"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", -1},
        {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", -1},
        {"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\nOK", -1},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nOK\r\n0\r\n\r\n", -1},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", -1},
        {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOKX", -1},
        {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK\r\n", -1},
        {"HTTP/2 200\r\n\r\nOK", -1},
        {"HTTP/1.x 200 OK\r\n\r\nOK", -1},
        {"SSH-2.0", -1},
        {"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", -1},
        {"\x16\x03\x01\x00", -1},  /* a TLS record */
        {"<html>", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int r = lz_ping_parse(cases[i].resp, strlen(cases[i].resp));
        if (r != cases[i].want)
            fail_msg("case %zu \"%s\": %d, want %d", i, cases[i].resp, r,
                     cases[i].want);
    }
}

/* Headers that never end are not waited for forever. */
static void test_parse_endless_headers(void **state)
{
    (void)state;
    size_t n = 9000;
    char *buf = malloc(n);
    assert_non_null(buf);
    memset(buf, 'a', n);
    memcpy(buf, "HTTP/1.1 200 OK\r\nX-Pad: ", 24);
    assert_int_equal(lz_ping_parse(buf, n), -1);
    free(buf);
}

/* ------------------------------------------------------- servers, lz_ping */

enum mode {
    SRV_OK,        /* the real answer in one write */
    SRV_OK_SLOW,   /* the real answer, a few bytes at a time */
    SRV_500,
    SRV_SILENT,    /* reads the request, never answers */
    SRV_CLOSE,     /* reads the request, closes without a word */
    SRV_GARBAGE,   /* an SSH banner */
};

struct srv {
    char dir[64];
    char path[128];
    int lfd;
    pid_t pid;
};

static int srv_setup(void **state)
{
    struct srv *s = calloc(1, sizeof *s);
    assert_non_null(s);
    strcpy(s->dir, "/tmp/lz-ping-XXXXXX");
    assert_non_null(mkdtemp(s->dir));
    snprintf(s->path, sizeof s->path, "%s/docker.sock", s->dir);
    s->lfd = -1;
    s->pid = -1;
    *state = s;
    return 0;
}

static int srv_teardown(void **state)
{
    struct srv *s = *state;
    if (s->pid > 0) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
    }
    if (s->lfd >= 0)
        close(s->lfd);
    unlink(s->path);
    rmdir(s->dir);
    free(s);
    return 0;
}

static int bind_unix(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    assert_true(strlen(path) < sizeof sa.sun_path);
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    return fd;
}

static void put(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            _exit(4);
        p += w;
        n -= (size_t)w;
    }
}

/* The child: one connection; exits 0 when the request was a proper
 * GET /_ping, 3 when it was not. */
static void serve(int lfd, enum mode m)
{
    alarm(10); /* never outlive a broken test */
    int c = accept(lfd, NULL, NULL);
    if (c < 0)
        _exit(2);
    char req[1024];
    size_t len = 0;
    while (len < sizeof req - 1 && !memmem(req, len, "\r\n\r\n", 4)) {
        ssize_t n = read(c, req + len, sizeof req - 1 - len);
        if (n <= 0)
            _exit(3);
        len += (size_t)n;
    }
    req[len] = '\0';
    int good = strncmp(req, "GET /_ping HTTP/1.1\r\n", 21) == 0 &&
               strstr(req, "\r\nHost: ") != NULL;
    switch (m) {
    case SRV_OK:
        put(c, real_answer, strlen(real_answer));
        break;
    case SRV_OK_SLOW:
        for (size_t i = 0; i < strlen(real_answer); i += 7) {
            size_t n = strlen(real_answer) - i;
            put(c, real_answer + i, n < 7 ? n : 7);
            usleep(1000);
        }
        break;
    case SRV_500:
        put(c, ANSWER_500, strlen(ANSWER_500));
        break;
    case SRV_SILENT: {
        char b;
        while (read(c, &b, 1) > 0) /* until the client gives up */
            ;
        break;
    }
    case SRV_CLOSE:
        break;
    case SRV_GARBAGE:
        put(c, "SSH-2.0-OpenSSH_9.2p1\r\n", 23);
        break;
    }
    close(c);
    _exit(good ? 0 : 3);
}

static void srv_start(struct srv *s, enum mode m)
{
    s->lfd = bind_unix(s->path);
    assert_int_equal(listen(s->lfd, 4), 0);
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0)
        serve(s->lfd, m);
}

/* Waits for the server child and checks that it saw a proper request. */
static void srv_wait(struct srv *s)
{
    int st;
    assert_int_equal(waitpid(s->pid, &st, 0), s->pid);
    s->pid = -1;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("server child: status 0x%x (3: bad request)", st);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void ping_against(void **state, enum mode m, enum lz_ping_result want,
                         int timeout_ms)
{
    struct srv *s = *state;
    srv_start(s, m);
    assert_int_equal(lz_ping(s->path, timeout_ms), want);
    srv_wait(s);
}

static void test_ping_ok(void **state) { ping_against(state, SRV_OK, LZ_PING_OK, 2000); }
static void test_ping_ok_in_pieces(void **state) { ping_against(state, SRV_OK_SLOW, LZ_PING_OK, 2000); }
static void test_ping_500_is_bad(void **state) { ping_against(state, SRV_500, LZ_PING_BAD, 2000); }
static void test_ping_garbage_is_bad(void **state) { ping_against(state, SRV_GARBAGE, LZ_PING_BAD, 2000); }
static void test_ping_closed_is_down(void **state) { ping_against(state, SRV_CLOSE, LZ_PING_DOWN, 2000); }

static void test_ping_silent_times_out(void **state)
{
    struct srv *s = *state;
    srv_start(s, SRV_SILENT);
    int64_t t0 = now_ms();
    assert_int_equal(lz_ping(s->path, 100), LZ_PING_TIMEOUT);
    int64_t took = now_ms() - t0;
    if (took < 90 || took > 2000)
        fail_msg("100 ms timeout took %lld ms", (long long)took);
    srv_wait(s);
}

static void test_ping_no_socket_is_down(void **state)
{
    struct srv *s = *state;
    assert_int_equal(lz_ping(s->path, 100), LZ_PING_DOWN);
    char p[160];
    snprintf(p, sizeof p, "%s/no-dir/docker.sock", s->dir);
    assert_int_equal(lz_ping(p, 100), LZ_PING_DOWN);
}

/* A socket file left behind by a dead daemon. */
static void test_ping_stale_socket_is_down(void **state)
{
    struct srv *s = *state;
    close(bind_unix(s->path));
    int64_t t0 = now_ms();
    assert_int_equal(lz_ping(s->path, 5000), LZ_PING_DOWN);
    if (now_ms() - t0 > 1000)
        fail_msg("a refused connect waited %lld ms", (long long)(now_ms() - t0));
}

/* A daemon that hangs up while the request is being sent must not kill the
 * caller with SIGPIPE (docker would exit 141 and say nothing). The child
 * pings many times against a listener that accepts and closes at once. */
static void test_ping_hangup_is_not_sigpipe(void **state)
{
    struct srv *s = *state;
    s->lfd = bind_unix(s->path);
    assert_int_equal(listen(s->lfd, 64), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        signal(SIGPIPE, SIG_DFL);
        for (int i = 0; i < 300; i++)
            if (lz_ping(s->path, 1000) == LZ_PING_OK)
                _exit(3);
        _exit(0);
    }
    int status;
    pid_t done = 0;
    while (done == 0) {
        struct pollfd pfd = {.fd = s->lfd, .events = POLLIN};
        if (poll(&pfd, 1, 100) > 0) {
            int c = accept(s->lfd, NULL, NULL);
            if (c >= 0)
                close(c);
        }
        done = waitpid(child, &status, WNOHANG);
    }
    assert_int_equal(done, child);
    if (WIFSIGNALED(status))
        fail_msg("the pinging process died of signal %d", WTERMSIG(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* A path that is too long for sun_path is not a daemon at all. */
static void test_ping_path_too_long_is_bad(void **state)
{
    (void)state;
    char p[200];
    memset(p, 'x', sizeof p - 1);
    p[0] = '/';
    p[sizeof p - 1] = '\0';
    assert_int_equal(lz_ping(p, 100), LZ_PING_BAD);
}

#define SRV_TEST(f) cmocka_unit_test_setup_teardown(f, srv_setup, srv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_real_answer),
        cmocka_unit_test(test_parse_every_prefix_needs_more),
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_parse_endless_headers),
        SRV_TEST(test_ping_ok),
        SRV_TEST(test_ping_ok_in_pieces),
        SRV_TEST(test_ping_500_is_bad),
        SRV_TEST(test_ping_garbage_is_bad),
        SRV_TEST(test_ping_closed_is_down),
        SRV_TEST(test_ping_silent_times_out),
        SRV_TEST(test_ping_no_socket_is_down),
        SRV_TEST(test_ping_stale_socket_is_down),
        SRV_TEST(test_ping_hangup_is_not_sigpipe),
        cmocka_unit_test(test_ping_path_too_long_is_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
