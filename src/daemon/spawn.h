/* Spawning dockerd: finding its binary, its command line, and the child's
 * set-up: the listening socket as fd 3 for `-H fd://` (LISTEN_FDS=1,
 * LISTEN_PID), NOTIFY_SOCKET, stdio to the log, PATH and NO_PROXY. */
#ifndef LAZYDIND_SPAWN_H
#define LAZYDIND_SPAWN_H

#include "config/config.h"

#include <stddef.h>
#include <sys/types.h>

/* dockerd's pid file, removed before a start unless a live dockerd owns it. */
#define LZ_DOCKER_PIDFILE "/var/run/docker.pid"

/* The executable for LAZYDIND_DOCKERD (a path, or a name looked up on PATH)
 * in path. 0, or -1 with a message naming the fix in err. */
int lz_dockerd_find(const char *dockerd, char *path, size_t cap, char *err,
                    size_t errlen);

/* dockerd's argv: path, --config-file config_file, then args (argc of
 * them), NULL-terminated. The array is malloc'd (free it; the strings are
 * the caller's); NULL when out of memory. */
char **lz_dockerd_argv(const char *path, const char *config_file, int argc,
                       char **args);

struct lz_dockerd_child {
    char **argv;             /* lz_dockerd_argv */
    int logfd;               /* stdout and stderr */
    int lfd;                 /* the listening socket: fd 3 */
    const char *notify_path; /* NOTIFY_SOCKET */
    const char *ipt_bindir;  /* first in PATH, or "" */
    const char *no_proxy;    /* NO_PROXY and no_proxy, or "" to leave them */
    const char *cert_dir;    /* SSL_CERT_DIR (the extra CAs), or "" to leave it */
    const char *min_api;     /* DOCKER_MIN_API_VERSION, or NULL to leave it */
};

/* Forks and execs dockerd as c says. The child's pid, or -1 (errno). */
pid_t lz_dockerd_spawn(const struct lz_dockerd_child *c);

/* After a pod restart the pid in dockerd's pid file may belong to anything,
 * and dockerd refuses to start while it names a live process: removes it
 * unless it is a live dockerd (a line in the log says so). */
void lz_dockerd_clean_pidfile(int logfd);

/* The extra CA certificates (LAZYDIND_CA_CERTS) copied into the runtime
 * dir for this dockerd, and the SSL_CERT_DIR that makes dockerd trust them
 * on top of the system's roots; cert_dir "" when none are configured. 0, or
 * -1 with err. */
int lz_dockerd_ca_certs(const struct lz_config *cfg, char *cert_dir, size_t cap,
                        char *err, size_t errlen);

#endif
