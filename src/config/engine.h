/* The Docker engine's version, and what follows from it: which daemon.json
 * keys and environment variables that dockerd knows, and the oldest API
 * version it serves. Pure: the version is read elsewhere (pod/dockerd.c
 * runs `dockerd --version`). */
#ifndef LAZYDIND_ENGINE_H
#define LAZYDIND_ENGINE_H

#include <stddef.h>

struct lz_engine {
    int known;          /* 0: not told (no dockerd, or its output unreadable) */
    int major, minor, patch;
    char version[64];   /* as dockerd prints it: "28.5.2+dfsg4" */
};

/* Parses `dockerd --version` output ("Docker version 28.5.2+dfsg4, build
 * 3ef3c07"; docker-ce: "Docker version 29.1.0, build 1234567"). Returns 0
 * and fills e, or -1 (e->known = 0). */
int lz_engine_parse(const char *text, struct lz_engine *e);

/* 1 when the engine is known and at least major.minor. */
int lz_engine_at_least(const struct lz_engine *e, int major, int minor);

/* dockerd >= 24 has "default-network-opts" (the options every new network
 * gets, e.g. the bridge driver's MTU). */
int lz_engine_has_default_network_opts(const struct lz_engine *e);

/* dockerd >= 25 reads DOCKER_MIN_API_VERSION (the oldest API version it
 * serves). */
int lz_engine_has_min_api_env(const struct lz_engine *e);

/* The oldest API version dockerd serves by default, as "1.N": 1.12 before
 * 25, 1.24 from 25, 1.44 from 29. An unknown engine gives NULL. */
const char *lz_engine_default_min_api(const struct lz_engine *e);

/* Whether dockerd keeps images in containerd (the containerd image store,
 * snapshots under <data-root>/containerd): `feature` is daemon.json's
 * features["containerd-snapshotter"] (1 true, 0 false, -1 not given); when
 * not given, Docker 29 and later use it on a data-root without graph driver
 * data (has_graph_data 0). Engines before 24 (and unknown ones) have no such
 * store, whatever daemon.json says. */
int lz_containerd_store(int feature, const struct lz_engine *e, int has_graph_data);

/* "1.N" with 12 <= N <= 99 -> N (API versions are 1.x). 0 on success. */
int lz_parse_api_version(const char *s, int *minor);

/* <0, 0, >0 as API version a is older than, equal to, newer than b ("1.N"
 * each; an unparseable one sorts first). */
int lz_api_cmp(const char *a, const char *b);

#endif
