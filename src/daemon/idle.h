/* Opt-in idle shutdown (LAZYDIND_IDLE_TIMEOUT): dockerd is stopped when no
 * container runs and no API connection is open for that long; the next
 * connection starts it again. */
#ifndef LAZYDIND_IDLE_H
#define LAZYDIND_IDLE_H

#include <stdint.h>

/* How often to look, for a timeout of timeout_ms: a quarter of it, between
 * 250 ms and 10 s. Pure. */
int64_t lz_idle_every(int64_t timeout_ms);

/* 1 when the daemon at socket_path is in use: a connection to it is open
 * (accepted sockets bound to its path in /proc/net/unix) or a container
 * runs; a daemon that does not answer counts as busy. 0 when idle. */
int lz_idle_busy(const char *socket_path);

/* The same with the connections counted in the /proc/.../net/unix file
 * net_unix among the sockets bound to bound_path (rootless: the inner
 * socket, where dockerd bound it); the containers asked on socket_path. */
int lz_idle_busy_in(const char *net_unix, const char *bound_path, const char *socket_path);

/* The idle decision, one look: busy moves *last_activity to now; 1 when
 * timeout_ms have passed since it, after logging on logfd why dockerd is
 * being stopped (the caller stops it); else 0. */
int lz_idle_expired(int logfd, int busy, int64_t now, int64_t *last_activity,
                    int64_t timeout_ms);

#endif
