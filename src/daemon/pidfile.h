/* Pid files that dockerd and containerd leave behind. A pid file survives a
 * pod's container restart or a kill -9, and its pid may by then belong to
 * another process: dockerd then takes the stale containerd.pid for a live
 * containerd and waits its 15 s timeout. What the pid runs is the test, not
 * whether it is alive. */
#ifndef LAZYDIND_PIDFILE_H
#define LAZYDIND_PIDFILE_H

#include <stddef.h>

/* containerd's pid file under dockerd's default exec-root. */
#define LZ_CONTAINERD_PIDFILE "/var/run/docker/containerd/containerd.pid"

/* 1 when the target of a /proc/PID/exe link (readlink's text, possibly
 * ending in " (deleted)" after a package upgrade) is a program named name. */
int lz_exe_is(const char *exe_target, const char *name);

/* Removes pidfile when the pid in it is not a live process running the
 * program named name (stale, reused or malformed). Returns 1 when it
 * removed it (with what it found in why), 0 when the file is absent or
 * names that program, -1 when it could not be removed. */
int lz_pidfile_clear_stale(const char *pidfile, const char *name, char *why,
                           size_t whylen);

#endif
