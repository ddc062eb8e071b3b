/* Reading one live fact of the pod: a file's text, a number from a sysctl,
 * a program on PATH, whether a device opens, the filesystem a directory is
 * on. root is "" for the live system, or a directory holding a recorded
 * tree (tests/unit/pod/fixtures/detect), under which files, programs and
 * devices are looked up instead. No fork; nothing is written. */
#ifndef LAZYDIND_POD_PROBE_H
#define LAZYDIND_POD_PROBE_H

#include <stddef.h>
#include <sys/types.h>

#include "base/util.h"

/* A program the pod may have. */
struct lz_bin {
    int found;
    char path[LZ_PATH_MAX];
    int setuid_root;    /* owned by root with the set-user-ID bit */
    int file_caps;      /* has a security.capability xattr */
};

/* Reads root+path into buf (cap bytes, NUL-terminated); returns its length,
 * or -1 with "" in buf when it cannot be read. */
ssize_t lz_probe_read(const char *root, const char *path, char *buf, size_t cap);
/* The same into a malloc'd buffer of max bytes ("" when unreadable); NULL
 * only when out of memory. */
char *lz_probe_read_alloc(const char *root, const char *path, size_t max);
/* The number in root+path (a sysctl), or -1 when absent or not a number. */
long lz_probe_long(const char *root, const char *path);
/* Finds program name: an absolute name is checked as it is (under root);
 * else on PATH (the default PATH when unset) on the live system, or in the
 * recorded tree's copies of the default PATH's directories. */
void lz_probe_bin(const char *root, const char *name, struct lz_bin *b);
/* 0 when root+dev opens read-write, else the errno of the open. */
int lz_probe_open(const char *root, const char *dev);
/* The filesystem dir is (or will be) on, into out ("unknown" when not
 * known): statfs of it or of its nearest existing parent on the live
 * system, or the mount holding it in mountinfo for a recorded tree. */
void lz_probe_fs(const char *mountinfo, const char *root, const char *dir, char *out,
                 size_t outlen);

#endif
