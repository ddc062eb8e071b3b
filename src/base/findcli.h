/* Finds the real docker CLI for the shim to exec, never the shim itself. */
#ifndef LAZYDIND_FINDCLI_H
#define LAZYDIND_FINDCLI_H

#include <stddef.h>
#include <sys/stat.h>

/* The search path when PATH is unset or empty (Debian's default). */
#define LZ_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* self: stat of our own binary (/proc/self/exe). override: $LAZYDIND_DOCKER
 * or NULL. argv0: how the shim was invoked. path_env: $PATH or NULL.
 * Order: override; docker.real beside the shim; the first `docker` on PATH
 * that is not the shim. Returns 0 and the path in out, or -1 with a message
 * in err. */
int lz_find_real_cli(const struct stat *self, const char *override,
                     const char *argv0, const char *path_env, char *out,
                     size_t outlen, char *err, size_t errlen);

/* The first file named `name` on path_env that is executable and is not
 * `self` (self may be NULL). Returns 0 and the path in out, or -1. */
int lz_path_search(const char *name, const char *path_env,
                   const struct stat *self, char *out, size_t outlen);

/* Finds dockerd-rootless.sh: on PATH, else where Debian's docker.io and
 * docker-ce-rootless-extras install it. 0 and the path, or -1. */
int lz_find_rootless_script(char *out, size_t outlen);

#endif
