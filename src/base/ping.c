#define _GNU_SOURCE
#include "base/ping.h"
#include "base/unixsock.h"
#include "base/util.h"

#include <ctype.h>
#include <jansson.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const char request[] =
    "GET /_ping HTTP/1.1\r\nHost: docker\r\nUser-Agent: lazydind\r\n"
    "Connection: close\r\n\r\n";

/* Finds "\r\n\r\n" in buf[0..len). */
static const char *header_end(const char *buf, size_t len)
{
    for (size_t i = 0; i + 3 < len; i++)
        if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' &&
            buf[i + 3] == '\n')
            return buf + i + 4;
    return NULL;
}

int lz_ping_parse(const char *buf, size_t len)
{
    /* Status line: HTTP/1.x 200 */
    if (len < 12)
        return (len == 0 || strncmp(buf, "HTTP/1.", len < 7 ? len : 7) == 0) ? 0 : -1;
    if (strncmp(buf, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)buf[7]) ||
        buf[8] != ' ')
        return -1;
    if (strncmp(buf + 9, "200", 3) != 0 || (len > 12 && buf[12] != ' ' && buf[12] != '\r'))
        return -1;
    const char *body = header_end(buf, len);
    if (!body)
        return len > 8192 ? -1 : 0;
    /* Content-Length, when given, must be 2; chunked bodies are not what
     * dockerd sends for /_ping, so anything else is not healthy. */
    long clen = -1;
    const char *line = memchr(buf, '\n', (size_t)(body - buf));
    while (line && line + 1 < body) {
        line++;
        if ((size_t)(body - line) > 15 && strncasecmp(line, "Content-Length:", 15) == 0) {
            const char *p = line + 15;
            while (*p == ' ' || *p == '\t')
                p++;
            if (!isdigit((unsigned char)*p))
                return -1;
            clen = 0;
            while (isdigit((unsigned char)*p) && clen < 100000)
                clen = clen * 10 + (*p++ - '0');
        } else if ((size_t)(body - line) > 18 &&
                   strncasecmp(line, "Transfer-Encoding:", 18) == 0) {
            return -1;
        }
        line = memchr(line, '\n', (size_t)(body - line));
    }
    size_t have = len - (size_t)(body - buf);
    if (clen >= 0 && clen != 2)
        return -1;
    if (have < 2)
        return 0;
    if (have > 2 || body[0] != 'O' || body[1] != 'K')
        return -1;
    return 1;
}

void lz_http_error_message(const char *resp, size_t len, char *msg, size_t msglen)
{
    if (msglen == 0)
        return;
    msg[0] = '\0';
    const char *body = header_end(resp, len);
    if (!body)
        return;
    size_t blen = len - (size_t)(body - resp);
    json_error_t je;
    json_t *o = json_loadb(body, blen, 0, &je);
    const char *m = json_string_value(json_object_get(o, "message"));
    if (m) {
        snprintf(msg, msglen, "%s", m);
    } else {
        size_t n = 0;
        while (n < blen && n + 1 < msglen && body[n] != '\n' && body[n] != '\r')
            n++;
        memcpy(msg, body, n);
        msg[n] = '\0';
    }
    json_decref(o);
}

enum lz_ping_result lz_ping(const char *path, int timeout_ms)
{
    return lz_ping_msg(path, timeout_ms, NULL, 0);
}

enum lz_ping_result lz_ping_msg(const char *path, int timeout_ms, char *msg,
                                size_t msglen)
{
    if (msg && msglen)
        msg[0] = '\0';
    int fd = lz_unix_connect(path);
    if (fd < 0)
        return (errno == ENOENT || errno == ECONNREFUSED || errno == ENOTDIR)
                   ? LZ_PING_DOWN : LZ_PING_BAD;
    enum lz_ping_result res;
    if (lz_send_all(fd, request, sizeof request - 1) != 0) {
        res = LZ_PING_DOWN;
        goto out;
    }
    char buf[4096];
    size_t len = 0;
    int64_t deadline = lz_now_ms() + timeout_ms;
    for (;;) {
        int64_t left = deadline - lz_now_ms();
        if (left <= 0) {
            res = LZ_PING_TIMEOUT;
            goto out;
        }
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            res = r == 0 ? LZ_PING_TIMEOUT : LZ_PING_BAD;
            goto out;
        }
        ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            /* closed before a full answer: a dying or starting daemon */
            res = (n < 0 && errno == ECONNRESET) || len == 0 ? LZ_PING_DOWN : LZ_PING_BAD;
            goto out;
        }
        len += (size_t)n;
        int p = lz_ping_parse(buf, len);
        if (p > 0) {
            res = LZ_PING_OK;
            goto out;
        }
        if (p < 0) {
            res = LZ_PING_BAD;
            if (msg && msglen) {
                /* read the error body to its end (bounded) for its message */
                int64_t until = lz_now_ms() + 1000;
                while (len < sizeof buf - 1) {
                    int64_t l2 = until - lz_now_ms();
                    struct pollfd q = {.fd = fd, .events = POLLIN};
                    if (l2 <= 0 || poll(&q, 1, (int)l2) <= 0)
                        break;
                    ssize_t m = read(fd, buf + len, sizeof buf - 1 - len);
                    if (m <= 0)
                        break;
                    len += (size_t)m;
                }
                lz_http_error_message(buf, len, msg, msglen);
            }
            goto out;
        }
        if (len >= sizeof buf - 1) {
            res = LZ_PING_BAD;
            goto out;
        }
    }
out:
    close(fd);
    return res;
}
