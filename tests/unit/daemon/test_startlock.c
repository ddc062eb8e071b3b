/* Unit tests for startlock.h: one lock, close-on-exec, bounded waits. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/startlock.h"
#include "base/util.h"
#include "../helpers.h"

static void test_lock(void **unused)
{
    (void)unused;
    char dir[64];
    lzt_mkdtemp(dir, sizeof dir, "startlock");
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(dirfd >= 0);
    int a = lz_start_lock(dirfd, lz_now_ms() + 1000);
    assert_true(a >= 0);
    assert_true(fcntl(a, F_GETFD) & FD_CLOEXEC);
    struct stat st;
    assert_int_equal(fstatat(dirfd, "lock", &st, 0), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* held (a lock belongs to its open file): a second one waits until its
     * deadline */
    int64_t t0 = lz_now_ms();
    errno = 0;
    assert_int_equal(lz_start_lock(dirfd, t0 + 150), -1);
    assert_int_equal(errno, ETIMEDOUT);
    assert_true(lz_now_ms() - t0 >= 140);
    /* released by closing it */
    close(a);
    int b = lz_start_lock(dirfd, LZ_LOCK_FOREVER);
    assert_true(b >= 0);
    close(b);
    /* never through a symlink */
    assert_int_equal(unlinkat(dirfd, "lock", 0), 0);
    assert_int_equal(symlinkat("/tmp/elsewhere", dirfd, "lock"), 0);
    assert_int_equal(lz_start_lock(dirfd, lz_now_ms() + 100), -1);
    close(dirfd);
    assert_int_equal(lzt_rmtree(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
