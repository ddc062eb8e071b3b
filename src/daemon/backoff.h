/* The crash-burst policy: after a dockerd that was not asked to stop exits
 * (or a start fails), re-arm at once the first time, then after 1 s doubling
 * to 15 s; LZ_BURST_MAX failures within LZ_BURST_WINDOW_MS end the burst
 * with giving up. A dockerd that becomes ready ends a burst. Pure. */
#ifndef LAZYDIND_BACKOFF_H
#define LAZYDIND_BACKOFF_H

#include <stdint.h>

#define LZ_BURST_MAX 6
#define LZ_BURST_WINDOW_MS 60000
#define LZ_BURST_FIRST_MS 1000
#define LZ_BURST_CAP_MS 15000

struct lz_burst {
    int64_t at[LZ_BURST_MAX]; /* monotonic ms of the failures kept */
    int n;
};

/* Records a failure at now (monotonic ms), forgetting those older than the
 * window. Returns the delay before re-arming (0 for the first), or -1 when
 * the burst is too long: give up. */
int64_t lz_burst_fail(struct lz_burst *b, int64_t now);

/* Forgets every failure (dockerd came up). */
void lz_burst_reset(struct lz_burst *b);

#endif
