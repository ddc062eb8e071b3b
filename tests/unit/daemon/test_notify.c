/* Unit tests for notify.h over a real socket: dockerd's READY=1 arrives on
 * <run_dir>/notify.sock. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../helpers.h"
#include "daemon/notify.h"

static char T[64];

static int tmp_setup(void **state)
{
    (void)state;
    lzt_mkdtemp(T, sizeof T, "notify");
    return 0;
}

static int tmp_teardown(void **state)
{
    (void)state;
    return lzt_rmtree(T);
}

/* What sd_notify does: one datagram to NOTIFY_SOCKET. */
static void send_msg(const char *msg)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    assert_int_equal(lz_notify_path(T, sa.sun_path, sizeof sa.sun_path), 0);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    assert_int_equal(sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&sa, sizeof sa),
                     (ssize_t)strlen(msg));
    close(fd);
}

static void test_bind_and_drain(void **state)
{
    (void)state;
    int dirfd = open(T, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(dirfd >= 0);
    /* a stale socket file is replaced */
    int fd = lz_notify_bind(dirfd, T);
    assert_true(fd >= 0);
    close(fd);
    fd = lz_notify_bind(dirfd, T);
    assert_true(fd >= 0);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
    assert_int_equal(lz_notify_drain(fd), 0); /* nothing yet, never blocks */
    send_msg("STATUS=starting");
    assert_int_equal(lz_notify_drain(fd), 0);
    send_msg("STATUS=starting");
    send_msg("READY=1");
    send_msg("STATUS=up");
    assert_int_equal(lz_notify_drain(fd), 1); /* every pending message read */
    assert_int_equal(lz_notify_drain(fd), 0);
    close(fd);
    close(dirfd);
}

static void test_path_too_long(void **state)
{
    (void)state;
    char dir[200];
    memset(dir, 'd', sizeof dir - 1);
    dir[0] = '/';
    dir[sizeof dir - 1] = '\0';
    assert_int_equal(lz_notify_bind(-1, dir), -1); /* sun_path holds 108 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bind_and_drain, tmp_setup, tmp_teardown),
        cmocka_unit_test(test_path_too_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
