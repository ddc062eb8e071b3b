/* The warm path's look at the state and /proc. */
#define _GNU_SOURCE
#include "daemon/warm.h"
#include "daemon/pidfile.h"
#include "base/util.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* "/proc/PID/exe" into out (at least 32 bytes), without printf: the warm
 * path touches as little code and stack as it can. */
static void exe_link(int pid, char *out)
{
    char digits[16];
    int n = 0;
    do
        digits[n++] = (char)('0' + pid % 10);
    while ((pid /= 10) > 0 && n < (int)sizeof digits);
    memcpy(out, "/proc/", 6);
    for (int i = 0; i < n; i++)
        out[6 + i] = digits[n - 1 - i];
    memcpy(out + 6 + n, "/exe", 5);
}

/* pid is a live process running the binary `name` (pidfile.h's test, as
 * for dockerd's pid files): one readlink. A zombie has released its memory,
 * and its exe link with it. */
static int alive_as(int pid, const char *name)
{
    char path[32], target[256]; /* a longer one is not taken for ours */
    if (pid <= 0)
        return 0;
    exe_link(pid, path);
    ssize_t n = readlink(path, target, sizeof target);
    if (n <= 0 || (size_t)n >= sizeof target)
        return 0;
    target[n] = '\0';
    return lz_exe_is(target, name);
}

/* The phases in which a rootful supervisor listens (gave_up does not). */
static int listens(const char *phase)
{
    return strcmp(phase, "armed") == 0 || strcmp(phase, "running") == 0 ||
           strcmp(phase, "backoff") == 0;
}

static int ready_phase(const struct lz_state *st)
{
    return strcmp(st->phase, "running") == 0 && st->ready == 1;
}

enum lz_warm lz_warm_decide(const struct lz_state *st, const char *socket_path,
                            int sup_alive, int dockerd_alive)
{
    if (!st || strcmp(st->socket, socket_path) != 0 || !listens(st->phase) || !sup_alive)
        return LZ_WARM_UNKNOWN;
    /* rootless: the supervisor's listener holds connections only until the
     * hand-over (dockerd binds the socket then): armed is all it can tell */
    if (st->mode[0])
        return strcmp(st->phase, "armed") == 0 ? LZ_WARM_LISTENING : LZ_WARM_UNKNOWN;
    return ready_phase(st) && dockerd_alive ? LZ_WARM_READY : LZ_WARM_LISTENING;
}

/* The state's text in one read (it is small, and replaced whole by a
 * rename, never written in place). Its length, or -1. */
static ssize_t read_state(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, cap - 1);
    close(fd);
    if (n <= 0 || (size_t)n == cap - 1)
        return -1;
    buf[n] = '\0';
    return n;
}

/* The decision on what *st says, with the look at /proc it needs. */
static enum lz_warm warm_judge(const struct lz_config *cfg, const struct lz_state *st)
{
    int sup = 0, dockerd = 0;
    if (listens(st->phase) && strcmp(st->socket, cfg->socket_path) == 0 &&
        (sup = alive_as(st->supervisor_pid, "lazydind")))
        dockerd = !st->mode[0] && ready_phase(st) && st->dockerd_pid > 0 &&
                  kill(st->dockerd_pid, 0) == 0;
    return lz_warm_decide(st, cfg->socket_path, sup, dockerd);
}

/* The hint (state.h): 1 when one readlink says READY, else 0 (the state
 * decides). */
static int hint_says_ready(const struct lz_config *cfg, struct lz_state *st)
{
    char path[128], text[LZ_PATH_MAX + 96];
    if (lz_path_join(path, sizeof path, cfg->run_dir, LZ_WARM_HINT) != 0)
        return 0;
    ssize_t n = readlink(path, text, sizeof text);
    if (n <= 0 || (size_t)n >= sizeof text)
        return 0;
    text[n] = '\0';
    return lz_warm_hint_parse(text, st) == 0 && warm_judge(cfg, st) == LZ_WARM_READY;
}

enum lz_warm lz_warm_look(const struct lz_config *cfg, struct lz_state *st)
{
    /* a state of normal size fits; a larger one (long paths, a long
     * reason) is left to the /_ping */
    char path[128], text[2048];
    if (lz_path_join(path, sizeof path, cfg->run_dir, "state") != 0) {
        memset(st, 0, sizeof *st);
        return LZ_WARM_UNKNOWN;
    }
    if (!cfg->rootless && hint_says_ready(cfg, st))
        return LZ_WARM_READY;
    if (read_state(path, text, sizeof text) < 0) {
        memset(st, 0, sizeof *st);
        return lz_warm_decide(NULL, cfg->socket_path, 0, 0);
    }
    lz_state_parse(text, st); /* zeroes *st first */
    return warm_judge(cfg, st);
}
