/* pingn: N `GET /_ping` requests, each on a fresh connection (as the docker
 * CLI makes one per command), timed one by one.
 *
 *   pingn N SOCKET [SOCKET...]
 *
 * Prints "median_us p90_us min_us" of the N round trips (connect to the
 * last byte of the answer), one line per socket; with several sockets the
 * requests go to each in turn (interleaved). Exit status 1 when one fails. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* One request; 0 when the answer is 200 with body OK. */
static int ping(const struct sockaddr_un *a)
{
    static const char req[] = "GET /_ping HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n";
    char buf[4096];
    size_t got = 0;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (const struct sockaddr *)a, sizeof *a) != 0 ||
        write(fd, req, sizeof req - 1) != (ssize_t)(sizeof req - 1)) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    for (;;) {
        ssize_t n = read(fd, buf + got, sizeof buf - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
        buf[got] = '\0';
        /* the body "OK" after the headers ends the answer */
        char *body = strstr(buf, "\r\n\r\n");
        if (body && strcmp(body + 4, "OK") == 0)
            break;
    }
    close(fd);
    buf[got] = '\0';
    return strncmp(buf, "HTTP/1.1 200", 12) == 0 && strstr(buf, "\r\n\r\nOK") ? 0 : -1;
}

#define MAXS 8

int main(int argc, char **argv)
{
    struct sockaddr_un a[MAXS];
    int n = argc >= 3 ? atoi(argv[1]) : 0, ns = argc - 2;
    if (n <= 0 || ns > MAXS) {
        fprintf(stderr, "usage: pingn N SOCKET [SOCKET...]\n");
        return 2;
    }
    int64_t *t[MAXS];
    for (int s = 0; s < ns; s++) {
        memset(&a[s], 0, sizeof a[s]);
        a[s].sun_family = AF_UNIX;
        if (strlen(argv[2 + s]) >= sizeof a[s].sun_path) {
            fprintf(stderr, "pingn: socket path too long: %s\n", argv[2 + s]);
            return 2;
        }
        strcpy(a[s].sun_path, argv[2 + s]);
        if (!(t[s] = calloc((size_t)n, sizeof *t[s])))
            return 1;
    }
    /* request i goes to every socket in turn, the first one rotating, so
     * that the machine's load hits them alike */
    for (int i = 0; i < n; i++)
        for (int k = 0; k < ns; k++) {
            int s = (i + k) % ns;
            int64_t t0 = now_ns();
            if (ping(&a[s]) != 0) {
                fprintf(stderr, "pingn: request %d on %s failed\n", i, argv[2 + s]);
                return 1;
            }
            t[s][i] = now_ns() - t0;
        }
    for (int s = 0; s < ns; s++) {
        qsort(t[s], (size_t)n, sizeof *t[s], cmp);
        printf("%.1f %.1f %.1f\n", t[s][n / 2] / 1e3, t[s][n * 9 / 10] / 1e3, t[s][0] / 1e3);
        free(t[s]);
    }
    return 0;
}
