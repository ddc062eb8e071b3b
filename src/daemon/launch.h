/* Launching the supervisor: `lazydind supervise --report-fd 3` in a session
 * of its own, detached from the caller's terminal and stdio, and its
 * one-line report ("ok PID" once it listens, or "err MESSAGE"). */
#ifndef LAZYDIND_LAUNCH_H
#define LAZYDIND_LAUNCH_H

#include <stddef.h>
#include <stdint.h>

enum lz_launch {
    LZ_LAUNCH_OK,       /* it listens; the report was "ok PID" */
    LZ_LAUNCH_REFUSED,  /* it reported "err MESSAGE" (nothing listens) */
    LZ_LAUNCH_SILENT,   /* no report before the deadline, or it died first */
    LZ_LAUNCH_NOSPAWN,  /* it could not be forked (errno) */
};

/* Starts the supervisor and reads its report until deadline_ms (monotonic).
 * msg gets the MESSAGE of an "err" report; *pid the supervisor's pid of an
 * "ok" one (0 when the report does not say). */
enum lz_launch lz_launch_supervisor(int64_t deadline_ms, int *pid, char *msg,
                                    size_t msglen);

/* Parses a report line: LZ_LAUNCH_OK with *pid (0 when the line carries
 * none), LZ_LAUNCH_REFUSED with the message in msg, LZ_LAUNCH_SILENT for an
 * empty line. A line that is neither counts as "ok" (a supervisor that
 * listens says so first), as it always did. */
enum lz_launch lz_report_parse(const char *line, int *pid, char *msg, size_t msglen);

#endif
