/* dockerd's command-line flags and the daemon.json keys they set: dockerd
 * refuses a flag that repeats a key of its config file, so the merge
 * (dmerge.h) must know which key each flag of LAZYDIND_DOCKERD_ARGS sets. */
#ifndef LAZYDIND_DFLAGS_H
#define LAZYDIND_DFLAGS_H

#include <stddef.h>

/* The daemon.json key that a dockerd command-line argument sets
 * ("--log-level=warn" -> "log-level", "-D" -> "debug", "--registry-mirror"
 * -> "registry-mirrors"), written to buf; NULL for an argument that is not a
 * flag or a short flag lazydind does not know. */
const char *lz_dconf_flag_key(const char *arg, char *buf, size_t cap);

#endif
