/* The daemon socket that the supervisor owns: bound and listened on before
 * dockerd exists, handed to dockerd as fd 3 (`dockerd -H fd://`), kept
 * across dockerd's restarts. */
#ifndef LAZYDIND_LISTEN_H
#define LAZYDIND_LISTEN_H

#include <stddef.h>
#include <sys/types.h>

/* The gid of `name` in /etc/group text, or -1. (No NSS: the binary is static.) */
long lz_group_gid(const char *group_text, const char *name);

/* Binds and listens on path with dockerd's conventions: mode 0660, group
 * docker when that group exists (else root). A stale socket file (nothing
 * answers) is replaced; a live one is an error. Returns the fd (O_CLOEXEC,
 * O_NONBLOCK) or -1 with a message in err. */
int lz_listen_unix(const char *path, char *err, size_t errlen);

/* Accepts every pending connection on lfd and answers each with a 503 whose
 * JSON message is `message` (the docker CLI prints it as "Error response
 * from daemon: ..."). Returns how many were answered. */
int lz_answer_pending(int lfd, const char *message);

/* Counts the connected (accepted) sockets bound to path in the text of
 * /proc/net/unix. */
int lz_count_unix_conns(const char *proc_net_unix, const char *path);

/* The number of entries of a GET /containers/json answer (status line,
 * headers, JSON array), or -1 when it is not a 200 with an array. resp need
 * not be NUL-terminated. */
int lz_containers_count(const char *resp, size_t len);

/* Number of running containers according to the daemon at path, or -1. */
int lz_running_containers(const char *path, int timeout_ms);

#endif
