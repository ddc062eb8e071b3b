/* The report pipe to the supervisor's starter. */
#define _GNU_SOURCE
#include "daemon/report.h"
#include "base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

void lz_report(int *fd, const char *fmt, ...)
{
    char buf[1200];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0 || *fd < 0)
        return;
    if ((size_t)n > sizeof buf - 2)
        n = (int)sizeof buf - 2;
    buf[n++] = '\n';
    (void)lz_write_all(*fd, buf, (size_t)n);
    close(*fd);
    *fd = -1;
}
