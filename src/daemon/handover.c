/* The hand-over of rootless mode's socket and the copy loop for the
 * connections queued before it (handover.h). */
#define _GNU_SOURCE
#include "daemon/handover.h"
#include "daemon/listen.h"
#include "base/cleanup.h"
#include "base/util.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int lz_listen_swap(const char *path, const char *tmp, char *err, size_t errlen)
{
    (void)unlink(tmp); /* a temp socket left by a supervisor that died */
    LZ_AUTOFD fd = lz_listen_unix(tmp, err, errlen);
    if (fd < 0)
        return -1;
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot rename %s over %s: %s", tmp, path, strerror(errno));
        (void)unlink(tmp);
        return -1;
    }
    return lz_steal_fd(&fd);
}

int lz_handover(const char *inner, const char *path, char *err, size_t errlen)
{
    if (rename(inner, path) == 0)
        return 0;
    snprintf(err, errlen, "cannot rename %s over %s: %s", inner, path, strerror(errno));
    return -1;
}

/* One direction of the copy: from -> to through buf. */
struct way {
    int from, to;
    char buf[65536];
    size_t len, off;
    int eof;
};

static int way_done(const struct way *w)
{
    return w->eof && w->len == w->off;
}

/* What this direction waits for: its source readable when the buffer is
 * empty, its sink writable when it is not. */
static void way_watch(const struct way *w, struct pollfd *p)
{
    p->revents = 0;
    if (way_done(w)) {
        p->fd = -1;
    } else if (w->len == w->off) {
        *p = (struct pollfd){.fd = w->from, .events = POLLIN};
    } else {
        *p = (struct pollfd){.fd = w->to, .events = POLLOUT};
    }
}

/* One step after poll. -1 on an error (both directions end), else 0. */
static int way_step(struct way *w, const struct pollfd *p, long long *moved)
{
    if (p->fd < 0 || !p->revents)
        return 0;
    if (p->fd == w->from && w->len == w->off) {
        ssize_t n = read(w->from, w->buf, sizeof w->buf);
        if (n < 0)
            return errno == EINTR || errno == EAGAIN ? 0 : -1;
        if (n == 0) {
            w->eof = 1;
            (void)shutdown(w->to, SHUT_WR);
            return 0;
        }
        w->len = (size_t)n;
        w->off = 0;
        return 0;
    }
    ssize_t n = send(w->to, w->buf + w->off, w->len - w->off, MSG_NOSIGNAL);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 0 : -1;
    w->off += (size_t)n;
    *moved += n;
    return 0;
}

long long lz_proxy_pair(int a, int b)
{
    static struct way ways[2]; /* one pair per (forked) process */
    ways[0] = (struct way){.from = a, .to = b};
    ways[1] = (struct way){.from = b, .to = a};
    long long moved = 0;
    while (!way_done(&ways[0]) || !way_done(&ways[1])) {
        struct pollfd p[2];
        way_watch(&ways[0], &p[0]);
        way_watch(&ways[1], &p[1]);
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (way_step(&ways[0], &p[0], &moved) != 0 || way_step(&ways[1], &p[1], &moved) != 0)
            break;
    }
    return moved;
}
