#include "pod/doctor_engine.h"

#include <stdio.h>
#include <string.h>

const char *lz_engine_min_api(const struct lz_engine *e, const char *min_api)
{
    if (min_api && lz_engine_has_min_api_env(e))
        return min_api;
    return lz_engine_default_min_api(e);
}

enum { OK, INFO, WARN };

static struct lz_engine_check *next(struct lz_engine_check *out, int *n, const char *id,
                                    int lvl)
{
    struct lz_engine_check *c = &out[(*n)++];
    memset(c, 0, sizeof *c);
    c->id = id;
    c->level = lvl;
    return c;
}

int lz_doctor_engine_checks(const struct lz_engine_facts *f, struct lz_engine_check out[2])
{
    const struct lz_engine *e = f->engine;
    struct lz_engine_check *c;
    int n = 0;
    if (!f->dockerd || !f->dockerd[0]) {
        if ((c = next(out, &n, "engine", WARN))) {
            snprintf(c->msg, sizeof c->msg, "no dockerd found (LAZYDIND_DOCKERD or "
                     "dockerd on PATH): nothing can start");
            snprintf(c->fix, sizeof c->fix, "image: install docker.io (Debian, Ubuntu) "
                     "or docker-ce");
        }
        return n;
    }
    const char *min = lz_engine_min_api(e, f->min_api);
    if (!e->known) {
        if ((c = next(out, &n, "engine", WARN)))
            snprintf(c->msg, sizeof c->msg, "%s --version did not tell a version: "
                     "the generated config uses no key newer than Docker 20.10",
                     f->dockerd);
        return n;
    }
    if ((c = next(out, &n, "engine", INFO)))
        snprintf(c->msg, sizeof c->msg, "Docker %s (%s): serves API %s and later%s",
                 e->version, f->dockerd, min,
                 f->min_api && lz_engine_has_min_api_env(e) ? " (min-api-version)" : "");
    if (!f->cli_api || !f->cli_api[0])
        return n;
    if (lz_api_cmp(f->cli_api, min) >= 0) {
        if ((c = next(out, &n, "cli-api", OK)))
            snprintf(c->msg, sizeof c->msg, "the docker CLI %s speaks API %s; "
                     "dockerd %s serves %s and later", f->cli, f->cli_api,
                     e->version, min);
        return n;
    }
    if ((c = next(out, &n, "cli-api", WARN))) {
        snprintf(c->msg, sizeof c->msg, "the docker CLI %s speaks API %s, older than "
                 "dockerd %s serves (%s and later): every docker command will fail "
                 "with \"client version %s is too old\"", f->cli, f->cli_api,
                 e->version, min, f->cli_api);
        if (lz_engine_has_min_api_env(e) && lz_api_cmp(f->cli_api, "1.24") >= 0)
            snprintf(c->fix, sizeof c->fix, "LAZYDIND_MIN_API_VERSION=%s (or "
                     "min-api-version = %s in lazydind.conf), or a newer docker CLI",
                     f->cli_api, f->cli_api);
        else
            snprintf(c->fix, sizeof c->fix, "a newer docker CLI (dockerd %s serves "
                     "no API older than %s)", e->version,
                     lz_engine_has_min_api_env(e) ? "1.24" : min);
    }
    return n;
}
