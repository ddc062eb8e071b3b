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

#endif
