#define _GNU_SOURCE
#include "config/snapshots.h"
#include "config/daemonjson.h"
#include "base/fs.h"
#include "base/util.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* features["containerd-snapshotter"] and "storage-driver" of the user's
 * daemon.json (config/daemonjson.c reads it; a broken file is reported by
 * the cold-path check, here it counts as absent): -1 when absent, else 0/1. */
static void user_choices(const char *path, int *feature, int *driver_set)
{
    char err[512];
    int absent = 0;
    json_t *o = lz_daemon_json_load(path, &absent, err, sizeof err);
    json_t *v = json_object_get(json_object_get(o, "features"), "containerd-snapshotter");
    *feature = json_is_boolean(v) ? json_is_true(v) : -1;
    *driver_set = json_object_get(o, "storage-driver") != NULL;
    json_decref(o);
}

/* 1 when the data-root holds a graph driver's layers (an engine that ran
 * with one before: Docker 29 keeps using it). */
static int has_graph_data(const char *data_root)
{
    static const char *const drivers[] = {
        "overlay2", "fuse-overlayfs", "vfs", "btrfs", "zfs", "devicemapper", "aufs",
    };
    char p[LZ_PATH_MAX + 32];
    struct stat st;
    for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", data_root, drivers[i]);
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
            return 1;
    }
    return 0;
}

int lz_containerd_store_in_use(const struct lz_config *cfg, const struct lz_engine *e)
{
    int feature, driver_set;
    user_choices(cfg->daemon_json, &feature, &driver_set);
    return lz_containerd_store(feature, e, has_graph_data(cfg->data_root));
}

void lz_snapshots_dir(const struct lz_config *cfg, char *out, size_t cap)
{
    snprintf(out, cap, "%s/containerd", cfg->data_root);
}

int lz_snapshots_on_overlay(const struct lz_config *cfg)
{
    char p[LZ_PATH_MAX + 16];
    struct stat st;
    lz_snapshots_dir(cfg, p, sizeof p);
    /* the nearest directory that exists: that is where it will be made */
    while (stat(p, &st) != 0) {
        char *slash = strrchr(p, '/');
        if (!slash || slash == p)
            return 0;
        *slash = '\0';
    }
    return strcmp(lz_fs_of(p), "overlay") == 0;
}

/* rootful: lazydind mounts a tmpfs over an overlay data-root before
 * dockerd starts (LAZYDIND_TMPFS=auto or always), snapshots included */
static int tmpfs_coming(const struct lz_config *cfg)
{
    return !cfg->rootless && cfg->tmpfs != LZ_TMPFS_NEVER &&
           strcmp(lz_fs_of(cfg->data_root), "overlay") == 0;
}

int lz_snapshots_engine_matters(const struct lz_config *cfg)
{
    return !tmpfs_coming(cfg) && lz_snapshots_on_overlay(cfg);
}

const char *lz_snapshots_driver(const struct lz_config *cfg, const struct lz_engine *e,
                                char *why, size_t cap)
{
    int feature, driver_set;
    char dir[LZ_PATH_MAX + 16];
    if (why && cap)
        why[0] = '\0';
    user_choices(cfg->daemon_json, &feature, &driver_set);
    if (driver_set || cfg->storage_driver)
        return NULL; /* the user chose */
    if (!lz_containerd_store(feature, e, has_graph_data(cfg->data_root)))
        return NULL;
    if (tmpfs_coming(cfg))
        return NULL;
    if (!lz_snapshots_on_overlay(cfg))
        return NULL;
    lz_snapshots_dir(cfg, dir, sizeof dir);
    if (why)
        snprintf(why, cap, "the containerd image store keeps its snapshots in %s, "
                 "which is on overlayfs, where its overlayfs snapshotter cannot "
                 "mount (every docker run would fail with \"invalid argument\"): "
                 "storage driver native, which copies every layer (slow, large); "
                 "put the data-root on a volume%s", dir,
                 cfg->rootless ? "" : " or let lazydind mount a tmpfs (LAZYDIND_TMPFS=auto)");
    return "native";
}
