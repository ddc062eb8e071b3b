/* dockerd's configuration as lazydind generates it: the user's daemon.json
 * (never modified) merged with lazydind's settings and pod-derived defaults,
 * written to <run_dir>/daemon.json and passed with --config-file.
 *
 * Who wins when two places set the same daemon.json key:
 *   1. a lazydind setting (LAZYDIND_* variable, else lazydind.conf) beats
 *      the user's daemon.json (the pod's deployment is more specific than
 *      the image);
 *   2. a flag in LAZYDIND_DOCKERD_ARGS beats daemon.json too: the key is
 *      left out of the generated file, since dockerd refuses a flag that
 *      repeats a key of its config file; a flag and a lazydind setting for
 *      the same key is an error (both are the deployment's: say which);
 *   3. values lazydind derives from the pod (mtu, default-address-pools)
 *      are used only when nobody set the key.
 * "hosts" always starts with fd:// (the socket lazydind owns); -H/--host
 * flags and other daemon.json hosts are added to it. */
#ifndef LAZYDIND_DAEMONCONF_H
#define LAZYDIND_DAEMONCONF_H

#include <jansson.h>
#include <stddef.h>

#include "config/config.h"
#include "config/podnet.h"
#include "base/shsplit.h"

/* The JSON value of a dockerd setting given as text (the syntax of its
 * LAZYDIND_* variable): key is one of registry-mirrors, insecure-registries,
 * storage-driver, mtu, bip, default-address-pools, dns, log-level. Returns 0
 * and, when out is not NULL, a new reference in *out; else -1 with what is
 * wrong and how to fix it in why. */
int lz_dconf_value(const char *key, const char *text, json_t **out, char *why,
                   size_t whylen);

/* The daemon.json key that a dockerd command-line argument sets
 * ("--log-level=warn" -> "log-level", "-D" -> "debug", "--registry-mirror"
 * -> "registry-mirrors"), written to buf; NULL for an argument that is not a
 * flag or a short flag lazydind does not know. */
const char *lz_dconf_flag_key(const char *arg, char *buf, size_t cap);

/* Loads the user's daemon.json. A missing file gives NULL with *absent set;
 * anything but a JSON object gives NULL with "file:line:column: what" (or
 * "file: what") in err. */
json_t *lz_dconf_load_user(const char *path, int *absent, char *err,
                           size_t errlen);

struct lz_dconf_in {
    const struct lz_config *cfg;
    const json_t *user;          /* the user's daemon.json, or NULL */
    int argc;                    /* LAZYDIND_DOCKERD_ARGS, split */
    char **argv;
    const struct lz_podnet *net; /* NULL: no pod-derived values */
    int iptables_off;            /* no iptables backend works in this pod */
};

#define LZ_DCONF_NOTES 4

struct lz_dconf {
    json_t *config;  /* the generated daemon.json */
    json_t *origins; /* key -> where its value comes from (text) */
    char **argv;     /* the dockerd arguments to pass after --config-file */
    int argc;
    char notes[LZ_DCONF_NOTES][640]; /* for the user's stderr, once */
    int nnotes;
    int set_no_proxy;                 /* dockerd gets NO_PROXY=no_proxy */
    char no_proxy[4096];
    struct lz_words words; /* backs argv (lz_dconf_make) */
};

/* Merges (pure: every input is in `in`). Returns 0, or -1 with a message in
 * err. Free out with lz_dconf_free. */
int lz_dconf_build(const struct lz_dconf_in *in, struct lz_dconf *out, char *err,
                   size_t errlen);
void lz_dconf_free(struct lz_dconf *d);

/* Reads the user's daemon.json and the pod's network, splits
 * LAZYDIND_DOCKERD_ARGS and builds. */
int lz_dconf_make(const struct lz_config *cfg, int iptables_off,
                  struct lz_dconf *out, char *err, size_t errlen);

/* Writes the config to dirfd/daemon.json (mode 0600, replaced atomically,
 * never through a symlink) and the notes to dirfd/notices. */
int lz_dconf_write(int dirfd, const struct lz_dconf *d, char *err,
                   size_t errlen);

/* lz_dconf_make + lz_dconf_write, for each dockerd start: no_proxy gets
 * dockerd's NO_PROXY ("" when no proxy is set). */
int lz_dconf_regenerate(const struct lz_config *cfg, int dirfd, int iptables_off,
                        char *no_proxy, size_t cap, char *err, size_t errlen);

/* The notes of the last generation (dirfd/notices), as lazydind notices. */
void lz_dconf_print_notices(int dirfd);

/* Cold-path resolution: takes data-root from daemon.json when no lazydind
 * setting gave one, and checks that a config can be generated (daemon.json
 * syntax, LAZYDIND_DOCKERD_ARGS, conflicting settings). 0 or -1 with err. */
int lz_dconf_resolve(struct lz_config *cfg, char *err, size_t errlen);

/* A JSON string for display: s (n bytes) as is when it is UTF-8, else with
 * every byte above 0x7f shown as '?'. jansson refuses strings that are not
 * UTF-8 (json_string returns NULL), and settings and flags may hold any
 * bytes. */
json_t *lz_json_text(const char *s, size_t n);

/* A proxy URL for display, with any password replaced by "***". */
void lz_redact_url(const char *url, char *out, size_t outlen);

#endif
