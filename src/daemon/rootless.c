/* The rootless supervisor: dockerd-rootless.sh (rootlesskit) started at
 * once, its storage driver chosen for the data-root's filesystem, reaped
 * and recorded. What it shares with the rootful supervisor (the log, the
 * report, the records, the signals) is in logfile.c, report.c, records.c
 * and base/util.c. */
#define _GNU_SOURCE
#include "daemon/rootless.h"
#include "config/snapshots.h"
#include "pod/dockerd.h"
#include "base/cleanup.h"
#include "base/fs.h"
#include "base/findcli.h"
#include "base/state.h"
#include "base/util.h"
#include "config/daemonconf.h"
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

/* What the rootless supervisor works with. */
struct rl {
    const struct lz_config *cfg;
    int dirfd;
    int logfd;
    int report_fd;
    long long gen;
    char script[LZ_PATH_MAX];   /* dockerd-rootless.sh */
    const char *driver;         /* --storage-driver, or NULL */
    struct lz_dconf d;          /* the generated config, as in rootful mode */
    char conf[LZ_PATH_MAX + 16];  /* where it is written */
    char cert_dir[4 * LZ_PATH_MAX]; /* SSL_CERT_DIR with LAZYDIND_CA_CERTS, or "" */
    char **argv;
    pid_t child;
    long long started;          /* wall clock, ms */
    off_t offset;               /* where its output starts in the log */
    struct lz_engine engine;    /* dockerd's version (pod/dockerd.c) */
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
static void build_argv(struct rl *r)
{
    char err[1024];
    if (lz_dconf_make(r->cfg, 0, &r->engine, &r->d, err, sizeof err) != 0 ||
        lz_dconf_write(r->dirfd, &r->d, err, sizeof err) != 0 ||
        lz_dockerd_ca_certs(r->cfg, r->cert_dir, sizeof r->cert_dir, err, sizeof err) != 0)
        fail(r, 1, err);
    snprintf(r->conf, sizeof r->conf, "%s/daemon.json", r->cfg->run_dir);
    if (json_object_get(r->d.config, "storage-driver"))
        r->driver = NULL; /* the user chose; dockerd refuses a repeated flag */
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

static void write_state(const struct rl *r, pid_t child)
{
    struct lz_state st;
    lz_record_state_base(&st, r->cfg, r->gen);
    st.dockerd_pid = (int)child;
    st.started_ms = r->started;
    lz_strlcpy(st.phase, child ? "running" : "stopped", sizeof st.phase);
    lz_strlcpy(st.mode, "rootless", sizeof st.mode);
    lz_strlcpy(st.storage_driver, r->driver ? r->driver : "", sizeof st.storage_driver);
    (void)lz_state_store(r->dirfd, &st);
}

/* Starts the script and reports it. */
static void start_child(struct rl *r)
{
    /* a stale socket from an earlier daemon: rootlesskit's dockerd would
     * refuse to start next to it */
    struct stat st;
    if (lstat(r->cfg->socket_path, &st) == 0 && S_ISSOCK(st.st_mode))
        (void)unlink(r->cfg->socket_path);
    r->offset = lseek(r->logfd, 0, SEEK_END);
    r->started = lz_wall_s() * 1000;
    r->child = fork();
    if (r->child == 0)
        exec_child(r);
    if (r->child < 0) {
        lz_report(&r->report_fd, "err cannot fork: %s", strerror(errno));
        _exit(1);
    }
    write_state(r, r->child);
    lz_log_line(r->logfd, "rootless: started %s (pid %d, supervisor %d)", r->script,
                (int)r->child, (int)getpid());
    lz_report(&r->report_fd, "ok %d", (int)getpid());
}

/* SIGCHLD: when it was our child, records how it ended and exits. */
static void on_child_exit(struct rl *r)
{
    int status;
    pid_t w;
    while ((w = waitpid(-1, &status, WNOHANG)) > 0) {
        if (w != r->child)
            continue;
        struct lz_exit_record ex;
        lz_record_exit(&ex, r->cfg, r->gen, r->child, status, 0, r->offset);
        (void)lz_exit_store(r->dirfd, &ex);
        write_state(r, 0);
        lz_log_line(r->logfd, "rootless dockerd (pid %d) %s", (int)r->child, ex.status);
        _exit(0);
    }
}

void lz_supervise_rootless(const struct lz_config *cfg, int dirfd, int logfd,
                           int report_fd, long long gen)
{
    static struct rl r;
    r = (struct rl){.cfg = cfg, .dirfd = dirfd, .logfd = logfd, .report_fd = report_fd,
                    .gen = gen};
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
    r.driver = choose_driver(&r);
    build_argv(&r);
    int sfd = lz_supervisor_signals();
    start_child(&r);
    /* the event loop: signals only (rootlesskit owns the socket) */
    for (;;) {
        struct pollfd pfd = {.fd = sfd, .events = POLLIN};
        if (poll(&pfd, 1, -1) <= 0)
            continue;
        struct signalfd_siginfo si;
        if (read(sfd, &si, sizeof si) != (ssize_t)sizeof si)
            continue;
        if (si.ssi_signo == SIGCHLD)
            on_child_exit(&r);
        else if (si.ssi_signo == SIGHUP)
            kill(r.child, SIGHUP);
        else
            kill(r.child, SIGTERM); /* rootlesskit passes it on to dockerd */
    }
}
