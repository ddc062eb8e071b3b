/* Waiting for readiness, the notices, and the failure report. */
#define _GNU_SOURCE
#include "daemon/await.h"
#include "daemon/livepids.h"
#include "config/dwrite.h"
#include "base/cleanup.h"
#include "base/ping.h"
#include "base/util.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* The runtime dir, opened on first use. */
static int rundir(struct lz_wait *w)
{
    char err[256];
    if (w->dirfd < 0)
        w->dirfd = lz_rundir_open(w->cfg->run_dir, 0, err, sizeof err);
    return w->dirfd;
}

void lz_announce_key(const struct lz_state *st, char *out, size_t outlen)
{
    int running = strcmp(st->phase, "running") == 0;
    if (running && st->ready == 1) {
        out[0] = '\0';
        return;
    }
    /* armed or backing off: the start to come is the next one */
    snprintf(out, outlen, "%lld:%lld\n", (long long)st->supervisor_pid,
             (long long)st->spawns + (running ? 0 : 1));
}

/* When many callers wait for the same start, one of them says so: the one
 * that writes this start's key into `announced` first. 0 for the others,
 * when dockerd is already ready, or when the state cannot be read. */
static int claim_announcement(struct lz_wait *w)
{
    char key[64], old[64];
    struct lz_state read;
    const struct lz_state *st = w->seen;
    int dirfd = rundir(w);
    if (dirfd < 0)
        return 0;
    if (!st) {
        if (lz_state_load(dirfd, &read) != 0)
            return 0;
        st = &read;
    }
    lz_announce_key(st, key, sizeof key);
    if (!key[0])
        return 0;
    LZ_AUTOFD fd = openat(dirfd, "announced",
                          O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
    if (fd < 0 || flock(fd, LOCK_EX) != 0)
        return 0;
    ssize_t n = pread(fd, old, sizeof old - 1, 0);
    old[n > 0 ? n : 0] = '\0';
    return strcmp(old, key) != 0 && ftruncate(fd, 0) == 0 &&
           pwrite(fd, key, strlen(key), 0) == (ssize_t)strlen(key);
}

/* Why it could not start when the connection ended without an answer: the
 * supervisor gave up or died; its records say why. */
static void recorded_reason(struct lz_wait *w, char *reason, size_t cap)
{
    struct lz_state st;
    struct lz_exit_record ex;
    int dirfd = rundir(w);
    if (dirfd < 0)
        return;
    if (lz_state_load(dirfd, &st) == 0)
        snprintf(reason, cap, "%s", st.reason);
    /* an exit record of an earlier generation says nothing about this start */
    if (!reason[0] && lz_exit_load(dirfd, &ex) == 0 && ex.gen == lz_gen_load(dirfd))
        snprintf(reason, cap, "Docker daemon failed to start: %s",
                 ex.reason[0] ? ex.reason : ex.status[0] ? ex.status
                                                      : "no reason recorded");
}

static void report_failure(struct lz_wait *w, const char *msg)
{
    char reason[1200] = "";
    if (msg && *msg)
        snprintf(reason, sizeof reason, "%s",
                 strncmp(msg, "lazydind: ", 10) == 0 ? msg + 10 : msg);
    else
        recorded_reason(w, reason, sizeof reason);
    if (!reason[0])
        snprintf(reason, sizeof reason,
                 "the Docker daemon closed the connection without answering");
    lz_error("%s", reason);
    lz_error("see %s (or run: lazydind logs)", w->cfg->log_path);
}

static void report_timeout(const struct lz_wait *w)
{
    lz_error("the Docker daemon did not answer on %s within %lld ms; it may "
             "still be starting: see %s", w->cfg->socket_path,
             (long long)(w->deadline - w->t0), w->cfg->log_path);
}

/* Ready, told by the caller who announces this start: with the notes of
 * the config its supervisor built for it (written before dockerd was
 * spawned, so present once it answers). */
static void ready_notice(struct lz_wait *w)
{
    lz_notice("Docker daemon ready in %lld ms", (long long)(lz_now_ms() - w->t0));
    if (rundir(w) >= 0)
        lz_dconf_print_notices(w->dirfd);
}

static int announced(struct lz_wait *w)
{
    return w->announce == LZ_ANNOUNCE_ALWAYS ||
           (w->announce == LZ_ANNOUNCE_CLAIM && claim_announcement(w));
}

/* The connection was closed without a word: no supervisor lives (and we
 * may start one), so the one that held it died. */
static int orphaned(struct lz_wait *w)
{
    int sup = 0, dockerd = 0;
    lz_live_pids(w->cfg, rundir(w), &sup, &dockerd);
    return !sup && geteuid() == 0;
}

/* One /_ping on the managed socket, bounded by the wait's deadline. When
 * it decides the wait (ready: the notice given if announced; timed out:
 * reported), 1 with the outcome in *out; else 0 with the ping's result in
 * *pr and the daemon's message, if any, in msg. */
static int ping_decides(struct lz_wait *w, int announce, char *msg, size_t msglen,
                        enum lz_ping_result *pr, enum lz_await *out)
{
    int64_t left = w->deadline - lz_now_ms();
    *pr = lz_ping_msg(w->cfg->socket_path, left > 0 ? (int)left : 1, msg, msglen);
    if (*pr == LZ_PING_OK) {
        if (announce)
            ready_notice(w);
        *out = LZ_AWAIT_READY;
        return 1;
    }
    if (*pr == LZ_PING_TIMEOUT) {
        report_timeout(w);
        *out = LZ_AWAIT_FAILED;
        return 1;
    }
    return 0;
}

enum lz_await lz_await_ping(struct lz_wait *w)
{
    int announce = announced(w);
    if (announce)
        lz_notice("starting Docker daemon...");
    char msg[1200];
    enum lz_ping_result pr;
    enum lz_await out;
    if (ping_decides(w, announce, msg, sizeof msg, &pr, &out))
        return out;
    if (pr == LZ_PING_DOWN && w->may_orphan && w->deadline - lz_now_ms() > 100 &&
        orphaned(w))
        return LZ_AWAIT_ORPHANED;
    report_failure(w, msg);
    return LZ_AWAIT_FAILED;
}

/* The rootless supervisor lives (listening, starting or serving through
 * dockerd's socket). A runtime dir made again under us is opened again. */
static int rootless_alive(struct lz_wait *w)
{
    struct lz_state st;
    for (int again = 0; again < 2; again++) {
        if (rundir(w) >= 0 && lz_state_load(w->dirfd, &st) == 0)
            return lz_pid_is(st.supervisor_pid, "lazydind") &&
                   strcmp(st.phase, "gave_up") != 0;
        if (w->dirfd >= 0)
            close(w->dirfd);
        w->dirfd = -1;
    }
    return 0;
}

enum lz_await lz_await_rootless(struct lz_wait *w)
{
    int announce = announced(w);
    if (announce)
        lz_notice("starting Docker daemon (rootless)...");
    int backoff = 1;
    for (;;) {
        char msg[1200] = "";
        int64_t left = w->deadline - lz_now_ms();
        if (left <= 0) {
            report_timeout(w);
            return LZ_AWAIT_FAILED;
        }
        /* the supervisor holds this connection until dockerd answers, or
         * answers it with the reason it could not start */
        enum lz_ping_result pr;
        enum lz_await out;
        if (ping_decides(w, announce, msg, sizeof msg, &pr, &out))
            return out;
        /* refused: dockerd's socket is dead and not yet replaced by the
         * supervisor's listener (it re-arms when rootlesskit has ended) */
        if (msg[0] || !rootless_alive(w)) {
            report_failure(w, msg);
            return LZ_AWAIT_FAILED;
        }
        usleep((useconds_t)backoff * 1000);
        backoff = backoff * 2 > 20 ? 20 : backoff * 2;
    }
}
