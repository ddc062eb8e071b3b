/* dockerd's configuration for a start: see daemonconf.h. */
#define _GNU_SOURCE
#include "config/cacerts.h"
#include "config/daemonconf.h"
#include "config/snapshots.h"
#include "base/cleanup.h"
#include "base/shsplit.h"
#include "base/util.h"
#include "base/xdg.h"

#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* LAZYDIND_DOCKERD_ARGS, split into words. 0, or -1 with err. */
static int split_args(const struct lz_config *cfg, struct lz_words *words, char *err,
                      size_t errlen)
{
    char why[512];
    if (cfg->dockerd_args && lz_shsplit(cfg->dockerd_args, words, why, sizeof why) != 0) {
        snprintf(err, errlen, "LAZYDIND_DOCKERD_ARGS='%s': %s", cfg->dockerd_args, why);
        return -1;
    }
    return 0;
}

static char cgroup_parent[1024];

void lz_dconf_set_cgroup_parent(const char *parent)
{
    if (!parent || lz_strlcpy(cgroup_parent, parent, sizeof cgroup_parent) != 0)
        cgroup_parent[0] = '\0';
}

int lz_dconf_make(const struct lz_config *cfg, int iptables_off,
                  const struct lz_engine *engine, struct lz_dconf *out, char *err,
                  size_t errlen)
{
    static struct lz_podnet net;
    int absent;
    memset(out, 0, sizeof *out);
    LZ_AUTOJSON user = lz_daemon_json_load(cfg->daemon_json, &absent, err, errlen);
    if (!user && !absent)
        return -1;
    if (split_args(cfg, &out->words, err, errlen) != 0)
        return -1;
    lz_podnet_read(&net, json_string_value(json_object_get(user, "bridge")));
    static char swhy[1024];
    const char *sd = lz_snapshots_driver(cfg, engine, swhy, sizeof swhy);
    struct lz_dconf_in in = {
        .cfg = cfg, .user = user, .argc = out->words.argc, .argv = out->words.argv,
        .net = &net, .iptables_off = iptables_off, .cgroup_parent = cgroup_parent,
        .engine = engine, .storage_driver = sd, .storage_why = sd ? swhy : NULL,
    };
    int rc = lz_dconf_build(&in, out, err, errlen);
    if (rc != 0)
        lz_words_free(&out->words);
    return rc;
}

int lz_dconf_regenerate(const struct lz_config *cfg, int dirfd, int iptables_off,
                        const struct lz_engine *engine, char *no_proxy, size_t cap,
                        char *err, size_t errlen)
{
    static struct lz_dconf d;
    if (lz_dconf_make(cfg, iptables_off, engine, &d, err, errlen) != 0)
        return -1;
    int rc = lz_dconf_write(dirfd, &d, err, errlen);
    if (rc == 0 && lz_strlcpy(no_proxy, d.set_no_proxy ? d.no_proxy : "", cap) != 0)
        no_proxy[0] = '\0';
    lz_dconf_free(&d);
    return rc;
}

/* data-root (or its old name graph) from the user's daemon.json, when no
 * lazydind setting gave one (in both modes: the generated config carries
 * it). */
static int resolve_data_root(struct lz_config *cfg, const json_t *user, char *err,
                             size_t errlen)
{
    json_t *dr = json_object_get(user, "data-root");
    if (!dr)
        dr = json_object_get(user, "graph");
    if (!dr)
        return 0;
    const char *v = json_string_value(dr);
    if (!lz_valid_path(v)) {
        snprintf(err, errlen, "%s: \"data-root\" must be an absolute path string",
                 cfg->daemon_json);
        return -1;
    }
    int di = lz_setting_index("LAZYDIND_DATA_ROOT");
    if (cfg->origin[di].src == LZ_SRC_DEFAULT) {
        lz_strlcpy(cfg->data_root, v, sizeof cfg->data_root);
        cfg->data_root_set = 0; /* dockerd reads it from the file */
        /* the text shown is the copy: user is freed before cfg */
        cfg->origin[di] = (struct lz_origin){LZ_SRC_DAEMON_JSON, 0, 0, cfg->data_root};
    }
    return 0;
}

/* Rootless: XDG_RUNTIME_DIR, when set, is a directory this user owns with
 * no group or other access, or one that can be made so (the cold path
 * makes it); walked from / without following a symlink. */
static int check_xdg(const struct lz_config *cfg, char *err, size_t errlen)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    if (!cfg->rootless || !xdg || !*xdg)
        return 0;
    char why[1024];
    LZ_AUTOFD root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (lz_xdg_walk(root, xdg, geteuid(), 0, why, sizeof why) >= 0)
        return 0;
    snprintf(err, errlen, "XDG_RUNTIME_DIR=%s: %s", xdg, why);
    return -1;
}

/* The inputs both resolutions share: XDG_RUNTIME_DIR, the user's
 * daemon.json (*user, NULL when absent), data-root from it, the CA
 * certificates. 0, or -1 with err. */
static int resolve_inputs(struct lz_config *cfg, json_t **user, char *err, size_t errlen)
{
    int absent;
    *user = NULL;
    if (check_xdg(cfg, err, errlen) != 0)
        return -1;
    *user = lz_daemon_json_load(cfg->daemon_json, &absent, err, errlen);
    if (!*user && !absent)
        return -1;
    if (resolve_data_root(cfg, *user, err, errlen) != 0 ||
        lz_cacerts_scan(cfg, NULL, NULL, err, errlen) < 0)
        return -1;
    return 0;
}

int lz_dconf_inputs(struct lz_config *cfg, char *err, size_t errlen)
{
    LZ_AUTOJSON user = NULL;
    return resolve_inputs(cfg, &user, err, errlen);
}

/* The check is the merge's own rules run on the user's input alone
 * (check_only): the same code, so the same messages, as the build that the
 * supervisor runs when it spawns dockerd, but nothing derived from the pod
 * or the engine, no notes, no file. The build itself is not handed over:
 * it needs what only the supervisor knows at the spawn (the iptables
 * backend, containment's cgroup-parent, the engine's version, daemon.json
 * as it is then). */
int lz_dconf_resolve(struct lz_config *cfg, char *err, size_t errlen)
{
    LZ_AUTOJSON user = NULL;
    if (resolve_inputs(cfg, &user, err, errlen) != 0)
        return -1;
    struct lz_dconf d;
    memset(&d, 0, sizeof d);
    if (split_args(cfg, &d.words, err, errlen) != 0)
        return -1;
    /* rootless too: its dockerd gets the generated config through
     * dockerd-rootless.sh, as rootful's does */
    struct lz_dconf_in in = {
        .cfg = cfg, .user = user, .argc = d.words.argc, .argv = d.words.argv,
        .check_only = 1,
    };
    int rc = lz_dconf_build(&in, &d, err, errlen);
    lz_dconf_free(&d);
    return rc;
}
