#define _GNU_SOURCE
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int lz_quiet;

static void vmsg(const char *fmt, va_list ap)
{
    char buf[2048];
    int n = snprintf(buf, sizeof buf, "lazydind: ");
    int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof buf - 2)
        len = sizeof buf - 2;
    buf[len++] = '\n';
    (void)lz_write_all(2, buf, len);
}

void lz_notice(const char *fmt, ...)
{
    if (lz_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
}

void lz_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
}

void lz_die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
    exit(status);
}

/* write(2) or, for a socket, send(2) with MSG_NOSIGNAL, until done. */
static int put_all(int fd, const void *buf, size_t len, int sock)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = sock ? send(fd, p, len, MSG_NOSIGNAL) : write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int lz_send_all(int fd, const void *buf, size_t len)
{
    return put_all(fd, buf, len, 1);
}

int lz_write_all(int fd, const void *buf, size_t len)
{
    return put_all(fd, buf, len, 0);
}

ssize_t lz_read_all(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap == 0)
        return -1;
    while (len < cap - 1) {
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    return (ssize_t)len;
}

ssize_t lz_read_file_at(int dirfd, const char *path, char *buf, size_t cap)
{
    int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
    if (fd < 0)
        return -1;
    ssize_t n = lz_read_all(fd, buf, cap);
    int saved = errno;
    close(fd);
    errno = saved;
    return n;
}

int64_t lz_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t lz_wall_s(void)
{
    return (int64_t)time(NULL);
}

unsigned lz_euid(void)
{
    static int euid = -1;
    if (euid < 0)
        euid = (int)geteuid();
    return (unsigned)euid;
}

int lz_path_join(char *out, size_t cap, const char *dir, const char *name)
{
    size_t nd = strlen(dir), nn = strlen(name);
    if (nd + 1 + nn >= cap)
        return -1;
    memcpy(out, dir, nd);
    out[nd] = '/';
    memcpy(out + nd + 1, name, nn + 1);
    return 0;
}

int lz_strlcpy(char *dst, const char *src, size_t cap)
{
    size_t n = strlen(src);
    if (n >= cap)
        return -1;
    memcpy(dst, src, n + 1);
    return 0;
}

int lz_pid_is(pid_t pid, const char *comm)
{
    char path[64], buf[64];
    if (pid <= 0)
        return 0;
    snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
    ssize_t n = lz_read_file_at(AT_FDCWD, path, buf, sizeof buf);
    if (n <= 0)
        return 0;
    if (buf[n - 1] == '\n')
        buf[n - 1] = '\0';
    if (strcmp(buf, comm) != 0)
        return 0;
    /* A zombie still has a comm; it is not alive for our purposes. */
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char st[512];
    n = lz_read_file_at(AT_FDCWD, path, st, sizeof st);
    if (n <= 0)
        return 0;
    char *rp = strrchr(st, ')');
    if (rp && rp[1] == ' ' && (rp[2] == 'Z' || rp[2] == 'X'))
        return 0;
    return 1;
}

int lz_supervisor_signals(void)
{
    static const int sigs[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1};
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaddset(&set, sigs[i]);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    return signalfd(-1, &set, SFD_CLOEXEC);
}

void lz_reset_signals(void)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; s++)
        (void)sigaction(s, &sa, NULL);
}

int lz_stat_starttime(const char *stat_text, unsigned long long *ticks)
{
    const char *p = strrchr(stat_text, ')');
    if (!p)
        return -1;
    p++;
    /* fields 3 (state) .. 21 precede starttime */
    for (int field = 3; field <= 22; field++) {
        while (*p == ' ')
            p++;
        if (!*p)
            return -1;
        if (field == 22) {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(p, &end, 10);
            if (errno || end == p || (*end && *end != ' ' && *end != '\n'))
                return -1;
            *ticks = v;
            return 0;
        }
        p += strcspn(p, " ");
    }
    return -1;
}

int64_t lz_pid_age_s(pid_t pid)
{
    char path[64], st[1024], up[64];
    unsigned long long ticks;
    if (pid <= 0)
        return -1;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (lz_read_file_at(AT_FDCWD, path, st, sizeof st) <= 0 ||
        lz_stat_starttime(st, &ticks) != 0 ||
        lz_read_file_at(AT_FDCWD, "/proc/uptime", up, sizeof up) <= 0)
        return -1;
    long hz = sysconf(_SC_CLK_TCK);
    double uptime = strtod(up, NULL);
    if (hz <= 0 || uptime <= 0)
        return -1;
    double age = uptime - (double)ticks / (double)hz;
    return age < 0 ? 0 : (int64_t)age;
}
