/* The cold path: one caller under the lock starts the supervisor and waits
 * until dockerd answers; the others wait on the lock and learn the outcome. */
#define _GNU_SOURCE
#include "daemon/daemon.h"
#include "config/daemonconf.h"
#include "base/ping.h"
#include "base/shsplit.h"
#include "base/state.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

int lz_config_resolve(struct lz_config *cfg, char *err, size_t errlen)
{
    /* daemon.json (syntax, data-root), LAZYDIND_DOCKERD_ARGS and the rules
     * of the generated dockerd config: daemonconf.c */
    return lz_dconf_resolve(cfg, err, errlen);
}

/* Our supervisor when the state does not name it (the runtime dir was
 * deleted under it): dockerd's parent, else the one `lazydind supervise`
 * process of our uid. 0 when none. */
static int find_supervisor(int dockerd)
{
    char path[64], buf[512];
    if (dockerd > 0) {
        snprintf(path, sizeof path, "/proc/%d/stat", dockerd);
        if (lz_read_file_at(AT_FDCWD, path, buf, sizeof buf) > 0) {
            const char *rp = strrchr(buf, ')');
            int ppid = 0;
            if (rp && sscanf(rp + 1, " %*c %d", &ppid) == 1 && lz_pid_is(ppid, "lazydind"))
                return ppid;
        }
    }
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        int pid = atoi(e->d_name);
        struct stat st;
        if (pid <= 0 || pid == (int)getpid() || !lz_pid_is(pid, "lazydind"))
            continue;
        snprintf(path, sizeof path, "/proc/%d", pid);
        if (stat(path, &st) != 0 || st.st_uid != geteuid())
            continue;
        snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
        ssize_t n = lz_read_file_at(AT_FDCWD, path, buf, sizeof buf);
        /* argv: lazydind\0supervise\0... */
        size_t a0 = n > 0 ? strnlen(buf, (size_t)n) : 0;
        if (n > 0 && a0 + 10 <= (size_t)n && strcmp(buf + a0 + 1, "supervise") == 0)
            found = pid;
    }
    closedir(d);
    return found;
}

int lz_live_pids(const struct lz_config *cfg, int dirfd, int *sup, int *dockerd)
{
    struct lz_state st;
    const char *comm = cfg->rootless ? "rootlesskit" : "dockerd";
    *sup = *dockerd = 0;
    (void)lz_state_load(dirfd, &st);
    int s = st.supervisor_pid;
    int d = st.dockerd_pid;
    if (lz_pid_is(s, "lazydind"))
        *sup = s;
    if (lz_pid_is(d, comm)) {
        *dockerd = d;
    } else if (!cfg->rootless) {
        char pf[32];
        if (lz_read_file_at(AT_FDCWD, "/var/run/docker.pid", pf, sizeof pf) > 0 &&
            lz_pid_is(atoi(pf), "dockerd"))
            *dockerd = atoi(pf);
    }
    if (!*sup)
        *sup = find_supervisor(*dockerd);
    return 0;
}

static void on_alarm(int sig)
{
    (void)sig;
}

/* flock(LOCK_EX) bounded by deadline_ms; 0 when locked. */
static int lock_until(int fd, int64_t deadline_ms)
{
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno != EWOULDBLOCK)
        return -1;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: flock returns EINTR */
    sigaction(SIGALRM, &sa, &old);
    int rc = -1;
    for (;;) {
        int64_t left = deadline_ms - lz_now_ms();
        if (left <= 0) {
            errno = ETIMEDOUT;
            break;
        }
        struct itimerval it = {{0, 0}, {left / 1000, (left % 1000) * 1000}};
        setitimer(ITIMER_REAL, &it, NULL);
        if (flock(fd, LOCK_EX) == 0) {
            rc = 0;
            break;
        }
        if (errno != EINTR)
            break;
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    sigaction(SIGALRM, &old, NULL);
    return rc;
}


/* The real path of our binary, for exec'ing the supervisor. */
static void self_path(char *out, size_t outlen)
{
    ssize_t n = readlink("/proc/self/exe", out, outlen - 1);
    if (n <= 0 || (size_t)n >= outlen - 1) {
        lz_strlcpy(out, "/proc/self/exe", outlen);
        return;
    }
    out[n] = '\0';
    if (n > 10 && strcmp(out + n - 10, " (deleted)") == 0)
        lz_strlcpy(out, "/proc/self/exe", outlen);
}

/* Double-forks `lazydind supervise` into its own session, detached from the
 * caller's terminal and stdio. Returns the read end of its report pipe. */
static int spawn_supervisor(void)
{
    char exe[LZ_PATH_MAX];
    int p[2];
    self_path(exe, sizeof exe);
    if (pipe2(p, O_CLOEXEC) != 0)
        return -1;
    pid_t a = fork();
    if (a < 0) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (a == 0) {
        setsid();
        pid_t b = fork();
        if (b != 0)
            _exit(b < 0 ? 1 : 0);
        /* the supervisor-to-be: stdio to /dev/null so that a caller's
         * `$(docker ps)` never waits on us, the report pipe on fd 3 */
        int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (p[1] == 3) {
            fcntl(3, F_SETFD, 0);
        } else {
            if (dup2(p[1], 3) < 0)
                _exit(126);
        }
        if (nul < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0 || dup2(nul, 2) < 0)
            _exit(126);
        lz_reset_signals();
        char *argv[] = {"lazydind", "supervise", "--report-fd", "3", NULL};
        execv(exe, argv);
        _exit(127);
    }
    close(p[1]);
    int status;
    while (waitpid(a, &status, 0) < 0 && errno == EINTR)
        ;
    return p[0];
}

/* Reads the supervisor's one-line report, bounded by deadline. */
static int read_report(int fd, int64_t deadline, char *line, size_t cap)
{
    size_t len = 0;
    while (len < cap - 1) {
        int64_t left = deadline - lz_now_ms();
        if (left <= 0)
            return -1;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        ssize_t n = read(fd, line + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
        if (memchr(line, '\n', len))
            break;
    }
    line[len] = '\0';
    char *nl = strchr(line, '\n');
    if (nl)
        *nl = '\0';
    return len > 0 ? 0 : -1;
}

/* 1 when our supervisor is alive and listening (not given up). */
static int supervisor_listening(int dirfd)
{
    struct lz_state st;
    if (lz_state_load(dirfd, &st) != 0)
        return 0;
    return lz_pid_is(st.supervisor_pid, "lazydind") && strcmp(st.phase, "gave_up") != 0;
}

/* When many callers wait for the same start, one of them says so: the one
 * that claims this start (the supervisor's pid and its start number) first.
 * Returns 1 for that caller; 0 for the others, when dockerd is already
 * ready, or when the state cannot be read (not root). */
static int claim_announcement(const struct lz_config *cfg)
{
    char err[256], key[64], old[64];
    struct lz_state st;
    int dirfd = lz_rundir_open(cfg->run_dir, 0, err, sizeof err);
    if (dirfd < 0)
        return 0;
    int claimed = 0;
    if (lz_state_load(dirfd, &st) != 0)
        goto out;
    int running = strcmp(st.phase, "running") == 0;
    if (running && st.ready == 1)
        goto out;
    /* armed or backing off: the start to come is the next one */
    snprintf(key, sizeof key, "%lld:%lld\n", (long long)st.supervisor_pid,
             (long long)st.spawns + (running ? 0 : 1));
    int fd = openat(dirfd, "announced",
                    O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
    if (fd < 0 || flock(fd, LOCK_EX) != 0) {
        if (fd >= 0)
            close(fd);
        goto out;
    }
    ssize_t n = pread(fd, old, sizeof old - 1, 0);
    old[n > 0 ? n : 0] = '\0';
    if (strcmp(old, key) != 0 && ftruncate(fd, 0) == 0 &&
        pwrite(fd, key, strlen(key), 0) == (ssize_t)strlen(key))
        claimed = 1;
    close(fd); /* releases the flock */
out:
    close(dirfd);
    return claimed;
}

static void report_failure(const struct lz_config *cfg, const char *msg)
{
    char reason[1200] = "";
    if (msg && *msg) {
        lz_strlcpy(reason, strncmp(msg, "lazydind: ", 10) == 0 ? msg + 10 : msg,
                   sizeof reason);
    } else {
        /* no answer at all: the supervisor gave up or died; its records say why */
        char err[256];
        struct lz_state st;
        struct lz_exit_record ex;
        int dirfd = lz_rundir_open(cfg->run_dir, 0, err, sizeof err);
        if (dirfd >= 0) {
            if (lz_state_load(dirfd, &st) == 0)
                lz_strlcpy(reason, st.reason, sizeof reason);
            /* an exit record of an earlier generation says nothing about
             * this start */
            if (!reason[0] && lz_exit_load(dirfd, &ex) == 0 &&
                ex.gen == lz_gen_load(dirfd)) {
                snprintf(reason, sizeof reason, "Docker daemon failed to start: %s",
                         ex.reason[0] ? ex.reason : ex.status[0] ? ex.status
                                                              : "no reason recorded");
            }
            close(dirfd);
        }
        if (!reason[0])
            snprintf(reason, sizeof reason,
                     "the Docker daemon closed the connection without answering");
    }
    lz_error("%s", reason);
    lz_error("see %s (or run: lazydind logs)", cfg->log_path);
}

int lz_await_daemon(const struct lz_config *cfg, int64_t t0, int announce)
{
    int64_t deadline = t0 + cfg->start_timeout_ms;
    if (announce < 0)
        announce = claim_announcement(cfg);
    if (announce)
        lz_notice("starting Docker daemon...");
    char msg[1200];
    int64_t left = deadline - lz_now_ms();
    enum lz_ping_result pr =
        lz_ping_msg(cfg->socket_path, left > 0 ? (int)left : 1, msg, sizeof msg);
    switch (pr) {
    case LZ_PING_OK:
        if (announce)
            lz_notice("Docker daemon ready in %lld ms", (long long)(lz_now_ms() - t0));
        return 0;
    case LZ_PING_TIMEOUT:
        lz_error("the Docker daemon did not answer on %s within %lld ms; it may "
                 "still be starting: see %s", cfg->socket_path,
                 (long long)cfg->start_timeout_ms, cfg->log_path);
        return 1;
    default:
        break;
    }
    /* Closed without a word: the supervisor holding our connection died
     * before a dockerd took over the socket. Once, within the same
     * deadline, start afresh. */
    static int retried;
    int sup = 0, dockerd = 0;
    if (pr == LZ_PING_DOWN && !retried && deadline - lz_now_ms() > 100) {
        char err[256];
        int dirfd = lz_rundir_open(cfg->run_dir, 0, err, sizeof err);
        lz_live_pids(cfg, dirfd, &sup, &dockerd);
        if (dirfd >= 0)
            close(dirfd);
        if (!sup && geteuid() == 0) {
            struct lz_config again = *cfg;
            retried = 1;
            again.start_timeout_ms = deadline - lz_now_ms();
            return lz_ensure_daemon(&again, 0) == 0 ? 0 : 1;
        }
    }
    report_failure(cfg, msg);
    return 1;
}

/* Rootless: dockerd binds its own socket inside rootlesskit's namespaces,
 * so wait on /_ping with a backoff (1 ms growing to 20 ms) and watch the
 * supervisor, which exits with dockerd and leaves the reason behind. */
static int rootless_await(const struct lz_config *cfg, int64_t t0, int announce)
{
    int64_t deadline = t0 + cfg->start_timeout_ms;
    char err[256];
    if (announce)
        lz_notice("starting Docker daemon (rootless)...");
    int backoff = 1;
    for (;;) {
        int64_t left = deadline - lz_now_ms();
        if (left <= 0) {
            lz_error("the Docker daemon did not answer on %s within %lld ms; it "
                     "may still be starting: see %s", cfg->socket_path,
                     (long long)cfg->start_timeout_ms, cfg->log_path);
            return 1;
        }
        if (lz_ping(cfg->socket_path, left > 1000 ? 1000 : (int)left) == LZ_PING_OK) {
            if (announce)
                lz_notice("Docker daemon ready in %lld ms",
                          (long long)(lz_now_ms() - t0));
            return 0;
        }
        int alive = 0;
        int dirfd = lz_rundir_open(cfg->run_dir, 0, err, sizeof err);
        if (dirfd >= 0) {
            struct lz_state st;
            if (lz_state_load(dirfd, &st) == 0)
                alive = lz_pid_is(st.supervisor_pid, "lazydind") && st.dockerd_pid > 0;
            close(dirfd);
        }
        if (!alive) {
            report_failure(cfg, NULL);
            return 1;
        }
        usleep((useconds_t)backoff * 1000);
        backoff = backoff * 2 > 20 ? 20 : backoff * 2;
    }
}

int lz_ensure_daemon(const struct lz_config *cfg, int activate_only)
{
    char err[1024];
    int64_t t0 = lz_now_ms();
    int64_t deadline = t0 + cfg->start_timeout_ms;

    if (cfg->rootless && cfg->xdg_missing) {
        lz_error("rootless mode needs XDG_RUNTIME_DIR: set it to a directory "
                 "this user owns with mode 0700 (e.g. /run/user/%u), or set "
                 "LAZYDIND_MODE=rootful in a pod that runs as root",
                 (unsigned)geteuid());
        return 1;
    }
    if (geteuid() != 0 && !cfg->rootless) {
        lz_notice("the Docker daemon at %s is not running, and only root can "
                  "start it in this pod", cfg->socket_path);
        return 3;
    }
    int dirfd = lz_rundir_open(cfg->run_dir, 1, err, sizeof err);
    if (dirfd < 0) {
        lz_error("%s", err);
        return 1;
    }
    int lockfd = openat(dirfd, "lock",
                        O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
    if (lockfd < 0 || lock_until(lockfd, deadline) != 0) {
        lz_error("cannot take the start lock %s/lock: %s", cfg->run_dir,
                 strerror(errno));
        close(dirfd);
        return 1;
    }
    /* Under the lock, only the listener is set up: callers then wait on
     * readiness together, not on each other. */
    int rc = 1, spawned = 0;
    if (!supervisor_listening(dirfd)) {
        enum lz_ping_result pr = lz_ping(cfg->socket_path, 1000);
        if (pr == LZ_PING_OK || pr == LZ_PING_TIMEOUT) {
            /* a dockerd whose supervisor was killed still serves (or is
             * still starting), or a supervisor whose state is gone holds
             * our connection: wait on that one, do not start another */
            rc = 0;
            goto out;
        }
        if (lz_gen_store(dirfd, lz_gen_load(dirfd) + 1) != 0) {
            lz_error("cannot write %s/gen: %s", cfg->run_dir, strerror(errno));
            goto out;
        }
        int rep = spawn_supervisor();
        if (rep < 0) {
            lz_error("cannot start the supervisor: %s", strerror(errno));
            goto out;
        }
        char line[1200];
        int r = read_report(rep, deadline, line, sizeof line);
        close(rep);
        if (r != 0) {
            lz_error("the supervisor did not report; see %s", cfg->log_path);
            goto out;
        }
        if (strncmp(line, "err ", 4) == 0) {
            lz_error("cannot start the Docker daemon: %s", line + 4);
            goto out;
        }
        spawned = 1;
        lz_dconf_print_notices(dirfd); /* e.g. an address pool it changed */
    }
    rc = 0;
out:
    close(lockfd); /* releases the lock */
    close(dirfd);
    if (rc != 0 || activate_only)
        return rc;
    if (cfg->rootless)
        return rootless_await(cfg, t0, spawned);
    return lz_await_daemon(cfg, t0, spawned ? -1 : 0);
}
