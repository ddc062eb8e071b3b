/* Rootless socket activation (docs/modes.md): the supervisor listens on
 * the user's socket; dockerd, started on the first connection, binds an
 * inner socket (config/innersock.h); once it answers, the inner socket is
 * renamed over the user's path. Linux finds a unix socket by its inode
 * when connect() resolves the path, so from then on new connections reach
 * dockerd itself, and only those already queued on the supervisor's
 * listener are copied through (lz_proxy_pair). When dockerd ends, a fresh
 * listener is bound at a temp path and renamed over the user's path. */
#ifndef LAZYDIND_HANDOVER_H
#define LAZYDIND_HANDOVER_H

#include <stddef.h>

/* A new listener (lz_listen_unix's conventions) at tmp, then renamed over
 * path (atomic: a client sees the old socket or the new one, never none).
 * The fd (O_CLOEXEC, O_NONBLOCK), or -1 with a message in err. */
int lz_listen_swap(const char *path, const char *tmp, char *err, size_t errlen);

/* rename(inner, path): dockerd's socket takes the user's path. 0, or -1
 * with a message in err. */
int lz_handover(const char *inner, const char *path, char *err, size_t errlen);

/* Copies bytes both ways between a and b until both directions ended: an
 * end of file on one side is passed on as shutdown(SHUT_WR) of the other
 * (HTTP clients that half-close still get their answer); an error on
 * either side ends both. Blocking; closes neither fd. Returns the bytes
 * copied from a to b plus b to a. */
long long lz_proxy_pair(int a, int b);

#endif
