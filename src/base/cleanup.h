/* Cleanup on every path, bubblewrap-style: a variable declared with one of
 * these is released when it goes out of scope, and lz_steal_* hands it on
 * (the variable is then left empty, so nothing is released twice).
 *
 *     LZ_AUTOFD fd = open(...);          closed at the end of the block
 *     LZ_AUTOJSON root = json_loadf(...);  json_decref'd
 *     return lz_steal_ptr(&root);        the caller owns it now */
#ifndef LAZYDIND_CLEANUP_H
#define LAZYDIND_CLEANUP_H

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void lz_closep(int *fd)
{
    if (*fd >= 0) {
        int e = errno;
        (void)close(*fd);
        errno = e;
    }
}

static inline void lz_freep(void *p)
{
    free(*(void **)p);
}

static inline void lz_fclosep(FILE **f)
{
    if (*f) {
        int e = errno;
        (void)fclose(*f);
        errno = e;
    }
}

static inline void lz_json_decrefp(json_t **j)
{
    json_decref(*j);
}

#define LZ_AUTOFD __attribute__((cleanup(lz_closep))) int
#define LZ_AUTOFREE __attribute__((cleanup(lz_freep)))
#define LZ_AUTOFILE __attribute__((cleanup(lz_fclosep))) FILE *
#define LZ_AUTOJSON __attribute__((cleanup(lz_json_decrefp))) json_t *

/* The fd, leaving -1 behind. */
static inline int lz_steal_fd(int *fd)
{
    int f = *fd;
    *fd = -1;
    return f;
}

/* The pointer at pp, leaving NULL behind. */
static inline void *lz_steal_ptr(void *pp)
{
    void **p = pp;
    void *v = *p;
    *p = NULL;
    return v;
}

#endif
