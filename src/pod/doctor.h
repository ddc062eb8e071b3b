/* `lazydind doctor`: what this pod allows (detect.h), judged for the three
 * ways a pod can host Docker -- privileged, Sysbox, rootless -- with the
 * manifest lines that would make each work; and the preflight the cold path
 * runs so that the shim fails fast with that explanation instead of
 * dockerd's raw error. */
#ifndef LAZYDIND_DOCTOR_H
#define LAZYDIND_DOCTOR_H

#include <stddef.h>
#include <jansson.h>

#include "config/config.h"
#include "pod/detect.h"

enum lz_level { LZ_LVL_OK, LZ_LVL_INFO, LZ_LVL_WARN, LZ_LVL_FAIL };
const char *lz_level_name(enum lz_level l); /* "ok", "info", "warn", "fail" */

/* Which way of running dockerd a check is about. */
enum lz_target {
    LZ_FOR_ROOTFUL = 1,  /* dockerd as root: privileged or Sysbox */
    LZ_FOR_ROOTLESS = 2, /* dockerd-rootless.sh as a non-root user */
    LZ_FOR_ALL = 3,      /* both (storage, cgroups, iptables facts) */
};

#define LZ_MAX_CHECKS 48
struct lz_check {
    const char *id;       /* stable name: "capabilities", "proc", "tun", ... */
    enum lz_level level;
    enum lz_target target;
    char msg[512];        /* what was found, and what it means for dockerd */
    char fix[512];        /* the change that fixes it, or "" */
};

/* What the pod is, as a whole. */
enum lz_pod { LZ_POD_PRIVILEGED, LZ_POD_SYSBOX, LZ_POD_ROOTLESS, LZ_POD_UNPRIVILEGED };
/* "privileged", "sysbox", "rootless-capable", "unprivileged" */
const char *lz_pod_name(enum lz_pod p);

#define LZ_MAX_LINES 24
struct lz_option {
    const char *name;     /* "privileged", "sysbox", "rootless" */
    int works;            /* 1: works in this pod as it is */
    char verdict[256];    /* one line: why (not) */
    int nlines;
    char lines[LZ_MAX_LINES][128]; /* manifest lines that would make it work */
    char note[512];       /* what the manifest cannot do (node, image) */
};

struct lz_report {
    enum lz_pod pod;
    char pod_why[256];    /* a short reason for that verdict */
    const char *mode_setting; /* LAZYDIND_MODE: "auto", "rootful", "rootless" */
    int rootless;         /* the mode in effect is rootless */
    int selected_ok;      /* the mode in effect can work here */
    unsigned scope;       /* LZ_SCOPE_* the facts cover (doctor: all) */
    unsigned long rl_uid; /* the user the rootless checks are for */
    char rl_user[64];
    int nchecks;
    struct lz_check checks[LZ_MAX_CHECKS];
    struct lz_option opt[3]; /* privileged, sysbox, rootless */
};

/* Judges the facts for the mode cfg selects (cfg->mode, cfg->rootless,
 * cfg->tmpfs). Pure. */
void lz_doctor_evaluate(const struct lz_facts *f, const struct lz_config *cfg,
                        struct lz_report *r);
/* The human report; the JSON one (new reference). */
void lz_doctor_print(const struct lz_report *r, const struct lz_facts *f, FILE *out);
json_t *lz_doctor_json(const struct lz_report *r, const struct lz_facts *f);

/* The preflight text for a report: "" and 0 when the selected mode can
 * work, else -1 and a few lines separated by '\n' (no "lazydind: "
 * prefix, no final newline): a headline, each failing check with its fix
 * (a fix is not repeated), and the other ways in one line. It does not
 * point at `lazydind doctor`: the caller does (gate.c). Pure. */
int lz_preflight_text(const struct lz_report *r, char *msg, size_t msglen);

/* For the cold path, before starting anything: gathers the facts (a
 * handful of small file reads and stats: no fork, nothing written),
 * evaluates them, and returns 0 when the selected mode can work here, else
 * -1 with lz_preflight_text's explanation in msg (each line to be printed
 * prefixed "lazydind: "). */
int lz_preflight(const struct lz_config *cfg, char *msg, size_t msglen);

/* `lazydind doctor [--json]`: exit 0 when the selected mode can work, 1
 * when it cannot, 2 on bad input. Starts nothing, needs no root. */
int lz_cmd_doctor(int argc, char **argv);

#endif
