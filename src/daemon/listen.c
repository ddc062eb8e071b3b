#define _GNU_SOURCE
#include "daemon/listen.h"
#include "base/unixsock.h"
#include "base/cleanup.h"
#include "base/ping.h"
#include "base/readfor.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

long lz_group_gid(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = text; p && *p;) {
        /* name:password:gid:members */
        if (strncmp(p, name, n) == 0 && p[n] == ':') {
            const char *q = strchr(p + n + 1, ':');
            if (!q)
                return -1;
            char *end;
            long gid = strtol(q + 1, &end, 10);
            if (end == q + 1 || (*end != ':' && *end != '\n' && *end != '\0') ||
                gid < 0)
                return -1;
            return gid;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return -1;
}

int lz_listen_unix(const char *path, char *err, size_t errlen)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (lz_strlcpy(sa.sun_path, path, sizeof sa.sun_path) != 0) {
        snprintf(err, errlen, "socket path %s is too long", path);
        return -1;
    }
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            snprintf(err, errlen, "%s exists and is not a socket; remove it", path);
            return -1;
        }
        if (lz_ping(path, 500) != LZ_PING_DOWN) {
            snprintf(err, errlen, "something already answers on %s", path);
            return -1;
        }
        (void)unlink(path);
    }
    LZ_AUTOFD fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        return -1;
    }
    /* born 0660: nobody else can connect in the window before chown */
    mode_t old = umask(0117);
    int r = bind(fd, (struct sockaddr *)&sa, sizeof sa);
    umask(old);
    if (r != 0) {
        snprintf(err, errlen, "cannot bind %s: %s", path, strerror(errno));
        return -1;
    }
    char groups[65536];
    long gid = -1;
    if (lz_read_file_at(AT_FDCWD, "/etc/group", groups, sizeof groups) > 0)
        gid = lz_group_gid(groups, "docker");
    if (chown(path, 0, gid >= 0 ? (gid_t)gid : 0) != 0 && geteuid() == 0) {
        snprintf(err, errlen, "cannot chown %s: %s", path, strerror(errno));
        (void)unlink(path);
        return -1;
    }
    (void)chmod(path, 0660);
    if (listen(fd, 4096) != 0) {
        snprintf(err, errlen, "cannot listen on %s: %s", path, strerror(errno));
        (void)unlink(path);
        return -1;
    }
    return lz_steal_fd(&fd);
}

int lz_answer_pending(int lfd, const char *message)
{
    LZ_AUTOJSON o = json_pack("{s:s}", "message", message);
    LZ_AUTOFREE char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    if (!body)
        return 0;
    char head[256];
    int hl = snprintf(head, sizeof head,
                      "HTTP/1.1 503 Service Unavailable\r\n"
                      "Content-Type: application/json\r\n"
                      "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                      strlen(body));
    int n = 0;
    for (;;) {
        LZ_AUTOFD c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (c < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        /* read what the client sent, so that closing does not reset it */
        char junk[4096];
        struct pollfd p = {.fd = c, .events = POLLIN};
        if (poll(&p, 1, 20) > 0)
            while (read(c, junk, sizeof junk) > 0)
                ;
        (void)lz_send_all(c, head, (size_t)hl);
        (void)lz_send_all(c, body, strlen(body));
        shutdown(c, SHUT_WR);
        n++;
    }
    return n;
}

int lz_count_unix_conns(const char *text, const char *path)
{
    /* Num RefCount Protocol Flags Type St Inode Path */
    int n = 0;
    size_t plen = strlen(path);
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        unsigned long flags = 0, type = 0, st = 0;
        char num[32];
        unsigned long ref = 0, proto = 0, inode = 0;
        int off = 0;
        if (sscanf(p, "%31s %lx %lx %lx %lx %lx %lu %n", num, &ref, &proto,
                   &flags, &type, &st, &inode, &off) == 7 &&
            off > 0 && (size_t)off <= len) {
            const char *sp = p + off;
            size_t sl = len - (size_t)off;
            /* st 03 = connected; the listener itself is 01 */
            if (st == 3 && sl == plen && strncmp(sp, path, plen) == 0)
                n++;
        }
        p = nl ? nl + 1 : NULL;
    }
    return n;
}

int lz_containers_count(const char *resp, size_t len)
{
    /* status line first: a short answer is not read past its end */
    if (len < 12 || memcmp(resp, "HTTP/1.", 7) != 0 || memcmp(resp + 9, "200", 3) != 0)
        return -1;
    const char *body = memmem(resp, len, "\r\n\r\n", 4);
    if (!body)
        return -1;
    body += 4;
    json_error_t je;
    LZ_AUTOJSON arr = json_loadb(body, len - (size_t)(body - resp), 0, &je);
    return json_is_array(arr) ? (int)json_array_size(arr) : -1;
}

int lz_running_containers(const char *path, int timeout_ms)
{
    static const char req[] = "GET /containers/json HTTP/1.0\r\nHost: docker\r\n"
                              "User-Agent: lazydind\r\n\r\n";
    LZ_AUTOFD fd = lz_unix_connect(path);
    if (fd < 0)
        return -1;
    size_t cap = 1 << 20, len;
    LZ_AUTOFREE char *buf = malloc(cap);
    if (!buf ||
        lz_send_all(fd, req, sizeof req - 1) != 0)
        return -1;
    /* the answer ends where dockerd closes: all of it fits, or it is no count */
    if (lz_read_for(fd, buf, cap, lz_now_ms() + timeout_ms, 0, &len) != LZ_READ_EOF)
        return -1;
    return lz_containers_count(buf, len);
}
