/* HTTP answers read from the daemon socket (whatever listens there:
 * dockerd, our supervisor's 503, or anything else): the /_ping answer, the
 * error message taken from a non-200 answer, the /containers/json answer
 * of the idle check. */
#include "fuzz.h"
#include "daemon/listen.h"
#include "base/ping.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = fz_bytes(data, size);
    if (!buf)
        return 0;
    int r = lz_ping_parse(buf, size);
    FZ_ASSERT(r >= -1 && r <= 1);
    if (r == 1)
        FZ_ASSERT(size >= 14 && memcmp(buf, "HTTP/1.", 7) == 0 &&
                  memcmp(buf + size - 2, "OK", 2) == 0);
    /* a healthy answer with one byte less is never healthy */
    if (r == 1)
        FZ_ASSERT(lz_ping_parse(buf, size - 1) != 1);
    static const size_t lens[] = {1, 2, 17, 1200};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        char *msg = malloc(lens[i]);
        if (!msg)
            break;
        lz_http_error_message(buf, size, msg, lens[i]);
        FZ_ASSERT(strlen(msg) < lens[i]);
        free(msg);
    }
    int n = lz_containers_count(buf, size);
    FZ_ASSERT(n >= -1);
    free(buf);
    return 0;
}
