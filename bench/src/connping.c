/* connping: one API client's first request, timed, with no retries: the
 * socket-activation latency.
 *
 *   connping [-t TIMEOUT_S] SOCKET
 *
 * Connects ONCE to the unix socket SOCKET, sends `GET /_ping` and reads the
 * answer. Nothing is retried: a refused connect (ECONNREFUSED), a missing
 * socket or a hang-up is reported as it is. Prints one line (ns on
 * CLOCK_MONOTONIC, durations from just before connect()):
 *
 *   RESULT T0_NS CONNECT_NS FIRST_BYTE_NS FULL_NS HTTP_STATUS ERRNO
 *
 * RESULT is ok (200 with body OK), http (any other answer), refused
 * (connect failed with ECONNREFUSED), connect_error (any other connect
 * failure), closed (EOF before a full answer), read_error or timeout (no
 * full answer within TIMEOUT_S, default 60). CONNECT_NS is connect()'s
 * return, FIRST_BYTE_NS the first byte of the answer, FULL_NS the last byte
 * of the body (by Content-Length, else EOF); a step not reached is -1.
 * HTTP_STATUS is 0 without a status line; ERRNO is an errno name or "-".
 * Exit status 0 only for ok. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static const char *errname(int e)
{
    switch (e) {
    case ECONNREFUSED: return "ECONNREFUSED";
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case EAGAIN: return "EAGAIN";
    case ECONNRESET: return "ECONNRESET";
    case EPIPE: return "EPIPE";
    case ETIMEDOUT: return "ETIMEDOUT";
    case ENOTSOCK: return "ENOTSOCK";
    default: {
        static char b[32];
        snprintf(b, sizeof b, "errno%d", e);
        return b;
    }
    }
}

static int64_t t0, t_conn = -1, t_first = -1, t_full = -1;

static int finish(const char *result, int status, const char *err)
{
    printf("%s %lld %lld %lld %lld %d %s\n", result, (long long)t0,
           (long long)(t_conn < 0 ? -1 : t_conn - t0),
           (long long)(t_first < 0 ? -1 : t_first - t0),
           (long long)(t_full < 0 ? -1 : t_full - t0), status, err ? err : "-");
    return strcmp(result, "ok") == 0 ? 0 : 1;
}

/* Content-Length of the header block hdr (NUL-terminated), or -1. */
static long content_length(const char *hdr)
{
    for (const char *p = strstr(hdr, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, "Content-Length:", 15) == 0)
            return strtol(p + 17, NULL, 10);
    }
    return -1;
}

int main(int argc, char **argv)
{
    static const char req[] =
        "GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n";
    long timeout_s = 60;
    int i = 1;
    if (argc > 2 && strcmp(argv[1], "-t") == 0) {
        timeout_s = atol(argv[2]);
        i = 3;
    }
    if (argc - i != 1) {
        fputs("usage: connping [-t TIMEOUT_S] SOCKET\n", stderr);
        return 2;
    }
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", argv[i]);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        perror("connping: socket");
        return 2;
    }

    t0 = now_ns();
    int64_t deadline = t0 + (int64_t)timeout_s * 1000000000LL;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        int e = errno;
        t_conn = now_ns();
        return finish(e == ECONNREFUSED ? "refused" : "connect_error", 0, errname(e));
    }
    t_conn = now_ns();
    if (send(fd, req, sizeof req - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof req - 1))
        return finish("connect_error", 0, errname(errno));

    char buf[8192];
    size_t len = 0;
    int status = 0;
    long clen = -1;
    size_t body_at = 0;
    for (;;) {
        int64_t left_ms = (deadline - now_ns()) / 1000000;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = left_ms > 0 ? poll(&p, 1, (int)(left_ms > 3600000 ? 3600000 : left_ms)) : 0;
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            return finish("timeout", status, "-");
        if (r < 0)
            return finish("read_error", status, errname(errno));
        ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
        int64_t t = now_ns();
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return finish("read_error", status, errname(errno));
        }
        if (n == 0) { /* EOF: the whole answer when it had no Content-Length */
            if (body_at && clen < 0) {
                t_full = t;
                break;
            }
            return finish("closed", status, "-");
        }
        if (t_first < 0)
            t_first = t;
        len += (size_t)n;
        buf[len] = '\0';
        if (!body_at) {
            char *e = strstr(buf, "\r\n\r\n");
            if (e) {
                body_at = (size_t)(e - buf) + 4;
                if (strncmp(buf, "HTTP/1.", 7) == 0 && len > 12)
                    status = atoi(buf + 9);
                *e = '\0';
                clen = content_length(buf);
                *e = '\r';
            }
        }
        if (body_at && clen >= 0 && len - body_at >= (size_t)clen) {
            t_full = t;
            break;
        }
        if (len >= sizeof buf - 1)
            return finish("read_error", status, "E2BIG");
    }
    close(fd);
    const char *body = buf + body_at;
    if (status == 200 && strncmp(body, "OK", 2) == 0)
        return finish("ok", status, "-");
    return finish("http", status, "-");
}
