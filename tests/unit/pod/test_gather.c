/* Unit tests for gather.h on trees made in a temporary directory
 * (helpers.h): which files become which facts, for each scope. The
 * recorded pods are gathered whole in test_doctor.c. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "pod/gather.h"

#define STATUS(uid, gid)                                                      \
    "Name:\tsh\nUid:\t" uid "\t" uid "\t" uid "\t" uid "\nGid:\t" gid "\t" gid \
    "\t" gid "\t" gid "\nNoNewPrivs:\t0\nSeccomp:\t0\n"                        \
    "CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"                    \
    "CapBnd:\t000001ffffffffff\n"

static const char mountinfo[] =
    "1 0 0:1 / / rw - overlay overlay rw\n"
    "2 1 0:2 / /proc rw - proc proc rw\n"
    "3 1 0:3 / /sys rw - sysfs sysfs rw\n"
    "4 3 0:4 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n"
    "5 1 8:1 /vol /var/lib/docker rw - ext4 /dev/sda1 rw\n";

static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\n"
                             "agent:x:1000:1000::/home/agent:/bin/sh\n";

struct tree {
    char dir[256];
    struct lz_config cfg;
};

/* A rootless-capable pod as uid 1000 on cgroup v2, data-roots on ext4
 * (rootful) and on the root overlay (rootless). */
static int tree_setup(void **state)
{
    static struct tree t;
    memset(&t, 0, sizeof t);
    lzt_mkdtemp(t.dir, sizeof t.dir, "gather");
    lzt_write_tree(t.dir, "proc/self/status", STATUS("1000", "1000"), 0644);
    lzt_write_tree(t.dir, "proc/self/uid_map", "         0          0 4294967295\n", 0644);
    lzt_write_tree(t.dir, "proc/self/mountinfo", mountinfo, 0644);
    lzt_write_tree(t.dir, "proc/self/cgroup", "0::/\n", 0644);
    lzt_write_tree(t.dir, "proc/sys/kernel/cap_last_cap", "40\n", 0644);
    lzt_write_tree(t.dir, "proc/sys/user/max_user_namespaces", "96364\n", 0644);
    lzt_write_tree(t.dir, "proc/filesystems", "nodev\tproc\nnodev\toverlay\n\text4\n", 0644);
    lzt_write_tree(t.dir, "proc/net/ip_tables_names", "", 0644);
    lzt_write_tree(t.dir, "sys/fs/cgroup/cgroup.controllers", "cpu io memory pids\n", 0644);
    lzt_write_tree(t.dir, "sys/fs/cgroup/cgroup.subtree_control", "", 0644);
    lzt_write_tree(t.dir, "sys/fs/cgroup/cgroup.procs", "1\n7\n", 0644);
    lzt_write_tree(t.dir, "etc/passwd", passwd, 0644);
    lzt_write_tree(t.dir, "etc/subuid", "agent:100000:65536\n", 0644);
    lzt_write_tree(t.dir, "etc/subgid", "agent:100000:65536\n", 0644);
    lzt_write_tree(t.dir, "usr/bin/rootlesskit", "", 0755);
    lzt_write_tree(t.dir, "usr/bin/dockerd", "", 0755);
    lzt_write_tree(t.dir, "usr/sbin/iptables-nft", "", 0755);
    lzt_write_tree(t.dir, "dev/fuse", "", 0644);
    t.cfg.tmpfs = LZ_TMPFS_AUTO;
    strcpy(t.cfg.data_root, "/var/lib/docker");
    strcpy(t.cfg.dockerd, "dockerd");
    strcpy(t.cfg.daemon_json, "/nonexistent/daemon.json");
    t.cfg.rootless = 1;
    setenv("HOME", "/home/agent", 1);
    unsetenv("XDG_DATA_HOME");
    unsetenv("XDG_RUNTIME_DIR");
    *state = &t;
    return 0;
}

static int tree_teardown(void **state)
{
    struct tree *t = *state;
    return lzt_rmtree(t->dir);
}

static void test_gather_all(void **state)
{
    struct tree *t = *state;
    struct lz_facts f;
    char path[512];
    lz_detect_gather(&f, &t->cfg, t->dir);
    assert_int_equal(f.scope, LZ_SCOPE_ALL);
    /* identity */
    assert_true(f.status_read);
    assert_int_equal(f.euid, 1000);
    assert_string_equal(f.user, "agent");
    assert_string_equal(f.home, "/home/agent");
    assert_int_equal(f.pw_gid, 1000);
    assert_int_equal(f.cap_last_cap, 40);
    assert_true(f.uid_map_read);
    /* mounts, knobs */
    assert_false(f.sysbox.detected);
    assert_int_equal(f.proc_overmounts, 0);
    assert_int_equal(f.max_user_namespaces, 96364);
    assert_int_equal(f.unprivileged_userns_clone, -1);
    assert_string_equal(f.apparmor, "");
    assert_true(f.filesystems_read && f.overlay_listed);
    /* cgroup v2 at its namespace's root */
    assert_int_equal(f.cg_layout, LZ_CG_V2);
    assert_true(f.cg_mounts_rw);
    assert_string_equal(f.cg_controllers, "cpu io memory pids");
    assert_int_equal(f.cg_root_procs, 2);
    assert_true(f.cg_at_ns_root);
    /* iptables: nft only, no legacy tables */
    assert_true(f.ipt_names_read);
    assert_false(f.ipt_legacy_tables);
    assert_true(f.iptables_nft.found);
    assert_false(f.iptables_legacy.found);
    /* rootless */
    assert_true(f.rootlesskit.found);
    snprintf(path, sizeof path, "%s/usr/bin/rootlesskit", t->dir);
    assert_string_equal(f.rootlesskit.path, path);
    assert_false(f.slirp4netns.found);
    assert_false(f.rootless_script);
    assert_true(f.subid_files_read);
    assert_int_equal(f.subid_uid, 1000);
    assert_true(f.subuid_found && f.subgid_found);
    assert_int_equal(f.subuid_start, 100000);
    assert_int_equal(f.subgid_count, 65536);
    assert_string_equal(f.xdg, "/run/user/1000");
    assert_false(f.xdg_set || f.xdg_ok);
    assert_int_equal(f.fuse_errno, 0);
    assert_int_equal(f.tun_errno, ENOENT);
    /* storage: the configured data-root is the rootless one */
    assert_string_equal(f.data_root, "/var/lib/docker");
    assert_string_equal(f.data_root_fs, "ext4");
    assert_string_equal(f.rl_data_root, "/var/lib/docker");
    assert_false(f.storage_driver_set);
    assert_true(f.dockerd.found);
    lz_facts_free(&f);
    assert_null(f.mountinfo);
}

/* Without a data-root in the config, rootless dockerd's is under HOME; as
 * root, under the home of the image's user that has subordinate ids. */
static void test_gather_rootless_home(void **state)
{
    struct tree *t = *state;
    struct lz_facts f;
    t->cfg.rootless = 0;
    lz_detect_gather_for(&f, &t->cfg, t->dir, LZ_SCOPE_ROOTLESS);
    assert_string_equal(f.rl_data_root, "/home/agent/.local/share/docker");
    assert_string_equal(f.rl_data_root_fs, "overlay");
    lz_facts_free(&f);
    setenv("XDG_DATA_HOME", "/data", 1);
    lz_detect_gather_for(&f, &t->cfg, t->dir, LZ_SCOPE_ROOTLESS);
    assert_string_equal(f.rl_data_root, "/data/docker");
    lz_facts_free(&f);
    /* as root, HOME does not count: agent's passwd entry does */
    lzt_write_tree(t->dir, "proc/self/status", STATUS("0", "0"), 0644);
    setenv("HOME", "/root", 1);
    lz_detect_gather_for(&f, &t->cfg, t->dir, LZ_SCOPE_ROOTLESS);
    assert_int_equal(f.euid, 0);
    assert_string_equal(f.user, "root");
    assert_int_equal(f.subid_uid, 1000);
    assert_string_equal(f.subid_user, "agent");
    assert_int_equal(f.subid_pw_gid, 1000);
    assert_string_equal(f.rl_data_root, "/home/agent/.local/share/docker");
    lz_facts_free(&f);
    /* nobody has subordinate ids: uid 1000 is assumed, and unnamed */
    lzt_write_tree(t->dir, "etc/subuid", "", 0644);
    lzt_write_tree(t->dir, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644);
    lz_detect_gather_for(&f, &t->cfg, t->dir, LZ_SCOPE_ROOTLESS);
    assert_int_equal(f.subid_uid, 1000);
    assert_string_equal(f.subid_user, "");
    assert_false(f.subuid_found);
    assert_string_equal(f.rl_data_root, "/home/user/.local/share/docker");
    lz_facts_free(&f);
}

/* The preflight's scopes read only what their mode needs. */
static void test_gather_scopes(void **state)
{
    struct tree *t = *state;
    struct lz_facts f;
    lz_detect_gather_for(&f, &t->cfg, t->dir, LZ_SCOPE_ROOTFUL);
    assert_int_equal(f.scope, LZ_SCOPE_ROOTFUL);
    assert_true(f.dockerd.found);
    assert_string_equal(f.data_root_fs, "ext4");
    assert_int_equal(f.cg_root_procs, 2);
    assert_string_equal(f.user, "");          /* no /etc/passwd read */
    assert_int_equal(f.max_user_namespaces, -1);
    assert_false(f.rootlesskit.found);
    assert_false(f.subuid_found);
    assert_string_equal(f.rl_data_root_fs, "");
    assert_false(f.filesystems_read);
    assert_false(f.ipt_names_read);
    lz_facts_free(&f);
    lz_detect_gather_for(&f, &t->cfg, t->dir, LZ_SCOPE_ROOTLESS);
    assert_int_equal(f.scope, LZ_SCOPE_ROOTLESS);
    assert_false(f.dockerd.found);
    assert_string_equal(f.data_root_fs, "");
    assert_int_equal(f.cg_root_procs, -1);   /* v2's root: rootful only */
    assert_string_equal(f.cg_controllers, "");
    assert_string_equal(f.user, "agent");
    assert_true(f.rootlesskit.found);
    assert_true(f.subuid_found);
    assert_string_equal(f.rl_data_root_fs, "ext4");
    lz_facts_free(&f);
}

/* An empty tree: nothing readable, nothing found, no crash. */
static void test_gather_empty(void **state)
{
    (void)state;
    char dir[256];
    struct lz_facts f;
    lzt_mkdtemp(dir, sizeof dir, "gather-empty");
    lz_detect_gather(&f, NULL, dir);
    assert_false(f.status_read);
    assert_false(f.uid_map_read);
    assert_non_null(f.mountinfo);
    assert_string_equal(f.mountinfo, "");
    assert_int_equal(f.cap_last_cap, -1);
    assert_int_equal(f.cg_layout, LZ_CG_NONE);
    assert_false(f.subid_files_read);
    assert_int_equal(f.fuse_errno, ENOENT);
    assert_string_equal(f.data_root, "/var/lib/docker");
    assert_string_equal(f.data_root_fs, "unknown");
    assert_false(f.dockerd.found);
    lz_facts_free(&f);
    assert_int_equal(lzt_rmtree(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_gather_all, tree_setup, tree_teardown),
        cmocka_unit_test_setup_teardown(test_gather_rootless_home, tree_setup, tree_teardown),
        cmocka_unit_test_setup_teardown(test_gather_scopes, tree_setup, tree_teardown),
        cmocka_unit_test(test_gather_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
