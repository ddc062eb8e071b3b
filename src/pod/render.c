/* Doctor's report as text and as JSON (render.h). */
#define _GNU_SOURCE
#include "pod/render.h"

#include <string.h>

/* ------------------------------------------------------------------- text */

static void print_group(const struct lz_report *r, enum lz_target t, const char *title,
                        FILE *out)
{
    fprintf(out, "\n%s\n", title);
    for (int i = 0; i < r->nchecks; i++) {
        const struct lz_check *c = &r->checks[i];
        if (c->target != t)
            continue;
        fprintf(out, "  %-5s %-19s %s\n", lz_level_name(c->level), c->id, c->msg);
        if (c->fix[0] && c->level >= LZ_LVL_WARN)
            fprintf(out, "        %-19s fix: %s\n", "", c->fix);
    }
}

void lz_doctor_print(const struct lz_report *r, const struct lz_facts *f, FILE *out)
{
    (void)f;
    fprintf(out, "pod:   %s (%s)\n", lz_pod_name(r->pod), r->pod_why);
    fprintf(out, "mode:  %s (LAZYDIND_MODE=%s%s): %s\n", r->rootless ? "rootless" : "rootful",
            r->mode_setting,
            strcmp(r->mode_setting, "auto") == 0 ? (r->rootless ? ", not root" : ", root") : "",
            r->selected_ok ? "can work here" : "cannot work here");
    print_group(r, LZ_FOR_ROOTFUL, "dockerd as root (privileged or Sysbox):", out);
    char title[160];
    snprintf(title, sizeof title, "rootless dockerd (as %s, uid %lu):",
             r->rl_user[0] ? r->rl_user : "the user", r->rl_uid);
    print_group(r, LZ_FOR_ROOTLESS, title, out);
    print_group(r, LZ_FOR_ALL, "both:", out);
    fprintf(out, "\noptions:\n");
    for (int i = 0; i < 3; i++) {
        const struct lz_option *o = &r->opt[i];
        fprintf(out, "  %-11s %s %s\n", o->name, o->works ? "yes:" : "no: ", o->verdict);
        for (int j = 0; j < o->nlines; j++)
            fprintf(out, "      %s\n", o->lines[j]);
        if (o->note[0])
            fprintf(out, "      also: %s\n", o->note);
    }
    if (!r->selected_ok)
        fprintf(out, "\nthe selected mode (%s) cannot work here; see the fails above\n",
                r->rootless ? "rootless" : "rootful");
}

/* ------------------------------------------------------------------- JSON */

static json_t *checks_json(const struct lz_report *r)
{
    json_t *checks = json_array();
    for (int i = 0; i < r->nchecks; i++) {
        const struct lz_check *c = &r->checks[i];
        json_array_append_new(checks, json_pack("{s:s, s:s, s:s, s:s, s:s?}", "id", c->id,
                                                "for", lz_target_name(c->target), "status",
                                                lz_level_name(c->level), "message", c->msg,
                                                "fix", c->fix[0] ? c->fix : NULL));
    }
    return checks;
}

static json_t *options_json(const struct lz_report *r)
{
    json_t *opts = json_object();
    for (int i = 0; i < 3; i++) {
        const struct lz_option *o = &r->opt[i];
        json_t *lines = json_array();
        for (int j = 0; j < o->nlines; j++)
            json_array_append_new(lines, json_string(o->lines[j]));
        json_object_set_new(opts, o->name,
                            json_pack("{s:b, s:s, s:o, s:s?}", "works", o->works, "verdict",
                                      o->verdict, "manifest", lines, "note",
                                      o->note[0] ? o->note : NULL));
    }
    return opts;
}

/* The facts a program most likely wants, in short. */
static json_t *facts_json(const struct lz_facts *f)
{
    char eff[32], bnd[32];
    snprintf(eff, sizeof eff, "%016llx", (unsigned long long)f->st.cap_eff);
    snprintf(bnd, sizeof bnd, "%016llx", (unsigned long long)f->st.cap_bnd);
    return json_pack(
        "{s:i, s:s, s:s, s:s, s:i, s:b, s:b, s:s, s:s, s:b, s:b, s:i, s:s, s:s}",
        "uid", (int)f->euid, "user", f->user, "cap_eff", eff, "cap_bnd", bnd,
        "seccomp", f->st.seccomp, "sysbox", f->sysbox.detected, "proc_masked",
        f->proc_overmounts > 0, "cgroup", lz_cg_layout_name(f->cg_layout), "data_root",
        f->data_root, "fuse", f->fuse_errno == 0, "tun", f->tun_errno == 0, "no_new_privs",
        f->st.no_new_privs, "data_root_fs", f->data_root_fs, "iptables",
        !f->ipt_names_read ? "unknown" : f->ipt_legacy_tables ? "legacy" : "nft");
}

json_t *lz_doctor_json(const struct lz_report *r, const struct lz_facts *f)
{
    json_t *checks = checks_json(r), *opts = options_json(r), *facts = facts_json(f);
    return json_pack("{s:s, s:s, s:{s:s, s:s, s:b}, s:o, s:o, s:o}", "pod", lz_pod_name(r->pod),
                     "reason", r->pod_why, "mode", "setting", r->mode_setting, "selected",
                     r->rootless ? "rootless" : "rootful", "ok", r->selected_ok, "checks",
                     checks, "options", opts, "facts", facts);
}
