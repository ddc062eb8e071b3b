/* Unit tests for handover.h over real sockets: a unit socket renamed over
 * another's path takes the new connections (Linux resolves the path to the
 * inode at connect()), the queued ones stay with the old listener; a new
 * listener swapped in by rename; the copy loop both ways, with half-close. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../helpers.h"
#include "daemon/handover.h"
#include "base/unixsock.h"
#include "daemon/listen.h"

static char T[64], PUB[128], INNER[128], TMP[128];

static int tmp_setup(void **state)
{
    (void)state;
    lzt_mkdtemp(T, sizeof T, "handover");
    snprintf(PUB, sizeof PUB, "%s/docker.sock", T);
    snprintf(INNER, sizeof INNER, "%s/dockerd.sock", T);
    snprintf(TMP, sizeof TMP, "%s/listen.sock", T);
    return 0;
}

static int tmp_teardown(void **state)
{
    (void)state;
    return lzt_rmtree(T);
}

/* 1 when a connection waits on listener lfd (non-blocking). */
static int pending(int lfd)
{
    struct pollfd p = {.fd = lfd, .events = POLLIN};
    return poll(&p, 1, 0) == 1;
}

static ino_t inode_of(const char *path)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    return st.st_ino;
}

/* The hand-over: before the rename a connection reaches the supervisor's
 * listener, after it dockerd's; the one queued before stays queued on the
 * old listener (to be copied through); the inner path is gone. */
static void test_rename_moves_new_connections(void **state)
{
    (void)state;
    char err[256];
    int sup = lz_listen_unix(PUB, err, sizeof err);
    assert_true(sup >= 0);
    int dockerd = lz_listen_unix(INNER, err, sizeof err);
    assert_true(dockerd >= 0);
    ino_t want = inode_of(INNER);
    int early = lz_unix_connect(PUB);
    assert_true(early >= 0);
    assert_true(pending(sup));
    assert_int_equal(lz_handover(INNER, PUB, err, sizeof err), 0);
    assert_int_equal(inode_of(PUB), want);
    assert_int_equal(access(INNER, F_OK), -1);
    int late = lz_unix_connect(PUB);
    assert_true(late >= 0);
    assert_true(pending(dockerd));
    int a = accept4(sup, NULL, NULL, SOCK_CLOEXEC);
    assert_true(a >= 0);
    assert_false(pending(sup)); /* only the early one was ours */
    close(a);
    close(early);
    close(late);
    close(sup);
    close(dockerd);
}

/* A failed hand-over (no inner socket) names both paths. */
static void test_handover_error(void **state)
{
    (void)state;
    char err[512];
    assert_int_equal(lz_handover(INNER, PUB, err, sizeof err), -1);
    assert_non_null(strstr(err, INNER));
    assert_non_null(strstr(err, PUB));
}

/* Re-arming: dockerd's dead socket on the path is replaced by a new
 * listener, atomically; the temp path does not stay behind. */
static void test_listen_swap(void **state)
{
    (void)state;
    char err[256];
    int dead = lz_listen_unix(PUB, err, sizeof err);
    assert_true(dead >= 0);
    close(dead); /* dockerd killed: the file stays, nobody listens */
    assert_int_equal(lz_unix_connect(PUB), -1);
    int lfd = lz_listen_swap(PUB, TMP, err, sizeof err);
    assert_true(lfd >= 0);
    assert_int_equal(access(TMP, F_OK), -1);
    int c = lz_unix_connect(PUB);
    assert_true(c >= 0);
    assert_true(pending(lfd));
    close(c);
    close(lfd);
}

/* The copy loop in a child, between the sockets x[1] (client side) and
 * y[1] (dockerd side). */
static pid_t proxy_child(int x[2], int y[2])
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(x[0]);
        close(y[0]);
        signal(SIGPIPE, SIG_IGN);
        (void)lz_proxy_pair(x[1], y[1]);
        _exit(0);
    }
    close(x[1]);
    close(y[1]);
    return pid;
}

static size_t read_all(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    ssize_t r;
    while (n < cap && (r = read(fd, buf + n, cap - n)) > 0)
        n += (size_t)r;
    return n;
}

/* An HTTP-like exchange: the client writes and half-closes, the server
 * sees the end of its request, answers a large body and closes; the client
 * gets all of it, then the end of file; the proxy ends. */
static void test_proxy_both_ways(void **state)
{
    (void)state;
    int x[2], y[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, x), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, y), 0);
    pid_t pid = proxy_child(x, y);
    const char req[] = "GET /_ping HTTP/1.0\r\n\r\n";
    assert_int_equal(write(x[0], req, strlen(req)), (ssize_t)strlen(req));
    assert_int_equal(shutdown(x[0], SHUT_WR), 0);
    char got[64];
    assert_int_equal(read_all(y[0], got, sizeof got), strlen(req));
    assert_memory_equal(got, req, strlen(req));
    static char big[300000], back[300001];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + i % 26);
    pid_t w = fork();
    assert_true(w >= 0);
    if (w == 0) { /* the server writes while the client reads */
        ssize_t n = write(y[0], big, sizeof big);
        _exit(n == (ssize_t)sizeof big ? 0 : 1);
    }
    int st;
    assert_int_equal(read_all(x[0], back, sizeof big), sizeof big);
    assert_int_equal(waitpid(w, &st, 0), w);
    assert_int_equal(st, 0);
    assert_memory_equal(back, big, sizeof big);
    close(y[0]);
    assert_int_equal(read_all(x[0], back, sizeof back), 0); /* end of file */
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    close(x[0]);
}

/* The client goes away while the server is silent: the proxy ends. */
static void test_proxy_client_gone(void **state)
{
    (void)state;
    int x[2], y[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, x), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, y), 0);
    pid_t pid = proxy_child(x, y);
    close(x[0]);
    char b[8];
    assert_int_equal(read(y[0], b, sizeof b), 0); /* passed on */
    close(y[0]);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rename_moves_new_connections, tmp_setup,
                                        tmp_teardown),
        cmocka_unit_test_setup_teardown(test_handover_error, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_listen_swap, tmp_setup, tmp_teardown),
        cmocka_unit_test(test_proxy_both_ways),
        cmocka_unit_test(test_proxy_client_gone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
