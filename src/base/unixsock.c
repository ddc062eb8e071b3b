/* Connecting to a unix socket: see unixsock.h. */
#define _GNU_SOURCE
#include "base/unixsock.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int lz_unix_connect(const char *path)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (lz_strlcpy(sa.sun_path, path, sizeof sa.sun_path) != 0) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int r;
    do
        r = connect(fd, (struct sockaddr *)&sa, sizeof sa);
    while (r != 0 && errno == EINTR);
    if (r != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}
