/* Doctor's report: names and the list of checks (report.h). */
#define _GNU_SOURCE
#include "pod/report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *lz_level_name(enum lz_level l)
{
    switch (l) {
    case LZ_LVL_OK: return "ok";
    case LZ_LVL_INFO: return "info";
    case LZ_LVL_WARN: return "warn";
    default: return "fail";
    }
}

const char *lz_pod_name(enum lz_pod p)
{
    switch (p) {
    case LZ_POD_PRIVILEGED: return "privileged";
    case LZ_POD_SYSBOX: return "sysbox";
    case LZ_POD_ROOTLESS: return "rootless-capable";
    default: return "unprivileged";
    }
}

const char *lz_target_name(enum lz_target t)
{
    return t == LZ_FOR_ROOTFUL ? "rootful" : t == LZ_FOR_ROOTLESS ? "rootless" : "all";
}

struct lz_check *lz_report_add(struct lz_report *r, const char *id, enum lz_target t,
                               enum lz_level lvl, const char *fix, const char *fmt, ...)
{
    static struct lz_check spare;
    struct lz_check *c = r->nchecks < LZ_MAX_CHECKS ? &r->checks[r->nchecks++] : &spare;
    c->id = id;
    c->target = t;
    c->level = lvl;
    snprintf(c->fix, sizeof c->fix, "%s", fix ? fix : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    return c;
}

int lz_report_has_fail(const struct lz_report *r, enum lz_target t)
{
    for (int i = 0; i < r->nchecks; i++)
        if (r->checks[i].level == LZ_LVL_FAIL && (r->checks[i].target & t))
            return 1;
    return 0;
}

const struct lz_check *lz_report_find(const struct lz_report *r, const char *id,
                                      enum lz_target t)
{
    for (int i = 0; i < r->nchecks; i++)
        if (strcmp(r->checks[i].id, id) == 0 && r->checks[i].target == t)
            return &r->checks[i];
    return NULL;
}

int lz_report_failed(const struct lz_report *r, const char *id, enum lz_target t)
{
    const struct lz_check *c = lz_report_find(r, id, t);
    return c && c->level == LZ_LVL_FAIL;
}
