/* The hot path: GET /_ping over the daemon's unix socket, hand-written. */
#ifndef LAZYDIND_PING_H
#define LAZYDIND_PING_H

#include <stddef.h>

enum lz_ping_result {
    LZ_PING_OK = 1,        /* 200 and body "OK" */
    LZ_PING_DOWN = 0,      /* no socket, or nothing listening on it */
    LZ_PING_BAD = -1,      /* answered, but not a healthy /_ping */
    LZ_PING_TIMEOUT = -2,  /* connected, no answer within the timeout */
};

/* Parses a (possibly partial) HTTP response to GET /_ping.
 * Returns 1 when complete with status 200 and body "OK", 0 when more bytes
 * are needed, -1 when it is not a healthy answer. */
int lz_ping_parse(const char *buf, size_t len);

/* One /_ping round trip on the unix socket at path; timeout_ms bounds the
 * wait for the answer (a connect that is refused returns at once). */
enum lz_ping_result lz_ping(const char *path, int timeout_ms);

/* As lz_ping; when the answer is not healthy and msg is given, the JSON
 * "message" of the error body (or its first line) is copied to msg. */
enum lz_ping_result lz_ping_msg(const char *path, int timeout_ms, char *msg,
                                size_t msglen);

/* The "message" of a Docker API error response (status line, headers,
 * JSON body), or the body's first line. "" when there is none. */
void lz_http_error_message(const char *resp, size_t len, char *msg, size_t msglen);

#endif
