/* The cold path's preflight and its gate (preflight.h). */
#define _GNU_SOURCE
#include "pod/preflight.h"
#include "base/util.h"
#include "pod/evaluate.h"
#include "pod/gather.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Text appended to a fixed buffer: what does not fit is cut, the buffer
 * stays terminated. */
struct text {
    char *buf;
    size_t len, o;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(t->buf + t->o, t->len > t->o ? t->len - t->o : 0, fmt, ap);
    va_end(ap);
    if (w > 0)
        t->o = t->o + (size_t)w < t->len ? t->o + (size_t)w : t->len;
}

/* 1 when an earlier failing check for t gave the same fix as check i. */
static int fix_given(const struct lz_report *r, enum lz_target t, int i)
{
    for (int j = 0; j < i; j++)
        if (r->checks[j].target == t && r->checks[j].level == LZ_LVL_FAIL &&
            strcmp(r->checks[j].fix, r->checks[i].fix) == 0)
            return 1;
    return 0;
}

/* Each failing check of the selected mode, with its fix. */
static void put_failures(struct text *t, const struct lz_report *r)
{
    enum lz_target target = r->rootless ? LZ_FOR_ROOTLESS : LZ_FOR_ROOTFUL;
    for (int i = 0; i < r->nchecks; i++) {
        const struct lz_check *c = &r->checks[i];
        if (c->target != target || c->level != LZ_LVL_FAIL)
            continue;
        put(t, "\n  %s: %s", c->id, c->msg);
        /* a fix given for an earlier check is not repeated */
        if (c->fix[0] && !fix_given(r, target, i))
            put(t, "\n    fix: %s", c->fix);
    }
}

/* The other ways, in one line each. */
static void put_other_ways(struct text *t, const struct lz_report *r)
{
    for (int i = 0; i < 3; i++) {
        const struct lz_option *op = &r->opt[i];
        if (op->works)
            put(t, "\n%s dockerd would work here: LAZYDIND_MODE=%s", op->name,
                i == 2 ? "rootless" : "rootful");
    }
    if (!r->rootless && r->pod != LZ_POD_SYSBOX)
        put(t, "\nor: securityContext privileged: true, runtimeClassName: sysbox-runc, "
            "or rootless mode as a non-root user");
}

int lz_preflight_text(const struct lz_report *r, char *msg, size_t msglen)
{
    struct text t = {msg, msglen, 0};
    if (msglen)
        msg[0] = '\0';
    if (r->selected_ok)
        return 0;
    const char *mode = r->rootless ? "rootless" : "rootful";
    if (r->scope == LZ_SCOPE_ALL)
        put(&t, "this pod cannot run %s dockerd (it is %s):", mode, lz_pod_name(r->pod));
    else
        put(&t, "this pod cannot run %s dockerd:", mode);
    put_failures(&t, r);
    put_other_ways(&t, r);
    return -1;
}

int lz_preflight(const struct lz_config *cfg, char *msg, size_t msglen)
{
    struct lz_facts f;
    struct lz_report *r = malloc(sizeof *r);
    if (!r) {
        if (msglen)
            msg[0] = '\0';
        return 0; /* cannot judge: let dockerd say */
    }
    lz_detect_gather_for(&f, cfg, NULL, cfg->rootless ? LZ_SCOPE_ROOTLESS : LZ_SCOPE_ROOTFUL);
    lz_doctor_evaluate(&f, cfg, r);
    int rc = lz_preflight_text(r, msg, msglen);
    lz_facts_free(&f);
    free(r);
    return rc;
}

int lz_preflight_gate(const struct lz_config *cfg)
{
    if (!cfg->preflight)
        return 0;
    char msg[4096];
    if (lz_preflight(cfg, msg, sizeof msg) == 0)
        return 0;
    lz_error("the Docker daemon cannot start in this pod:");
    for (char *line = strtok(msg, "\n"); line; line = strtok(NULL, "\n"))
        lz_error("%s", line);
    lz_error("(run `lazydind doctor` for every check; LAZYDIND_PREFLIGHT=0 "
             "starts dockerd anyway)");
    return 1;
}
