/* pingwait: the cold-start limit. Spawns dockerd by hand and polls /_ping on
 * its socket every millisecond until it answers OK; optionally then runs one
 * command (e.g. the real `docker version`) and times that too.
 *
 *   pingwait [-i INTERVAL_US] [-t TIMEOUT_S] [-l LOG] SOCKET /ABS/DOCKERD [ARG ...]
 *            [-- /ABS/CMD [ARG ...]]
 *
 * dockerd gets stdin /dev/null and stdout+stderr appended to LOG (default
 * /var/log/pingwait-dockerd.log), its own session, and is left running.
 * Prints one line (ns on CLOCK_MONOTONIC):
 *   ok SPAWN_NS READY_NS READY_DURATION_NS ATTEMPTS [CMD_END_NS CMD_DURATION_NS CMD_STATUS]
 * or, when dockerd exits first or the timeout passes,
 *   exited|timeout SPAWN_NS END_NS DURATION_NS ATTEMPTS STATUS
 * READY_DURATION_NS is spawn to the first OK; CMD_DURATION_NS is spawn to the
 * command's return. Exit status 0 only for ok. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* 1 when GET /_ping on path answers 200 with body OK. */
static int ping(const char *path)
{
    static const char req[] =
        "GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n";
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    int ok = 0;
    char buf[4096];
    size_t len = 0;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        write(fd, req, sizeof req - 1) != (ssize_t)(sizeof req - 1))
        goto out;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 2000) <= 0)
            goto out;
        ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = '\0';
        char *body = strstr(buf, "\r\n\r\n");
        if (body && strncmp(buf + 9, "200", 3) == 0 && strcmp(body + 4, "OK") == 0) {
            ok = 1;
            break;
        }
        if (len >= sizeof buf - 1)
            break;
    }
out:
    close(fd);
    return ok;
}

static int decode(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 255;
}

static void usage(void)
{
    fputs("usage: pingwait [-i US] [-t S] [-l LOG] SOCKET /ABS/DOCKERD [ARG ...] "
          "[-- /ABS/CMD [ARG ...]]\n", stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    long interval_us = 1000, timeout_s = 60;
    const char *log = "/var/log/pingwait-dockerd.log";
    int i = 1;
    while (i + 1 < argc && argv[i][0] == '-' && argv[i][1] && !argv[i][2]) {
        switch (argv[i][1]) {
        case 'i': interval_us = atol(argv[i + 1]); break;
        case 't': timeout_s = atol(argv[i + 1]); break;
        case 'l': log = argv[i + 1]; break;
        default: usage();
        }
        i += 2;
    }
    if (argc - i < 2 || argv[i + 1][0] != '/')
        usage();
    const char *sock = argv[i++];
    char **dargv = argv + i;
    char **cargv = NULL;
    for (int k = i; k < argc; k++) {
        if (strcmp(argv[k], "--") == 0) {
            argv[k] = NULL;
            cargv = argv + k + 1;
            if (!cargv[0] || cargv[0][0] != '/')
                usage();
            break;
        }
    }

    int64_t t0 = now_ns();
    pid_t d = fork();
    if (d < 0) {
        perror("pingwait: fork");
        return 1;
    }
    if (d == 0) {
        int nul = open("/dev/null", O_RDONLY);
        int lf = open(log, O_WRONLY | O_APPEND | O_CREAT, 0640);
        if (nul < 0 || lf < 0)
            _exit(126);
        dup2(nul, 0);
        dup2(lf, 1);
        dup2(lf, 2);
        close(nul);
        close(lf);
        setsid();
        execv(dargv[0], dargv);
        _exit(127);
    }
    struct timespec iv = {interval_us / 1000000, (interval_us % 1000000) * 1000};
    int64_t deadline = t0 + (int64_t)timeout_s * 1000000000LL;
    long attempts = 0;
    for (;;) {
        attempts++;
        if (ping(sock))
            break;
        int status;
        if (waitpid(d, &status, WNOHANG) == d) {
            int64_t t = now_ns();
            printf("exited %lld %lld %lld %ld %d\n", (long long)t0, (long long)t,
                   (long long)(t - t0), attempts, decode(status));
            return 1;
        }
        if (now_ns() > deadline) {
            int64_t t = now_ns();
            printf("timeout %lld %lld %lld %ld 0\n", (long long)t0, (long long)t,
                   (long long)(t - t0), attempts);
            return 1;
        }
        nanosleep(&iv, NULL);
    }
    int64_t t1 = now_ns();
    if (!cargv) {
        printf("ok %lld %lld %lld %ld\n", (long long)t0, (long long)t1,
               (long long)(t1 - t0), attempts);
        return 0;
    }
    pid_t c = fork();
    if (c == 0) {
        int nul = open("/dev/null", O_RDWR);
        dup2(nul, 0);
        dup2(nul, 1);
        dup2(nul, 2);
        execv(cargv[0], cargv);
        _exit(127);
    }
    int status = 0;
    while (c > 0 && waitpid(c, &status, 0) < 0 && errno == EINTR)
        ;
    int64_t t2 = now_ns();
    printf("ok %lld %lld %lld %ld %lld %lld %d\n", (long long)t0, (long long)t1,
           (long long)(t1 - t0), attempts, (long long)t2, (long long)(t2 - t0),
           c > 0 ? decode(status) : 255);
    return 0;
}
