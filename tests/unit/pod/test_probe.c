/* Unit tests for probe.h: one live fact at a time, in a tree made in a
 * temporary directory (helpers.h) and on the live system. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../helpers.h"
#include "base/fs.h"
#include "pod/probe.h"

static int tree_setup(void **state)
{
    static char dir[256];
    lzt_mkdtemp(dir, sizeof dir, "probe");
    *state = dir;
    return 0;
}

static int tree_teardown(void **state)
{
    return lzt_rmtree(*state);
}

static void test_read(void **state)
{
    const char *root = *state;
    char buf[64];
    lzt_write_tree(root, "proc/sys/user/max_user_namespaces", "96364\n", 0644);
    assert_int_equal(lz_probe_read(root, "/proc/sys/user/max_user_namespaces", buf, sizeof buf), 6);
    assert_string_equal(buf, "96364\n");
    /* cut to cap - 1 bytes, terminated */
    assert_int_equal(lz_probe_read(root, "/proc/sys/user/max_user_namespaces", buf, 4), 3);
    assert_string_equal(buf, "963");
    /* absent: -1 and "" */
    strcpy(buf, "old");
    assert_int_equal(lz_probe_read(root, "/proc/self/status", buf, sizeof buf), -1);
    assert_string_equal(buf, "");
    char *t = lz_probe_read_alloc(root, "/proc/self/status", 128);
    assert_non_null(t);
    assert_string_equal(t, "");
    free(t);
    t = lz_probe_read_alloc(root, "/proc/sys/user/max_user_namespaces", 128);
    assert_string_equal(t, "96364\n");
    free(t);
    /* numbers */
    assert_int_equal(lz_probe_long(root, "/proc/sys/user/max_user_namespaces"), 96364);
    lzt_write_tree(root, "proc/sys/kernel/bad", "x\n", 0644);
    assert_int_equal(lz_probe_long(root, "/proc/sys/kernel/bad"), -1);
    assert_int_equal(lz_probe_long(root, "/proc/sys/kernel/absent"), -1);
}

static void test_bin_in_tree(void **state)
{
    const char *root = *state;
    char want[512];
    struct lz_bin b;
    /* on the default PATH of the tree; set-user-ID root (we may not be root:
     * then only the bit is there) */
    lzt_write_tree(root, "usr/bin/newuidmap", "", 04755);
    lz_probe_bin(root, "newuidmap", &b);
    assert_true(b.found);
    snprintf(want, sizeof want, "%s/usr/bin/newuidmap", root);
    assert_string_equal(b.path, want);
    assert_int_equal(b.setuid_root, geteuid() == 0);
    assert_false(b.file_caps);
    lzt_write_tree(root, "sbin/rootlesskit", "", 0755);
    lz_probe_bin(root, "rootlesskit", &b);
    assert_true(b.found);
    assert_false(b.setuid_root);
    lz_probe_bin(root, "slirp4netns", &b);
    assert_false(b.found);
    assert_string_equal(b.path, "");
    /* an absolute name is taken as it is, and must be executable */
    lzt_write_tree(root, "opt/docker/dockerd", "", 0755);
    lz_probe_bin(root, "/opt/docker/dockerd", &b);
    assert_true(b.found);
    snprintf(want, sizeof want, "%s/opt/docker/dockerd", root);
    assert_string_equal(b.path, want);
    if (geteuid() != 0) { /* root may execute anything */
        lzt_write_tree(root, "opt/docker/plain", "", 0644);
        lz_probe_bin(root, "/opt/docker/plain", &b);
        assert_false(b.found);
    }
    lz_probe_bin(root, "/opt/docker/absent", &b);
    assert_false(b.found);
}

static void test_bin_live(void **state)
{
    (void)state;
    struct lz_bin b;
    lz_probe_bin("", "sh", &b);
    assert_true(b.found);
    assert_true(b.path[0] == '/');
    lz_probe_bin("", "lazydind-no-such-program", &b);
    assert_false(b.found);
}

static void test_open(void **state)
{
    const char *root = *state;
    assert_int_equal(lz_probe_open("", "/dev/null"), 0);
    assert_int_equal(lz_probe_open(root, "/dev/fuse"), ENOENT);
    lzt_write_tree(root, "dev/net/tun", "", 0644);
    assert_int_equal(lz_probe_open(root, "/dev/net/tun"), 0);
    if (geteuid() != 0) {
        lzt_write_tree(root, "dev/fuse", "", 0);
        assert_int_equal(lz_probe_open(root, "/dev/fuse"), EACCES);
    }
}

static void test_fs(void **state)
{
    const char *root = *state;
    char fs[32], dir[512];
    /* a recorded tree: the mount holding the path in mountinfo */
    const char *mi = "1 0 0:1 / / rw - overlay overlay rw\n"
                     "2 1 8:1 /data /var/lib/docker rw - ext4 /dev/sda1 rw\n";
    lz_probe_fs(mi, root, "/var/lib/docker/overlay2", fs, sizeof fs);
    assert_string_equal(fs, "ext4");
    lz_probe_fs(mi, root, "/home/agent/.local/share/docker", fs, sizeof fs);
    assert_string_equal(fs, "overlay");
    lz_probe_fs("", root, "/var/lib/docker", fs, sizeof fs);
    assert_string_equal(fs, "unknown");
    /* live: the nearest existing parent's filesystem */
    snprintf(dir, sizeof dir, "%s/not/yet/made", root);
    lz_probe_fs("", "", dir, fs, sizeof fs);
    assert_string_equal(fs, lz_fs_of(root));
    lz_probe_fs("", "", "/proc/self", fs, sizeof fs);
    assert_string_equal(fs, lz_fs_of("/proc/self"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_read, tree_setup, tree_teardown),
        cmocka_unit_test_setup_teardown(test_bin_in_tree, tree_setup, tree_teardown),
        cmocka_unit_test(test_bin_live),
        cmocka_unit_test_setup_teardown(test_open, tree_setup, tree_teardown),
        cmocka_unit_test_setup_teardown(test_fs, tree_setup, tree_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
