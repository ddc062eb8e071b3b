/* Unit tests for lz_dataroot_full (contain.h): the warm path's one statfs
 * decides whether the data-root is a tmpfs at least 90% full. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <sys/vfs.h>

#include "daemon/contain.h"

#define TMPFS_MAGIC_ 0x01021994
#define EXT4_MAGIC_ 0xef53

static struct statfs fs(long type, long blocks, long bfree, long frsize, long bsize)
{
    struct statfs sf;
    memset(&sf, 0, sizeof sf);
    sf.f_type = type;
    sf.f_blocks = (fsblkcnt_t)blocks;
    sf.f_bfree = (fsblkcnt_t)bfree;
    sf.f_frsize = frsize;
    sf.f_bsize = bsize;
    return sf;
}

static void test_full_tmpfs(void **unused)
{
    (void)unused;
    int64_t used = -1, size = -1;
    struct statfs sf = fs(TMPFS_MAGIC_, 1000, 100, 4096, 4096);
    assert_int_equal(lz_dataroot_full(&sf, &used, &size), 1); /* exactly 90% */
    assert_int_equal(size, 1000 * 4096);
    assert_int_equal(used, 900 * 4096);
    sf = fs(TMPFS_MAGIC_, 1000, 0, 4096, 4096);
    assert_int_equal(lz_dataroot_full(&sf, &used, &size), 1);
    assert_int_equal(used, size);
}

static void test_not_full_or_not_tmpfs(void **unused)
{
    (void)unused;
    int64_t used, size;
    struct statfs sf = fs(TMPFS_MAGIC_, 1000, 101, 4096, 4096);
    assert_int_equal(lz_dataroot_full(&sf, &used, &size), 0); /* 89.9% */
    sf = fs(EXT4_MAGIC_, 1000, 0, 4096, 4096);
    assert_int_equal(lz_dataroot_full(&sf, &used, &size), 0); /* full, on disk */
    sf = fs(TMPFS_MAGIC_, 0, 0, 4096, 4096);
    assert_int_equal(lz_dataroot_full(&sf, &used, &size), 0); /* no size */
}

static void test_block_size_fallback(void **unused)
{
    (void)unused;
    int64_t used, size;
    /* no fragment size: statvfs uses the block size */
    struct statfs sf = fs(TMPFS_MAGIC_, 10, 0, 0, 8192);
    assert_int_equal(lz_dataroot_full(&sf, &used, &size), 1);
    assert_int_equal(size, 10 * 8192);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_tmpfs),
        cmocka_unit_test(test_not_full_or_not_tmpfs),
        cmocka_unit_test(test_block_size_fallback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
