/* The supervisor's log file: opening it safely, its own lines, rotation. */
#define _GNU_SOURCE
#include "daemon/logfile.h"
#include "base/cleanup.h"
#include "base/safepath.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Makes every parent directory of path (mode 0750; existing ones stay). */
static void make_parents(const char *path)
{
    char dir[LZ_PATH_MAX];
    lz_strlcpy(dir, path, sizeof dir);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        (void)mkdir(dir, 0750);
        *p = '/';
    }
}

int lz_log_open(const struct lz_config *cfg, char *err, size_t errlen)
{
    char why[1024];
    if (lz_path_trusted(cfg->log_path, why, sizeof why) != 0) {
        snprintf(err, errlen, "will not write the log %s: %s; set LAZYDIND_LOG",
                 cfg->log_path, why);
        return -1;
    }
    make_parents(cfg->log_path);
    LZ_AUTOFD fd = open(cfg->log_path,
                        O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
                        0640);
    struct stat st;
    if (fd < 0) {
        snprintf(err, errlen, "cannot open the log %s: %s; set LAZYDIND_LOG",
                 cfg->log_path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
        (st.st_uid != 0 && st.st_uid != geteuid())) {
        snprintf(err, errlen,
                 "will not write the log %s: it is not a regular file of ours "
                 "with a single name; remove it or set LAZYDIND_LOG",
                 cfg->log_path);
        return -1;
    }
    return lz_steal_fd(&fd);
}

void lz_log_line(int logfd, const char *fmt, ...)
{
    char buf[1200];
    va_list ap;
    if (logfd < 0)
        return;
    int n = snprintf(buf, sizeof buf, "lazydind: [info] ");
    va_start(ap, fmt);
    int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m > 0 ? (size_t)m : 0);
    if (len > sizeof buf - 2)
        len = sizeof buf - 2;
    buf[len++] = '\n';
    (void)lz_write_all(logfd, buf, len);
}

/* Copies path to old through old.tmp (renamed when complete). */
static void copy_aside(const char *path, const char *old, const char *tmp)
{
    LZ_AUTOFD in = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    (void)unlink(tmp);
    LZ_AUTOFD out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (in < 0 || out < 0)
        return;
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (lz_write_all(out, buf, (size_t)n) != 0)
            break;
    if (rename(tmp, old) != 0)
        (void)unlink(tmp);
}

void lz_log_cap(int logfd, const char *path, int64_t max, int64_t *offset)
{
    struct stat st;
    if (logfd < 0 || fstat(logfd, &st) != 0 || st.st_size <= max)
        return;
    char old[LZ_PATH_MAX + 8], tmp[LZ_PATH_MAX + 16];
    snprintf(old, sizeof old, "%s.1", path);
    snprintf(tmp, sizeof tmp, "%s.1.tmp", path);
    copy_aside(path, old, tmp);
    if (ftruncate(logfd, 0) == 0)
        *offset = 0;
    lz_log_line(logfd, "log rotated at %lld bytes to %s", (long long)st.st_size, old);
}
