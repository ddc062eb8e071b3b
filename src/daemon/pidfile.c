/* Pid files left behind by dockerd and containerd: judged by what the pid
 * runs (/proc/PID/exe), never by liveness alone. */
#define _GNU_SOURCE
#include "daemon/pidfile.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int lz_exe_is(const char *exe_target, const char *name)
{
    static const char deleted[] = " (deleted)";
    const char *base = strrchr(exe_target, '/');
    base = base ? base + 1 : exe_target;
    size_t n = strlen(base), dl = sizeof deleted - 1;
    if (n > dl && strcmp(base + n - dl, deleted) == 0)
        n -= dl;
    return n == strlen(name) && strncmp(base, name, n) == 0;
}

/* The pid in a pid file's text ("1234\n"), or 0 when malformed. */
static int pid_of(const char *text)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    while (*end == '\n' || *end == ' ')
        end++;
    return errno || end == text || *end || v <= 0 || v > 4194304 ? 0 : (int)v;
}

int lz_pidfile_clear_stale(const char *pidfile, const char *name, char *why,
                           size_t whylen)
{
    char text[32], link[64], exe[4096];
    ssize_t n = lz_read_file_at(AT_FDCWD, pidfile, text, sizeof text);
    if (n < 0)
        return 0;
    int pid = pid_of(text);
    if (pid > 0) {
        snprintf(link, sizeof link, "/proc/%d/exe", pid);
        ssize_t e = readlink(link, exe, sizeof exe - 1);
        if (e > 0) {
            exe[e] = '\0';
            if (lz_exe_is(exe, name))
                return 0;
            snprintf(why, whylen, "pid %d in %s runs %s, not %s", pid, pidfile, exe, name);
        } else {
            snprintf(why, whylen, "pid %d in %s is not running", pid, pidfile);
        }
    } else {
        snprintf(why, whylen, "%s holds no pid", pidfile);
    }
    return unlink(pidfile) == 0 || errno == ENOENT ? 1 : -1;
}
