/* Unit tests for unixsock.h: lz_unix_connect against a real listening
 * socket, a missing one and a path too long for sun_path. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../helpers.h"
#include "base/unixsock.h"

static int listen_at(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 4), 0);
    return fd;
}

static void test_connects_cloexec(void **state)
{
    (void)state;
    char dir[64], path[128];
    lzt_mkdtemp(dir, sizeof dir, "unixsock");
    snprintf(path, sizeof path, "%s/s.sock", dir);
    int l = listen_at(path);
    int fd = lz_unix_connect(path);
    assert_true(fd >= 0);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    int peer = accept(l, NULL, NULL);
    assert_true(peer >= 0);
    assert_int_equal(write(fd, "x", 1), 1);
    char c = 0;
    assert_int_equal(read(peer, &c, 1), 1);
    assert_int_equal(c, 'x');
    close(peer);
    close(fd);
    close(l);
    lzt_rmtree(dir);
}

static void test_errors_keep_errno(void **state)
{
    (void)state;
    char dir[64], path[128];
    lzt_mkdtemp(dir, sizeof dir, "unixsock");
    snprintf(path, sizeof path, "%s/none.sock", dir);
    errno = 0;
    assert_int_equal(lz_unix_connect(path), -1);
    assert_int_equal(errno, ENOENT);
    /* a socket file nobody listens on any more: refused */
    close(listen_at(path));
    errno = 0;
    assert_int_equal(lz_unix_connect(path), -1);
    assert_int_equal(errno, ECONNREFUSED);
    char longp[200];
    memset(longp, 'a', sizeof longp - 1);
    longp[0] = '/';
    longp[sizeof longp - 1] = '\0';
    errno = 0;
    assert_int_equal(lz_unix_connect(longp), -1);
    assert_int_equal(errno, ENAMETOOLONG);
    lzt_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connects_cloexec),
        cmocka_unit_test(test_errors_keep_errno),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
