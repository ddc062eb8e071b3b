/* `lazydind` subcommands: start, status, stop, logs, install. */
#define _GNU_SOURCE
#include "cli/commands.h"
#include "config/config.h"
#include "daemon/daemon.h"
#include "base/fs.h"
#include "base/findcli.h"
#include "pod/preflight.h"
#include "base/ping.h"
#include "base/state.h"
#include "daemon/storage.h"
#include "daemon/preload.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static void load_config(struct lz_config *cfg)
{
    char err[1024];
    if (lz_config_load(cfg, err, sizeof err) != 0)
        lz_die(LZ_EXIT_USAGE, "%s", err);
    lz_quiet = cfg->quiet;
}

int lz_cmd_start(int argc, char **argv)
{
    struct lz_config cfg;
    char err[1024];
    if (argc > 2)
        lz_die(LZ_EXIT_USAGE, "usage: lazydind start (unexpected '%s')", argv[2]);
    load_config(&cfg);
    if (lz_config_resolve(&cfg, err, sizeof err) != 0)
        lz_die(LZ_EXIT_USAGE, "%s", err);
    int64_t t0 = lz_now_ms();
    enum lz_ping_result pr = lz_ping(cfg.socket_path, 250);
    if (pr == LZ_PING_OK)
        return 0;
    if (pr != LZ_PING_TIMEOUT && lz_preflight_gate(&cfg) != 0)
        return 1;
    int rc = pr == LZ_PING_TIMEOUT ? lz_await_daemon(&cfg, t0, -1)
                                   : lz_ensure_daemon(&cfg, 0);
    return rc == 0 ? 0 : 1;
}

/* `lazydind activate`: make sure the supervisor listens on the daemon socket,
 * so that any client's first connection starts dockerd. Built for a
 * Kubernetes postStart hook: returns in milliseconds, starts nothing else,
 * touches no connection, and exits 0 for anything a later docker command can
 * still recover from (a failing hook restarts the container); the reason is
 * printed and written to the log. --strict exits non-zero instead. */
int lz_cmd_activate(int argc, char **argv)
{
    struct lz_config cfg;
    char err[1024];
    int strict = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--strict") == 0)
            strict = 1;
        else
            lz_die(LZ_EXIT_USAGE, "usage: lazydind activate [--strict] "
                                  "(unexpected '%s')", argv[i]);
    }
    if (lz_config_load(&cfg, err, sizeof err) != 0 ||
        lz_config_resolve(&cfg, err, sizeof err) != 0) {
        lz_error("%s", err);
        lz_error("not activated; docker commands will report this too");
        return strict ? LZ_EXIT_USAGE : 0;
    }
    lz_quiet = cfg.quiet;
    if (lz_preflight_gate(&cfg) != 0)
        return strict ? 1 : 0;
    int rc = lz_ensure_daemon(&cfg, 1);
    if (rc == 0)
        return 0;
    if (rc == 3)
        return strict ? 1 : 0;
    return strict ? 1 : 0;
}

/* ---- status ---- */

int lz_cmd_status(int argc, char **argv)
{
    struct lz_config cfg;
    int json = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else
            lz_die(LZ_EXIT_USAGE, "usage: lazydind status [--json] (unexpected '%s')",
                   argv[i]);
    }
    load_config(&cfg);
    char err[1024];
    if (lz_config_resolve(&cfg, err, sizeof err) != 0)
        lz_die(LZ_EXIT_USAGE, "%s", err);
    struct lz_state st;
    struct lz_exit_record ex;
    char mpath[LZ_PATH_MAX] = "";
    int sup, dockerd;
    json_t *preload; /* preload.json, or NULL */
    {
        char e2[256];
        int dfd = lz_rundir_open(cfg.run_dir, 0, e2, sizeof e2);
        preload = lz_preload_load(dfd);
        (void)lz_state_load(dfd, &st);
        (void)lz_exit_load(dfd, &ex);
        (void)lz_mounted_load(dfd, mpath, sizeof mpath);
        lz_live_pids(&cfg, dfd, &sup, &dockerd);
        if (dfd >= 0)
            close(dfd);
    }
    int ready = lz_ping(cfg.socket_path, 2000) == LZ_PING_OK;
    /* the kernel's word, whoever started that dockerd */
    int64_t uptime = dockerd ? lz_pid_age_s(dockerd) : 0;
    if (uptime < 0)
        uptime = 0;
    int tmpfs = mpath[0] && strcmp(mpath, cfg.data_root) == 0 &&
                strcmp(lz_fs_of(cfg.data_root), "tmpfs") == 0 &&
                lz_is_mountpoint(cfg.data_root);
    const char *fs = lz_fs_of(cfg.data_root);
    const char *ex_status = ex.status, *ex_reason = ex.reason;
    int64_t ex_time = ex.time;
    char phase[32] = "stopped";
    const char *st_reason = "";
    if (sup && st.phase[0])
        lz_strlcpy(phase, st.phase, sizeof phase);
    else if (!sup && strcmp(st.phase, "gave_up") == 0) {
        lz_strlcpy(phase, "gave_up", sizeof phase);
        st_reason = st.reason;
    } else if (!sup)
        strcpy(phase, dockerd ? "unsupervised" : "stopped");
    int failures = st.failures;

    if (json) {
        json_t *o = json_object();
        json_object_set_new(o, "running", json_boolean(dockerd != 0 || ready));
        json_object_set_new(o, "ready", json_boolean(ready));
        json_object_set_new(o, "dockerd_pid", dockerd ? json_integer(dockerd) : json_null());
        json_object_set_new(o, "supervisor_pid", sup ? json_integer(sup) : json_null());
        json_object_set_new(o, "listening", json_boolean(sup != 0));
        json_object_set_new(o, "phase", json_string(phase));
        json_object_set_new(o, "failures", json_integer(failures));
        json_object_set_new(o, "gave_up_reason",
                            st_reason[0] ? json_string(st_reason) : json_null());
        json_object_set_new(o, "uptime_s", json_integer(uptime));
        json_object_set_new(o, "socket", json_string(cfg.socket_path));
        json_object_set_new(o, "data_root", json_string(cfg.data_root));
        json_object_set_new(o, "data_root_fs", json_string(fs));
        json_object_set_new(o, "tmpfs_mounted", json_boolean(tmpfs));
        json_object_set_new(o, "log", json_string(cfg.log_path));
        if (ex_status[0]) {
            json_t *e = json_object();
            json_object_set_new(e, "status", json_string(ex_status));
            json_object_set_new(e, "time", json_integer(ex_time));
            json_object_set_new(e, "reason", json_string(ex_reason));
            json_object_set_new(o, "last_exit", e);
        } else {
            json_object_set_new(o, "last_exit", json_null());
        }
        json_object_set_new(o, "preload", preload ? preload : json_null());
        char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (!s)
            return 1;
        printf("%s\n", s);
        free(s);
        return 0;
    }
    if (dockerd || ready)
        printf("running:       yes%s\n", ready ? "" : " (not answering yet)");
    else
        printf("running:       no\n");
    if (dockerd)
        printf("dockerd:       pid %d, up %llds\n", dockerd, (long long)uptime);
    if (sup)
        printf("supervisor:    pid %d, %s on %s\n", sup, phase,
               cfg.socket_path);
    else
        printf("supervisor:    none\n");
    if (failures)
        printf("failures:      %d in the last minute\n", failures);
    if (st_reason[0])
        printf("gave up:       %s\n", st_reason);
    printf("socket:        %s\n", cfg.socket_path);
    printf("data-root:     %s (%s%s)\n", cfg.data_root, fs,
           tmpfs ? ", tmpfs mounted by lazydind" : "");
    printf("log:           %s\n", cfg.log_path);
    if (ex_status[0])
        printf("last exit:     dockerd %s%s%s\n", ex_status,
               ex_reason[0] ? ": " : "", ex_reason);
    if (preload)
        lz_preload_print(preload);
    json_decref(preload);
    return 0;
}

/* ---- stop ---- */

static int wait_gone(int pid, const char *comm, int64_t deadline)
{
    while (lz_pid_is(pid, comm)) {
        if (lz_now_ms() >= deadline)
            return -1;
        usleep(20000);
    }
    return 0;
}

int lz_cmd_stop(int argc, char **argv)
{
    struct lz_config cfg;
    int64_t timeout_ms = 20000;
    int keep_socket = 0;
    char err[1024];
    for (int i = 2; i < argc; i++) {
        const char *v = NULL;
        if (strcmp(argv[i], "--keep-socket") == 0) {
            keep_socket = 1;
            continue;
        }
        if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
            v = argv[++i];
        else if (strncmp(argv[i], "--timeout=", 10) == 0)
            v = argv[i] + 10;
        else
            lz_die(LZ_EXIT_USAGE, "usage: lazydind stop [--timeout DURATION] "
                                  "[--keep-socket] (unexpected '%s')", argv[i]);
        if (lz_parse_duration_ms(v, &timeout_ms) != 0)
            lz_die(LZ_EXIT_USAGE, "--timeout '%s' is not a duration; use e.g. 10s", v);
    }
    load_config(&cfg);
    if (lz_config_resolve(&cfg, err, sizeof err) != 0)
        lz_die(LZ_EXIT_USAGE, "%s", err);
    if (geteuid() != 0 && !cfg.rootless)
        lz_die(1, "only root can stop the Docker daemon in this pod");
    int dirfd = lz_rundir_open(cfg.run_dir, 1, err, sizeof err);
    if (dirfd < 0)
        lz_die(1, "%s", err);
    /* hold the start lock so no caller starts a supervisor meanwhile */
    int lockfd = openat(dirfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (lockfd >= 0)
        (void)flock(lockfd, LOCK_EX);
    int sup, dockerd;
    lz_live_pids(&cfg, dirfd, &sup, &dockerd);
    const char *comm = cfg.rootless ? "rootlesskit" : "dockerd";
    int64_t deadline = lz_now_ms() + timeout_ms;
    int rc = 0;
    if (dockerd)
        lz_notice("stopping dockerd (pid %d)...", dockerd);
    /* the supervisor stops dockerd itself: SIGUSR1 keeps the socket armed,
     * SIGTERM ends the listener too; an orphaned dockerd gets SIGTERM */
    if (sup)
        kill(sup, keep_socket ? SIGUSR1 : SIGTERM);
    else if (dockerd)
        kill(dockerd, SIGTERM);
    if (dockerd && wait_gone(dockerd, comm, deadline) != 0) {
        lz_notice("dockerd did not stop within %lld ms; killing it",
                  (long long)timeout_ms);
        kill(dockerd, SIGKILL);
        wait_gone(dockerd, comm, lz_now_ms() + 5000);
    }
    if (keep_socket) {
        lz_notice(sup ? "dockerd stopped; still listening on %s"
                      : "dockerd stopped; nothing listens on %s",
                  cfg.socket_path);
        close(lockfd);
        close(dirfd);
        return 0;
    }
    if (sup && wait_gone(sup, "lazydind", lz_now_ms() + 3000) != 0) {
        kill(sup, SIGKILL);
        wait_gone(sup, "lazydind", lz_now_ms() + 2000);
    }
    struct stat st;
    if (lstat(cfg.socket_path, &st) == 0 && S_ISSOCK(st.st_mode) &&
        lz_ping(cfg.socket_path, 500) == LZ_PING_DOWN)
        (void)unlink(cfg.socket_path);
    lz_state_clear(dirfd);
    /* unmount the tmpfs we mounted: containerd (dockerd's child) may take a
     * moment to let go of it */
    char mpath[LZ_PATH_MAX];
    if (lz_mounted_load(dirfd, mpath, sizeof mpath) == 0) {
        if (strcmp(lz_fs_of(mpath), "tmpfs") == 0 && lz_is_mountpoint(mpath)) {
            int64_t until = lz_now_ms() + 5000;
            int ok;
            while ((ok = umount2(mpath, 0)) != 0 && errno == EBUSY &&
                   lz_now_ms() < until)
                usleep(50000);
            if (ok != 0 && errno == EBUSY)
                ok = umount2(mpath, MNT_DETACH);
            if (ok != 0) {
                lz_error("cannot unmount the tmpfs on %s: %s", mpath, strerror(errno));
                rc = 1;
            } else {
                lz_notice("unmounted the tmpfs on %s", mpath);
            }
        }
        if (rc == 0)
            lz_mounted_clear(dirfd);
    }
    if (dockerd || sup)
        lz_notice("Docker daemon stopped");
    else
        lz_notice("Docker daemon was not running");
    close(lockfd);
    close(dirfd);
    return rc;
}

/* ---- logs ---- */

/* Prints the last nlines lines of fd (all when nlines < 0). */
static void print_tail(int fd, long nlines)
{
    struct stat st;
    char buf[8192];
    if (fstat(fd, &st) != 0)
        return;
    off_t size = st.st_size, start = 0;
    if (nlines >= 0 && size > 0) {
        /* walk back over nlines newlines; a final newline ends the last
         * line and does not count */
        off_t pos = size;
        long seen = 0;
        int skip_last = 1;
        start = 0;
        while (pos > 0) {
            size_t chunk = pos > (off_t)sizeof buf ? sizeof buf : (size_t)pos;
            pos -= (off_t)chunk;
            if (pread(fd, buf, chunk, pos) != (ssize_t)chunk)
                return;
            for (size_t i = chunk; i-- > 0;) {
                if (buf[i] != '\n')
                    continue;
                if (skip_last && pos + (off_t)i == size - 1) {
                    skip_last = 0;
                    continue;
                }
                if (++seen == nlines) {
                    start = pos + (off_t)i + 1;
                    goto found;
                }
            }
        }
        if (nlines == 0)
            start = size;
    }
found:
    while (start < size) {
        ssize_t n = pread(fd, buf, sizeof buf, start);
        if (n <= 0)
            break;
        fwrite(buf, 1, (size_t)n, stdout);
        start += n;
    }
    fflush(stdout);
}

int lz_cmd_logs(int argc, char **argv)
{
    struct lz_config cfg;
    int follow = 0;
    long n = -1;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-f") == 0 || strcmp(a, "--follow") == 0) {
            follow = 1;
        } else if ((strcmp(a, "-n") == 0 || strcmp(a, "--tail") == 0) && i + 1 < argc) {
            char *end;
            n = strtol(argv[++i], &end, 10);
            if (*end || n < 0)
                lz_die(LZ_EXIT_USAGE, "-n '%s' is not a number of lines", argv[i]);
        } else {
            lz_die(LZ_EXIT_USAGE, "usage: lazydind logs [-f] [-n N] (unexpected '%s')", a);
        }
    }
    load_config(&cfg);
    int fd = open(cfg.log_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT && !follow)
            return 0;
        if (errno != ENOENT)
            lz_die(1, "cannot read %s: %s", cfg.log_path, strerror(errno));
    }
    off_t pos = 0;
    if (fd >= 0) {
        if (n != 0)
            print_tail(fd, n);
        pos = lseek(fd, 0, SEEK_END);
    }
    while (follow) {
        usleep(200000);
        if (fd < 0) {
            fd = open(cfg.log_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
            pos = 0;
            continue;
        }
        struct stat st;
        if (fstat(fd, &st) != 0)
            break;
        if (st.st_size < pos) /* rotated (truncated): start over */
            pos = 0;
        char buf[8192];
        ssize_t r;
        while ((r = pread(fd, buf, sizeof buf, pos)) > 0) {
            if (fwrite(buf, 1, (size_t)r, stdout) != (size_t)r)
                return 1;
            pos += r;
        }
        fflush(stdout);
    }
    if (fd >= 0)
        close(fd);
    return 0;
}

/* ---- install ---- */

static int is_us(const char *path, const struct stat *self)
{
    struct stat st;
    return stat(path, &st) == 0 && st.st_dev == self->st_dev &&
           st.st_ino == self->st_ino;
}

static int dir_index_in_path(const char *dir, const char *path_env)
{
    size_t dl = strlen(dir);
    int idx = 0;
    for (const char *p = path_env; p && *p; idx++) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == dl && strncmp(p, dir, n) == 0)
            return idx;
        if (!end)
            break;
        p = end + 1;
    }
    return -1;
}

int lz_cmd_install(int argc, char **argv)
{
    const char *prefix = NULL;
    int divert = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--divert") == 0)
            divert = 1;
        else if (strcmp(argv[i], "--prefix") == 0 && i + 1 < argc)
            prefix = argv[++i];
        else if (strncmp(argv[i], "--prefix=", 9) == 0)
            prefix = argv[i] + 9;
        else
            lz_die(LZ_EXIT_USAGE, "usage: lazydind install [--prefix DIR] [--divert] "
                                  "(unexpected '%s')", argv[i]);
    }
    struct lz_config cfg;
    load_config(&cfg);
    if (prefix && prefix[0] != '/')
        lz_die(LZ_EXIT_USAGE, "--prefix '%s' is not an absolute directory", prefix);
    char self_path[LZ_PATH_MAX];
    ssize_t sl = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
    struct stat self;
    if (sl <= 0 || stat("/proc/self/exe", &self) != 0)
        lz_die(1, "cannot find my own binary through /proc/self/exe");
    self_path[sl] = '\0';

    const char *path_env = getenv("PATH");
    char real[LZ_PATH_MAX], link[LZ_PATH_MAX + 16], dir[LZ_PATH_MAX];
    int have_real = lz_path_search("docker", path_env, &self, real, sizeof real) == 0;
    if (prefix) {
        snprintf(link, sizeof link, "%s/docker", prefix);
        if (divert && !is_us(link, &self)) {
            struct stat st;
            if (lstat(link, &st) == 0 && S_ISREG(st.st_mode))
                snprintf(real, sizeof real, "%s", link), have_real = 1;
        }
    }
    if (divert) {
        if (!prefix) {
            /* already diverted on a previous run? */
            char us_dir[LZ_PATH_MAX];
            if (lz_path_search("docker", path_env, NULL, us_dir, sizeof us_dir) == 0 &&
                is_us(us_dir, &self)) {
                snprintf(link, sizeof link, "%s", us_dir);
                char rp[LZ_PATH_MAX + 16];
                snprintf(rp, sizeof rp, "%s.real", link);
                if (access(rp, X_OK) == 0) {
                    lz_notice("already installed: %s -> %s, real CLI at %s", link,
                              self_path, rp);
                    return 0;
                }
            }
            if (!have_real)
                lz_die(1, "no docker CLI on PATH to divert; install docker-ce-cli "
                          "or docker.io first, or use --prefix");
            snprintf(link, sizeof link, "%s", real);
        }
        char moved[LZ_PATH_MAX + 16];
        snprintf(moved, sizeof moved, "%s.real", link);
        if (is_us(link, &self)) {
            if (access(moved, X_OK) == 0) {
                lz_notice("already installed: %s -> %s, real CLI at %s", link,
                          self_path, moved);
                return 0;
            }
            lz_die(1, "%s is lazydind but %s is missing; reinstall the docker CLI",
                   link, moved);
        }
        if (access(moved, F_OK) == 0)
            lz_die(1, "%s already exists; remove it or install without --divert",
                   moved);
        if (rename(link, moved) != 0)
            lz_die(1, "cannot move %s to %s: %s", link, moved, strerror(errno));
        if (symlink(self_path, link) != 0) {
            int e = errno;
            (void)rename(moved, link);
            lz_die(1, "cannot create %s: %s", link, strerror(e));
        }
        lz_notice("installed %s -> %s; the real CLI is now %s", link, self_path, moved);
        return 0;
    }

    if (prefix) {
        lz_strlcpy(dir, prefix, sizeof dir);
    } else {
        /* the first PATH dir that precedes the real CLI's: /usr/local/bin
         * when it does */
        int ri = -1;
        if (have_real) {
            char rd[LZ_PATH_MAX];
            lz_strlcpy(rd, real, sizeof rd);
            *strrchr(rd, '/') = '\0';
            ri = dir_index_in_path(rd, path_env);
        }
        int li = dir_index_in_path("/usr/local/bin", path_env);
        if (li < 0 || (ri >= 0 && li >= ri))
            lz_die(1, "/usr/local/bin does not come before the real docker CLI (%s) "
                      "on PATH; use --prefix DIR or --divert",
                   have_real ? real : "none found");
        lz_strlcpy(dir, "/usr/local/bin", sizeof dir);
    }
    snprintf(link, sizeof link, "%s/docker", dir);
    struct stat st;
    if (lstat(link, &st) == 0) {
        if (is_us(link, &self)) {
            lz_notice("already installed: %s -> %s", link, self_path);
            return 0;
        }
        lz_die(1, "%s exists and is not lazydind; use --divert to move it to "
                  "docker.real, or choose another --prefix", link);
    }
    if (symlink(self_path, link) != 0)
        lz_die(1, "cannot create %s: %s", link, strerror(errno));
    if (!have_real)
        lz_notice("warning: no real docker CLI found on PATH yet; install "
                  "docker-ce-cli or docker.io, or set LAZYDIND_DOCKER");
    lz_notice("installed %s -> %s", link, self_path);
    return 0;
}
