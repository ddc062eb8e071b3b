/* Which of lazydind's processes live: the supervisor and its dockerd, found
 * through the state, and when the state is gone, through /proc. */
#ifndef LAZYDIND_LIVEPIDS_H
#define LAZYDIND_LIVEPIDS_H

#include "config/config.h"

/* The pid of our supervisor / dockerd from the state, when alive; else 0.
 * A dockerd whose supervisor was killed is found through its pid file. In
 * rootless mode "dockerd" is rootlesskit, which runs it (and stops it on
 * SIGTERM). dirfd may be -1 (the runtime dir is not readable). Returns 0. */
int lz_live_pids(const struct lz_config *cfg, int dirfd, int *sup, int *dockerd);

/* 1 when a /proc/PID/cmdline text (n bytes, NUL-separated words, followed
 * by a NUL as lz_read_file_at leaves it) is `lazydind supervise ...` (any
 * path to the binary). */
int lz_cmdline_is_supervisor(const char *cmdline, size_t n);

#endif
