/* The crash-burst policy (backoff.h). */
#include "daemon/backoff.h"

int64_t lz_burst_fail(struct lz_burst *b, int64_t now)
{
    int kept = 0;
    for (int i = 0; i < b->n; i++)
        if (now - b->at[i] < LZ_BURST_WINDOW_MS)
            b->at[kept++] = b->at[i];
    b->n = kept;
    if (b->n == LZ_BURST_MAX)
        return -1;
    b->at[b->n++] = now;
    if (b->n >= LZ_BURST_MAX)
        return -1;
    if (b->n == 1)
        return 0;
    int64_t delay = LZ_BURST_FIRST_MS;
    for (int i = 2; i < b->n && delay < LZ_BURST_CAP_MS; i++)
        delay *= 2;
    return delay > LZ_BURST_CAP_MS ? LZ_BURST_CAP_MS : delay;
}

void lz_burst_reset(struct lz_burst *b)
{
    b->n = 0;
}
