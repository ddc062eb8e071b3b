/* Which Docker engine lazydind starts: the dockerd binary (LAZYDIND_DOCKERD
 * or dockerd on PATH) and its version, from `dockerd --version`, cached in
 * the runtime dir by the binary's device, inode, mtime and size (an upgrade
 * of the package changes them), so it runs once per binary. */
#ifndef LAZYDIND_POD_DOCKERD_H
#define LAZYDIND_POD_DOCKERD_H

#include <stddef.h>
#include <sys/types.h>

#include "config/config.h"
#include "config/engine.h"

/* The dockerd binary lazydind runs: LAZYDIND_DOCKERD when it is a path,
 * else that name (default dockerd) on PATH. 0 and the path, or -1. */
int lz_dockerd_path(const struct lz_config *cfg, char *out, size_t cap);

/* The engine's version. dirfd: the runtime dir for the cache, or -1 (no
 * cache: the version is asked every time). A script (a wrapper, a test's
 * fake dockerd) is not asked: its engine is unknown. Never fails: an engine that
 * cannot be asked is left unknown (e->known = 0). path, when not NULL, gets
 * the binary ("" when none was found). */
void lz_engine_probe(const struct lz_config *cfg, int dirfd, struct lz_engine *e,
                     char *path, size_t cap);

/* The same in two steps, so that the question runs while the caller does
 * other work (the supervisor prepares storage and iptables meanwhile):
 * start answers from the cache (returns 0, e filled, or left unknown when
 * there is no binary), or starts `dockerd --version` (returns 1); finish
 * waits for its answer, fills e and writes the cache. job->bin is the
 * binary ("" when none was found). */
struct lz_engine_job {
    pid_t pid;                 /* the asking child, 0 when none runs */
    int fd;                    /* its output */
    char bin[1024];
    char id[128];
};
int lz_engine_probe_start(const struct lz_config *cfg, int dirfd, struct lz_engine *e,
                          struct lz_engine_job *job);
void lz_engine_probe_finish(struct lz_engine_job *job, int dirfd, struct lz_engine *e);
/* Ends a question still running (the supervisor leaves before dockerd
 * started); the child also dies with its parent (PR_SET_PDEATHSIG). */
void lz_engine_probe_cancel(struct lz_engine_job *job);

/* The API version the docker CLI at `cli` speaks ("1.41"), from `docker
 * version` aimed at a socket that does not exist (nothing is contacted;
 * DOCKER_API_VERSION, when set, is what it reports). 0, or -1 with out
 * empty or unparseable. */
int lz_cli_api_version(const char *cli, char *out, size_t cap);

/* The log lines about the engine: its version and binary, and what
 * LAZYDIND_MIN_API_VERSION does with it. */
void lz_engine_log(const struct lz_config *cfg, const struct lz_engine *e,
                   const char *path, int logfd);

#endif
