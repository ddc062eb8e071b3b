/* The sd_notify socket dockerd reports readiness on (NOTIFY_SOCKET):
 * <run_dir>/notify.sock, a datagram socket the supervisor binds. */
#ifndef LAZYDIND_NOTIFY_H
#define LAZYDIND_NOTIFY_H

#include <stddef.h>

/* Binds <run_dir>/notify.sock (dirfd is run_dir; a stale one is replaced).
 * The fd (O_CLOEXEC, O_NONBLOCK), or -1. */
int lz_notify_bind(int dirfd, const char *run_dir);

/* The socket's path for dockerd's NOTIFY_SOCKET. 0, or -1 when too long. */
int lz_notify_path(const char *run_dir, char *out, size_t cap);

/* 1 when an sd_notify message (a string) says READY=1 (contains it, as
 * dockerd sends it: "READY=1" alone). Pure. */
int lz_notify_says_ready(const char *msg);

/* Reads every pending message on fd; 1 when one said READY=1. */
int lz_notify_drain(int fd);

#endif
