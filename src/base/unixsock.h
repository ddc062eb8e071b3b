/* A client connection to a unix socket by path, made one way wherever
 * lazydind connects to dockerd or to its own supervisor. */
#ifndef LAZYDIND_UNIXSOCK_H
#define LAZYDIND_UNIXSOCK_H

/* A blocking SOCK_STREAM connection (O_CLOEXEC) to the socket at path,
 * connect(2) retried on EINTR; or -1 with errno set (ENAMETOOLONG for a
 * path longer than sun_path holds, else socket's or connect's errno). */
int lz_unix_connect(const char *path);

#endif
