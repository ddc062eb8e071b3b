/* The merge: dockerd's config as lazydind generates it, from the user's
 * daemon.json (never modified), lazydind's settings, LAZYDIND_DOCKERD_ARGS
 * and values derived from the pod. Pure: every input is in the struct.
 *
 * Who wins when two places set the same daemon.json key:
 *   1. a lazydind setting (LAZYDIND_* variable, else lazydind.conf) beats
 *      the user's daemon.json (the pod's deployment is more specific than
 *      the image);
 *   2. a flag in LAZYDIND_DOCKERD_ARGS beats daemon.json too: the key is
 *      left out of the generated file, since dockerd refuses a flag that
 *      repeats a key of its config file; a flag and a lazydind setting for
 *      the same key is an error (both are the deployment's: say which);
 *   3. values lazydind derives from the pod (mtu, default-address-pools,
 *      default-network-opts, storage-driver) are used only when nobody set
 *      the key, and only keys the engine knows (in->engine).
 * "hosts" always starts with fd:// (the socket lazydind owns); -H/--host
 * flags and other daemon.json hosts are added to it. */
#ifndef LAZYDIND_DMERGE_H
#define LAZYDIND_DMERGE_H

#include <jansson.h>
#include <stddef.h>

#include "config/config.h"
#include "config/engine.h"
#include "config/podnet.h"
#include "base/shsplit.h"

struct lz_dconf_in {
    const struct lz_config *cfg;
    const json_t *user;          /* the user's daemon.json, or NULL */
    int argc;                    /* LAZYDIND_DOCKERD_ARGS, split */
    char **argv;
    const struct lz_podnet *net; /* NULL: no pod-derived values */
    int iptables_off;            /* no iptables backend works in this pod */
    const char *cgroup_parent;   /* containment's cgroup-parent, or NULL */
    const struct lz_engine *engine; /* dockerd's version (NULL: unknown):
                                       keys it may not know are left out */
    const char *storage_driver;  /* the pod's storage driver when nobody
                                    set one (config/snapshots.h), or NULL */
    const char *storage_why;     /* why, for the notes and origins */
    int check_only;              /* 1: the input's check, not a build: only
                                    the rules that can refuse the input run
                                    (flags, settings, data-root, hosts);
                                    nothing is derived from the pod or the
                                    engine, no notes, and it is not counted */
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

/* Merges. Returns 0, or -1 with a message in err (out then holds no config
 * and no argv). Free out with lz_dconf_free. */
int lz_dconf_build(const struct lz_dconf_in *in, struct lz_dconf *out, char *err,
                   size_t errlen);
void lz_dconf_free(struct lz_dconf *d);

/* How many builds (check_only unset) this process has run. dockerd's
 * config is built once per dockerd start, by the supervisor that spawns
 * it: it logs this count with each build, and the tests hold it to that. */
long lz_dconf_builds(void);

#endif
