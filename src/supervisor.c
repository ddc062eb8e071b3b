/* `lazydind supervise`: the small process that owns dockerd. It prepares
 * storage, spawns dockerd with its output in a size-capped log, reaps it,
 * records how it ended, and exits with it. */
#define _GNU_SOURCE
#include "daemon.h"
#include "findcli.h"
#include "ping.h"
#include "shsplit.h"
#include "state.h"
#include "storage.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DOCKER_PIDFILE "/var/run/docker.pid"
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct sup {
    const struct lz_config *cfg;
    int dirfd;
    int logfd;
    int report_fd;
    int64_t gen;
    int64_t log_offset; /* where this dockerd's output starts */
    pid_t dockerd;
    int mounted;
    int64_t started_ms;
};

static void report(struct sup *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void report(struct sup *s, const char *fmt, ...)
{
    char buf[1200];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof buf - 2)
        n = (int)sizeof buf - 2;
    buf[n++] = '\n';
    if (s->report_fd >= 0) {
        (void)lz_write_all(s->report_fd, buf, (size_t)n);
        close(s->report_fd);
        s->report_fd = -1;
    }
}

/* A line in the log from the supervisor itself. */
static void logline(struct sup *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void logline(struct sup *s, const char *fmt, ...)
{
    char buf[1200];
    va_list ap;
    if (s->logfd < 0)
        return;
    int n = snprintf(buf, sizeof buf, "lazydind: [info] ");
    va_start(ap, fmt);
    int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m > 0 ? (size_t)m : 0);
    if (len > sizeof buf - 2)
        len = sizeof buf - 2;
    buf[len++] = '\n';
    (void)lz_write_all(s->logfd, buf, len);
}

/* dockerd refuses to start while its pid file names a live process; after a
 * pod restart that pid may belong to anything. Remove it unless it is a
 * live dockerd. */
static void clean_pidfile(struct sup *s)
{
    char buf[32];
    if (lz_read_file_at(AT_FDCWD, DOCKER_PIDFILE, buf, sizeof buf) <= 0)
        return;
    int pid = atoi(buf);
    if (lz_pid_is(pid, "dockerd"))
        return;
    if (unlink(DOCKER_PIDFILE) == 0)
        logline(s, "removed stale %s (pid %d is not a running dockerd)",
                DOCKER_PIDFILE, pid);
}

/* A socket file with nothing behind it is removed; one that answers is not
 * ours to touch. */
static void clean_socket(struct sup *s)
{
    struct stat st;
    if (lstat(s->cfg->socket_path, &st) != 0 || !S_ISSOCK(st.st_mode))
        return;
    if (lz_ping(s->cfg->socket_path, 500) == LZ_PING_DOWN &&
        unlink(s->cfg->socket_path) == 0)
        logline(s, "removed stale socket %s", s->cfg->socket_path);
}

static int open_log(const struct lz_config *cfg)
{
    char dir[LZ_PATH_MAX];
    lz_strlcpy(dir, cfg->log_path, sizeof dir);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        (void)mkdir(dir, 0750);
        *p = '/';
    }
    return open(cfg->log_path,
                O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
                0640);
}

/* Copy-truncate rotation: dockerd keeps writing (O_APPEND) to the same file,
 * the old content goes to LOG.1. */
static void cap_log(struct sup *s)
{
    struct stat st;
    if (s->logfd < 0 || fstat(s->logfd, &st) != 0 || st.st_size <= s->cfg->log_max)
        return;
    char old[LZ_PATH_MAX + 8], tmp[LZ_PATH_MAX + 16];
    snprintf(old, sizeof old, "%s.1", s->cfg->log_path);
    snprintf(tmp, sizeof tmp, "%s.1.tmp", s->cfg->log_path);
    int in = open(s->cfg->log_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    (void)unlink(tmp);
    int out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (in >= 0 && out >= 0) {
        char buf[65536];
        ssize_t n;
        while ((n = read(in, buf, sizeof buf)) > 0)
            if (lz_write_all(out, buf, (size_t)n) != 0)
                break;
        if (rename(tmp, old) != 0)
            (void)unlink(tmp);
    }
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (ftruncate(s->logfd, 0) == 0)
        s->log_offset = 0;
    logline(s, "log rotated at %lld bytes to %s", (long long)st.st_size, old);
}

static void write_state(struct sup *s, int running)
{
    char buf[3 * LZ_PATH_MAX + 512];
    snprintf(buf, sizeof buf,
             "gen=%lld\nrunning=%d\nsupervisor_pid=%d\ndockerd_pid=%d\n"
             "started=%lld\ndata_root=%s\ntmpfs_mounted=%d\nsocket=%s\nlog=%s\n"
             "log_offset=%lld\n",
             (long long)s->gen, running, (int)getpid(), running ? (int)s->dockerd : 0,
             (long long)s->started_ms, s->cfg->data_root, s->mounted,
             s->cfg->socket_path, s->cfg->log_path, (long long)s->log_offset);
    (void)lz_state_write(s->dirfd, "state", buf);
}

static void record_exit(struct sup *s, int status)
{
    char how[64], reason[1024], buf[1400];
    if (WIFEXITED(status))
        snprintf(how, sizeof how, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(how, sizeof how, "killed by signal %d", WTERMSIG(status));
    else
        snprintf(how, sizeof how, "ended (wait status %d)", status);
    lz_log_reason(s->cfg->log_path, s->log_offset, reason, sizeof reason);
    for (char *p = reason; *p; p++)
        if (*p == '\n')
            *p = ' ';
    snprintf(buf, sizeof buf, "gen=%lld\npid=%d\nstatus=%s\ntime=%lld\nreason=%s\n",
             (long long)s->gen, (int)s->dockerd, how, (long long)lz_wall_s(),
             reason);
    (void)lz_state_write(s->dirfd, "exit", buf);
    write_state(s, 0);
    logline(s, "dockerd (pid %d) %s", (int)s->dockerd, how);
}

/* Builds dockerd's argv: the binary, --data-root when set by the user
 * through the environment, then LAZYDIND_DOCKERD_ARGS. */
static int build_argv(struct sup *s, char *path, size_t pathlen,
                      struct lz_words *extra, char ***argv_out, char *err,
                      size_t errlen)
{
    const struct lz_config *cfg = s->cfg;
    if (strchr(cfg->dockerd, '/')) {
        lz_strlcpy(path, cfg->dockerd, pathlen);
        if (access(path, X_OK) != 0) {
            snprintf(err, errlen, "LAZYDIND_DOCKERD=%s is not executable: %s",
                     path, strerror(errno));
            return -1;
        }
    } else {
        const char *pe = getenv("PATH");
        if (lz_path_search(cfg->dockerd, pe && *pe ? pe : DEFAULT_PATH, NULL,
                           path, pathlen) != 0) {
            snprintf(err, errlen,
                     "%s not found on PATH; install the Docker engine (docker.io "
                     "or docker-ce) or set LAZYDIND_DOCKERD", cfg->dockerd);
            return -1;
        }
    }
    extra->argc = 0;
    extra->argv = NULL;
    extra->store = NULL;
    if (cfg->dockerd_args && lz_shsplit(cfg->dockerd_args, extra, err, errlen) != 0)
        return -1;
    char **argv = calloc((size_t)extra->argc + 4, sizeof *argv);
    if (!argv) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int n = 0;
    argv[n++] = path;
    if (cfg->data_root_set) {
        argv[n++] = "--data-root";
        argv[n++] = (char *)cfg->data_root;
    }
    for (int i = 0; i < extra->argc; i++)
        argv[n++] = extra->argv[i];
    argv[n] = NULL;
    *argv_out = argv;
    return 0;
}

static pid_t spawn_dockerd(struct sup *s, char **argv)
{
    char notify[LZ_PATH_MAX + 16];
    snprintf(notify, sizeof notify, "%s/notify.sock", s->cfg->run_dir);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* child: every fd of ours is O_CLOEXEC; stdio: /dev/null and the log */
    lz_reset_signals();
    int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (nul < 0 || dup2(nul, 0) < 0 || dup2(s->logfd, 1) < 0 ||
        dup2(s->logfd, 2) < 0)
        _exit(126);
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_FDNAMES");
    setenv("NOTIFY_SOCKET", notify, 1);
    if (!getenv("PATH"))
        setenv("PATH", DEFAULT_PATH, 1);
    execv(argv[0], argv);
    dprintf(2, "lazydind: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

int lz_supervise_main(int argc, char **argv)
{
    struct lz_config cfg;
    struct sup s;
    char err[1024];
    memset(&s, 0, sizeof s);
    s.cfg = &cfg;
    s.logfd = -1;
    s.report_fd = -1;
    s.dirfd = -1;
    if (argc == 4 && strcmp(argv[2], "--report-fd") == 0)
        s.report_fd = atoi(argv[3]);
    if (s.report_fd < 3 || fcntl(s.report_fd, F_SETFD, FD_CLOEXEC) != 0) {
        lz_error("supervise is internal: it is started by the docker shim or "
                 "`lazydind start`");
        return LZ_EXIT_USAGE;
    }
    if (lz_config_load(&cfg, err, sizeof err) != 0 ||
        lz_config_resolve(&cfg, err, sizeof err) != 0) {
        report(&s, "err %s", err);
        return LZ_EXIT_USAGE;
    }
    s.dirfd = lz_rundir_open(cfg.run_dir, 1, err, sizeof err);
    if (s.dirfd < 0) {
        report(&s, "err %s", err);
        return 1;
    }
    char buf[64];
    if (lz_read_file_at(s.dirfd, "gen", buf, sizeof buf) > 0)
        s.gen = lz_kv_int(buf, "gen", 0);
    s.logfd = open_log(&cfg);
    if (s.logfd < 0) {
        report(&s, "err cannot open the log %s: %s; set LAZYDIND_LOG",
               cfg.log_path, strerror(errno));
        return 1;
    }
    /* our own stderr goes to the log too */
    dup2(s.logfd, 2);
    fcntl(2, F_SETFD, 0);
    s.log_offset = lseek(s.logfd, 0, SEEK_END);
    if (s.log_offset < 0)
        s.log_offset = 0;

    clean_pidfile(&s);
    clean_socket(&s);
    if (lz_prepare_storage(&cfg, &s.mounted, err, sizeof err) != 0) {
        logline(&s, "%s", err);
        report(&s, "err %s", err);
        return 1;
    }
    if (s.mounted) {
        char m[LZ_PATH_MAX + 16];
        snprintf(m, sizeof m, "path=%s\n", cfg.data_root);
        (void)lz_state_write(s.dirfd, "mounted", m);
        logline(&s, "mounted a tmpfs on %s (it was on overlayfs)", cfg.data_root);
    } else {
        /* a tmpfs we mounted for an earlier dockerd is still ours */
        char m[LZ_PATH_MAX + 16], p[LZ_PATH_MAX];
        if (lz_read_file_at(s.dirfd, "mounted", m, sizeof m) > 0 &&
            lz_kv_get(m, "path", p, sizeof p) == 0 && strcmp(p, cfg.data_root) == 0 &&
            strcmp(lz_fs_of(cfg.data_root), "tmpfs") == 0)
            s.mounted = 1;
    }

    char path[LZ_PATH_MAX];
    struct lz_words extra;
    char **dargv;
    if (build_argv(&s, path, sizeof path, &extra, &dargv, err, sizeof err) != 0) {
        logline(&s, "%s", err);
        report(&s, "err %s", err);
        return 1;
    }

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGQUIT);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC);
    signal(SIGPIPE, SIG_IGN);

    s.started_ms = (int64_t)lz_wall_s() * 1000;
    s.dockerd = spawn_dockerd(&s, dargv);
    if (s.dockerd < 0) {
        report(&s, "err cannot fork dockerd: %s", strerror(errno));
        return 1;
    }
    write_state(&s, 1);
    logline(&s, "started %s (pid %d, supervisor %d)", path, (int)s.dockerd,
            (int)getpid());
    report(&s, "ok %d %d", (int)getpid(), (int)s.dockerd);

    for (;;) {
        struct pollfd pfd = {.fd = sfd, .events = POLLIN};
        int r = poll(&pfd, 1, 2000);
        if (r < 0 && errno != EINTR)
            break;
        cap_log(&s);
        if (r <= 0)
            continue;
        struct signalfd_siginfo si;
        if (read(sfd, &si, sizeof si) != (ssize_t)sizeof si)
            continue;
        switch (si.ssi_signo) {
        case SIGCHLD: {
            int status;
            pid_t w;
            while ((w = waitpid(-1, &status, WNOHANG)) > 0) {
                if (w == s.dockerd) {
                    record_exit(&s, status);
                    return 0;
                }
            }
            break;
        }
        case SIGHUP:
            kill(s.dockerd, SIGHUP); /* dockerd reloads daemon.json */
            break;
        default:
            logline(&s, "signal %d: stopping dockerd", (int)si.ssi_signo);
            kill(s.dockerd, SIGTERM);
            break;
        }
    }
    return 1;
}
