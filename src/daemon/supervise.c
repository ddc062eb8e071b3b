/* `lazydind supervise`: the small process that owns dockerd. It listens on
 * the daemon socket before dockerd exists; the first connection prepares
 * storage and spawns dockerd with that socket (spawn.c); it reaps dockerd,
 * records how it ended, re-arms after a crash (backoff.c), stops an idle
 * dockerd (idle.c) and exits when asked to.
 *
 * One event loop (supervise_loop) sees everything that can happen, and
 * each event has one small handler:
 *   a connection on the listening socket  on_connection  (start dockerd)
 *   READY=1 on the notify socket          on_notify
 *   a signal (the signalfd)               on_signal: on_child_exit, on_sighup,
 *                                         on_keep_socket, on_stop
 *   every wake-up (at most 2 s apart)     on_tick: log rotation, a deleted
 *                                         runtime dir, the idle check
 * The phase says which sources are watched: the listening socket while
 * ARMED, the notify socket while RUNNING and not ready.
 *
 * dockerd's generated config is built once per dockerd start, where it is
 * spawned (start_dockerd: the file, the flags, NO_PROXY and the notes from
 * the same build), and again for the same dockerd on SIGHUP. Nothing else
 * builds it: the starter (shim, start, activate) checked the input before
 * it started this supervisor (lz_dconf_resolve, exit 2 on bad input), and
 * the start-up only takes what the input says (data-root, lz_dconf_inputs);
 * the engine's version is asked on the first connection. */
#define _GNU_SOURCE
#include "daemon/daemon.h"
#include "daemon/contain.h"
#include "base/cleanup.h"
#include "base/state.h"
#include "base/util.h"
#include "config/daemonconf.h"
#include "config/snapshots.h"
#include "pod/dockerd.h"
#include "daemon/backoff.h"
#include "daemon/idle.h"
#include "daemon/listen.h"
#include "daemon/logfile.h"
#include "daemon/notify.h"
#include "daemon/prepare.h"
#include "daemon/preload.h"
#include "daemon/records.h"
#include "daemon/report.h"
#include "daemon/rootless.h"
#include "daemon/spawn.h"
#include "daemon/storage.h"

#include <sys/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum phase { ARMED, RUNNING, BACKOFF, GAVE_UP };
static const char *const phase_names[] = {"armed", "running", "backoff", "gave_up"};

enum stop_reason { STOP_NONE, STOP_EXIT, STOP_KEEP_SOCKET, STOP_IDLE };

/* What a handler tells the loop. */
enum next { GO_ON, LEAVE };

struct sup {
    const struct lz_config *cfg;
    int dirfd;
    int logfd;
    int report_fd;
    int lfd;            /* the listening daemon socket */
    int nfd;            /* our sd_notify socket */
    int sfd;            /* the signalfd */
    int64_t gen;
    int64_t log_offset; /* where this dockerd's output starts */
    pid_t dockerd;
    int ready;          /* dockerd said READY=1 */
    int mounted;
    int storage_ready;
    int prepared;       /* cgroup and iptables preparation done */
    int ipt_off;        /* no iptables backend works: "iptables": false */
    char ipt_bindir[LZ_PATH_MAX]; /* first in dockerd's PATH, or "" */
    int64_t started_ms; /* wall clock, ms */
    int64_t started_mono;
    enum phase phase;
    enum stop_reason stopping;
    struct lz_burst burst;
    int spawns;         /* dockerd processes started so far */
    int64_t rearm_at;   /* monotonic ms */
    int64_t last_activity;
    int64_t idle_every; /* ms between idle checks */
    int64_t next_idle_check;
    char reason[1024];  /* last failure's reason */
    char dockerd_path[LZ_PATH_MAX];
    struct lz_engine engine;    /* dockerd's version (pod/dockerd.c) */
    struct lz_engine_job engine_job; /* asking it, while storage is prepared */
    int engine_probed;
    int engine_asked;           /* the question was started (ask_engine) */
};

static void sup_close(struct sup *s)
{
    lz_engine_probe_cancel(&s->engine_job);
    int *fds[] = {&s->dirfd, &s->logfd, &s->report_fd, &s->lfd, &s->nfd, &s->sfd};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        lz_closep(fds[i]);
}

static void dconf_freep(struct lz_dconf *d)
{
    lz_dconf_free(d);
}

#define LZ_AUTODCONF __attribute__((cleanup(dconf_freep))) struct lz_dconf

/* ------------------------------------------------------------ records -- */

static void write_state(struct sup *s)
{
    struct lz_state st;
    lz_record_state_base(&st, s->cfg, (long long)s->gen);
    st.dockerd_pid = s->dockerd > 0 ? (int)s->dockerd : 0;
    st.ready = s->ready;
    st.started_ms = (long long)s->started_ms;
    st.tmpfs_mounted = s->mounted;
    st.log_offset = (long long)s->log_offset;
    st.failures = s->burst.n;
    st.spawns = s->spawns;
    lz_strlcpy(st.phase, phase_names[s->phase], sizeof st.phase);
    if (s->phase == GAVE_UP)
        lz_strlcpy(st.reason, s->reason, sizeof st.reason);
    (void)lz_state_store(s->dirfd, &st);
}

/* dockerd names the file it was given, which is lazydind's merge: point the
 * user at the file they wrote. */
static void point_at_users_file(struct sup *s)
{
    char gen_path[LZ_PATH_MAX + 16];
    snprintf(gen_path, sizeof gen_path, "%s/daemon.json", s->cfg->run_dir);
    if (!strstr(s->reason, gen_path))
        return;
    size_t n = strlen(s->reason);
    snprintf(s->reason + n, sizeof s->reason - n,
             " (%s is lazydind's merge of %s and the LAZYDIND_* settings: "
             "fix the key there; `lazydind config` shows where each came from)",
             gen_path, s->cfg->daemon_json);
}

/* Writes the exit record (how dockerd ended, the most telling log line,
 * which becomes s->reason); the status text goes to how. */
static void record_exit(struct sup *s, int status, char *how, size_t cap)
{
    struct lz_exit_record ex;
    lz_record_exit(&ex, s->cfg, (long long)s->gen, s->dockerd, status, s->ready,
                   s->log_offset);
    lz_strlcpy(s->reason, ex.reason, sizeof s->reason);
    point_at_users_file(s);
    lz_strlcpy(ex.reason, s->reason, sizeof ex.reason);
    (void)lz_exit_store(s->dirfd, &ex);
    lz_strlcpy(how, ex.status, cap);
    lz_log_line(s->logfd, "dockerd (pid %d) %s", (int)s->dockerd, how);
}

/* A failure (a start that did not work, or a crash) counted: BACKOFF until
 * the delay is over, or GAVE_UP (the loop's next turn gives up). Returns the
 * delay, -1 for giving up. */
static int64_t after_failure(struct sup *s)
{
    int64_t delay = lz_burst_fail(&s->burst, lz_now_ms());
    if (delay < 0) {
        s->phase = GAVE_UP;
    } else {
        s->phase = BACKOFF;
        s->rearm_at = lz_now_ms() + delay;
    }
    return delay;
}

/* ------------------------------------------- a connection: start dockerd -- */

/* The runtime dir deleted under us (rm -rf /run/lazydind): make it again
 * with what callers, `lazydind stop` and dockerd look for in it (state, gen,
 * the tmpfs record, our notify socket, the generated config at the next
 * start, the iptables links). */
static void heal_rundir(struct sup *s)
{
    struct stat a, b;
    if (s->dirfd < 0 || (fstat(s->dirfd, &a) == 0 && stat(s->cfg->run_dir, &b) == 0 &&
                         a.st_dev == b.st_dev && a.st_ino == b.st_ino))
        return;
    char err[1024];
    int fd = lz_rundir_open(s->cfg->run_dir, 1, err, sizeof err);
    if (fd < 0) {
        lz_log_line(s->logfd, "the runtime dir is gone and cannot be made again: %s", err);
        return;
    }
    close(s->dirfd);
    s->dirfd = fd;
    (void)lz_gen_store(fd, (long long)s->gen);
    if (s->mounted)
        (void)lz_mounted_store(fd, s->cfg->data_root);
    lz_closep(&s->nfd);
    s->nfd = lz_notify_bind(s->dirfd, s->cfg->run_dir);
    s->prepared = 0; /* the iptables links lived there */
    write_state(s);
    lz_log_line(s->logfd, "the runtime dir %s was deleted: made it again", s->cfg->run_dir);
}

/* A step that failed: its message in the log and as the reason. */
static int failed_with(struct sup *s, const char *err)
{
    lz_log_line(s->logfd, "%s", err);
    lz_strlcpy(s->reason, err, sizeof s->reason);
    return -1;
}

/* Storage, once per supervisor. */
static int storage_once(struct sup *s)
{
    char err[1024];
    if (s->storage_ready)
        return 0;
    /* a tmpfs data-root is sized inside the pod's memory limit */
    struct lz_config scfg = *s->cfg;
    char why[768] = "";
    lz_tmpfs_size_choose(&scfg, why, sizeof why);
    if (lz_storage_ready(&scfg, s->dirfd, s->logfd, &s->mounted, err, sizeof err) != 0)
        return failed_with(s, err);
    if (s->mounted)
        lz_log_line(s->logfd, "tmpfs on %s: %s", s->cfg->data_root, why);
    s->storage_ready = 1;
    return 0;
}

/* cgroup nesting and the iptables backend, once (again after the runtime
 * dir that held the iptables links was deleted). */
static void prepare_once(struct sup *s)
{
    if (s->prepared)
        return;
    lz_prepare_pod(s->cfg, s->logfd, s->ipt_bindir, sizeof s->ipt_bindir, &s->ipt_off);
    s->prepared = 1;
}

/* The engine's version, once: waits for the question started when the
 * supervisor started (storage and iptables were prepared meanwhile) and
 * logs the answer. */
static void engine_known(struct sup *s);

/* The engine's version asked, once: on the first connection, so that the
 * question runs while storage and iptables are prepared, and an armed
 * supervisor (after `lazydind activate`) runs nothing but itself. */
static void ask_engine(struct sup *s)
{
    if (s->engine_asked)
        return;
    s->engine_asked = 1;
    if (lz_engine_probe_start(s->cfg, s->dirfd, &s->engine, &s->engine_job) == 0)
        engine_known(s); /* answered from the cache */
}

static void engine_known(struct sup *s)
{
    ask_engine(s);
    if (s->engine_probed)
        return;
    lz_engine_probe_finish(&s->engine_job, s->dirfd, &s->engine);
    s->engine_probed = 1;
    lz_engine_log(s->cfg, &s->engine, s->engine_job.bin, s->logfd);
}

/* dockerd's config, built once for this start from daemon.json as it is
 * now, for the engine's version (only keys it knows), and written where
 * --config-file points. */
static int build_config(struct sup *s, struct lz_dconf *d, char *no_proxy, size_t cap)
{
    char err[1024];
    engine_known(s);
    if (lz_dconf_make(s->cfg, s->ipt_off, &s->engine, d, err, sizeof err) != 0 ||
        lz_dconf_write(s->dirfd, d, err, sizeof err) != 0)
        return failed_with(s, err);
    /* the notes (e.g. an address pool it changed) go to the log and to
     * `notices`, which the caller who announces this start prints */
    for (int i = 0; i < d->nnotes; i++)
        lz_log_line(s->logfd, "%s", d->notes[i]);
    lz_log_line(s->logfd, "dockerd's config built for start %d (builds by this "
                          "supervisor: %ld)", s->spawns + 1, lz_dconf_builds());
    if (lz_strlcpy(no_proxy, d->set_no_proxy ? d->no_proxy : "", cap) != 0)
        no_proxy[0] = '\0';
    return 0;
}

/* Builds the config and spawns dockerd with it; RUNNING. */
static int start_dockerd(struct sup *s)
{
    LZ_AUTODCONF d = {0};
    char no_proxy[4096], conf[LZ_PATH_MAX + 16], notify[LZ_PATH_MAX + 16];
    char cert_dir[3 * LZ_PATH_MAX], err[1024];
    if (build_config(s, &d, no_proxy, sizeof no_proxy) != 0)
        return -1;
    if (lz_dockerd_ca_certs(s->cfg, cert_dir, sizeof cert_dir, err, sizeof err) != 0)
        return failed_with(s, err);
    snprintf(conf, sizeof conf, "%s/daemon.json", s->cfg->run_dir);
    snprintf(notify, sizeof notify, "%s/notify.sock", s->cfg->run_dir);
    LZ_AUTOFREE char **argv = lz_dockerd_argv(s->dockerd_path, conf, d.argc, d.argv);
    if (!argv)
        return failed_with(s, "out of memory");
    lz_dockerd_clean_pidfile(s->logfd);
    lz_preload_plan(s->cfg, s->dirfd, s->logfd); /* once, before the first */
    s->log_offset = lseek(s->logfd, 0, SEEK_END);
    if (s->log_offset < 0)
        s->log_offset = 0;
    s->ready = 0;
    s->stopping = STOP_NONE;
    s->started_ms = lz_wall_s() * 1000;
    s->started_mono = lz_now_ms();
    s->last_activity = s->started_mono;
    /* dockerd >= 25 reads the oldest API version it serves from its
     * environment */
    const char *min_api = s->cfg->min_api_version &&
                          lz_engine_has_min_api_env(&s->engine) ? s->cfg->min_api_version
                                                                : NULL;
    struct lz_dockerd_child c = {argv, s->logfd, s->lfd, notify, s->ipt_bindir, no_proxy,
                                 cert_dir, min_api};
    s->dockerd = lz_dockerd_spawn(&c);
    if (s->dockerd < 0) {
        snprintf(s->reason, sizeof s->reason, "cannot fork dockerd: %s", strerror(errno));
        s->dockerd = 0;
        return -1;
    }
    s->spawns++;
    s->phase = RUNNING;
    write_state(s);
    lz_log_line(s->logfd, "connection on %s: started %s (pid %d)", s->cfg->socket_path,
                s->dockerd_path, (int)s->dockerd);
    return 0;
}

/* The first connection while ARMED: prepare what is needed once, start
 * dockerd. A failure is answered to the waiting clients. */
static void on_connection(struct sup *s)
{
    heal_rundir(s);
    ask_engine(s); /* answered while storage is prepared */
    if (storage_once(s) == 0) {
        prepare_once(s);
        if (start_dockerd(s) == 0)
            return;
    }
    char msg[1200];
    snprintf(msg, sizeof msg, "lazydind: the Docker daemon could not start: %s",
             s->reason);
    lz_answer_pending(s->lfd, msg);
    (void)after_failure(s);
    write_state(s);
}

/* ------------------------------------------------------------- notify -- */

static void on_notify(struct sup *s)
{
    if (!lz_notify_drain(s->nfd) || s->ready)
        return;
    s->ready = 1;
    lz_burst_reset(&s->burst); /* a daemon that came up ends a burst */
    /* idle time counts from readiness: a slow start is not idleness, and
     * the clients that waited for it are about to make their requests */
    s->last_activity = lz_now_ms();
    write_state(s);
    lz_log_line(s->logfd, "dockerd is ready (%lld ms after the first connection)",
                (long long)(lz_now_ms() - s->started_mono));
    lz_preload_begin(s->cfg, s->dirfd, s->logfd);
}

/* ------------------------------------------------------------ signals -- */

/* dockerd ended: record it; decide between re-arming now, after a backoff,
 * or giving up. */
static void on_dockerd_exit(struct sup *s, int status)
{
    char how[64];
    record_exit(s, status, how, sizeof how);
    s->dockerd = 0;
    if (s->stopping != STOP_NONE) {
        s->phase = ARMED;
        write_state(s);
        return;
    }
    if (!s->ready) {
        /* it never came up: the waiting clients get the reason now */
        char msg[1400];
        snprintf(msg, sizeof msg, "lazydind: Docker daemon failed to start: %s",
                 s->reason[0] ? s->reason : how);
        int n = lz_answer_pending(s->lfd, msg);
        if (n)
            lz_log_line(s->logfd, "told %d waiting client(s) why", n);
    }
    int64_t delay = after_failure(s);
    if (delay >= 0)
        lz_log_line(s->logfd, "re-arming in %lld ms (%d failure(s) in the last minute)",
                    (long long)delay, s->burst.n);
    write_state(s);
}

/* SIGCHLD: reaps every child; LEAVE once dockerd ended after we were asked
 * to exit. */
static enum next on_child_exit(struct sup *s)
{
    int status;
    pid_t w;
    while ((w = waitpid(-1, &status, WNOHANG)) > 0) {
        if (w != s->dockerd || s->dockerd <= 0)
            continue;
        int exiting = s->stopping == STOP_EXIT;
        on_dockerd_exit(s, status);
        if (exiting)
            return LEAVE;
    }
    return GO_ON;
}

/* SIGHUP: dockerd reloads its config file; a new build for the same
 * dockerd is written first. */
static void on_sighup(struct sup *s)
{
    char err[1024], no_proxy[4096];
    if (s->dockerd <= 0)
        return;
    if (lz_dconf_regenerate(s->cfg, s->dirfd, s->ipt_off, &s->engine, no_proxy,
                            sizeof no_proxy,
                            err, sizeof err) != 0)
        lz_log_line(s->logfd, "SIGHUP: %s; dockerd keeps its config", err);
    else
        kill(s->dockerd, SIGHUP);
}

/* SIGUSR1: `lazydind stop --keep-socket`. */
static void on_keep_socket(struct sup *s)
{
    if (s->dockerd <= 0)
        return;
    lz_log_line(s->logfd, "asked to stop dockerd and keep listening");
    s->stopping = STOP_KEEP_SOCKET;
    kill(s->dockerd, SIGTERM);
}

/* SIGTERM, SIGINT, SIGQUIT: stop dockerd, then leave (at once without one). */
static enum next on_stop(struct sup *s, int signo)
{
    lz_log_line(s->logfd, "signal %d: stopping", signo);
    if (s->dockerd <= 0)
        return LEAVE;
    s->stopping = STOP_EXIT;
    kill(s->dockerd, SIGTERM);
    return GO_ON;
}

static enum next on_signal(struct sup *s)
{
    struct signalfd_siginfo si;
    if (read(s->sfd, &si, sizeof si) != (ssize_t)sizeof si)
        return GO_ON;
    switch (si.ssi_signo) {
    case SIGCHLD:
        return on_child_exit(s);
    case SIGHUP:
        on_sighup(s);
        return GO_ON;
    case SIGUSR1:
        on_keep_socket(s);
        return GO_ON;
    default:
        return on_stop(s, (int)si.ssi_signo);
    }
}

/* --------------------------------------------------------------- time -- */

/* Opt-in idle shutdown: no running container and no API connection for
 * LAZYDIND_IDLE_TIMEOUT. */
static void check_idle(struct sup *s, int64_t now)
{
    if (!lz_idle_expired(s->logfd, lz_idle_busy(s->cfg->socket_path), now, &s->last_activity,
                         s->cfg->idle_timeout_ms))
        return;
    s->stopping = STOP_IDLE;
    kill(s->dockerd, SIGTERM);
}

/* 1 while the idle timer runs: dockerd started and LAZYDIND_IDLE_TIMEOUT
 * set (the check itself waits for readiness and skips a dockerd being
 * stopped). */
static int idle_watched(const struct sup *s)
{
    return s->phase == RUNNING && s->cfg->idle_timeout_ms > 0;
}

/* After every wake-up, event or not. */
static void on_tick(struct sup *s)
{
    lz_log_cap(s->logfd, s->cfg->log_path, s->cfg->log_max, &s->log_offset);
    heal_rundir(s);
    int64_t now = lz_now_ms();
    if (idle_watched(s) && s->ready && s->stopping == STOP_NONE &&
        now >= s->next_idle_check) {
        s->next_idle_check = now + s->idle_every;
        check_idle(s, now);
    }
}

/* How long the loop may sleep: 2 s at most, less for a backoff that ends
 * or an idle check that is due. */
static int poll_timeout(struct sup *s, int64_t now)
{
    int64_t timeout = 2000;
    if (s->phase == BACKOFF && s->rearm_at - now < timeout)
        timeout = s->rearm_at - now;
    if (idle_watched(s)) {
        if (s->next_idle_check == 0)
            s->next_idle_check = now + s->idle_every;
        if (s->next_idle_check - now < timeout)
            timeout = s->next_idle_check - now;
    }
    return timeout < 0 ? 0 : (int)timeout;
}

/* ------------------------------------------------------------ the loop -- */

/* Crash burst over: the socket goes, the reason stays in the state. */
static void give_up(struct sup *s)
{
    char msg[1200];
    snprintf(msg, sizeof msg,
             "lazydind: the Docker daemon failed %d times within %d s; giving up "
             "until the next docker command or `lazydind activate`. Last reason: %s",
             LZ_BURST_MAX, LZ_BURST_WINDOW_MS / 1000, s->reason);
    lz_answer_pending(s->lfd, msg);
    lz_closep(&s->lfd);
    s->lfd = -1;
    (void)unlink(s->cfg->socket_path);
    lz_strlcpy(s->reason, msg + 10, sizeof s->reason);
    s->phase = GAVE_UP;
    write_state(s);
    lz_log_line(s->logfd, "%s", msg + 10);
}

/* Which sources this turn watches, by phase. */
struct watch {
    struct pollfd pfd[3];
    int n;
    int listen; /* index in pfd, or -1 */
    int notify;
};

static void watch_set(const struct sup *s, struct watch *w)
{
    w->n = 0;
    w->listen = w->notify = -1;
    w->pfd[w->n++] = (struct pollfd){.fd = s->sfd, .events = POLLIN};
    if (s->phase == ARMED && s->lfd >= 0) {
        w->listen = w->n;
        w->pfd[w->n++] = (struct pollfd){.fd = s->lfd, .events = POLLIN};
    }
    if (s->phase == RUNNING && s->nfd >= 0 && !s->ready) {
        w->notify = w->n;
        w->pfd[w->n++] = (struct pollfd){.fd = s->nfd, .events = POLLIN};
    }
}

static int ready_in(const struct watch *w, int i)
{
    return i >= 0 && (w->pfd[i].revents & POLLIN);
}

/* The event loop. Returns 1 after giving up, 0 when it is time to leave. */
static int supervise_loop(struct sup *s)
{
    for (;;) {
        if (s->phase == GAVE_UP) {
            give_up(s);
            return 1;
        }
        int64_t now = lz_now_ms();
        if (s->phase == BACKOFF && now >= s->rearm_at) {
            s->phase = ARMED;
            write_state(s);
        }
        struct watch w;
        watch_set(s, &w);
        int r = poll(w.pfd, (nfds_t)w.n, poll_timeout(s, now));
        if (r < 0 && errno != EINTR)
            return 0;
        on_tick(s);
        if (r <= 0)
            continue;
        if (ready_in(&w, w.notify))
            on_notify(s);
        if (ready_in(&w, w.listen))
            on_connection(s);
        if (ready_in(&w, 0) && on_signal(s) == LEAVE)
            return 0;
    }
}

/* Asked to exit (dockerd, if any, has ended): the socket goes, and the
 * state with it. */
static void leave(struct sup *s)
{
    if (s->lfd >= 0) {
        lz_closep(&s->lfd);
        s->lfd = -1;
        (void)unlink(s->cfg->socket_path);
    }
    s->phase = ARMED;
    s->dockerd = 0;
    lz_state_clear(s->dirfd);
    lz_log_line(s->logfd, "supervisor %d exits", (int)getpid());
}

/* ------------------------------------------------------------ set-up -- */

/* The start-up, before anything is started: no config is built here (the
 * start builds it, once, from daemon.json as it is then; its starter has
 * checked the input), and the engine is asked on the first connection.
 * The notes of an earlier supervisor are not this one's. */
static void forget_notices(struct sup *s)
{
    (void)unlinkat(s->dirfd, "notices", 0);
}

/* `--report-fd N`: the starter's pipe, or -1. */
static int report_fd_arg(int argc, char **argv)
{
    int fd = -1;
    if (argc == 4 && strcmp(argv[2], "--report-fd") == 0)
        fd = atoi(argv[3]);
    if (fd < 3 || fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
        return -1;
    return fd;
}

/* What both supervisors need: the runtime dir, the generation, the log
 * (our own stderr too). 0, or the exit code after the report. */
static int open_common(struct sup *s)
{
    char err[1024];
    s->dirfd = lz_rundir_open(s->cfg->run_dir, 1, err, sizeof err);
    if (s->dirfd < 0) {
        lz_report(&s->report_fd, "err %s", err);
        return 1;
    }
    s->gen = lz_gen_load(s->dirfd);
    s->logfd = lz_log_open(s->cfg, err, sizeof err);
    if (s->logfd < 0) {
        lz_report(&s->report_fd, "err %s", err);
        return 1;
    }
    dup2(s->logfd, 2);
    return 0;
}

/* The rootful supervisor's start-up: the config check, dockerd's binary,
 * the listening and notify sockets, the signals; then ARMED and reported.
 * 0, or the exit code after the report. */
static int open_rootful(struct sup *s)
{
    char err[1024];
    forget_notices(s);
    if (lz_dockerd_find(s->cfg->dockerd, s->dockerd_path, sizeof s->dockerd_path, err,
                        sizeof err) != 0 ||
        (s->lfd = lz_listen_unix(s->cfg->socket_path, err, sizeof err)) < 0) {
        lz_log_line(s->logfd, "%s", err);
        lz_report(&s->report_fd, "err %s", err);
        return 1;
    }
    s->nfd = lz_notify_bind(s->dirfd, s->cfg->run_dir);
    s->sfd = lz_supervisor_signals();
    s->idle_every = lz_idle_every(s->cfg->idle_timeout_ms);
    s->phase = ARMED;
    write_state(s);
    lz_log_line(s->logfd, "listening on %s (supervisor %d); dockerd starts on the "
                          "first connection", s->cfg->socket_path, (int)getpid());
    lz_report(&s->report_fd, "ok %d", (int)getpid());
    return 0;
}

int lz_supervise_main(int argc, char **argv)
{
    struct lz_config cfg;
    __attribute__((cleanup(sup_close))) struct sup s;
    char err[1024];
    memset(&s, 0, sizeof s);
    s.cfg = &cfg;
    s.logfd = s.dirfd = s.lfd = s.nfd = s.sfd = -1;
    s.report_fd = report_fd_arg(argc, argv);
    if (s.report_fd < 0) {
        lz_error("supervise is internal: it is started by the docker shim, "
                 "`lazydind start` or `lazydind activate`");
        return LZ_EXIT_USAGE;
    }
    if (lz_config_load(&cfg, err, sizeof err) != 0 ||
        lz_dconf_inputs(&cfg, err, sizeof err) != 0) {
        lz_report(&s.report_fd, "err %s", err);
        return LZ_EXIT_USAGE;
    }
    int rc = open_common(&s);
    if (rc != 0)
        return rc;
    /* what dockerd and containerd leave behind (a shim whose containerd was
     * killed, an exec'd process) is reparented to us, not to the pod's PID
     * 1, which may never reap: the SIGCHLD handlers reap every child */
    (void)prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    if (cfg.rootless)
        lz_supervise_rootless(&cfg, s.dirfd, s.logfd, s.report_fd, (long long)s.gen);
    rc = open_rootful(&s);
    if (rc != 0)
        return rc;
    rc = supervise_loop(&s);
    if (rc == 0)
        leave(&s);
    return rc;
}
