/* Unit tests for findcli.h: finding the real docker CLI, never the shim,
 * in a temp tree:
 *
 *   T/self              executable, plays lazydind (/proc/self/exe)
 *   T/A/docker       -> T/self (the shim)
 *   T/B/docker          the real CLI
 *   T/R/docker       -> T/self, T/R/docker.real the real CLI beside it
 *   T/L/docker       -> T/self, T/L/docker.real -> T/self (a loop)
 *   T/N/docker          not executable
 *   T/C/docker          executable, only reachable through cwd
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/findcli.h"

static char T[64];
static struct stat self;

static const char *p(const char *rel)
{
    static char bufs[8][256];
    static int n;
    char *b = bufs[n++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", T, rel);
    return b;
}

static void mkfile(const char *rel, mode_t mode)
{
    int fd = open(p(rel), O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "#!/bin/sh\nexit 0\n", 17), 17);
    close(fd);
    assert_int_equal(chmod(p(rel), mode), 0);
}

static void mklink(const char *rel)
{
    assert_int_equal(symlink(p("self"), p(rel)), 0);
}

static int setup(void **state)
{
    (void)state;
    strcpy(T, "/tmp/lz-findcli-XXXXXX");
    assert_non_null(mkdtemp(T));
    static const char *const dirs[] = {"A", "B", "R", "L", "N", "C"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        assert_int_equal(mkdir(p(dirs[i]), 0755), 0);
    mkfile("self", 0755);
    mklink("A/docker");
    mkfile("B/docker", 0755);
    mklink("R/docker");
    mkfile("R/docker.real", 0755);
    mklink("L/docker");
    mklink("L/docker.real");
    mkfile("N/docker", 0644);
    mkfile("C/docker", 0755);
    assert_int_equal(stat(p("self"), &self), 0);
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    (void)state;
    return nftw(T, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* PATH from a list of T-relative dirs joined with ':' ("" and "." kept). */
static const char *path_of(const char *a, const char *b, const char *c)
{
    static char buf[512];
    const char *parts[] = {a, b, c};
    buf[0] = '\0';
    for (int i = 0; i < 3 && parts[i]; i++) {
        if (i)
            strcat(buf, ":");
        if (parts[i][0] == '\0' || parts[i][0] == '.')
            strcat(buf, parts[i]);
        else
            strcat(buf, p(parts[i]));
    }
    return buf;
}

static int find(const char *override, const char *argv0, const char *path_env,
                char *out, char *err)
{
    return lz_find_real_cli(&self, override, argv0, path_env, out, 512, err, 512);
}

static void test_path_skips_the_shim(void **state)
{
    (void)state;
    char out[512] = "", err[512] = "";
    assert_int_equal(find(NULL, p("A/docker"), path_of("A", "B", NULL), out, err), 0);
    assert_string_equal(out, p("B/docker"));
    /* invoked by name: same answer */
    assert_int_equal(find(NULL, "docker", path_of("A", "B", NULL), out, err), 0);
    assert_string_equal(out, p("B/docker"));
}

static void test_docker_real_beside_shim_wins(void **state)
{
    (void)state;
    char out[512] = "", err[512] = "";
    assert_int_equal(find(NULL, p("R/docker"), path_of("B", "R", NULL), out, err), 0);
    assert_string_equal(out, p("R/docker.real"));
    /* even with no PATH at all */
    assert_int_equal(find(NULL, p("R/docker"), NULL, out, err), 0);
    assert_string_equal(out, p("R/docker.real"));
}

/* argv0 without a slash: the shim's dir is found through PATH. */
static void test_docker_real_via_path(void **state)
{
    (void)state;
    char out[512] = "", err[512] = "";
    assert_int_equal(find(NULL, "docker", path_of("R", "B", NULL), out, err), 0);
    assert_string_equal(out, p("R/docker.real"));
    /* the first shim dir on PATH is the one looked in */
    assert_int_equal(find(NULL, "docker", path_of("A", "R", "B"), out, err), 0);
    assert_string_equal(out, p("B/docker"));
}

/* docker.real that is the shim itself is skipped, never exec'd. */
static void test_docker_real_loop_skipped(void **state)
{
    (void)state;
    char out[512] = "", err[512] = "";
    assert_int_equal(find(NULL, p("L/docker"), path_of("L", "B", NULL), out, err), 0);
    assert_string_equal(out, p("B/docker"));
    assert_int_equal(find(NULL, p("L/docker"), path_of("L", NULL, NULL), out, err), -1);
}

static void test_override(void **state)
{
    (void)state;
    static const struct {
        const char *rel;  /* relative to T, or NULL for a literal */
        const char *lit;
        int rc;
        const char *says;
    } cases[] = {
        {"B/docker", NULL, 0, NULL},
        {"R/docker.real", NULL, 0, NULL},
        {"self", NULL, -1, "loop"},
        {"A/docker", NULL, -1, "loop"},     /* a symlink to the shim */
        {"N/docker", NULL, -1, "not an executable"},
        {"B", NULL, -1, "not an executable"},  /* a directory */
        {"no/such/docker", NULL, -1, "not an executable"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *ov = cases[i].rel ? p(cases[i].rel) : cases[i].lit;
        char out[512] = "", err[512] = "";
        /* the override beats docker.real and PATH */
        int rc = find(ov, p("R/docker"), path_of("R", "B", NULL), out, err);
        if (rc != cases[i].rc)
            fail_msg("override %s: rc %d, want %d (%s)", ov, rc, cases[i].rc, err);
        if (rc == 0) {
            assert_string_equal(out, ov);
        } else {
            if (!strstr(err, cases[i].says) || !strstr(err, ov) ||
                !strstr(err, "LAZYDIND_DOCKER"))
                fail_msg("override %s: err \"%s\"", ov, err);
        }
    }
}

static void test_nothing_found(void **state)
{
    (void)state;
    static const char *const argv0s[] = {"docker", NULL};
    for (int i = 0; i < 2; i++) {
        const char *a0 = argv0s[i] ? argv0s[i] : p("A/docker");
        const char *paths[] = {path_of("A", NULL, NULL), path_of("A", "N", NULL),
                               "", NULL};
        for (size_t j = 0; j < sizeof paths / sizeof paths[0]; j++) {
            char out[512] = "", err[512] = "";
            int rc = find(NULL, a0, paths[j], out, err);
            if (rc != -1)
                fail_msg("argv0 %s PATH %s: found %s", a0,
                         paths[j] ? paths[j] : "(unset)", out);
            if (!strstr(err, "LAZYDIND_DOCKER"))
                fail_msg("err \"%s\" does not mention LAZYDIND_DOCKER", err);
        }
    }
}

/* "" and "." (and any relative entry) mean the cwd: never searched. */
static void test_relative_path_entries_skipped(void **state)
{
    (void)state;
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(p("C")), 0);
    static const char *const paths[] = {
        "", ":", ".", "::.", "./", "../C", "C", ".:",
    };
    char full[600];
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        snprintf(full, sizeof full, "%s:%s", paths[i], p("A"));
        char out[512] = "", err[512] = "";
        int rc = find(NULL, "docker", full, out, err);
        if (rc != -1)
            fail_msg("PATH %s: found %s", full, out);
        /* nor by the plain PATH search */
        rc = lz_path_search("docker", full, &self, out, sizeof out);
        if (rc != -1)
            fail_msg("lz_path_search PATH %s: found %s", full, out);
    }
    /* an absolute entry after them is still used */
    snprintf(full, sizeof full, "::.:%s:%s", p("A"), p("B"));
    char out[512] = "", err[512] = "";
    int rc = find(NULL, "docker", full, out, err);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, 0);
    assert_string_equal(out, p("B/docker"));
}

static void test_path_search(void **state)
{
    (void)state;
    char out[512] = "";
    /* not executable: skipped */
    assert_int_equal(lz_path_search("docker", path_of("N", "B", NULL), &self, out, sizeof out), 0);
    assert_string_equal(out, p("B/docker"));
    /* self: skipped */
    assert_int_equal(lz_path_search("docker", path_of("A", "B", NULL), &self, out, sizeof out), 0);
    assert_string_equal(out, p("B/docker"));
    /* without self, the first executable wins */
    assert_int_equal(lz_path_search("docker", path_of("A", "B", NULL), NULL, out, sizeof out), 0);
    assert_string_equal(out, p("A/docker"));
    /* other names, directories named like the command */
    assert_int_equal(lz_path_search("docker.real", path_of("B", "R", NULL), &self, out, sizeof out), 0);
    assert_string_equal(out, p("R/docker.real"));
    assert_int_equal(lz_path_search("B", path_of(".", NULL, NULL), NULL, out, sizeof out), -1);
    assert_int_equal(lz_path_search("B", T, NULL, out, sizeof out), -1);
    assert_int_equal(lz_path_search("nope", path_of("A", "B", NULL), NULL, out, sizeof out), -1);
    assert_int_equal(lz_path_search("docker", NULL, NULL, out, sizeof out), -1);
    /* an output buffer too small is a miss, not a truncated path */
    char small[8];
    assert_int_equal(lz_path_search("docker", path_of("B", NULL, NULL), NULL, small, sizeof small), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_skips_the_shim),
        cmocka_unit_test(test_docker_real_beside_shim_wins),
        cmocka_unit_test(test_docker_real_via_path),
        cmocka_unit_test(test_docker_real_loop_skipped),
        cmocka_unit_test(test_override),
        cmocka_unit_test(test_nothing_found),
        cmocka_unit_test(test_relative_path_entries_skipped),
        cmocka_unit_test(test_path_search),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
