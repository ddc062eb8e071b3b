/* Doctor's report: the checks made of the facts (gather.h), each with a
 * level, the way of running dockerd it is about, what was found and the
 * fix; the verdict on the pod; and for each of the three ways (privileged,
 * Sysbox, rootless) whether it works and the manifest lines that would
 * make it work. evaluate.h fills it, render.h and preflight.h show it. */
#ifndef LAZYDIND_POD_REPORT_H
#define LAZYDIND_POD_REPORT_H

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

/* "rootful", "rootless", "all" (the "for" of a check in --json) */
const char *lz_target_name(enum lz_target t);

/* Appends a check (msg from fmt; fix may be NULL for none) and returns it;
 * past LZ_MAX_CHECKS the check goes to a spare slot, not into the report. */
struct lz_check *lz_report_add(struct lz_report *r, const char *id, enum lz_target t,
                               enum lz_level lvl, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* 1 when a check for t (a check for both counts for either) fails. */
int lz_report_has_fail(const struct lz_report *r, enum lz_target t);
/* The check id made for exactly t, or NULL. */
const struct lz_check *lz_report_find(const struct lz_report *r, const char *id,
                                      enum lz_target t);
/* 1 when that check was made and fails. */
int lz_report_failed(const struct lz_report *r, const char *id, enum lz_target t);

#endif
