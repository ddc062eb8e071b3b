/* `lazydind supervise`: the small process that owns dockerd. It prepares
 * storage, spawns dockerd with its output in a size-capped log, reaps it,
 * records how it ended, and exits with it. */
#define _GNU_SOURCE
#include "daemon/daemon.h"
#include "config/daemonconf.h"
#include "base/fs.h"
#include "base/findcli.h"
#include "daemon/listen.h"
#include "daemon/prepare.h"
#include "pod/cgroup.h"
#include "daemon/rootless.h"
#include "base/safepath.h"
#include "base/ping.h"
#include "base/shsplit.h"
#include "base/state.h"
#include "daemon/reason.h"
#include "daemon/storage.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DOCKER_PIDFILE "/var/run/docker.pid"
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Crash bursts: after a dockerd that was not asked to stop exits, re-arm at
 * once the first time, then after 1 s doubling to 15 s; MAX_FAILURES within
 * FAILURE_WINDOW_MS end the supervisor (socket removed, reason in the
 * state). */
#define MAX_FAILURES 6
#define FAILURE_WINDOW_MS 60000
#define BACKOFF_FIRST_MS 1000
#define BACKOFF_MAX_MS 15000

enum phase { ARMED, RUNNING, BACKOFF, GAVE_UP };
static const char *const phase_names[] = {"armed", "running", "backoff", "gave_up"};

enum stop_reason { STOP_NONE, STOP_EXIT, STOP_KEEP_SOCKET, STOP_IDLE };

struct sup {
    const struct lz_config *cfg;
    int dirfd;
    int logfd;
    int report_fd;
    int lfd;            /* the listening daemon socket */
    int nfd;            /* our sd_notify socket */
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
    int64_t failures[MAX_FAILURES];
    int nfailures;
    int spawns;         /* dockerd processes started so far */
    int64_t rearm_at;   /* monotonic ms */
    int64_t last_activity;
    char reason[1024];  /* last failure's reason */
    char **dargv;
    char dockerd_path[LZ_PATH_MAX];
    struct lz_dconf dconf;      /* the generated config at start (its argv) */
    char dconf_path[LZ_PATH_MAX + 16]; /* <run_dir>/daemon.json */
    char no_proxy[4096];        /* dockerd's NO_PROXY, or "" */
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

/* The log is written as root: refuse one that someone else could redirect
 * (a parent others can write, a symlink, a file that is not ours or that
 * has another name elsewhere). -1 with a message in err. */
static int open_log(const struct lz_config *cfg, char *err, size_t errlen)
{
    char dir[LZ_PATH_MAX], why[1024];
    if (lz_path_trusted(cfg->log_path, why, sizeof why) != 0) {
        snprintf(err, errlen, "will not write the log %s: %s; set LAZYDIND_LOG",
                 cfg->log_path, why);
        return -1;
    }
    lz_strlcpy(dir, cfg->log_path, sizeof dir);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        (void)mkdir(dir, 0750);
        *p = '/';
    }
    int fd = open(cfg->log_path,
                  O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
                  0640);
    struct stat st;
    if (fd < 0) {
        snprintf(err, errlen, "cannot open the log %s: %s; set LAZYDIND_LOG",
                 cfg->log_path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
        (st.st_uid != 0 && st.st_uid != geteuid())) {
        snprintf(err, errlen,
                 "will not write the log %s: it is not a regular file of ours "
                 "with a single name; remove it or set LAZYDIND_LOG",
                 cfg->log_path);
        close(fd);
        return -1;
    }
    return fd;
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

static void write_state(struct sup *s)
{
    struct lz_state st = {
        .gen = (long long)s->gen,
        .supervisor_pid = (int)getpid(),
        .dockerd_pid = s->dockerd > 0 ? (int)s->dockerd : 0,
        .ready = s->ready,
        .started_ms = (long long)s->started_ms,
        .tmpfs_mounted = s->mounted,
        .log_offset = (long long)s->log_offset,
        .failures = s->nfailures,
        .spawns = s->spawns,
    };
    lz_strlcpy(st.phase, phase_names[s->phase], sizeof st.phase);
    lz_strlcpy(st.data_root, s->cfg->data_root, sizeof st.data_root);
    lz_strlcpy(st.socket, s->cfg->socket_path, sizeof st.socket);
    lz_strlcpy(st.log, s->cfg->log_path, sizeof st.log);
    if (s->phase == GAVE_UP)
        lz_strlcpy(st.reason, s->reason, sizeof st.reason);
    (void)lz_state_store(s->dirfd, &st);
}

static void describe_status(int status, char *how, size_t cap)
{
    if (WIFEXITED(status))
        snprintf(how, cap, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(how, cap, "killed by signal %d", WTERMSIG(status));
    else
        snprintf(how, cap, "ended (wait status %d)", status);
}

/* Writes the exit record: how dockerd ended and the most telling log line. */
static void record_exit(struct sup *s, const char *how)
{
    lz_log_reason(s->cfg->log_path, s->log_offset, s->reason, sizeof s->reason);
    for (char *p = s->reason; *p; p++)
        if (*p == '\n')
            *p = ' ';
    /* dockerd names the file it was given, which is lazydind's merge: point
     * the user at the file they wrote */
    char gen_path[LZ_PATH_MAX + 16];
    snprintf(gen_path, sizeof gen_path, "%s/daemon.json", s->cfg->run_dir);
    if (strstr(s->reason, gen_path)) {
        size_t n = strlen(s->reason);
        snprintf(s->reason + n, sizeof s->reason - n,
                 " (%s is lazydind's merge of %s and the LAZYDIND_* settings: "
                 "fix the key there; `lazydind config` shows where each came from)",
                 gen_path, s->cfg->daemon_json);
    }
    struct lz_exit_record ex = {
        .gen = (long long)s->gen,
        .pid = (int)s->dockerd,
        .time = (long long)lz_wall_s(),
        .ready = s->ready,
    };
    lz_strlcpy(ex.status, how, sizeof ex.status);
    lz_strlcpy(ex.reason, s->reason, sizeof ex.reason);
    (void)lz_exit_store(s->dirfd, &ex);
    logline(s, "dockerd (pid %d) %s", (int)s->dockerd, how);
}

/* Records a failure (a start that did not work, or a crash); returns the
 * delay before re-arming, or -1 when the burst is too long. */
static int64_t count_failure(struct sup *s)
{
    int64_t now = lz_now_ms();
    int kept = 0;
    for (int i = 0; i < s->nfailures; i++)
        if (now - s->failures[i] < FAILURE_WINDOW_MS)
            s->failures[kept++] = s->failures[i];
    s->nfailures = kept;
    if (s->nfailures == MAX_FAILURES)
        return -1;
    s->failures[s->nfailures++] = now;
    if (s->nfailures >= MAX_FAILURES)
        return -1;
    if (s->nfailures == 1)
        return 0;
    int64_t delay = BACKOFF_FIRST_MS;
    for (int i = 2; i < s->nfailures && delay < BACKOFF_MAX_MS; i++)
        delay *= 2;
    return delay > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : delay;
}

/* Builds dockerd's argv: the binary, --config-file with the config lazydind
 * generates (hosts fd://, data-root, ...: daemonconf.c), then
 * LAZYDIND_DOCKERD_ARGS (without -H, which went into hosts). */
static int build_argv(struct sup *s, char *err, size_t errlen)
{
    const struct lz_config *cfg = s->cfg;
    char *path = s->dockerd_path;
    if (strchr(cfg->dockerd, '/')) {
        lz_strlcpy(path, cfg->dockerd, sizeof s->dockerd_path);
        if (access(path, X_OK) != 0) {
            snprintf(err, errlen, "LAZYDIND_DOCKERD=%s is not executable: %s",
                     path, strerror(errno));
            return -1;
        }
    } else {
        const char *pe = getenv("PATH");
        if (lz_path_search(cfg->dockerd, pe && *pe ? pe : DEFAULT_PATH, NULL,
                           path, sizeof s->dockerd_path) != 0) {
            snprintf(err, errlen,
                     "%s not found on PATH; install the Docker engine (docker.io "
                     "or docker-ce) or set LAZYDIND_DOCKERD", cfg->dockerd);
            return -1;
        }
    }
    char **argv = calloc((size_t)s->dconf.argc + 4, sizeof *argv);
    if (!argv) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int n = 0;
    snprintf(s->dconf_path, sizeof s->dconf_path, "%s/daemon.json", cfg->run_dir);
    argv[n++] = path;
    argv[n++] = "--config-file";
    argv[n++] = s->dconf_path;
    for (int i = 0; i < s->dconf.argc; i++)
        argv[n++] = s->dconf.argv[i];
    argv[n] = NULL;
    s->dargv = argv; /* s->dconf's storage lives as long as we do */
    return 0;
}

static pid_t spawn_dockerd(struct sup *s)
{
    char notify[LZ_PATH_MAX + 16];
    snprintf(notify, sizeof notify, "%s/notify.sock", s->cfg->run_dir);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* child: every fd of ours is O_CLOEXEC; stdio: /dev/null and the log;
     * the listening socket on fd 3 for `-H fd://` (sd_listen_fds) */
    lz_reset_signals();
    int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (nul < 0 || dup2(nul, 0) < 0 || dup2(s->logfd, 1) < 0 ||
        dup2(s->logfd, 2) < 0)
        _exit(126);
    if (s->lfd == 3) {
        if (fcntl(3, F_SETFD, 0) != 0)
            _exit(126);
    } else if (dup2(s->lfd, 3) < 0) {
        _exit(126);
    }
    char pidbuf[32];
    snprintf(pidbuf, sizeof pidbuf, "%d", (int)getpid());
    setenv("LISTEN_PID", pidbuf, 1);
    setenv("LISTEN_FDS", "1", 1);
    unsetenv("LISTEN_FDNAMES");
    setenv("NOTIFY_SOCKET", notify, 1);
    const char *pe = getenv("PATH");
    if (!pe || !*pe)
        pe = DEFAULT_PATH;
    if (s->ipt_bindir[0]) {
        /* the chosen iptables backend first */
        char *np = malloc(strlen(s->ipt_bindir) + strlen(pe) + 2);
        if (np) {
            sprintf(np, "%s:%s", s->ipt_bindir, pe);
            setenv("PATH", np, 1);
        }
    } else {
        setenv("PATH", pe, 1);
    }
    /* proxies come from our environment; the pod's addresses and docker0
     * are added to NO_PROXY. (--iptables=false, when no backend works, is
     * in the generated config: a flag would clash with a daemon.json key.) */
    if (s->no_proxy[0]) {
        setenv("NO_PROXY", s->no_proxy, 1);
        setenv("no_proxy", s->no_proxy, 1);
    }
    char **argv = s->dargv;
    execv(argv[0], argv);
    dprintf(2, "lazydind: cannot run %s: %s\n", s->dargv[0], strerror(errno));
    _exit(127);
}

static int bind_notify(struct sup *s)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (snprintf(sa.sun_path, sizeof sa.sun_path, "%s/notify.sock",
                 s->cfg->run_dir) >= (int)sizeof sa.sun_path)
        return -1;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    (void)unlinkat(s->dirfd, "notify.sock", 0);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* 1 when Sysbox runs this container: it provides nested cgroups itself. */
static int under_sysbox(void)
{
    static char mi[1 << 16];
    return lz_read_file_at(AT_FDCWD, "/proc/self/mountinfo", mi, sizeof mi) > 0 &&
           strstr(mi, " sysboxfs ") != NULL;
}

/* Once per supervisor, before the first dockerd: cgroup v2 nesting (only
 * where the container's processes sit in the root of their own cgroup
 * namespace, never under Sysbox) and the iptables backend. Problems are
 * logged; dockerd's own error says the rest. */
static void prepare_host(struct sup *s)
{
    char err[1024], cg[4096] = "";
    (void)lz_read_file_at(AT_FDCWD, "/proc/self/cgroup", cg, sizeof cg);
    int v2 = strcmp(lz_fs_of("/sys/fs/cgroup"), "cgroup2") == 0;
    if (!s->cfg->rootless && !under_sysbox() && lz_cgroup_needs_nesting(v2, cg)) {
        if (lz_cgroup_nest("/sys/fs/cgroup", err, sizeof err) == 0)
            logline(s, "cgroup v2: moved this container's processes to /init and "
                       "enabled its controllers for dockerd");
        else
            logline(s, "cgroup v2 nesting failed: %s", err);
    }
    if (s->cfg->rootless)
        return; /* rootlesskit's own network namespace: its iptables */
    char note[512];
    (void)lz_iptables_prepare(s->cfg, s->ipt_bindir, sizeof s->ipt_bindir,
                              &s->ipt_off, note, sizeof note);
    if (note[0])
        logline(s, "%s", note);
}

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
        logline(s, "the runtime dir is gone and cannot be made again: %s", err);
        return;
    }
    close(s->dirfd);
    s->dirfd = fd;
    (void)lz_gen_store(fd, (long long)s->gen);
    if (s->mounted)
        (void)lz_mounted_store(fd, s->cfg->data_root);
    if (s->nfd >= 0)
        close(s->nfd);
    s->nfd = bind_notify(s);
    s->prepared = 0; /* the iptables links lived there */
    write_state(s);
    logline(s, "the runtime dir %s was deleted: made it again", s->cfg->run_dir);
}

/* The first connection arrived: prepare storage once, spawn dockerd. A
 * failure here is answered to the waiting clients. */
static void start_dockerd(struct sup *s)
{
    char err[1024];
    heal_rundir(s);
    if (!s->storage_ready) {
        if (lz_prepare_storage(s->cfg, &s->mounted, err, sizeof err) != 0) {
            logline(s, "%s", err);
            lz_strlcpy(s->reason, err, sizeof s->reason);
            goto failed;
        }
        s->storage_ready = 1;
        if (s->mounted) {
            (void)lz_mounted_store(s->dirfd, s->cfg->data_root);
            logline(s, "mounted a tmpfs on %s (it was on overlayfs)",
                    s->cfg->data_root);
        } else {
            /* a tmpfs we mounted for an earlier supervisor is still ours */
            char p[LZ_PATH_MAX];
            if (lz_mounted_load(s->dirfd, p, sizeof p) == 0 &&
                strcmp(p, s->cfg->data_root) == 0 &&
                strcmp(lz_fs_of(s->cfg->data_root), "tmpfs") == 0)
                s->mounted = 1;
        }
    }
    if (!s->prepared) {
        prepare_host(s);
        s->prepared = 1;
    }
    /* dockerd's config: daemon.json as it is now, merged */
    if (lz_dconf_regenerate(s->cfg, s->dirfd, s->ipt_off, s->no_proxy,
                            sizeof s->no_proxy, err, sizeof err) != 0) {
        logline(s, "%s", err);
        lz_strlcpy(s->reason, err, sizeof s->reason);
        goto failed;
    }
    clean_pidfile(s);
    s->log_offset = lseek(s->logfd, 0, SEEK_END);
    if (s->log_offset < 0)
        s->log_offset = 0;
    s->ready = 0;
    s->stopping = STOP_NONE;
    s->started_ms = lz_wall_s() * 1000;
    s->started_mono = lz_now_ms();
    s->last_activity = s->started_mono;
    s->dockerd = spawn_dockerd(s);
    if (s->dockerd < 0) {
        snprintf(s->reason, sizeof s->reason, "cannot fork dockerd: %s",
                 strerror(errno));
        s->dockerd = 0;
        goto failed;
    }
    s->spawns++;
    s->phase = RUNNING;
    write_state(s);
    logline(s, "connection on %s: started %s (pid %d)", s->cfg->socket_path,
            s->dockerd_path, (int)s->dockerd);
    return;
failed: {
    char msg[1200];
    snprintf(msg, sizeof msg, "lazydind: the Docker daemon could not start: %s",
             s->reason);
    lz_answer_pending(s->lfd, msg);
    int64_t delay = count_failure(s);
    if (delay < 0) {
        s->phase = GAVE_UP;
    } else {
        s->phase = BACKOFF;
        s->rearm_at = lz_now_ms() + delay;
    }
    write_state(s);
}
}

static void give_up(struct sup *s)
{
    char msg[1200];
    snprintf(msg, sizeof msg,
             "lazydind: the Docker daemon failed %d times within %d s; giving up "
             "until the next docker command or `lazydind activate`. Last reason: %s",
             MAX_FAILURES, FAILURE_WINDOW_MS / 1000, s->reason);
    lz_answer_pending(s->lfd, msg);
    close(s->lfd);
    s->lfd = -1;
    (void)unlink(s->cfg->socket_path);
    lz_strlcpy(s->reason, msg + 10, sizeof s->reason);
    s->phase = GAVE_UP;
    write_state(s);
    logline(s, "%s", msg + 10);
}

/* dockerd ended: record it; decide between re-arming now, after a backoff,
 * or giving up. */
static void on_dockerd_exit(struct sup *s, int status)
{
    char how[64];
    describe_status(status, how, sizeof how);
    record_exit(s, how);
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
            logline(s, "told %d waiting client(s) why", n);
    }
    int64_t delay = count_failure(s);
    if (delay < 0) {
        s->phase = GAVE_UP;
        write_state(s);
        return;
    }
    s->phase = BACKOFF;
    s->rearm_at = lz_now_ms() + delay;
    logline(s, "re-arming in %lld ms (%d failure(s) in the last minute)",
            (long long)delay, s->nfailures);
    write_state(s);
}

/* Opt-in idle shutdown: no running container and no API connection for
 * LAZYDIND_IDLE_TIMEOUT. Connections are seen in /proc/net/unix (accepted
 * sockets carry the daemon socket's path), containers through the API. */
static void check_idle(struct sup *s)
{
    int64_t now = lz_now_ms();
    static char text[1 << 20];
    int conns = 0;
    ssize_t n = lz_read_file_at(AT_FDCWD, "/proc/net/unix", text, sizeof text);
    if (n > 0)
        conns = lz_count_unix_conns(text, s->cfg->socket_path);
    int running = conns ? 0 : lz_running_containers(s->cfg->socket_path, 5000);
    if (conns > 0 || running != 0) /* -1 (no answer) counts as busy */
        s->last_activity = now;
    if (now - s->last_activity >= s->cfg->idle_timeout_ms) {
        logline(s, "idle for %lld s (no container running, no API connection): "
                   "stopping dockerd; the next connection starts it again",
                (long long)(now - s->last_activity) / 1000);
        s->stopping = STOP_IDLE;
        kill(s->dockerd, SIGTERM);
    }
}

int lz_supervise_main(int argc, char **argv)
{
    struct lz_config cfg;
    struct sup s;
    char err[1024];
    memset(&s, 0, sizeof s);
    s.cfg = &cfg;
    s.logfd = s.report_fd = s.dirfd = s.lfd = s.nfd = -1;
    if (argc == 4 && strcmp(argv[2], "--report-fd") == 0)
        s.report_fd = atoi(argv[3]);
    if (s.report_fd < 3 || fcntl(s.report_fd, F_SETFD, FD_CLOEXEC) != 0) {
        lz_error("supervise is internal: it is started by the docker shim, "
                 "`lazydind start` or `lazydind activate`");
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
    s.gen = lz_gen_load(s.dirfd);
    s.logfd = open_log(&cfg, err, sizeof err);
    if (s.logfd < 0) {
        report(&s, "err %s", err);
        return 1;
    }
    /* our own stderr goes to the log too */
    dup2(s.logfd, 2);
    if (cfg.rootless)
        lz_supervise_rootless(&cfg, s.dirfd, s.logfd, s.report_fd, (long long)s.gen);
    /* the generated config, once now: bad input is reported to the starter,
     * which also prints its notes */
    if (lz_dconf_make(&cfg, 0, &s.dconf, err, sizeof err) != 0 ||
        lz_dconf_write(s.dirfd, &s.dconf, err, sizeof err) != 0) {
        logline(&s, "%s", err);
        report(&s, "err %s", err);
        return 1;
    }
    for (int i = 0; i < s.dconf.nnotes; i++)
        logline(&s, "%s", s.dconf.notes[i]);
    if (build_argv(&s, err, sizeof err) != 0) {
        logline(&s, "%s", err);
        report(&s, "err %s", err);
        return 1;
    }
    s.lfd = lz_listen_unix(cfg.socket_path, err, sizeof err);
    if (s.lfd < 0) {
        logline(&s, "%s", err);
        report(&s, "err %s", err);
        return 1;
    }
    s.nfd = bind_notify(&s);

    int sfd = lz_supervisor_signals();

    s.phase = ARMED;
    write_state(&s);
    logline(&s, "listening on %s (supervisor %d); dockerd starts on the first "
                "connection", cfg.socket_path, (int)getpid());
    report(&s, "ok %d", (int)getpid());

    int64_t next_idle_check = 0;
    int64_t idle_every = cfg.idle_timeout_ms / 4;
    if (idle_every > 10000)
        idle_every = 10000;
    if (idle_every < 250)
        idle_every = 250;
    for (;;) {
        if (s.phase == GAVE_UP) {
            give_up(&s);
            return 1;
        }
        int64_t now = lz_now_ms();
        if (s.phase == BACKOFF && now >= s.rearm_at) {
            s.phase = ARMED;
            write_state(&s);
        }
        struct pollfd pfd[3];
        int nfds = 0;
        pfd[nfds++] = (struct pollfd){.fd = sfd, .events = POLLIN};
        int li = -1, ni = -1;
        if (s.phase == ARMED && s.lfd >= 0) {
            li = nfds;
            pfd[nfds++] = (struct pollfd){.fd = s.lfd, .events = POLLIN};
        }
        if (s.phase == RUNNING && s.nfd >= 0 && !s.ready) {
            ni = nfds;
            pfd[nfds++] = (struct pollfd){.fd = s.nfd, .events = POLLIN};
        }
        int64_t timeout = 2000;
        if (s.phase == BACKOFF && s.rearm_at - now < timeout)
            timeout = s.rearm_at - now;
        if (s.phase == RUNNING && cfg.idle_timeout_ms > 0) {
            if (next_idle_check == 0)
                next_idle_check = now + idle_every;
            if (next_idle_check - now < timeout)
                timeout = next_idle_check - now;
        }
        if (timeout < 0)
            timeout = 0;
        int r = poll(pfd, (nfds_t)nfds, (int)timeout);
        if (r < 0 && errno != EINTR)
            break;
        cap_log(&s);
        heal_rundir(&s);
        now = lz_now_ms();
        if (s.phase == RUNNING && cfg.idle_timeout_ms > 0 && s.ready &&
            s.stopping == STOP_NONE && now >= next_idle_check) {
            next_idle_check = now + idle_every;
            check_idle(&s);
        }
        if (r <= 0)
            continue;
        if (ni >= 0 && (pfd[ni].revents & POLLIN)) {
            char msg[512];
            ssize_t n;
            while ((n = recv(s.nfd, msg, sizeof msg - 1, 0)) > 0) {
                msg[n] = '\0';
                if (strstr(msg, "READY=1") && !s.ready) {
                    s.ready = 1;
                    s.nfailures = 0; /* a daemon that came up ends a burst */
                    /* idle time counts from readiness: a slow start is not
                     * idleness, and the clients that waited for it are
                     * about to make their requests */
                    s.last_activity = lz_now_ms();
                    write_state(&s);
                    logline(&s, "dockerd is ready (%lld ms after the first "
                                "connection)",
                            (long long)(lz_now_ms() - s.started_mono));
                }
            }
        }
        if (li >= 0 && (pfd[li].revents & POLLIN))
            start_dockerd(&s);
        if (!(pfd[0].revents & POLLIN))
            continue;
        struct signalfd_siginfo si;
        if (read(sfd, &si, sizeof si) != (ssize_t)sizeof si)
            continue;
        switch (si.ssi_signo) {
        case SIGCHLD: {
            int status;
            pid_t w;
            while ((w = waitpid(-1, &status, WNOHANG)) > 0) {
                if (w == s.dockerd && s.dockerd > 0) {
                    int exiting = s.stopping == STOP_EXIT;
                    on_dockerd_exit(&s, status);
                    if (exiting)
                        goto leave;
                }
            }
            break;
        }
        case SIGHUP:
            /* dockerd reloads its config file: regenerate it first */
            if (s.dockerd > 0 &&
                lz_dconf_regenerate(&cfg, s.dirfd, s.ipt_off, s.no_proxy,
                                    sizeof s.no_proxy, err, sizeof err) != 0)
                logline(&s, "SIGHUP: %s; dockerd keeps its config", err);
            else if (s.dockerd > 0)
                kill(s.dockerd, SIGHUP);
            break;
        case SIGUSR1: /* lazydind stop --keep-socket */
            if (s.dockerd > 0) {
                logline(&s, "asked to stop dockerd and keep listening");
                s.stopping = STOP_KEEP_SOCKET;
                kill(s.dockerd, SIGTERM);
            }
            break;
        default:
            logline(&s, "signal %d: stopping", (int)si.ssi_signo);
            if (s.dockerd > 0) {
                s.stopping = STOP_EXIT;
                kill(s.dockerd, SIGTERM);
            } else {
                goto leave;
            }
            break;
        }
    }
leave:
    if (s.lfd >= 0) {
        close(s.lfd);
        (void)unlink(cfg.socket_path);
    }
    s.phase = ARMED;
    s.dockerd = 0;
    lz_state_clear(s.dirfd);
    logline(&s, "supervisor %d exits", (int)getpid());
    /* what lived as long as we did (memcheck counts it lost otherwise) */
    free(s.dargv);
    lz_dconf_free(&s.dconf);
    return 0;
}
