/* Reading an fd until EOF, a newline, a full buffer or a deadline. */
#define _GNU_SOURCE
#include "base/readfor.h"
#include "base/util.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

/* Not an end: read_step's answer when the loop goes on. */
#define MORE (-1)

/* Waits until fd is readable (or hung up): 1, 0 when deadline_ms came
 * first, -1 when poll failed. EINTR is retried. */
static int wait_readable(int fd, int64_t deadline_ms)
{
    for (;;) {
        int64_t left = deadline_ms - lz_now_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
        if (r > 0)
            return 1;
        if (r < 0 && errno != EINTR)
            return -1;
    }
}

/* One wait and one read appended at buf + *len: an enum lz_read_end, or
 * MORE. */
static int read_step(int fd, char *buf, size_t cap, int64_t deadline_ms, int flags,
                     size_t *len)
{
    if (*len >= cap - 1)
        return LZ_READ_FULL;
    int w = wait_readable(fd, deadline_ms);
    if (w <= 0)
        return w < 0 ? LZ_READ_ERROR : LZ_READ_DEADLINE;
    char *at = buf + *len;
    ssize_t n = read(fd, at, cap - 1 - *len);
    if (n < 0)
        return errno == EINTR ? MORE : LZ_READ_ERROR;
    if (n == 0)
        return LZ_READ_EOF;
    *len += (size_t)n;
    if ((flags & LZ_READ_LINE) && memchr(at, '\n', (size_t)n))
        return LZ_READ_NEWLINE;
    return MORE;
}

enum lz_read_end lz_read_for(int fd, char *buf, size_t cap, int64_t deadline_ms,
                             int flags, size_t *len)
{
    int end;
    *len = 0;
    while ((end = read_step(fd, buf, cap, deadline_ms, flags, len)) == MORE)
        ;
    buf[*len] = '\0';
    return (enum lz_read_end)end;
}
