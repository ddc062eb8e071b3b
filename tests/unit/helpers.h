/* Helpers shared by the unit tests: a scratch directory per test, files in
 * it, and its removal. Header-only (static inline), so that every test
 * program links as it is. Include after <cmocka.h>. */
#ifndef LAZYDIND_TEST_HELPERS_H
#define LAZYDIND_TEST_HELPERS_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A scratch directory: lzt_mkdtemp(dir, sizeof dir, "name") makes
 * /tmp/lz-name-XXXXXX and fails the test when it cannot. */
static inline void lzt_mkdtemp(char *dir, size_t cap, const char *name)
{
    int n = snprintf(dir, cap, "/tmp/lz-%s-XXXXXX", name);
    assert_true(n > 0 && (size_t)n < cap);
    assert_non_null(mkdtemp(dir));
}

static inline int lzt_rm_one(const char *path, const struct stat *st, int flag,
                             struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* rm -rf dir (never following symlinks). 0 on success. */
static inline int lzt_rmtree(const char *dir)
{
    return nftw(dir, lzt_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* dir/rel in one of a few rotating buffers (so that two can be used in one
 * call). */
static inline const char *lzt_path(const char *dir, const char *rel)
{
    static char bufs[4][512];
    static int n;
    char *b = bufs[n++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", dir, rel);
    return b;
}

/* Writes text to path (created or truncated, mode 0644), failing the test
 * when it cannot. */
static inline void lzt_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* mkdir -p of path's parent directories (mode 0755), failing the test
 * when one cannot be made. */
static inline void lzt_mkdirs(const char *path)
{
    char p[4096];
    int n = snprintf(p, sizeof p, "%s", path);
    assert_true(n > 0 && (size_t)n < sizeof p);
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            fail_msg("mkdir %s: %s", p, strerror(errno));
        *s = '/';
    }
}

/* Writes text to dir/rel with mode, making the directories on the way
 * (a file of a recorded tree: dir/proc/self/status, ...). */
static inline void lzt_write_tree(const char *dir, const char *rel, const char *text,
                                  mode_t mode)
{
    const char *path = lzt_path(dir, rel);
    lzt_mkdirs(path);
    lzt_write_file(path, text);
    assert_int_equal(chmod(path, mode), 0);
}

/* A scratch directory per test, for cmocka's setup and teardown:
 * LZT_SCRATCH_DIR("name") defines T (its path), tmp_setup, tmp_teardown
 * and p(rel), T/rel. */
#define LZT_SCRATCH_DIR(name)                                                  \
    static char T[64];                                                         \
    static int tmp_setup(void **state)                                         \
    {                                                                          \
        (void)state;                                                           \
        lzt_mkdtemp(T, sizeof T, name);                                        \
        return 0;                                                              \
    }                                                                          \
    static int tmp_teardown(void **state)                                      \
    {                                                                          \
        (void)state;                                                           \
        return lzt_rmtree(T);                                                  \
    }                                                                          \
    __attribute__((unused)) static const char *p(const char *rel)             \
    {                                                                          \
        return lzt_path(T, rel);                                               \
    }

#endif
