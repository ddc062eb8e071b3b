/* Small helpers shared by every part of lazydind: messages, I/O, time. */
#ifndef LAZYDIND_UTIL_H
#define LAZYDIND_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define LZ_VERSION "0.1.0"

/* The longest path lazydind handles (the runtime dir, the socket, the
 * data-root, ...). */
#define LZ_PATH_MAX 1024

/* Exit status for bad input (env values, config files): nothing was started. */
#define LZ_EXIT_USAGE 2

/* When set, notices (not errors) are suppressed. */
extern int lz_quiet;

/* One line on stderr, prefixed "lazydind: ". notice() obeys lz_quiet. */
void lz_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lz_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* lz_error() then exit(status). */
void lz_die(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

/* send(2) with MSG_NOSIGNAL until done: a peer that hung up gives -1/EPIPE,
 * never SIGPIPE. For sockets. Returns 0 or -1. */
int lz_send_all(int fd, const void *buf, size_t len);
/* write(2) until done; retries EINTR. Returns 0 or -1. */
int lz_write_all(int fd, const void *buf, size_t len);
/* Reads at most cap-1 bytes of fd into buf, NUL-terminates. Returns length or -1. */
ssize_t lz_read_all(int fd, char *buf, size_t cap);
/* Reads a small file (relative to dirfd, or absolute with AT_FDCWD), refusing
 * symlinks in the last component. Returns length or -1. */
ssize_t lz_read_file_at(int dirfd, const char *path, char *buf, size_t cap);

/* Milliseconds on the monotonic clock. */
int64_t lz_now_ms(void);
/* Seconds since the epoch. */
int64_t lz_wall_s(void);

/* geteuid(), asked once: lazydind never changes its ids, and the warm
 * path asks in two places. */
unsigned lz_euid(void);

/* dir + "/" + name into out (cap bytes): 0, or -1 when it does not fit (out
 * untouched). No printf: the warm path joins its paths with it. */
int lz_path_join(char *out, size_t cap, const char *dir, const char *name);

/* Copies src into dst of size cap; returns -1 when it does not fit. */
int lz_strlcpy(char *dst, const char *src, size_t cap);

/* 1 when pid is alive and its /proc/PID/comm equals comm. */
int lz_pid_is(pid_t pid, const char *comm);
/* The start time of a process in clock ticks after boot: field 22 of a
 * /proc/PID/stat text (the command name may hold spaces and parentheses).
 * 0 on success. */
int lz_stat_starttime(const char *stat_text, unsigned long long *ticks);
/* How long pid has been running, in seconds (from the kernel, whoever
 * started it); -1 when it cannot be told. */
int64_t lz_pid_age_s(pid_t pid);

/* A supervisor's signals: SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT and
 * SIGUSR1 blocked and read from the returned signalfd (O_CLOEXEC); SIGPIPE
 * ignored. Children must lz_reset_signals() before exec. */
int lz_supervisor_signals(void);

/* Resets signal mask and dispositions to defaults; for a child before exec. */
void lz_reset_signals(void);

#endif
