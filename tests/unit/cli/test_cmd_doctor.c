/* Unit tests for `lazydind doctor` (cli/cmd_doctor.c): its arguments, its
 * exit status, and that --json prints one JSON document on stdout. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../helpers.h"
#include "pod/doctor.h"

static char err[8192];

/* Points fd at dir/name; returns the old fd to restore. */
static int redirect(int fd, const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int saved = dup(fd);
    int to = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    assert_true(saved >= 0 && to >= 0);
    assert_true(dup2(to, fd) == fd);
    close(to);
    return saved;
}

static void restore(int fd, int saved, const char *dir, const char *name, char *buf,
                    size_t buflen)
{
    char path[512];
    dup2(saved, fd);
    close(saved);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "re");
    assert_non_null(f);
    size_t len = fread(buf, 1, buflen - 1, f);
    buf[len] = '\0';
    fclose(f);
}

/* Runs lz_cmd_doctor with args: its stdout into out, its stderr into err. */
static int run(const char *dir, char **args, int n, char *out, size_t outlen)
{
    fflush(stdout);
    fflush(stderr);
    int so = redirect(STDOUT_FILENO, dir, "stdout"), se = redirect(STDERR_FILENO, dir, "stderr");
    int rc = lz_cmd_doctor(n, args);
    fflush(stdout);
    fflush(stderr);
    restore(STDOUT_FILENO, so, dir, "stdout", out, outlen);
    restore(STDERR_FILENO, se, dir, "stderr", err, sizeof err);
    return rc;
}

static int setup(void **state)
{
    static char dir[256];
    lzt_mkdtemp(dir, sizeof dir, "doctor");
    /* not the machine's lazydind.conf: an empty one */
    char conf[300];
    snprintf(conf, sizeof conf, "%s/lazydind.conf", dir);
    lzt_write_file(conf, "");
    setenv("LAZYDIND_CONFIG", conf, 1);
    unsetenv("LAZYDIND_MODE");
    *state = dir;
    return 0;
}

static int teardown(void **state)
{
    unsetenv("LAZYDIND_CONFIG");
    unsetenv("LAZYDIND_MODE");
    return lzt_rmtree(*state);
}

static void test_args(void **state)
{
    static char out[65536];
    char *help[] = {"lazydind", "doctor", "--help", NULL};
    assert_int_equal(run(*state, help, 3, out, sizeof out), 0);
    assert_true(strncmp(out, "usage: lazydind doctor [--json]\n", 32) == 0);
    char *h[] = {"lazydind", "doctor", "-h", NULL};
    assert_int_equal(run(*state, h, 3, out, sizeof out), 0);
    char *bad[] = {"lazydind", "doctor", "--bogus", NULL};
    assert_int_equal(run(*state, bad, 3, out, sizeof out), 2);
    assert_string_equal(out, "");
    assert_string_equal(err, "lazydind: doctor: unknown argument '--bogus'; usage: lazydind "
                             "doctor [--json]\n");
    setenv("LAZYDIND_MODE", "bogus", 1);
    char *plain[] = {"lazydind", "doctor", NULL};
    assert_int_equal(run(*state, plain, 2, out, sizeof out), 2);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "LAZYDIND_MODE='bogus' is not one of auto, rootful, rootless"));
}

static void test_json(void **state)
{
    static char out[262144];
    char *args[] = {"lazydind", "doctor", "--json", NULL};
    int rc = run(*state, args, 3, out, sizeof out);
    assert_true(rc == 0 || rc == 1);
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    if (!j)
        fail_msg("not JSON (%s): %s", je.text, out);
    json_t *ok = json_object_get(json_object_get(j, "mode"), "ok");
    assert_true(json_is_boolean(ok));
    assert_int_equal(rc, json_is_true(ok) ? 0 : 1);
    assert_true(json_array_size(json_object_get(j, "checks")) > 10);
    json_decref(j);
    /* the text report ends with the same verdict */
    char *text[] = {"lazydind", "doctor", NULL};
    assert_int_equal(run(*state, text, 2, out, sizeof out), rc);
    assert_true(strncmp(out, "pod:   ", 7) == 0);
    assert_int_equal(strstr(out, "cannot work here; see the fails above\n") != NULL, rc == 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_args, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
