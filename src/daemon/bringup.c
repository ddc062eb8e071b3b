/* The bring-up sequence (bringup.h): its steps as small functions around
 * one order. */
#define _GNU_SOURCE
#include "daemon/bringup.h"
#include "daemon/contain.h"
#include "daemon/await.h"
#include "daemon/daemon.h"
#include "daemon/launch.h"
#include "daemon/rootless_xdg.h"
#include "daemon/startlock.h"
#include "daemon/warm.h"
#include "config/daemonconf.h"
#include "pod/preflight.h"
#include "base/cleanup.h"
#include "base/ping.h"
#include "base/state.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int lz_config_resolve(struct lz_config *cfg, char *err, size_t errlen)
{
    /* daemon.json (syntax, data-root), LAZYDIND_DOCKERD_ARGS and the rules
     * of the generated dockerd config, checked without writing anything */
    return lz_dconf_resolve(cfg, err, errlen);
}

const char *lz_up_name(enum lz_up up)
{
    switch (up) {
    case LZ_UP_READY: return "ready";
    case LZ_UP_LISTENING: return "listening";
    case LZ_UP_FAILED: return "failed";
    case LZ_UP_NOT_OURS: return "not ours";
    case LZ_UP_BAD_INPUT: return "bad input";
    }
    return "?";
}

/* One bring-up: what the steps share. */
struct bringup {
    struct lz_config *cfg;
    enum lz_up_goal goal;
    int64_t t0, deadline;
    int dirfd;              /* the runtime dir, opened once (step 3 or 4) */
    struct lz_state seen;   /* the state step 0 or 3 read */
    const struct lz_state *claim_by; /* the state to claim the notices by */
    int spawned;            /* step 3 started the supervisor */
    int retried;
};

/* What step 0 found. */
/* FOUND_ARMED: our supervisor listens and no dockerd runs yet, so the
 * next connection starts one with the config as it is now (checked first:
 * bad input is exit 2 there too). FOUND_STARTING: a dockerd is on its way. */
enum found { FOUND_READY, FOUND_ARMED, FOUND_STARTING, FOUND_NOTHING };

/* Step 0: up already, or a start under way? The warm path ends here,
 * before the clock is read. */
static enum found look(struct bringup *b)
{
    enum lz_warm w = lz_warm_look(b->cfg, &b->seen);
    if (w == LZ_WARM_READY && b->goal == LZ_GOAL_EXEC)
        return FOUND_READY;
    b->t0 = lz_now_ms();
    b->deadline = b->t0 + b->cfg->start_timeout_ms;
    if (w == LZ_WARM_LISTENING) {
        /* the state said ready, yet dockerd is gone: the claim needs the
         * state after the supervisor re-armed */
        b->claim_by = b->seen.ready ? NULL : &b->seen;
        return b->seen.dockerd_pid > 0 ? FOUND_STARTING : FOUND_ARMED;
    }
    /* the state cannot tell, or `start` wants an answer: ask the socket */
    enum lz_ping_result pr = lz_ping(b->cfg->socket_path, 250);
    if (pr == LZ_PING_OK)
        return FOUND_READY;
    /* a listener whose dockerd is still starting holds the connection */
    return pr == LZ_PING_TIMEOUT ? FOUND_STARTING : FOUND_NOTHING;
}

/* 1 when our supervisor is alive and listening (not given up). */
static int supervisor_listening(struct bringup *b)
{
    if (lz_state_load(b->dirfd, &b->seen) != 0)
        return 0;
    return lz_pid_is(b->seen.supervisor_pid, "lazydind") &&
           strcmp(b->seen.phase, "gave_up") != 0;
}

/* Step 3 for those who may: the supervisor is started here, once. */
static enum lz_up launch(struct bringup *b)
{
    const struct lz_config *cfg = b->cfg;
    char msg[1200];
    int pid;
    if (lz_gen_store(b->dirfd, lz_gen_load(b->dirfd) + 1) != 0) {
        lz_error("cannot write %s/gen: %s", cfg->run_dir, strerror(errno));
        return LZ_UP_FAILED;
    }
    switch (lz_launch_supervisor(b->deadline, &pid, msg, sizeof msg)) {
    case LZ_LAUNCH_NOSPAWN:
        lz_error("cannot start the supervisor: %s", strerror(errno));
        return LZ_UP_FAILED;
    case LZ_LAUNCH_SILENT:
        lz_error("the supervisor did not report; see %s", cfg->log_path);
        return LZ_UP_FAILED;
    case LZ_LAUNCH_REFUSED:
        lz_error("cannot start the Docker daemon: %s", msg);
        return LZ_UP_FAILED;
    case LZ_LAUNCH_OK:
        break;
    }
    b->spawned = 1;
    /* it listens, armed, before its first start: the state it just wrote,
     * without reading it again */
    memset(&b->seen, 0, sizeof b->seen);
    b->seen.supervisor_pid = pid;
    lz_strlcpy(b->seen.phase, "armed", sizeof b->seen.phase);
    b->claim_by = pid > 0 ? &b->seen : NULL;
    /* the config's notes (e.g. an address pool it changed) come with the
     * build at the spawn, and with "ready in" (await.c) */
    char w[768];
    if (lz_tmpfs_size_warning(b->cfg, w, sizeof w))
        lz_notice("%s", w);
    return LZ_UP_LISTENING;
}

/* Step 3: make sure a supervisor listens. Under the lock only the listener
 * is set up: callers then wait on readiness together, not on each other. */
static enum lz_up ensure_listener(struct bringup *b)
{
    const struct lz_config *cfg = b->cfg;
    char err[1024];
    if (cfg->rootless && cfg->xdg_missing) {
        lz_error("rootless mode needs XDG_RUNTIME_DIR: set it to a directory "
                 "this user owns with mode 0700 (e.g. /run/user/%u), or set "
                 "LAZYDIND_MODE=rootful in a pod that runs as root",
                 (unsigned)geteuid());
        return LZ_UP_FAILED;
    }
    if (geteuid() != 0 && !cfg->rootless) {
        lz_notice("the Docker daemon at %s is not running, and only root can "
                  "start it in this pod", cfg->socket_path);
        return LZ_UP_NOT_OURS;
    }
    /* $XDG_RUNTIME_DIR made before the run dir in it (0700, no symlink) */
    if (cfg->rootless && lz_rootless_make_xdg(err, sizeof err) != 0) {
        lz_error("%s", err);
        return LZ_UP_FAILED;
    }
    if (b->dirfd < 0 && (b->dirfd = lz_rundir_open(cfg->run_dir, 1, err, sizeof err)) < 0) {
        lz_error("%s", err);
        return LZ_UP_FAILED;
    }
    LZ_AUTOFD lockfd = lz_start_lock(b->dirfd, b->deadline);
    if (lockfd < 0) {
        lz_error("cannot take the start lock %s/lock: %s", cfg->run_dir,
                 strerror(errno));
        return LZ_UP_FAILED;
    }
    b->spawned = 0;
    b->claim_by = NULL;
    if (supervisor_listening(b))
        return LZ_UP_LISTENING;
    enum lz_ping_result pr = lz_ping(cfg->socket_path, 1000);
    /* a dockerd whose supervisor was killed still serves (or is still
     * starting), or a supervisor whose state is gone holds our connection:
     * wait on that one, do not start another */
    if (pr == LZ_PING_OK || pr == LZ_PING_TIMEOUT)
        return LZ_UP_LISTENING;
    return launch(b);
}

/* Step 4. own: after step 3; else a start under way found by step 0. */
static enum lz_up wait_ready(struct bringup *b, int own)
{
    /* rootless: the supervisor's listener holds connections as in rootful
     * mode, but dockerd's socket replaces it once up (handover.h) */
    int rootless = b->cfg->rootless;
    struct lz_wait w = {
        .cfg = b->cfg, .dirfd = b->dirfd, .t0 = b->t0, .deadline = b->deadline,
        .seen = b->claim_by, .may_orphan = !b->retried,
    };
    w.announce = !own || b->spawned ? LZ_ANNOUNCE_CLAIM : LZ_ANNOUNCE_NONE;
    enum lz_await r = rootless ? lz_await_rootless(&w) : lz_await_ping(&w);
    b->dirfd = w.dirfd;
    if (r == LZ_AWAIT_READY)
        return LZ_UP_READY;
    if (r == LZ_AWAIT_FAILED)
        return LZ_UP_FAILED;
    /* Orphaned: once, within the same deadline, start afresh. */
    b->retried = 1;
    b->t0 = lz_now_ms();
    enum lz_up up = ensure_listener(b);
    return up == LZ_UP_LISTENING ? wait_ready(b, 1) : LZ_UP_FAILED;
}

static enum lz_up run(struct bringup *b, int resolved, char *err, size_t errlen)
{
    if (b->goal != LZ_GOAL_LISTEN) {
        enum found f = look(b);
        if (f == FOUND_READY)
            return LZ_UP_READY;
        if (f == FOUND_ARMED && !resolved && lz_config_resolve(b->cfg, err, errlen) != 0)
            return LZ_UP_BAD_INPUT;
        if (f == FOUND_STARTING || f == FOUND_ARMED)
            return wait_ready(b, 0);
    }
    if (!resolved && lz_config_resolve(b->cfg, err, errlen) != 0)
        return LZ_UP_BAD_INPUT;
    if (lz_preflight_gate(b->cfg) != 0)
        return LZ_UP_FAILED;
    /* the start's own clock (and "ready in") begins after the checks */
    b->t0 = lz_now_ms();
    b->deadline = b->t0 + b->cfg->start_timeout_ms;
    enum lz_up up = ensure_listener(b);
    if (up != LZ_UP_LISTENING || b->goal == LZ_GOAL_LISTEN)
        return up;
    return wait_ready(b, 1);
}

enum lz_up lz_bring_up(struct lz_config *cfg, enum lz_up_goal goal, int resolved,
                       char *err, size_t errlen)
{
    struct bringup b = {.cfg = cfg, .goal = goal, .dirfd = -1};
    enum lz_up up = run(&b, resolved, err, errlen);
    if (b.dirfd >= 0)
        close(b.dirfd);
    return up;
}
