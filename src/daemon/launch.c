/* Launching the supervisor and reading its report. */
#define _GNU_SOURCE
#include "daemon/launch.h"
#include "base/cleanup.h"
#include "base/readfor.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The real path of our binary, for exec'ing the supervisor. */
static void self_path(char *out, size_t outlen)
{
    ssize_t n = readlink("/proc/self/exe", out, outlen - 1);
    if (n <= 0 || (size_t)n >= outlen - 1) {
        lz_strlcpy(out, "/proc/self/exe", outlen);
        return;
    }
    out[n] = '\0';
    if (n > 10 && strcmp(out + n - 10, " (deleted)") == 0)
        lz_strlcpy(out, "/proc/self/exe", outlen);
}

/* In the supervisor-to-be (the grandchild): stdio to /dev/null so that a
 * caller's `$(docker ps)` never waits on us, the report pipe on fd 3. */
static void __attribute__((noreturn)) exec_supervisor(const char *exe, int report)
{
    int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (report == 3) {
        fcntl(3, F_SETFD, 0);
    } else {
        if (dup2(report, 3) < 0)
            _exit(126);
    }
    if (nul < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0 || dup2(nul, 2) < 0)
        _exit(126);
    lz_reset_signals();
    char *argv[] = {"lazydind", "supervise", "--report-fd", "3", NULL};
    execv(exe, argv);
    _exit(127);
}

/* Double-forks the supervisor into its own session. Returns the read end of
 * its report pipe, or -1 with errno. */
static int spawn_supervisor(void)
{
    char exe[LZ_PATH_MAX];
    int p[2];
    self_path(exe, sizeof exe);
    if (pipe2(p, O_CLOEXEC) != 0)
        return -1;
    LZ_AUTOFD rd = p[0];
    LZ_AUTOFD wr = p[1];
    pid_t a = fork();
    if (a < 0)
        return -1;
    if (a == 0) {
        setsid();
        pid_t b = fork();
        if (b != 0)
            _exit(b < 0 ? 1 : 0);
        exec_supervisor(exe, wr);
    }
    int status;
    while (waitpid(a, &status, 0) < 0 && errno == EINTR)
        ;
    return lz_steal_fd(&rd);
}

/* Reads the supervisor's one-line report, bounded by deadline. */
static int read_report(int fd, int64_t deadline, char *line, size_t cap)
{
    size_t len;
    enum lz_read_end end = lz_read_for(fd, line, cap, deadline, LZ_READ_LINE, &len);
    char *nl = strchr(line, '\n');
    if (nl)
        *nl = '\0';
    return end != LZ_READ_DEADLINE && end != LZ_READ_ERROR && len > 0 ? 0 : -1;
}

enum lz_launch lz_report_parse(const char *line, int *pid, char *msg, size_t msglen)
{
    *pid = 0;
    if (msglen)
        msg[0] = '\0';
    if (!line[0])
        return LZ_LAUNCH_SILENT;
    if (strncmp(line, "err ", 4) == 0) {
        if (msglen)
            snprintf(msg, msglen, "%s", line + 4);
        return LZ_LAUNCH_REFUSED;
    }
    if (strncmp(line, "ok ", 3) == 0) {
        char *end;
        long v = strtol(line + 3, &end, 10);
        if (end != line + 3 && *end == '\0' && v > 0 && v < (1L << 22))
            *pid = (int)v;
    }
    return LZ_LAUNCH_OK;
}

enum lz_launch lz_launch_supervisor(int64_t deadline_ms, int *pid, char *msg,
                                    size_t msglen)
{
    char line[1200];
    *pid = 0;
    if (msglen)
        msg[0] = '\0';
    LZ_AUTOFD rep = spawn_supervisor();
    if (rep < 0)
        return LZ_LAUNCH_NOSPAWN;
    if (read_report(rep, deadline_ms, line, sizeof line) != 0)
        return LZ_LAUNCH_SILENT;
    return lz_report_parse(line, pid, msg, msglen);
}
