#define _GNU_SOURCE
#include "daemon/rootless.h"
#include "base/fs.h"
#include "base/findcli.h"
#include "base/shsplit.h"
#include "base/state.h"
#include "daemon/reason.h"
#include "daemon/storage.h"
#include "base/util.h"
#include "config/daemonjson.h"

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

/* 1 when the user's daemon.json sets key (then no flag may repeat it). A
 * daemon.json that cannot be used was refused on the cold path
 * (lz_dconf_resolve reads it the same way); one changed since then gives 0
 * here, and dockerd says what is wrong with it. */
static int daemon_json_has(const char *path, const char *key)
{
    char err[1024];
    int absent;
    json_t *o = lz_daemon_json_load(path, &absent, err, sizeof err);
    int has = json_object_get(o, key) != NULL;
    json_decref(o);
    return has;
}

static void say(int logfd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(int logfd, const char *fmt, ...)
{
    char buf[1200];
    int n = snprintf(buf, sizeof buf, "lazydind: [info] ");
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m > 0 ? (size_t)m : 0);
    if (len > sizeof buf - 2)
        len = sizeof buf - 2;
    buf[len++] = '\n';
    (void)lz_write_all(logfd, buf, len);
}

static void report_line(int *fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report_line(int *fd, const char *fmt, ...)
{
    char buf[1200];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0 || *fd < 0)
        return;
    if ((size_t)n > sizeof buf - 2)
        n = (int)sizeof buf - 2;
    buf[n++] = '\n';
    (void)lz_write_all(*fd, buf, (size_t)n);
    close(*fd);
    *fd = -1;
}

static void write_state(const struct lz_config *cfg, int dirfd, long long gen,
                        pid_t child, long long started, const char *driver)
{
    struct lz_state st = {
        .gen = gen,
        .supervisor_pid = (int)getpid(),
        .dockerd_pid = (int)child,
        .started_ms = started,
    };
    lz_strlcpy(st.phase, child ? "running" : "stopped", sizeof st.phase);
    lz_strlcpy(st.mode, "rootless", sizeof st.mode);
    lz_strlcpy(st.data_root, cfg->data_root, sizeof st.data_root);
    lz_strlcpy(st.socket, cfg->socket_path, sizeof st.socket);
    lz_strlcpy(st.log, cfg->log_path, sizeof st.log);
    lz_strlcpy(st.storage_driver, driver ? driver : "", sizeof st.storage_driver);
    (void)lz_state_store(dirfd, &st);
}

void lz_supervise_rootless(const struct lz_config *cfg, int dirfd, int logfd,
                           int report_fd, long long gen)
{
    char script[LZ_PATH_MAX], err[1024];
    if (lz_find_rootless_script(script, sizeof script) != 0) {
        snprintf(err, sizeof err,
                 "dockerd-rootless.sh not found; install docker.io (Debian) or "
                 "docker-ce-rootless-extras, with rootlesskit and slirp4netns");
        say(logfd, "%s", err);
        report_line(&report_fd, "err %s", err);
        _exit(1);
    }
    /* storage: the data-root dir must exist to know its filesystem */
    char dir[LZ_PATH_MAX];
    lz_strlcpy(dir, cfg->data_root, sizeof dir);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        (void)mkdir(dir, 0700);
        *p = '/';
    }
    (void)mkdir(dir, 0710);
    const char *fs = lz_fs_of(cfg->data_root);
    char fo[LZ_PATH_MAX];
    const char *pe = getenv("PATH");
    int have_fo = lz_path_search("fuse-overlayfs", pe && *pe ? pe : LZ_DEFAULT_PATH,
                                 NULL, fo, sizeof fo) == 0;
    int fuse_fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
    if (fuse_fd >= 0)
        close(fuse_fd);
    int slow = 0;
    const char *driver = lz_rootless_storage_driver(fs, have_fo, fuse_fd >= 0, &slow);
    if (driver && daemon_json_has(cfg->daemon_json, "storage-driver"))
        driver = NULL; /* the user chose; dockerd refuses a repeated flag */
    if (slow)
        say(logfd, "WARNING: data-root %s is on overlayfs and fuse-overlayfs "
                   "cannot be used (%s): storage driver vfs, which copies every "
                   "layer (slow, large); make /dev/fuse usable or put the "
                   "data-root on a volume", cfg->data_root,
            have_fo ? "/dev/fuse does not open" : "not installed");
    else if (driver)
        say(logfd, "data-root %s is on overlayfs: storage driver %s",
            cfg->data_root, driver);

    struct lz_words extra = {0, NULL, NULL};
    if (cfg->dockerd_args && lz_shsplit(cfg->dockerd_args, &extra, err, sizeof err) != 0) {
        report_line(&report_fd, "err LAZYDIND_DOCKERD_ARGS: %s", err);
        _exit(1);
    }
    char **argv = calloc((size_t)extra.argc + 8, sizeof *argv);
    if (!argv)
        _exit(1);
    int n = 0;
    argv[n++] = script;
    if (driver) {
        argv[n++] = "--storage-driver";
        argv[n++] = (char *)driver;
    }
    if (cfg->data_root_set) {
        argv[n++] = "--data-root";
        argv[n++] = (char *)cfg->data_root;
    }
    for (int i = 0; i < extra.argc; i++)
        argv[n++] = extra.argv[i];
    argv[n] = NULL;

    int sfd = lz_supervisor_signals();

    /* a stale socket from an earlier daemon: rootlesskit's dockerd would
     * refuse to start next to it */
    struct stat st;
    if (lstat(cfg->socket_path, &st) == 0 && S_ISSOCK(st.st_mode))
        (void)unlink(cfg->socket_path);

    off_t offset = lseek(logfd, 0, SEEK_END);
    long long started = lz_wall_s() * 1000;
    pid_t child = fork();
    if (child == 0) {
        lz_reset_signals();
        int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (nul < 0 || dup2(nul, 0) < 0 || dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0)
            _exit(126);
        /* dockerd-rootless.sh reads XDG_RUNTIME_DIR; we may have derived it */
        char xdg[LZ_PATH_MAX];
        lz_strlcpy(xdg, cfg->socket_path, sizeof xdg);
        *strrchr(xdg, '/') = '\0';
        setenv("XDG_RUNTIME_DIR", xdg, 1);
        if (!pe || !*pe)
            setenv("PATH", LZ_DEFAULT_PATH, 1);
        unsetenv("LISTEN_PID");
        unsetenv("LISTEN_FDS");
        unsetenv("NOTIFY_SOCKET");
        execv(argv[0], argv);
        dprintf(2, "lazydind: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    if (child < 0) {
        report_line(&report_fd, "err cannot fork: %s", strerror(errno));
        _exit(1);
    }
    write_state(cfg, dirfd, gen, child, started, driver);
    say(logfd, "rootless: started %s (pid %d, supervisor %d)", script, (int)child,
        (int)getpid());
    report_line(&report_fd, "ok %d", (int)getpid());

    for (;;) {
        struct pollfd pfd = {.fd = sfd, .events = POLLIN};
        int r = poll(&pfd, 1, -1);
        if (r <= 0)
            continue;
        struct signalfd_siginfo si;
        if (read(sfd, &si, sizeof si) != (ssize_t)sizeof si)
            continue;
        if (si.ssi_signo == SIGCHLD) {
            int status;
            pid_t w;
            while ((w = waitpid(-1, &status, WNOHANG)) > 0) {
                if (w != child)
                    continue;
                char how[64];
                if (WIFEXITED(status))
                    snprintf(how, sizeof how, "exited with status %d", WEXITSTATUS(status));
                else
                    snprintf(how, sizeof how, "killed by signal %d",
                             WIFSIGNALED(status) ? WTERMSIG(status) : 0);
                struct lz_exit_record ex = {
                    .gen = gen, .pid = (int)child, .time = (long long)lz_wall_s()};
                lz_strlcpy(ex.status, how, sizeof ex.status);
                lz_log_reason(cfg->log_path, offset, ex.reason, sizeof ex.reason);
                (void)lz_exit_store(dirfd, &ex);
                write_state(cfg, dirfd, gen, 0, started, driver);
                say(logfd, "rootless dockerd (pid %d) %s", (int)child, how);
                _exit(0);
            }
        } else if (si.ssi_signo == SIGHUP) {
            kill(child, SIGHUP);
        } else {
            /* rootlesskit passes SIGTERM on to dockerd */
            kill(child, SIGTERM);
        }
    }
}
