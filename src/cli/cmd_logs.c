/* `lazydind logs [-f] [-n N]`: dockerd's log (what the supervisor wrote). */
#define _GNU_SOURCE
#include "cli/cmdutil.h"
#include "cli/commands.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where the last nlines lines of fd start (0 for all when nlines < 0): walks
 * back over nlines newlines; a final newline ends the last line and does
 * not count. -1 on a read error. */
static off_t tail_start(int fd, off_t size, long nlines)
{
    char buf[8192];
    if (nlines < 0 || size == 0)
        return 0;
    off_t pos = size;
    long seen = 0;
    while (pos > 0) {
        size_t chunk = pos > (off_t)sizeof buf ? sizeof buf : (size_t)pos;
        pos -= (off_t)chunk;
        if (pread(fd, buf, chunk, pos) != (ssize_t)chunk)
            return -1;
        for (size_t i = chunk; i-- > 0;) {
            if (buf[i] != '\n' || pos + (off_t)i == size - 1)
                continue;
            if (++seen == nlines)
                return pos + (off_t)i + 1;
        }
    }
    return nlines == 0 ? size : 0;
}

/* Prints the last nlines lines of fd (all when nlines < 0). */
static void print_tail(int fd, long nlines)
{
    struct stat st;
    char buf[8192];
    if (fstat(fd, &st) != 0)
        return;
    off_t start = tail_start(fd, st.st_size, nlines);
    if (start < 0)
        return;
    while (start < st.st_size) {
        ssize_t n = pread(fd, buf, sizeof buf, start);
        if (n <= 0)
            break;
        fwrite(buf, 1, (size_t)n, stdout);
        start += n;
    }
    fflush(stdout);
}

/* -f: prints what is appended, every 200 ms, for ever; a log that appears
 * later is opened then, one that is truncated (rotated) is read from its
 * start. Returns 1 when stdout is gone. */
static int follow(const char *path, int fd, off_t pos)
{
    for (;;) {
        usleep(200000);
        if (fd < 0) {
            fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
            pos = 0;
            continue;
        }
        struct stat st;
        if (fstat(fd, &st) != 0)
            break;
        if (st.st_size < pos)
            pos = 0;
        char buf[8192];
        ssize_t r;
        while ((r = pread(fd, buf, sizeof buf, pos)) > 0) {
            if (fwrite(buf, 1, (size_t)r, stdout) != (size_t)r) {
                close(fd);
                return 1;
            }
            pos += r;
        }
        fflush(stdout);
    }
    close(fd);
    return 0;
}

int lz_cmd_logs(int argc, char **argv)
{
    struct lz_config cfg;
    int follow_it = 0;
    long n = -1;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-f") == 0 || strcmp(a, "--follow") == 0) {
            follow_it = 1;
        } else if ((strcmp(a, "-n") == 0 || strcmp(a, "--tail") == 0) && i + 1 < argc) {
            char *end;
            n = strtol(argv[++i], &end, 10);
            if (*end || n < 0)
                lz_die(LZ_EXIT_USAGE, "-n '%s' is not a number of lines", argv[i]);
        } else {
            lz_cmd_unexpected("lazydind logs [-f] [-n N]", a);
        }
    }
    lz_cmd_settings_or_die(&cfg, 0);
    int fd = open(cfg.log_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT && !follow_it)
            return 0;
        if (errno != ENOENT)
            lz_die(1, "cannot read %s: %s", cfg.log_path, strerror(errno));
    }
    off_t pos = 0;
    if (fd >= 0) {
        if (n != 0)
            print_tail(fd, n);
        pos = lseek(fd, 0, SEEK_END);
    }
    if (follow_it)
        return follow(cfg.log_path, fd, pos);
    if (fd >= 0)
        close(fd);
    return 0;
}
