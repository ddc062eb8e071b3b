/* `lazydind stop [--timeout DURATION] [--keep-socket]`: stop dockerd
 * (SIGTERM, then SIGKILL), the listener, and unmount the tmpfs lazydind
 * mounted; with --keep-socket only dockerd. */
#define _GNU_SOURCE
#include "cli/cmdutil.h"
#include "cli/commands.h"
#include "daemon/daemon.h"
#include "daemon/startlock.h"
#include "base/cleanup.h"
#include "base/fs.h"
#include "base/ping.h"
#include "base/state.h"
#include "base/util.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] = "lazydind stop [--timeout DURATION] [--keep-socket]";

static int wait_gone(int pid, const char *comm, int64_t deadline)
{
    while (lz_pid_is(pid, comm)) {
        if (lz_now_ms() >= deadline)
            return -1;
        usleep(20000);
    }
    return 0;
}

/* Stops dockerd: the supervisor stops it itself (SIGUSR1 keeps the socket
 * armed, SIGTERM ends the listener too); an orphaned dockerd gets SIGTERM;
 * one that outlives the timeout, SIGKILL. */
static void stop_dockerd(const struct lz_config *cfg, int sup, int dockerd,
                         int64_t timeout_ms, int keep_socket)
{
    const char *comm = cfg->rootless ? "rootlesskit" : "dockerd";
    int64_t deadline = lz_now_ms() + timeout_ms;
    if (dockerd)
        lz_notice("stopping dockerd (pid %d)...", dockerd);
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
}

/* The listener ends with its supervisor; a socket nobody answers on goes. */
static void stop_listener(const struct lz_config *cfg, int dirfd, int sup)
{
    if (sup && wait_gone(sup, "lazydind", lz_now_ms() + 3000) != 0) {
        kill(sup, SIGKILL);
        wait_gone(sup, "lazydind", lz_now_ms() + 2000);
    }
    struct stat st;
    if (lstat(cfg->socket_path, &st) == 0 && S_ISSOCK(st.st_mode) &&
        lz_ping(cfg->socket_path, 500) == LZ_PING_DOWN)
        (void)unlink(cfg->socket_path);
    lz_state_clear(dirfd);
}

/* Unmounts the tmpfs we mounted (only a recorded one): containerd
 * (dockerd's child) may take a moment to let go of it. 0, or 1 when it
 * stays mounted. */
static int unmount_tmpfs(int dirfd)
{
    char mpath[LZ_PATH_MAX];
    if (lz_mounted_load(dirfd, mpath, sizeof mpath) != 0)
        return 0;
    int rc = 0;
    if (strcmp(lz_fs_of(mpath), "tmpfs") == 0 && lz_is_mountpoint(mpath)) {
        int64_t until = lz_now_ms() + 5000;
        int ok;
        while ((ok = umount2(mpath, 0)) != 0 && errno == EBUSY && lz_now_ms() < until)
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
    return rc;
}

int lz_cmd_stop(int argc, char **argv)
{
    struct lz_config cfg;
    int64_t timeout_ms = 20000;
    int keep_socket = 0;
    char err[1024];
    for (int i = 2; i < argc; i++) {
        const char *v;
        if (strcmp(argv[i], "--keep-socket") == 0) {
            keep_socket = 1;
            continue;
        }
        if (!(v = lz_cmd_value(argc, argv, &i, "--timeout")))
            lz_cmd_unexpected(usage, argv[i]);
        if (lz_parse_duration_ms(v, &timeout_ms) != 0)
            lz_die(LZ_EXIT_USAGE, "--timeout '%s' is not a duration; use e.g. 10s", v);
    }
    lz_cmd_settings_or_die(&cfg, 1);
    if (geteuid() != 0 && !cfg.rootless)
        lz_die(1, "only root can stop the Docker daemon in this pod");
    LZ_AUTOFD dirfd = lz_rundir_open(cfg.run_dir, 1, err, sizeof err);
    if (dirfd < 0)
        lz_die(1, "%s", err);
    /* hold the start lock so no caller starts a supervisor meanwhile */
    LZ_AUTOFD lockfd = lz_start_lock(dirfd, LZ_LOCK_FOREVER);
    (void)lockfd;
    int sup, dockerd;
    lz_live_pids(&cfg, dirfd, &sup, &dockerd);
    stop_dockerd(&cfg, sup, dockerd, timeout_ms, keep_socket);
    if (keep_socket) {
        lz_notice(sup ? "dockerd stopped; still listening on %s"
                      : "dockerd stopped; nothing listens on %s",
                  cfg.socket_path);
        return 0;
    }
    stop_listener(&cfg, dirfd, sup);
    int rc = unmount_tmpfs(dirfd);
    if (dockerd || sup)
        lz_notice("Docker daemon stopped");
    else
        lz_notice("Docker daemon was not running");
    return rc;
}
