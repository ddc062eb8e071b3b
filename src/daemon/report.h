/* The supervisor's one-line report to whoever started it (`ok PID` or
 * `err MESSAGE`), on the pipe given with --report-fd. */
#ifndef LAZYDIND_REPORT_H
#define LAZYDIND_REPORT_H

/* Writes the line (newline added, at most 1198 bytes kept) to *fd, closes
 * it and sets *fd to -1: only the first report is seen. Nothing when *fd is
 * -1. */
void lz_report(int *fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
