/* Why dockerd could not start: the most telling line of its output. */
#define _GNU_SOURCE
#include "daemon/reason.h"
#include "base/cleanup.h"
#include "base/util.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The level of a logrus line (time="..." level=X ...), or "" */
static void logrus_level(const char *line, size_t n, char *lvl, size_t cap)
{
    lvl[0] = '\0';
    if (n < 7 || strncmp(line, "time=\"", 6) != 0)
        return;
    const char *q = memchr(line + 6, '"', n - 6);
    if (!q || (size_t)(q - line) + 8 > n || strncmp(q, "\" level=", 8) != 0)
        return;
    const char *v = q + 8, *end = line + n;
    size_t o = 0;
    while (v < end && *v != ' ' && o + 1 < cap)
        lvl[o++] = *v++;
    lvl[o] = '\0';
}

/* Copies the msg="..." value of a logrus line, unescaping \" and \\. */
static void logrus_msg(const char *line, size_t n, char *out, size_t outlen)
{
    const char *m = memmem(line, n, "msg=\"", 5);
    size_t o = 0;
    if (!m) {
        o = n < outlen - 1 ? n : outlen - 1;
        memcpy(out, line, o);
        out[o] = '\0';
        return;
    }
    const char *p = m + 5, *end = line + n;
    while (p < end && *p != '"' && o + 1 < outlen) {
        if (*p == '\\' && p + 1 < end) {
            p++;
            /* \n and \t become a space: the reason is one line */
            out[o++] = (*p == 'n' || *p == 't' || *p == 'r') ? ' ' : *p;
            p++;
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
}

void lz_pick_reason(const char *text, size_t len, char *out, size_t outlen)
{
    const char *plain = NULL, *fatal = NULL, *error = NULL;
    size_t plain_n = 0, fatal_n = 0, error_n = 0;
    const char *p = text, *end = text + len;
    if (outlen == 0)
        return;
    out[0] = '\0';
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' '))
            n--;
        if (n > 0) {
            /* bounded by the line: text need not be NUL-terminated */
            if (!(n >= 6 && memcmp(p, "time=\"", 6) == 0) &&
                !(n >= 16 && memcmp(p, "lazydind: [info]", 16) == 0)) {
                plain = p;
                plain_n = n;
            } else {
                char lvl[16];
                logrus_level(p, n, lvl, sizeof lvl);
                if (strcmp(lvl, "fatal") == 0 || strcmp(lvl, "panic") == 0) {
                    fatal = p;
                    fatal_n = n;
                } else if (strcmp(lvl, "error") == 0) {
                    error = p;
                    error_n = n;
                }
            }
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    if (plain)
        logrus_msg(plain, plain_n, out, outlen);
    else if (fatal)
        logrus_msg(fatal, fatal_n, out, outlen);
    else if (error)
        logrus_msg(error, error_n, out, outlen);
}

void lz_log_reason(const char *log_path, int64_t offset, char *out,
                   size_t outlen)
{
    enum { WINDOW = 64 * 1024 };
    out[0] = '\0';
    /* the reason goes to every client: never through a symlink */
    LZ_AUTOFD fd = open(log_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
    if (fd < 0)
        return;
    struct stat st;
    if (fstat(fd, &st) == 0) {
        /* the log may have been truncated by a rotation since */
        if (offset > st.st_size)
            offset = 0;
        if (st.st_size - offset > WINDOW)
            offset = st.st_size - WINDOW;
        LZ_AUTOFREE char *buf = malloc(WINDOW + 1);
        if (buf && lseek(fd, offset, SEEK_SET) >= 0) {
            ssize_t n = lz_read_all(fd, buf, WINDOW + 1);
            if (n > 0)
                lz_pick_reason(buf, (size_t)n, out, outlen);
        }
    }
}
