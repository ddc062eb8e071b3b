/* procwatch: when did a process named NAME appear, and when did it exit?
 *
 *   procwatch [-t TIMEOUT_S] [-a] NAME
 *
 * Scans /proc every millisecond until a process whose comm is NAME shows up,
 * then waits for its exit on a pidfd (readable the moment it becomes a
 * zombie, before its parent reaps it). Prints (ns on CLOCK_MONOTONIC)
 *   PID APPEARED_NS EXITED_NS
 * or, with -a, "PID APPEARED_NS" as soon as it appears, without waiting for
 * the exit; or "timeout" (exit 1) when a wait exceeds TIMEOUT_S (default 60).
 * The comm of a process is the name of the program it last exec'd, so the
 * appearance is within 1 ms of the execve of NAME. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int find(const char *name)
{
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d))) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        char p[300], comm[64];
        snprintf(p, sizeof p, "/proc/%s/comm", e->d_name);
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t n = read(fd, comm, sizeof comm - 1);
        close(fd);
        if (n <= 0)
            continue;
        comm[n] = '\0';
        if (comm[n - 1] == '\n')
            comm[n - 1] = '\0';
        if (strcmp(comm, name) == 0)
            found = atoi(e->d_name);
    }
    closedir(d);
    return found;
}

int main(int argc, char **argv)
{
    long timeout_s = 60;
    int i = 1, appear_only = 0;
    for (;;) {
        if (i + 2 < argc && strcmp(argv[i], "-t") == 0) {
            timeout_s = atol(argv[i + 1]);
            i += 2;
        } else if (i + 1 < argc && strcmp(argv[i], "-a") == 0) {
            appear_only = 1;
            i++;
        } else {
            break;
        }
    }
    if (argc - i != 1) {
        fputs("usage: procwatch [-t TIMEOUT_S] [-a] NAME\n", stderr);
        return 2;
    }
    const char *name = argv[i];
    int64_t deadline = now_ns() + (int64_t)timeout_s * 1000000000LL;
    struct timespec ms = {0, 1000000};
    int pid;
    while (!(pid = find(name))) {
        if (now_ns() > deadline) {
            puts("timeout");
            return 1;
        }
        nanosleep(&ms, NULL);
    }
    int64_t seen = now_ns();
    if (appear_only) {
        printf("%d %lld\n", pid, (long long)seen);
        return 0;
    }
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pfd < 0) {
        /* gone already */
        printf("%d %lld %lld\n", pid, (long long)seen, (long long)now_ns());
        return 0;
    }
    struct pollfd p = {.fd = pfd, .events = POLLIN};
    int64_t left_ms = (deadline - now_ns()) / 1000000;
    if (left_ms < 1 || poll(&p, 1, (int)left_ms) <= 0) {
        puts("timeout");
        return 1;
    }
    printf("%d %lld %lld\n", pid, (long long)seen, (long long)now_ns());
    return 0;
}
