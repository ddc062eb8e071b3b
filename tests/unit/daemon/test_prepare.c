/* Unit tests for prepare.h: cgroup v2 nesting (on a scratch tree that looks
 * like a container's /sys/fs/cgroup) and the iptables backend choice. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/prepare.h"
#include "pod/cgroup.h"

static void test_needs_nesting(void **state)
{
    (void)state;
    /* a container at the root of its own cgroup namespace, cgroup v2 */
    assert_int_equal(lz_cgroup_needs_nesting(1, "0::/\n"), 1);
    /* already nested, or the host's tree seen through cgroupns=host */
    assert_int_equal(lz_cgroup_needs_nesting(1, "0::/init\n"), 0);
    assert_int_equal(lz_cgroup_needs_nesting(1, "0::/kubepods/pod1/abc\n"), 0);
    /* cgroup v1 or hybrid: nothing to do */
    assert_int_equal(lz_cgroup_needs_nesting(0, "0::/\n"), 0);
    assert_int_equal(lz_cgroup_needs_nesting(1,
        "12:memory:/docker/abc\n1:name=systemd:/docker/abc\n0::/docker/abc\n"), 0);
    assert_int_equal(lz_cgroup_needs_nesting(1, ""), 0);
    assert_int_equal(lz_cgroup_needs_nesting(1, NULL), 0);
}

static void put(const char *dir, const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void get(const char *dir, const char *name, char *buf, size_t cap)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    int fd = open(p, O_RDONLY);
    assert_true(fd >= 0);
    ssize_t n = read(fd, buf, cap - 1);
    assert_true(n >= 0);
    buf[n] = '\0';
    close(fd);
}

static void test_cgroup_nest(void **state)
{
    (void)state;
    char root[] = "/tmp/lz-cg-XXXXXX";
    assert_non_null(mkdtemp(root));
    put(root, "cgroup.procs", "1\n7\n42\n");
    put(root, "cgroup.controllers", "cpuset cpu io memory pids\n");
    put(root, "cgroup.subtree_control", "");
    char init[600], buf[256], err[256] = "";
    snprintf(init, sizeof init, "%s/init", root);
    /* cgroupfs creates the child's files itself; here, make the one we write */
    assert_int_equal(mkdir(init, 0755), 0);
    put(init, "cgroup.procs", "");
    assert_int_equal(lz_cgroup_nest(root, err, sizeof err), 0);
    get(root, "cgroup.subtree_control", buf, sizeof buf);
    assert_string_equal(buf, "+cpuset +cpu +io +memory +pids");
    get(init, "cgroup.procs", buf, sizeof buf);
    assert_true(strlen(buf) > 0); /* the pids were written there */
    /* a tree without controllers: nothing to enable, still fine */
    put(root, "cgroup.controllers", "");
    put(root, "cgroup.subtree_control", "");
    assert_int_equal(lz_cgroup_nest(root, err, sizeof err), 0);
    get(root, "cgroup.subtree_control", buf, sizeof buf);
    assert_string_equal(buf, "");
    /* no cgroup.procs: an error that names the file */
    char p[600];
    snprintf(p, sizeof p, "%s/cgroup.procs", root);
    unlink(p);
    assert_int_equal(lz_cgroup_nest(root, err, sizeof err), -1);
    assert_non_null(strstr(err, "cgroup.procs"));
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    assert_int_equal(system(cmd), 0);
}

static void test_iptables_choose(void **state)
{
    (void)state;
    static const struct {
        enum lz_iptables wanted;
        const char *names;
        int nft_ok, legacy_ok;
        enum lz_iptables want;
    } cases[] = {
        /* explicit choices are kept */
        {LZ_IPT_OFF, "", 1, 1, LZ_IPT_OFF},
        {LZ_IPT_NFT, "nat\nfilter\n", 0, 1, LZ_IPT_NFT},
        {LZ_IPT_LEGACY, "", 1, 0, LZ_IPT_LEGACY},
        /* legacy tables on the node and legacy works: legacy */
        {LZ_IPT_AUTO, "nat\nfilter\n", 1, 1, LZ_IPT_LEGACY},
        /* no legacy tables: nft first */
        {LZ_IPT_AUTO, "", 1, 1, LZ_IPT_NFT},
        {LZ_IPT_AUTO, "\n", 1, 1, LZ_IPT_NFT},
        /* legacy tables but legacy does not work: nft */
        {LZ_IPT_AUTO, "filter\n", 1, 0, LZ_IPT_NFT},
        /* nft broken (old kernel without nf_tables): legacy */
        {LZ_IPT_AUTO, "", 0, 1, LZ_IPT_LEGACY},
        {LZ_IPT_AUTO, "", -1, 1, LZ_IPT_LEGACY},
        /* neither works (no NET_ADMIN): off */
        {LZ_IPT_AUTO, "", 0, 0, LZ_IPT_OFF},
        {LZ_IPT_AUTO, "nat\n", 0, -1, LZ_IPT_OFF},
        /* no variant binaries at all: the system's own iptables */
        {LZ_IPT_AUTO, "", -1, -1, LZ_IPT_AUTO},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum lz_iptables got = lz_iptables_choose(cases[i].wanted, cases[i].names,
                                                  cases[i].nft_ok, cases[i].legacy_ok);
        if (got != cases[i].want)
            fail_msg("case %zu: got %d, want %d", i, got, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_needs_nesting),
        cmocka_unit_test(test_cgroup_nest),
        cmocka_unit_test(test_iptables_choose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
