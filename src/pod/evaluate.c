/* Doctor's evaluation (evaluate.h): the checks, then the verdicts. */
#define _GNU_SOURCE
#include "pod/evaluate.h"
#include "pod/check_rootful.h"
#include "pod/check_rootless.h"
#include "pod/check_shared.h"
#include "pod/manifest.h"

#include <stdio.h>
#include <string.h>

/* Who the rootless checks are for: this user, or, as root, the image's
 * user that has subordinate ids (the runAsUser to suggest). */
static void rootless_user(const struct lz_facts *f, struct lz_report *r)
{
    r->rl_uid = f->euid != 0 ? f->euid : f->subid_uid ? f->subid_uid : 1000;
    snprintf(r->rl_user, sizeof r->rl_user, "%s", f->euid != 0 ? f->user : f->subid_user);
}

/* The ids of the failing checks for t, ", "-separated (whole ids only). */
static void failing_ids(const struct lz_report *r, enum lz_target t, char *ids, size_t idslen)
{
    size_t o = 0;
    ids[0] = '\0';
    for (int i = 0; i < r->nchecks; i++) {
        const struct lz_check *c = &r->checks[i];
        if (c->target != t || c->level != LZ_LVL_FAIL)
            continue;
        int w = snprintf(ids + o, idslen - o, "%s%s", o ? ", " : "", c->id);
        if (w < 0 || (size_t)w >= idslen - o)
            break;
        o += (size_t)w;
    }
}

/* What the pod is, as a whole, and why. */
static void pod_verdict(const struct lz_facts *f, int rootful_ok, int rootless_ok,
                        struct lz_report *r)
{
    if (f->sysbox.detected) {
        r->pod = LZ_POD_SYSBOX;
        snprintf(r->pod_why, sizeof r->pod_why,
                 "sysboxfs over /proc and /sys, root mapped to host uid %ld",
                 f->sysbox.root_host_uid);
    } else if (f->euid == 0 && rootful_ok) {
        r->pod = LZ_POD_PRIVILEGED;
        snprintf(r->pod_why, sizeof r->pod_why,
                 "root with what dockerd needs: capabilities, no seccomp filter, "
                 "writable cgroups");
    } else if (rootless_ok) {
        r->pod = LZ_POD_ROOTLESS;
        snprintf(r->pod_why, sizeof r->pod_why, "uid %lu with everything rootless dockerd needs",
                 f->euid);
    } else {
        r->pod = LZ_POD_UNPRIVILEGED;
        /* the failing checks of the way that fits this user */
        char ids[200];
        failing_ids(r, f->euid == 0 ? LZ_FOR_ROOTFUL : LZ_FOR_ROOTLESS, ids, sizeof ids);
        snprintf(r->pod_why, sizeof r->pod_why, "uid %lu; %s fails: %s", f->euid,
                 f->euid == 0 ? "rootful" : "rootless", ids);
    }
}

void lz_doctor_evaluate(const struct lz_facts *f, const struct lz_config *cfg,
                        struct lz_report *r)
{
    memset(r, 0, sizeof *r);
    r->mode_setting = cfg->mode == LZ_MODE_ROOTFUL    ? "rootful"
                      : cfg->mode == LZ_MODE_ROOTLESS ? "rootless"
                                                      : "auto";
    r->rootless = cfg->rootless;
    rootless_user(f, r);

    /* only what was gathered (the preflight gathers one mode's facts) */
    const unsigned scope = f->scope ? f->scope : LZ_SCOPE_ALL;
    r->scope = scope;
    if (scope & LZ_SCOPE_ROOTFUL)
        lz_check_rootful(f, cfg, r);
    if (scope & LZ_SCOPE_ROOTLESS)
        lz_check_rootless(f, r);
    if (scope == LZ_SCOPE_ALL)
        lz_check_shared(f, r);

    int rootful_ok = (scope & LZ_SCOPE_ROOTFUL) && !lz_report_has_fail(r, LZ_FOR_ROOTFUL);
    int rootless_ok = (scope & LZ_SCOPE_ROOTLESS) && f->euid != 0 &&
                      !lz_report_has_fail(r, LZ_FOR_ROOTLESS);
    r->selected_ok = r->rootless ? (scope & LZ_SCOPE_ROOTLESS) &&
                                       !lz_report_has_fail(r, LZ_FOR_ROOTLESS)
                                 : rootful_ok;
    pod_verdict(f, rootful_ok, rootless_ok, r);
    lz_manifest_options(f, r);
}
