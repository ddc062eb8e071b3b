/* doctor's checks about the engine: which dockerd and which version, and
 * whether the docker CLI is new enough for it (Docker 29 serves API 1.44
 * and later unless min-api-version says otherwise). Pure. */
#ifndef LAZYDIND_DOCTOR_ENGINE_H
#define LAZYDIND_DOCTOR_ENGINE_H

#include "config/engine.h"

struct lz_engine_facts {
    const struct lz_engine *engine;
    const char *dockerd;        /* its binary, or "" when none was found */
    const char *cli;            /* the real docker CLI, or "" */
    const char *cli_api;        /* the API version it speaks, or "" */
    const char *min_api;        /* LAZYDIND_MIN_API_VERSION, or NULL */
};

/* The engine's minimum API version as lazydind will start it: min_api when
 * set and the engine reads DOCKER_MIN_API_VERSION, else its default; NULL
 * when the engine is unknown. */
const char *lz_engine_min_api(const struct lz_engine *e, const char *min_api);

/* A check as doctor.c shows it (level: 0 ok, 1 info, 2 warn, as enum
 * lz_level). */
struct lz_engine_check {
    const char *id;
    int level;
    char msg[512];
    char fix[512];
};

/* Fills out[0..1] and returns how many: the "engine" check (info: the
 * version; warn: no dockerd, or it did not tell) and, when both versions
 * are known, "cli-api" (ok, or warn when the CLI is older than the
 * engine's minimum, with the fix). */
int lz_doctor_engine_checks(const struct lz_engine_facts *f, struct lz_engine_check out[2]);

#endif
