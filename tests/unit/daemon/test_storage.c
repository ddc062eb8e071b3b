/* Unit tests for storage.h: filesystem names, the tmpfs policy, and mount
 * point detection. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcntl.h>
#include <stdio.h>

#include "../helpers.h"
#include "base/fs.h"
#include "base/state.h"
#include "daemon/storage.h"

#define OVERLAY 0x794c7630L
#define TMPFS 0x01021994L
#define EXT4 0xEF53L
#define XFS 0x58465342L

static void test_fs_name(void **state)
{
    (void)state;
    static const struct {
        long type;
        const char *name;
    } cases[] = {
        {OVERLAY, "overlay"},
        {TMPFS, "tmpfs"},
        {EXT4, "ext4"},
        {XFS, "xfs"},
        {0x9123683eL, "btrfs"},
        {0x2fc12fc1L, "zfs"},
        {0x6969L, "nfs"},
        {0x65735546L, "fuse"},
        {0x858458f6L, "ramfs"},
        {0xf2f52010L, "f2fs"},
        {0x12345678L, "unknown"},
        {0, "unknown"},
        {-1, "unknown"},
        /* f_type is a signed 32-bit value on some ABIs: sign-extended
         * magics still name their filesystem */
        {(long)(int32_t)0x9123683eU, "btrfs"},
        {(long)(int32_t)0xf2f52010U, "f2fs"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = lz_fs_name(cases[i].type);
        if (strcmp(got, cases[i].name) != 0)
            fail_msg("0x%lx: \"%s\", want \"%s\"", (unsigned long)cases[i].type,
                     got, cases[i].name);
    }
}

static void test_want_tmpfs(void **state)
{
    (void)state;
    static const struct {
        enum lz_tmpfs_mode mode;
        long type;
        int mountpoint;
        int want;
    } cases[] = {
        /* auto: only overlay (overlay2 cannot nest on it) gets a tmpfs */
        {LZ_TMPFS_AUTO, OVERLAY, 0, 1},
        {LZ_TMPFS_AUTO, OVERLAY, 1, 1},
        {LZ_TMPFS_AUTO, TMPFS, 0, 0},
        {LZ_TMPFS_AUTO, TMPFS, 1, 0},
        {LZ_TMPFS_AUTO, EXT4, 0, 0},
        {LZ_TMPFS_AUTO, EXT4, 1, 0},
        {LZ_TMPFS_AUTO, XFS, 1, 0},
        /* always: unless a tmpfs is already mounted right there */
        {LZ_TMPFS_ALWAYS, OVERLAY, 0, 1},
        {LZ_TMPFS_ALWAYS, OVERLAY, 1, 1},
        {LZ_TMPFS_ALWAYS, TMPFS, 0, 1},
        {LZ_TMPFS_ALWAYS, TMPFS, 1, 0},
        {LZ_TMPFS_ALWAYS, EXT4, 0, 1},
        {LZ_TMPFS_ALWAYS, EXT4, 1, 1},
        /* never */
        {LZ_TMPFS_NEVER, OVERLAY, 0, 0},
        {LZ_TMPFS_NEVER, OVERLAY, 1, 0},
        {LZ_TMPFS_NEVER, TMPFS, 0, 0},
        {LZ_TMPFS_NEVER, TMPFS, 1, 0},
        {LZ_TMPFS_NEVER, EXT4, 0, 0},
        {LZ_TMPFS_NEVER, EXT4, 1, 0},
    };
    static const char *const modes[] = {"auto", "always", "never"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = lz_want_tmpfs(cases[i].mode, cases[i].type, cases[i].mountpoint);
        if (got != cases[i].want)
            fail_msg("%s on %s, mountpoint %d: %d, want %d",
                     modes[cases[i].mode], lz_fs_name(cases[i].type),
                     cases[i].mountpoint, got, cases[i].want);
    }
}

static void test_is_mountpoint(void **state)
{
    (void)state;
    assert_int_equal(lz_is_mountpoint("/proc"), 1);
    assert_int_equal(lz_is_mountpoint("/"), 1);
    assert_int_equal(lz_is_mountpoint("/proc/self"), 0);
    assert_int_equal(lz_is_mountpoint("/no/such/dir"), 0);

    char dir[] = "/tmp/lz-storage-XXXXXX";
    assert_non_null(mkdtemp(dir));
    int got = lz_is_mountpoint(dir);
    rmdir(dir);
    assert_int_equal(got, 0);
}

static void test_fs_of(void **state)
{
    (void)state;
    assert_string_equal(lz_fs_of("/no/such/dir"), "unknown");
    /* /proc is procfs: a real filesystem, not one lazydind names */
    assert_string_equal(lz_fs_of("/proc"), "unknown");
}

/* lz_storage_ready: a data-root an earlier supervisor mounted a tmpfs on
 * (and recorded) is still ours; one it did not record is not. */
static void test_storage_ready_adopts(void **state)
{
    (void)state;
    if (strcmp(lz_fs_of("/dev/shm"), "tmpfs") != 0)
        skip();
    char run[64], err[1024];
    lzt_mkdtemp(run, sizeof run, "storage-run");
    int dirfd = open(run, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(dirfd >= 0);
    struct lz_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.tmpfs = LZ_TMPFS_NEVER;
    snprintf(cfg.data_root, sizeof cfg.data_root, "/dev/shm/lz-storage-%d/docker",
             (int)getpid());
    int mounted = -1;
    assert_int_equal(lz_storage_ready(&cfg, dirfd, -1, &mounted, err, sizeof err), 0);
    assert_int_equal(mounted, 0); /* made, not recorded: not ours */
    assert_int_equal(lz_mounted_store(dirfd, cfg.data_root), 0);
    assert_int_equal(lz_storage_ready(&cfg, dirfd, -1, &mounted, err, sizeof err), 0);
    assert_int_equal(mounted, 1);
    /* a record of another data-root says nothing about this one */
    assert_int_equal(lz_mounted_store(dirfd, "/elsewhere"), 0);
    assert_int_equal(lz_storage_ready(&cfg, dirfd, -1, &mounted, err, sizeof err), 0);
    assert_int_equal(mounted, 0);
    close(dirfd);
    lzt_rmtree(run);
    char top[LZ_PATH_MAX];
    snprintf(top, sizeof top, "/dev/shm/lz-storage-%d", (int)getpid());
    lzt_rmtree(top);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fs_name),
        cmocka_unit_test(test_want_tmpfs),
        cmocka_unit_test(test_is_mountpoint),
        cmocka_unit_test(test_fs_of),
        cmocka_unit_test(test_storage_ready_adopts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
