/* The recorded pods of tests/unit/pod/fixtures/detect/ (see its README):
 * files captured in pods of this test bed with different privileges, and
 * Sysbox samples reconstructed from Sysbox's docs and sources. Shared by
 * the pod tests; header-only (static inline). */
#ifndef LAZYDIND_TEST_POD_FIXTURE_H
#define LAZYDIND_TEST_POD_FIXTURE_H

#include <stdio.h>
#include <string.h>

/* The fixtures' directory: beside this file (tests run from the repo root). */
static inline const char *fx_dir(void)
{
    static char dir[1024];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "%s", __FILE__);
        char *slash = strrchr(dir, '/');
        if (slash)
            strcpy(slash, "/fixtures/detect");
        else
            strcpy(dir, "fixtures/detect");
    }
    return dir;
}

/* The text of fixture file NAME/path ("" when absent); static buffers,
 * four in rotation. */
static inline const char *fx(const char *name, const char *path)
{
    static char bufs[4][262144];
    static int next;
    char *buf = bufs[next++ % 4];
    char full[2048];
    snprintf(full, sizeof full, "%s/%s/%s", fx_dir(), name, path);
    FILE *f = fopen(full, "re");
    if (!f) {
        buf[0] = '\0';
        return buf;
    }
    size_t n = fread(buf, 1, sizeof bufs[0] - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The recorded tree of pod NAME, for lz_detect_gather's root. */
static inline void fx_root(const char *name, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s/%s", fx_dir(), name);
}

#endif
