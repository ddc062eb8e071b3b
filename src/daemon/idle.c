/* Idle shutdown: is dockerd in use? */
#define _GNU_SOURCE
#include "daemon/idle.h"
#include "base/util.h"
#include "daemon/listen.h"
#include "daemon/logfile.h"

#include <fcntl.h>

int64_t lz_idle_every(int64_t timeout_ms)
{
    int64_t every = timeout_ms / 4;
    if (every > 10000)
        every = 10000;
    if (every < 250)
        every = 250;
    return every;
}

int lz_idle_busy_in(const char *net_unix, const char *bound_path, const char *socket_path)
{
    static char text[1 << 20];
    int conns = 0;
    ssize_t n = lz_read_file_at(AT_FDCWD, net_unix, text, sizeof text);
    if (n > 0)
        conns = lz_count_unix_conns(text, bound_path);
    if (conns > 0)
        return 1;
    /* -1 (no answer) counts as busy */
    return lz_running_containers(socket_path, 5000) != 0;
}

int lz_idle_busy(const char *socket_path)
{
    return lz_idle_busy_in("/proc/net/unix", socket_path, socket_path);
}

int lz_idle_expired(int logfd, int busy, int64_t now, int64_t *last_activity,
                    int64_t timeout_ms)
{
    if (busy)
        *last_activity = now;
    if (now - *last_activity < timeout_ms)
        return 0;
    lz_log_line(logfd, "idle for %lld s (no container running, no API connection): "
                       "stopping dockerd; the next connection starts it again",
                (long long)(now - *last_activity) / 1000);
    return 1;
}
