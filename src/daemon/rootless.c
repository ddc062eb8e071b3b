/* The rootless supervisor: it listens on the user's socket; the first
 * connection starts dockerd-rootless.sh (rootlesskit), dockerd binding an
 * inner socket; once that answers, it is renamed over the user's socket
 * and the connections that came before are copied through (handover.h).
 * dockerd's storage driver is chosen for the data-root's filesystem; its
 * end is recorded and the socket re-armed. What it shares with the rootful supervisor (the log, the
 * report, the records, the signals) is in logfile.c, report.c, records.c
 * and base/util.c. */
#define _GNU_SOURCE
#include "daemon/rootless.h"
#include "base/unixsock.h"
#include "config/snapshots.h"
#include "pod/dockerd.h"
#include "base/cleanup.h"
#include "base/ping.h"
#include "base/fs.h"
#include "base/findcli.h"
#include "base/state.h"
#include "base/util.h"
#include "config/daemonconf.h"
#include "config/innersock.h"
#include "daemon/backoff.h"
#include "daemon/handover.h"
#include "daemon/idle.h"
#include "daemon/listen.h"
#include "daemon/logfile.h"
#include "daemon/records.h"
#include "daemon/report.h"
#include "daemon/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>


const char *lz_rootless_storage_driver(const char *fs, int have_fuse_overlayfs,
                                       int fuse_ok, int *slow)
{
    *slow = 0;
    if (strcmp(fs, "overlay") != 0)
        return NULL;
    if (have_fuse_overlayfs && fuse_ok)
        return "fuse-overlayfs";
    *slow = 1;
    return "vfs";
}

enum rl_phase { RL_ARMED, RL_STARTING, RL_UP, RL_BACKOFF, RL_GAVE_UP };
static const char *const rl_phase_names[] = {"armed", "running", "running", "backoff",
                                             "gave_up"};
enum rl_stop { RL_STOP_NONE, RL_STOP_EXIT, RL_STOP_KEEP };

/* What the rootless supervisor works with. */
struct rl {
    const struct lz_config *cfg;
    int dirfd;
    int logfd;
    int report_fd;
    long long gen;
    char script[LZ_PATH_MAX];   /* dockerd-rootless.sh */
    const char *driver;         /* --storage-driver, or NULL */
    const char *auto_driver;    /* the one chosen for the data-root's filesystem */
    struct lz_dconf d;          /* the generated config, as in rootful mode */
    char conf[LZ_PATH_MAX + 16];  /* where it is written */
    char cert_dir[4 * LZ_PATH_MAX]; /* SSL_CERT_DIR with LAZYDIND_CA_CERTS, or "" */
    char **argv;
    pid_t child;
    long long started;          /* wall clock, ms */
    off_t offset;               /* where its output starts in the log */
    struct lz_engine engine;    /* dockerd's version (pod/dockerd.c) */
    /* socket activation (handover.h) */
    int lfd;                    /* our listener on the user's socket, or -1 */
    int sfd;                    /* the signalfd */
    char inner[LZ_PATH_MAX + 16]; /* where dockerd binds */
    char tmp[LZ_PATH_MAX + 16];   /* a new listener, before its rename */
    enum rl_phase phase;
    enum rl_stop stopping;
    int ready;                  /* the inner socket answered; handed over */
    int proxy_all;              /* the rename failed: every connection copied */
    int spawns;
    struct lz_burst burst;
    int64_t rearm_at;           /* monotonic ms, BACKOFF */
    int64_t started_mono;
    int64_t next_ping;          /* STARTING: the next look at the inner socket */
    int64_t drain_until;        /* after the hand-over: the old listener closes */
    int64_t last_activity;      /* LAZYDIND_IDLE_TIMEOUT: the last look that saw use */
    int64_t next_idle_check;
    char reason[1024];
};

/* A start-up failure: reported (and logged when log is set); never returns. */
static void fail(struct rl *r, int log, const char *msg) __attribute__((noreturn));
static void fail(struct rl *r, int log, const char *msg)
{
    if (log)
        lz_log_line(r->logfd, "%s", msg);
    lz_report(&r->report_fd, "err %s", msg);
    _exit(1);
}

/* Makes the data-root (and its parents, 0700) so that its filesystem is
 * known. */
static void make_data_root(const char *data_root)
{
    char dir[LZ_PATH_MAX];
    lz_strlcpy(dir, data_root, sizeof dir);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        (void)mkdir(dir, 0700);
        *p = '/';
    }
    (void)mkdir(dir, 0710);
}

/* The storage driver for the data-root's filesystem (the user's
 * daemon.json choice wins), with a line in the log. */
static const char *choose_driver(const struct rl *r)
{
    const struct lz_config *cfg = r->cfg;
    make_data_root(cfg->data_root);
    const char *fs = lz_fs_of(cfg->data_root);
    char fo[LZ_PATH_MAX];
    const char *pe = getenv("PATH");
    int have_fo = lz_path_search("fuse-overlayfs", pe && *pe ? pe : LZ_DEFAULT_PATH,
                                 NULL, fo, sizeof fo) == 0;
    LZ_AUTOFD fuse_fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
    int slow = 0;
    /* the containerd image store: fuse-overlayfs is a graph driver only,
     * its overlayfs snapshotter cannot work on overlayfs (config/snapshots.h) */
    char swhy[1024];
    const char *driver = lz_snapshots_driver(cfg, &r->engine, swhy, sizeof swhy);
    if (driver) {
        lz_log_line(r->logfd, "WARNING: %s", swhy);
        return driver;
    }
    driver = lz_rootless_storage_driver(fs, have_fo, fuse_fd >= 0, &slow);
    if (slow)
        lz_log_line(r->logfd, "WARNING: data-root %s is on overlayfs and fuse-overlayfs "
                              "cannot be used (%s): storage driver vfs, which copies "
                              "every layer (slow, large); make /dev/fuse usable or put "
                              "the data-root on a volume", cfg->data_root,
                    have_fo ? "/dev/fuse does not open" : "not installed");
    else if (driver)
        lz_log_line(r->logfd, "data-root %s is on overlayfs: storage driver %s",
                    cfg->data_root, driver);
    return driver;
}

/* The generated config (the user's daemon.json merged with lazydind's
 * settings and the pod's network, as in rootful mode; no iptables
 * question: rootlesskit's namespace has its own), written to the runtime
 * dir; then dockerd-rootless.sh --config-file F [--storage-driver D]
 * ARGS..., which the script passes on to dockerd. */
static int make_argv(struct rl *r, char *err, size_t errlen)
{
    lz_dconf_free(&r->d);
    free(r->argv);
    r->argv = NULL;
    if (lz_dconf_make(r->cfg, 0, &r->engine, &r->d, err, errlen) != 0 ||
        lz_dconf_write(r->dirfd, &r->d, err, errlen) != 0 ||
        lz_dockerd_ca_certs(r->cfg, r->cert_dir, sizeof r->cert_dir, err, errlen) != 0)
        return -1;
    snprintf(r->conf, sizeof r->conf, "%s/daemon.json", r->cfg->run_dir);
    /* the user chose a driver: dockerd refuses a repeated flag */
    r->driver = json_object_get(r->d.config, "storage-driver") ? NULL : r->auto_driver;
    r->argv = calloc((size_t)r->d.argc + 8, sizeof *r->argv);
    if (!r->argv)
        _exit(1);
    int n = 0;
    r->argv[n++] = r->script;
    r->argv[n++] = "--config-file";
    r->argv[n++] = r->conf;
    if (r->driver) {
        r->argv[n++] = "--storage-driver";
        r->argv[n++] = (char *)r->driver;
    }
    for (int i = 0; i < r->d.argc; i++)
        r->argv[n++] = r->d.argv[i];
    r->argv[n] = NULL;
    return 0;
}

/* At start-up: a config that cannot be built is reported to the starter
 * (exit 2 there), before anything listens. */
static void build_argv(struct rl *r)
{
    char err[1024];
    if (make_argv(r, err, sizeof err) != 0)
        fail(r, 1, err);
}

/* The environment of rootlesskit and dockerd: NO_PROXY and the extra CAs
 * (SSL_CERT_DIR) as in rootful mode
 * (the proxies themselves are inherited, so rootlesskit's port driver and
 * dockerd both see them), and the MTU of dockerd's config for slirp4netns
 * too, unless the user set DOCKERD_ROOTLESS_ROOTLESSKIT_MTU. */
static void child_env(const struct rl *r)
{
    if (r->d.set_no_proxy) {
        setenv("NO_PROXY", r->d.no_proxy, 1);
        setenv("no_proxy", r->d.no_proxy, 1);
    }
    if (r->cert_dir[0])
        setenv("SSL_CERT_DIR", r->cert_dir, 1);
    json_int_t mtu = json_integer_value(json_object_get(r->d.config, "mtu"));
    const char *have = getenv("DOCKERD_ROOTLESS_ROOTLESSKIT_MTU");
    if (mtu > 0 && !(have && *have)) {
        char b[24];
        snprintf(b, sizeof b, "%lld", (long long)mtu);
        setenv("DOCKERD_ROOTLESS_ROOTLESSKIT_MTU", b, 1);
    }
}

/* The child: stdio, XDG_RUNTIME_DIR (dockerd-rootless.sh reads it; we may
 * have derived it), no socket hand-over, then the script. */
static void exec_child(const struct rl *r) __attribute__((noreturn));
static void exec_child(const struct rl *r)
{
    lz_reset_signals();
    int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (nul < 0 || dup2(nul, 0) < 0 || dup2(r->logfd, 1) < 0 || dup2(r->logfd, 2) < 0)
        _exit(126);
    char xdg[LZ_PATH_MAX];
    lz_strlcpy(xdg, r->cfg->socket_path, sizeof xdg);
    *strrchr(xdg, '/') = '\0';
    setenv("XDG_RUNTIME_DIR", xdg, 1);
    child_env(r);
    const char *pe = getenv("PATH");
    if (!pe || !*pe)
        setenv("PATH", LZ_DEFAULT_PATH, 1);
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
    unsetenv("NOTIFY_SOCKET");
    /* the oldest API version dockerd serves: dockerd >= 25 reads it here */
    if (r->cfg->min_api_version && lz_engine_has_min_api_env(&r->engine))
        setenv("DOCKER_MIN_API_VERSION", r->cfg->min_api_version, 1);
    execv(r->argv[0], r->argv);
    dprintf(2, "lazydind: cannot run %s: %s\n", r->argv[0], strerror(errno));
    _exit(127);
}


static void write_state(const struct rl *r)
{
    struct lz_state st;
    lz_record_state_base(&st, r->cfg, r->gen);
    st.dockerd_pid = (int)r->child;
    st.ready = r->ready;
    st.started_ms = r->child ? r->started : 0;
    st.failures = r->burst.n;
    st.spawns = r->spawns;
    lz_strlcpy(st.phase, rl_phase_names[r->phase], sizeof st.phase);
    lz_strlcpy(st.mode, "rootless", sizeof st.mode);
    lz_strlcpy(st.storage_driver, r->driver ? r->driver : "", sizeof st.storage_driver);
    if (r->phase == RL_GAVE_UP)
        lz_strlcpy(st.reason, r->reason, sizeof st.reason);
    (void)lz_state_store(r->dirfd, &st);
}

/* ------------------------------------------ the first connection: start -- */

/* Starts the script (dockerd binding the inner socket); STARTING. 0, or -1
 * with the reason. */
static int start_child(struct rl *r)
{
    /* the config as daemon.json and the settings are now (as rootful mode
     * builds it at each start) */
    char err[1024];
    if (make_argv(r, err, sizeof err) != 0) {
        lz_strlcpy(r->reason, err, sizeof r->reason);
        return -1;
    }
    /* an inner socket left by an earlier dockerd (killed, never renamed) */
    struct stat st;
    if (lstat(r->inner, &st) == 0 && S_ISSOCK(st.st_mode))
        (void)unlink(r->inner);
    r->offset = lseek(r->logfd, 0, SEEK_END);
    r->started = lz_wall_s() * 1000;
    r->started_mono = lz_now_ms();
    r->next_ping = r->started_mono;
    r->ready = 0;
    r->stopping = RL_STOP_NONE;
    r->child = fork();
    if (r->child == 0)
        exec_child(r);
    if (r->child < 0) {
        snprintf(r->reason, sizeof r->reason, "cannot fork: %s", strerror(errno));
        r->child = 0;
        return -1;
    }
    r->spawns++;
    r->phase = RL_STARTING;
    write_state(r);
    lz_log_line(r->logfd, "connection on %s: started %s (pid %d), dockerd on %s",
                r->cfg->socket_path, r->script, (int)r->child, r->inner);
    return 0;
}

/* A failure counted: BACKOFF until the delay is over, or GAVE_UP. */
static void after_failure(struct rl *r)
{
    int64_t delay = lz_burst_fail(&r->burst, lz_now_ms());
    if (delay < 0) {
        r->phase = RL_GAVE_UP;
        return;
    }
    r->phase = RL_BACKOFF;
    r->rearm_at = lz_now_ms() + delay;
    lz_log_line(r->logfd, "re-arming in %lld ms (%d failure(s) in the last minute)",
                (long long)delay, r->burst.n);
}

/* The clients queued on our listener get the reason (503), once each. */
static void tell_waiting(struct rl *r, const char *what)
{
    if (r->lfd < 0)
        return;
    char msg[1400];
    snprintf(msg, sizeof msg, "lazydind: %s: %s", what, r->reason);
    int n = lz_answer_pending(r->lfd, msg);
    if (n)
        lz_log_line(r->logfd, "told %d waiting client(s) why", n);
}

static void on_connection(struct rl *r)
{
    if (start_child(r) == 0)
        return;
    lz_log_line(r->logfd, "%s", r->reason);
    tell_waiting(r, "the Docker daemon could not start");
    after_failure(r);
    write_state(r);
}

/* ------------------------------------------------------- the hand-over -- */

/* A connection accepted from our listener, copied to dockerd in a child of
 * its own until both ends close. */
static void proxy_one(struct rl *r, int c)
{
    const char *to = r->proxy_all ? r->inner : r->cfg->socket_path;
    pid_t pid = fork();
    if (pid != 0) {
        if (pid < 0)
            lz_log_line(r->logfd, "cannot fork a proxy: %s", strerror(errno));
        return;
    }
    /* the listener must not outlive the supervisor's own copy of it */
    close(r->lfd);
    close(r->sfd);
    lz_reset_signals();
    signal(SIGPIPE, SIG_IGN);
    int d = lz_unix_connect(to);
    if (d >= 0)
        (void)lz_proxy_pair(c, d);
    _exit(0);
}

/* Every connection queued on our listener, each copied through. */
static int drain_listener(struct rl *r)
{
    int n = 0;
    for (;;) {
        LZ_AUTOFD c = accept4(r->lfd, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0) {
            if (errno == EINTR)
                continue;
            return n;
        }
        proxy_one(r, c);
        n++;
    }
}

/* The inner socket answers: renamed over the user's path (new connections
 * reach dockerd itself), the queued ones copied through. A failed rename
 * keeps our listener, which then copies every connection. */
static void hand_over(struct rl *r)
{
    char err[1024];
    r->ready = 1;
    r->phase = RL_UP;
    lz_burst_reset(&r->burst);
    if (lz_handover(r->inner, r->cfg->socket_path, err, sizeof err) != 0) {
        r->proxy_all = 1;
        lz_log_line(r->logfd, "%s: every connection is copied through the supervisor", err);
    }
    int n = drain_listener(r);
    r->drain_until = lz_now_ms() + 1000;
    r->last_activity = lz_now_ms();
    r->next_idle_check = r->last_activity + lz_idle_every(r->cfg->idle_timeout_ms);
    write_state(r);
    lz_log_line(r->logfd, "dockerd is ready (%lld ms after the first connection); %s, "
                "%d connection(s) that came before copied through",
                (long long)(lz_now_ms() - r->started_mono),
                r->proxy_all ? "proxying" : "its socket handed over", n);
}

/* After the hand-over: connections that resolved the old socket just before
 * the rename still arrive for a moment; then the listener closes. */
static void after_handover(struct rl *r, int64_t now)
{
    if (r->lfd < 0 || r->proxy_all)
        return;
    (void)drain_listener(r);
    if (now < r->drain_until)
        return;
    lz_closep(&r->lfd);
    r->lfd = -1;
    lz_log_line(r->logfd, "stopped listening: dockerd serves %s itself", r->cfg->socket_path);
}

/* STARTING: the inner socket is asked for /_ping every 10 ms for the
 * first 5 s (a refused connect costs microseconds), then every 100 ms. */
static void look_inner(struct rl *r, int64_t now)
{
    if (now < r->next_ping)
        return;
    int64_t since = now - r->started_mono;
    r->next_ping = now + (since < 5000 ? 10 : 100);
    if (lz_ping(r->inner, 500) == LZ_PING_OK)
        hand_over(r);
}

/* ----------------------------------------------------------------- idle -- */

/* LAZYDIND_IDLE_TIMEOUT: the server side of an API connection is made in
 * the client's network namespace (unix_stream_connect), so the connections
 * dockerd accepted show in our /proc/net/unix, bound to the inner path
 * where dockerd bound its socket. */
static int dockerd_busy(const struct rl *r)
{
    return lz_idle_busy_in("/proc/net/unix", r->inner, r->cfg->socket_path);
}

/* After the hand-over, every quarter of the timeout (at most 10 s): idle
 * for that long stops dockerd, the listener comes back (as for `lazydind
 * stop --keep-socket`). */
static void check_idle(struct rl *r, int64_t now)
{
    if (r->cfg->idle_timeout_ms <= 0 || r->phase != RL_UP || r->stopping != RL_STOP_NONE ||
        r->child <= 0 || now < r->next_idle_check)
        return;
    r->next_idle_check = now + lz_idle_every(r->cfg->idle_timeout_ms);
    if (!lz_idle_expired(r->logfd, dockerd_busy(r), now, &r->last_activity,
                         r->cfg->idle_timeout_ms))
        return;
    r->stopping = RL_STOP_KEEP;
    kill(r->child, SIGTERM);
}

/* ------------------------------------------------------------ re-arming -- */

/* Our listener on the user's path again (after dockerd's socket had it). */
static int rearm_listener(struct rl *r)
{
    char err[1024];
    if (r->lfd >= 0)
        return 0;
    r->lfd = lz_listen_swap(r->cfg->socket_path, r->tmp, err, sizeof err);
    if (r->lfd >= 0)
        return 0;
    lz_strlcpy(r->reason, err, sizeof r->reason);
    lz_log_line(r->logfd, "cannot listen again: %s", err);
    return -1;
}

/* dockerd (rootlesskit) ended: recorded; the waiting clients told when it
 * never came up; the listener back on the user's path. */
static void on_child_ended(struct rl *r, int status)
{
    struct lz_exit_record ex;
    lz_record_exit(&ex, r->cfg, r->gen, r->child, status, r->ready, r->offset);
    (void)lz_exit_store(r->dirfd, &ex);
    lz_log_line(r->logfd, "rootless dockerd (pid %d) %s", (int)r->child, ex.status);
    r->child = 0;
    int was_ready = r->ready, asked = r->stopping != RL_STOP_NONE;
    /* handed over less than a second ago: the old listener, still being
     * drained, no longer has the path; a new one is needed */
    if (was_ready && !r->proxy_all) {
        lz_closep(&r->lfd);
        r->lfd = -1;
    }
    r->ready = 0;
    r->proxy_all = 0;
    lz_strlcpy(r->reason, ex.reason[0] ? ex.reason : ex.status, sizeof r->reason);
    if (!was_ready && !asked)
        tell_waiting(r, "Docker daemon failed to start");
    if (r->stopping == RL_STOP_EXIT)
        return;
    if (rearm_listener(r) != 0) {
        r->phase = RL_GAVE_UP;
    } else if (asked) {
        r->phase = RL_ARMED;
    } else {
        after_failure(r);
    }
    write_state(r);
}

/* ------------------------------------------------------------ signals -- */

/* The socket goes (ours, or dockerd's dead one), the state with it. */
static void leave(struct rl *r, int code) __attribute__((noreturn));
static void leave(struct rl *r, int code)
{
    struct stat st;
    lz_closep(&r->lfd);
    if (lstat(r->cfg->socket_path, &st) == 0 && S_ISSOCK(st.st_mode) &&
        lz_ping(r->cfg->socket_path, 200) == LZ_PING_DOWN)
        (void)unlink(r->cfg->socket_path);
    (void)unlink(r->inner);
    if (code == 0)
        lz_state_clear(r->dirfd);
    lz_log_line(r->logfd, "supervisor %d exits", (int)getpid());
    _exit(code);
}

/* SIGCHLD: every child reaped (the proxies too); leaves once dockerd ended
 * after we were asked to exit. */
static void on_child_exit(struct rl *r)
{
    int status;
    pid_t w;
    while ((w = waitpid(-1, &status, WNOHANG)) > 0) {
        if (w != r->child || r->child <= 0)
            continue;
        on_child_ended(r, status);
        if (r->stopping == RL_STOP_EXIT)
            leave(r, 0);
    }
}

/* SIGTERM and the like end both (at once without dockerd); SIGUSR1
 * (`lazydind stop --keep-socket`) only dockerd; SIGHUP is passed on. */
static void on_signal(struct rl *r)
{
    struct signalfd_siginfo si;
    if (read(r->sfd, &si, sizeof si) != (ssize_t)sizeof si)
        return;
    switch (si.ssi_signo) {
    case SIGCHLD:
        on_child_exit(r);
        return;
    case SIGHUP:
        if (r->child > 0)
            kill(r->child, SIGHUP);
        return;
    case SIGUSR1:
        if (r->child <= 0)
            return;
        lz_log_line(r->logfd, "asked to stop dockerd and keep listening");
        r->stopping = RL_STOP_KEEP;
        kill(r->child, SIGTERM); /* rootlesskit passes it on to dockerd */
        return;
    default:
        lz_log_line(r->logfd, "signal %d: stopping", (int)si.ssi_signo);
        if (r->child <= 0)
            leave(r, 0);
        r->stopping = RL_STOP_EXIT;
        kill(r->child, SIGTERM);
    }
}

/* ------------------------------------------------------------ the loop -- */

/* A crash burst, or no listener to be had: the socket goes, the reason
 * stays in the state. */
static void give_up(struct rl *r) __attribute__((noreturn));
static void give_up(struct rl *r)
{
    char msg[1400];
    snprintf(msg, sizeof msg,
             "lazydind: the Docker daemon failed %d times within %d s; giving up "
             "until the next docker command or `lazydind activate`. Last reason: %s",
             r->burst.n, LZ_BURST_WINDOW_MS / 1000, r->reason);
    if (r->lfd >= 0)
        lz_answer_pending(r->lfd, msg);
    lz_strlcpy(r->reason, msg + 10, sizeof r->reason);
    write_state(r);
    lz_log_line(r->logfd, "%s", msg + 10);
    leave(r, 1);
}

/* How long the loop may sleep: 2 s at most, less while dockerd is being
 * looked for, a backoff ends or the old listener is drained. */
static int poll_timeout(const struct rl *r, int64_t now)
{
    int64_t t = 2000;
    if (r->phase == RL_STARTING)
        t = r->next_ping - now;
    else if (r->phase == RL_BACKOFF)
        t = r->rearm_at - now;
    else if (r->phase == RL_UP && r->lfd >= 0 && !r->proxy_all)
        t = r->drain_until - now;
    if (r->phase == RL_UP && r->cfg->idle_timeout_ms > 0 && r->next_idle_check - now < t)
        t = r->next_idle_check - now;
    return t < 0 ? 0 : t > 2000 ? 2000 : (int)t;
}

/* The listener is watched while ARMED, after the hand-over while it is
 * drained, and always when every connection is copied. */
static int watch_listener(const struct rl *r)
{
    return r->lfd >= 0 && (r->phase == RL_ARMED || r->phase == RL_UP);
}

static void rootless_loop(struct rl *r)
{
    for (;;) {
        if (r->phase == RL_GAVE_UP)
            give_up(r);
        int64_t now = lz_now_ms();
        if (r->phase == RL_BACKOFF && now >= r->rearm_at) {
            r->phase = RL_ARMED;
            write_state(r);
        }
        struct pollfd p[2] = {{.fd = r->sfd, .events = POLLIN},
                              {.fd = watch_listener(r) ? r->lfd : -1, .events = POLLIN}};
        int n = poll(p, 2, poll_timeout(r, now));
        if (n < 0 && errno != EINTR)
            _exit(1);
        now = lz_now_ms();
        if (r->phase == RL_STARTING)
            look_inner(r, now);
        if (n > 0 && (p[1].revents & POLLIN)) {
            if (r->phase == RL_ARMED)
                on_connection(r);
            else if (r->phase == RL_UP)
                (void)drain_listener(r);
        }
        if (r->phase == RL_UP) {
            after_handover(r, lz_now_ms());
            check_idle(r, lz_now_ms());
        }
        if (n > 0 && (p[0].revents & POLLIN))
            on_signal(r);
    }
}

/* The listener on the user's socket, before anything starts; reported. */
static void listen_first(struct rl *r)
{
    char err[1024];
    if (lz_inner_socket(r->cfg, r->inner, sizeof r->inner) != 0 ||
        snprintf(r->tmp, sizeof r->tmp, "%s/listen.sock", r->cfg->run_dir) >=
            (int)sizeof r->tmp)
        fail(r, 1, "the runtime dir's path is too long for a socket");
    r->lfd = lz_listen_unix(r->cfg->socket_path, err, sizeof err);
    if (r->lfd < 0)
        fail(r, 1, err);
    r->phase = RL_ARMED;
    write_state(r);
    lz_log_line(r->logfd, "rootless: listening on %s (supervisor %d); dockerd starts on "
                "the first connection", r->cfg->socket_path, (int)getpid());
    lz_report(&r->report_fd, "ok %d", (int)getpid());
}

void lz_supervise_rootless(const struct lz_config *cfg, int dirfd, int logfd,
                           int report_fd, long long gen)
{
    static struct rl r;
    r = (struct rl){.cfg = cfg, .dirfd = dirfd, .logfd = logfd, .report_fd = report_fd,
                    .gen = gen, .lfd = -1};
    if (lz_find_rootless_script(r.script, sizeof r.script) != 0)
        fail(&r, 1, "dockerd-rootless.sh not found; install docker.io (Debian) or "
                    "docker-ce-rootless-extras, with rootlesskit and slirp4netns");
    /* the engine's version: for the log, status, min-api-version and the
     * containerd image store */
    {
        char bin[LZ_PATH_MAX];
        lz_engine_probe(cfg, dirfd, &r.engine, bin, sizeof bin);
        lz_engine_log(cfg, &r.engine, bin, logfd);
    }
    r.driver = r.auto_driver = choose_driver(&r);
    build_argv(&r);
    r.sfd = lz_supervisor_signals();
    listen_first(&r);
    rootless_loop(&r);
}
