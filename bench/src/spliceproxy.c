/* spliceproxy: the proxy a rootless supervisor would put between the user's
 * socket and dockerd's inner one, for measuring what it costs per request.
 *
 *   spliceproxy LISTEN_SOCKET INNER_SOCKET
 *
 * Listens on LISTEN_SOCKET; each accepted connection gets a connection to
 * INNER_SOCKET and the bytes are moved both ways with splice(2) through a
 * pipe per direction, all in one poll(2) loop (as the supervisor's event
 * loop would), up to MAXC connections at once. Runs until killed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAXC 64

struct dir {
    int from, to, pipe[2], done;
};

struct conn {
    int used;
    struct dir d[2]; /* client -> inner, inner -> client */
};

static struct conn conns[MAXC];

static int unix_addr(const char *path, struct sockaddr_un *a)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof a->sun_path)
        return -1;
    strcpy(a->sun_path, path);
    return 0;
}

static void close_conn(struct conn *c)
{
    close(c->d[0].from);
    close(c->d[0].to);
    for (int i = 0; i < 2; i++) {
        close(c->d[i].pipe[0]);
        close(c->d[i].pipe[1]);
    }
    c->used = 0;
}

/* Moves what is readable on d->from to d->to; 0 at EOF (then shuts d->to
 * for writing), -1 on error. */
static int pump(struct dir *d)
{
    ssize_t n = splice(d->from, NULL, d->pipe[1], NULL, 1 << 16,
                       SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n < 0)
        return errno == EAGAIN ? 1 : -1;
    if (n == 0) {
        shutdown(d->to, SHUT_WR);
        d->done = 1;
        return 0;
    }
    while (n > 0) {
        ssize_t w = splice(d->pipe[0], NULL, d->to, NULL, (size_t)n, SPLICE_F_MOVE);
        if (w <= 0)
            return -1;
        n -= w;
    }
    return 1;
}

static void accept_one(int lfd, const struct sockaddr_un *inner)
{
    int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (cfd < 0)
        return;
    int ufd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct conn *c = NULL;
    for (int i = 0; i < MAXC && !c; i++)
        if (!conns[i].used)
            c = &conns[i];
    if (!c || ufd < 0 || connect(ufd, (const struct sockaddr *)inner, sizeof *inner) != 0) {
        close(cfd);
        if (ufd >= 0)
            close(ufd);
        return;
    }
    fcntl(ufd, F_SETFL, O_NONBLOCK);
    memset(c, 0, sizeof *c);
    c->used = 1;
    c->d[0].from = cfd;
    c->d[0].to = ufd;
    c->d[1].from = ufd;
    c->d[1].to = cfd;
    if (pipe2(c->d[0].pipe, O_CLOEXEC) != 0 || pipe2(c->d[1].pipe, O_CLOEXEC) != 0)
        close_conn(c);
}

int main(int argc, char **argv)
{
    struct sockaddr_un la, ia;
    if (argc != 3 || unix_addr(argv[1], &la) != 0 || unix_addr(argv[2], &ia) != 0) {
        fprintf(stderr, "usage: spliceproxy LISTEN_SOCKET INNER_SOCKET\n");
        return 2;
    }
    unlink(argv[1]);
    int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&la, sizeof la) != 0 || listen(lfd, 128) != 0) {
        perror("spliceproxy: listen");
        return 1;
    }
    for (;;) {
        struct pollfd p[1 + 2 * MAXC];
        struct dir *who[1 + 2 * MAXC];
        int idx[1 + 2 * MAXC];
        int n = 0;
        p[n++] = (struct pollfd){.fd = lfd, .events = POLLIN};
        for (int i = 0; i < MAXC; i++)
            for (int k = 0; conns[i].used && k < 2; k++)
                if (!conns[i].d[k].done) {
                    who[n] = &conns[i].d[k];
                    idx[n] = i;
                    p[n++] = (struct pollfd){.fd = conns[i].d[k].from, .events = POLLIN};
                }
        if (poll(p, (nfds_t)n, -1) < 0)
            continue;
        if (p[0].revents & POLLIN)
            accept_one(lfd, &ia);
        for (int j = 1; j < n; j++) {
            if (!p[j].revents)
                continue;
            struct conn *c = &conns[idx[j]];
            if (!c->used)
                continue;
            if (pump(who[j]) < 0 || (c->d[0].done && c->d[1].done))
                close_conn(c);
        }
    }
}
