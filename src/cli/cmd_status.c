/* `lazydind status [--json]`: is it running, pid, uptime, socket, data-root,
 * the supervisor's phase and how dockerd last ended. */
#define _GNU_SOURCE
#include "cli/cmdutil.h"
#include "cli/commands.h"
#include "daemon/daemon.h"
#include "daemon/preload.h"
#include "daemon/contain.h"
#include "pod/cglimit.h"
#include "pod/dockerd.h"
#include "config/daemonconf.h"
#include "base/cleanup.h"
#include "base/fs.h"
#include "base/ping.h"
#include "base/state.h"
#include "base/util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* Everything status shows, derived once. */
struct status {
    struct lz_state st;
    struct lz_exit_record ex;
    int sup, dockerd, ready, tmpfs;
    int listening;            /* the supervisor holds the socket (not handed over) */
    int64_t uptime;
    const char *fs;
    char phase[32];
    const char *gave_up_reason;
    json_t *preload;          /* preload.json, or NULL */
    /* containment: dockerd's cgroup, the pod's; how full the data-root is */
    char dcg[LZ_CG_MAX];
    struct lz_contain pc;
    int64_t pod_limit, dr_size, dr_used;
    struct lz_engine engine;  /* dockerd's version (pod/dockerd.c) */
    char engine_bin[LZ_PATH_MAX];
};

/* The phase as status tells it: the supervisor's own when one lives. */
static void status_phase(struct status *s)
{
    lz_strlcpy(s->phase, "stopped", sizeof s->phase);
    s->gave_up_reason = "";
    if (s->sup && s->st.phase[0]) {
        lz_strlcpy(s->phase, s->st.phase, sizeof s->phase);
    } else if (!s->sup && strcmp(s->st.phase, "gave_up") == 0) {
        lz_strlcpy(s->phase, "gave_up", sizeof s->phase);
        s->gave_up_reason = s->st.reason;
    } else if (!s->sup) {
        lz_strlcpy(s->phase, s->dockerd ? "unsupervised" : "stopped", sizeof s->phase);
    }
}

/* Rootless mode, dockerd up: its own socket has the user's path, the
 * supervisor no longer listens (daemon/handover.h). */
static int handed_over(const struct lz_state *st)
{
    return strcmp(st->mode, "rootless") == 0 && strcmp(st->phase, "running") == 0 &&
           st->ready == 1;
}

/* Our supervisor listens and no dockerd runs (armed, or backing off). */
static int armed(const struct status *s)
{
    return s->sup && !s->dockerd &&
           (strcmp(s->st.phase, "armed") == 0 || strcmp(s->st.phase, "backoff") == 0);
}

static void status_gather(const struct lz_config *cfg, struct status *s)
{
    char err[256], mpath[LZ_PATH_MAX] = "";
    memset(s, 0, sizeof *s);
    LZ_AUTOFD dfd = lz_rundir_open(cfg->run_dir, 0, err, sizeof err);
    lz_engine_probe(cfg, dfd, &s->engine, s->engine_bin, sizeof s->engine_bin);
    (void)lz_state_load(dfd, &s->st);
    (void)lz_exit_load(dfd, &s->ex);
    (void)lz_mounted_load(dfd, mpath, sizeof mpath);
    s->preload = lz_preload_load(dfd);
    lz_live_pids(cfg, dfd, &s->sup, &s->dockerd);
    /* a listener with no dockerd yet is not asked: that connection would
     * start one */
    s->ready = !armed(s) && lz_ping(cfg->socket_path, 2000) == LZ_PING_OK;
    /* the kernel's word, whoever started that dockerd */
    s->uptime = s->dockerd ? lz_pid_age_s(s->dockerd) : 0;
    if (s->uptime < 0)
        s->uptime = 0;
    s->tmpfs = mpath[0] && strcmp(mpath, cfg->data_root) == 0 &&
               strcmp(lz_fs_of(cfg->data_root), "tmpfs") == 0 &&
               lz_is_mountpoint(cfg->data_root);
    s->fs = lz_fs_of(cfg->data_root);
    status_phase(s);
    s->listening = s->sup && !handed_over(&s->st);
    if (s->dockerd)
        lz_contain_cgroup_of(s->dockerd, s->dcg, sizeof s->dcg);
    s->pod_limit = lz_contain_probe(&s->pc) == 0 ? s->pc.pod_limit : 0;
    struct statvfs sv;
    if (statvfs(cfg->data_root, &sv) == 0) {
        s->dr_size = (int64_t)sv.f_blocks * (int64_t)sv.f_frsize;
        s->dr_used = s->dr_size - (int64_t)sv.f_bfree * (int64_t)sv.f_frsize;
    }
}

static json_t *last_exit_json(const struct lz_exit_record *ex)
{
    if (!ex->status[0])
        return json_null();
    json_t *e = json_object();
    json_object_set_new(e, "status", json_string(ex->status));
    json_object_set_new(e, "time", json_integer(ex->time));
    json_object_set_new(e, "reason", json_string(ex->reason));
    return e;
}

static int print_json(const struct lz_config *cfg, const struct status *s)
{
    LZ_AUTOJSON o = json_object();
    json_object_set_new(o, "running", json_boolean(s->dockerd != 0 || s->ready));
    json_object_set_new(o, "ready", json_boolean(s->ready));
    json_object_set_new(o, "dockerd_pid", s->dockerd ? json_integer(s->dockerd) : json_null());
    json_object_set_new(o, "supervisor_pid", s->sup ? json_integer(s->sup) : json_null());
    json_object_set_new(o, "listening", json_boolean(s->listening));
    json_object_set_new(o, "phase", json_string(s->phase));
    json_object_set_new(o, "failures", json_integer(s->st.failures));
    json_object_set_new(o, "gave_up_reason", s->gave_up_reason[0]
                                                 ? json_string(s->gave_up_reason)
                                                 : json_null());
    json_object_set_new(o, "uptime_s", json_integer(s->uptime));
    json_object_set_new(o, "socket", json_string(cfg->socket_path));
    json_object_set_new(o, "data_root", json_string(cfg->data_root));
    json_object_set_new(o, "data_root_fs", json_string(s->fs));
    json_object_set_new(o, "tmpfs_mounted", json_boolean(s->tmpfs));
    json_object_set_new(o, "data_root_size", json_integer(s->dr_size));
    json_object_set_new(o, "data_root_used", json_integer(s->dr_used));
    json_object_set_new(o, "dockerd_cgroup", s->dcg[0] ? json_string(s->dcg) : json_null());
    json_object_set_new(o, "pod_memory_limit", s->pod_limit ? json_integer(s->pod_limit)
                                                             : json_null());
    json_object_set_new(o, "log", json_string(cfg->log_path));
    if (s->engine.known) {
        json_t *e = json_object();
        json_object_set_new(e, "version", json_string(s->engine.version));
        json_object_set_new(e, "binary", lz_json_text(s->engine_bin, strlen(s->engine_bin)));
        json_object_set_new(o, "engine", e);
    } else {
        json_object_set_new(o, "engine", json_null());
    }
    json_object_set_new(o, "last_exit", last_exit_json(&s->ex));
    json_object_set(o, "preload", s->preload ? s->preload : json_null());
    LZ_AUTOFREE char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text)
        return 1;
    printf("%s\n", text);
    return 0;
}

static int print_text(const struct lz_config *cfg, const struct status *s)
{
    if (s->dockerd || s->ready)
        printf("running:       yes%s\n", s->ready ? "" : " (not answering yet)");
    else
        printf("running:       no\n");
    if (s->dockerd)
        printf("dockerd:       pid %d, up %llds\n", s->dockerd, (long long)s->uptime);
    if (s->dcg[0])
        printf("cgroup:        %s (dockerd's%s)\n", s->dcg,
               strstr(s->dcg, "/lazydind/daemon") ? ", inside the pod's cgroup"
               : s->pc.pod_cg[0] && strcmp(s->pc.pod_cg, s->dcg) == 0
                   ? ", the pod's own cgroup"
                   : "; see lazydind doctor");
    if (s->engine.known)
        printf("engine:        Docker %s (%s)\n", s->engine.version, s->engine_bin);
    else
        printf("engine:        unknown (%s --version did not answer)\n",
               s->engine_bin[0] ? s->engine_bin : cfg->dockerd);
    if (s->sup && !s->listening)
        printf("supervisor:    pid %d, %s; dockerd serves %s itself (handed over)\n",
               s->sup, s->phase, cfg->socket_path);
    else if (s->sup)
        printf("supervisor:    pid %d, %s on %s\n", s->sup, s->phase, cfg->socket_path);
    else
        printf("supervisor:    none\n");
    if (s->st.failures)
        printf("failures:      %d in the last minute\n", s->st.failures);
    if (s->gave_up_reason[0])
        printf("gave up:       %s\n", s->gave_up_reason);
    printf("socket:        %s\n", cfg->socket_path);
    printf("data-root:     %s (%s%s)\n", cfg->data_root, s->fs,
           s->tmpfs ? ", tmpfs mounted by lazydind" : "");
    if (s->tmpfs && s->dr_size > 0) {
        char u[32], t[32], l[32] = "";
        lz_cg_human(s->dr_used, u, sizeof u);
        lz_cg_human(s->dr_size, t, sizeof t);
        if (s->pod_limit)
            lz_cg_human(s->pod_limit, l, sizeof l);
        printf("               %s of %s used (%lld%%), in memory%s%s; when full, writes fail "
               "with 'no space left on device': docker system prune, a volume for the "
               "data-root, or LAZYDIND_TMPFS_SIZE\n", u, t,
               (long long)(s->dr_used * 100 / s->dr_size),
               l[0] ? ", inside the pod's limit " : "", l);
    }
    printf("log:           %s\n", cfg->log_path);
    if (s->ex.status[0])
        printf("last exit:     dockerd %s%s%s\n", s->ex.status,
               s->ex.reason[0] ? ": " : "", s->ex.reason);
    if (s->preload)
        lz_preload_print(s->preload);
    return 0;
}

int lz_cmd_status(int argc, char **argv)
{
    struct lz_config cfg;
    struct status s;
    int json = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else
            lz_cmd_unexpected("lazydind status [--json]", argv[i]);
    }
    lz_cmd_settings_or_die(&cfg, 1);
    status_gather(&cfg, &s);
    int rc = json ? print_json(&cfg, &s) : print_text(&cfg, &s);
    json_decref(s.preload);
    return rc;
}
