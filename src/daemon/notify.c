/* dockerd's readiness: the sd_notify socket. */
#define _GNU_SOURCE
#include "daemon/notify.h"
#include "base/cleanup.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int lz_notify_path(const char *run_dir, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/notify.sock", run_dir);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int lz_notify_bind(int dirfd, const char *run_dir)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (lz_notify_path(run_dir, sa.sun_path, sizeof sa.sun_path) != 0)
        return -1;
    LZ_AUTOFD fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    (void)unlinkat(dirfd, "notify.sock", 0);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        return -1;
    return lz_steal_fd(&fd);
}

int lz_notify_says_ready(const char *msg)
{
    return strstr(msg, "READY=1") != NULL;
}

int lz_notify_drain(int fd)
{
    char msg[512];
    ssize_t n;
    int ready = 0;
    while ((n = recv(fd, msg, sizeof msg - 1, 0)) > 0) {
        msg[n] = '\0';
        if (lz_notify_says_ready(msg))
            ready = 1;
    }
    return ready;
}
