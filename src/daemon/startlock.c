/* The start lock: one open, one flock, bounded by a deadline. */
#define _GNU_SOURCE
#include "daemon/startlock.h"
#include "base/cleanup.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>

static void on_alarm(int sig)
{
    (void)sig;
}

/* flock(LOCK_EX) as long as it takes. */
static int lock_forever(int fd)
{
    int r;
    while ((r = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
        ;
    return r;
}

/* flock(LOCK_EX) until deadline_ms: a one-shot timer interrupts the wait
 * (the handler has no SA_RESTART, so flock returns EINTR). 0 when locked. */
static int lock_until(int fd, int64_t deadline_ms)
{
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno != EWOULDBLOCK)
        return -1;
    if (deadline_ms == LZ_LOCK_FOREVER)
        return lock_forever(fd);
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, &old);
    int rc = -1;
    for (;;) {
        int64_t left = deadline_ms - lz_now_ms();
        if (left <= 0) {
            errno = ETIMEDOUT;
            break;
        }
        struct itimerval it = {{0, 0}, {left / 1000, (left % 1000) * 1000}};
        setitimer(ITIMER_REAL, &it, NULL);
        if (flock(fd, LOCK_EX) == 0) {
            rc = 0;
            break;
        }
        if (errno != EINTR)
            break;
    }
    int e = errno;
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    sigaction(SIGALRM, &old, NULL);
    errno = e;
    return rc;
}

int lz_start_lock(int dirfd, int64_t deadline_ms)
{
    LZ_AUTOFD fd = openat(dirfd, "lock",
                          O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
    if (fd < 0 || lock_until(fd, deadline_ms) != 0)
        return -1;
    return lz_steal_fd(&fd);
}
