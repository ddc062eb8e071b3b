/* Unit tests for daemonjson.h: the one reader of the user's daemon.json
 * (duplicate keys refused, an object at the top level, the trust check as
 * root) and its data-root. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../helpers.h"
#include "config/daemonjson.h"
#include "base/util.h"

struct tmp {
    char dir[64];
    char file[128];
};

static int tmp_setup(void **state)
{
    struct tmp *t = calloc(1, sizeof *t);
    assert_non_null(t);
    lzt_mkdtemp(t->dir, sizeof t->dir, "daemonjson");
    snprintf(t->file, sizeof t->file, "%s/daemon.json", t->dir);
    *state = t;
    return 0;
}

static int tmp_teardown(void **state)
{
    struct tmp *t = *state;
    lzt_rmtree(t->dir);
    free(t);
    return 0;
}

static void test_load_user(void **state)
{
    struct tmp *t = *state;
    char err[512];
    int absent;
    assert_null(lz_daemon_json_load(t->file, &absent, err, sizeof err));
    assert_int_equal(absent, 1);
    lzt_write_file(t->file, "{\"log-level\": \"warn\"}");
    json_t *u = lz_daemon_json_load(t->file, &absent, err, sizeof err);
    assert_non_null(u);
    assert_int_equal(absent, 0);
    json_decref(u);
    static const struct {
        const char *json, *says;
    } bad[] = {
        {"{\"debug\": tru", ":1:"},
        {"{\n  \"a\": 1,\n  \"a\": 2\n}", ":3:"},   /* duplicate key */
        {"[1]", "top level must be a JSON object"},
        {"", ":"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lzt_write_file(t->file, bad[i].json);
        err[0] = '\0';
        assert_null(lz_daemon_json_load(t->file, &absent, err, sizeof err));
        assert_int_equal(absent, 0);
        if (!strstr(err, t->file) || !strstr(err, bad[i].says))
            fail_msg("'%s': \"%s\"", bad[i].json, err);
    }
}

/* As root the file must be one nobody else can change (root's dockerd
 * obeys it); as anyone else that is dockerd's own business. */
static void test_load_trust(void **state)
{
    struct tmp *t = *state;
    char err[1024] = "";
    int absent;
    lzt_write_file(t->file, "{\"debug\": true}");
    assert_int_equal(chmod(t->file, 0666), 0);
    json_t *u = lz_daemon_json_load(t->file, &absent, err, sizeof err);
    if (geteuid() == 0) {
        assert_null(u);
        assert_int_equal(absent, 0);
        char want[256];
        snprintf(want, sizeof want, "will not use %s as root: ", t->file);
        if (strncmp(err, want, strlen(want)) != 0 || !strstr(err, "writable by others"))
            fail_msg("\"%s\"", err);
        /* and so for its data-root */
        char out[LZ_PATH_MAX];
        assert_int_equal(lz_daemon_json_data_root(t->file, out, sizeof out, err,
                                                  sizeof err), -1);
        assert_non_null(strstr(err, "will not use"));
    } else {
        assert_non_null(u);
    }
    json_decref(u);
    assert_int_equal(chmod(t->file, 0644), 0);
    u = lz_daemon_json_load(t->file, &absent, err, sizeof err);
    assert_non_null(u);
    json_decref(u);
    /* a directory is not a daemon.json */
    assert_null(lz_daemon_json_load(t->dir, &absent, err, sizeof err));
    assert_int_equal(absent, 0);
    assert_non_null(strstr(err, t->dir));
}

static void test_daemon_json_absent(void **state)
{
    struct tmp *t = *state;
    char path[128], out[LZ_PATH_MAX] = "untouched", err[512] = "";
    snprintf(path, sizeof path, "%s/no-such.json", t->dir);
    assert_int_equal(lz_daemon_json_data_root(path, out, sizeof out, err, sizeof err), 0);
    assert_string_equal(out, "untouched");
    assert_string_equal(err, "");
}

static void test_daemon_json_valid(void **state)
{
    struct tmp *t = *state;
    static const struct {
        const char *json;
        int rc;
        const char *out;
    } cases[] = {
        {"{\"data-root\": \"/data/docker\"}\n", 1, "/data/docker"},
        {"{\n  \"debug\": true,\n  \"data-root\": \"/mnt/d\",\n"
         "  \"storage-driver\": \"overlay2\"\n}\n", 1, "/mnt/d"},
        {"{\"debug\": true}", 0, NULL},
        {"{}", 0, NULL},
        {"{\"graph\": \"/old\"}", 0, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lzt_write_file(t->file, cases[i].json);
        char out[LZ_PATH_MAX] = "untouched", err[512] = "";
        int rc = lz_daemon_json_data_root(t->file, out, sizeof out, err, sizeof err);
        if (rc != cases[i].rc)
            fail_msg("%s: rc %d, want %d (err %s)", cases[i].json, rc,
                     cases[i].rc, err);
        assert_string_equal(out, cases[i].out ? cases[i].out : "untouched");
    }
}

static void test_daemon_json_malformed(void **state)
{
    struct tmp *t = *state;
    lzt_write_file(t->file, "{\"debug\": tru");
    char out[LZ_PATH_MAX] = "untouched", err[512] = "";
    assert_int_equal(lz_daemon_json_data_root(t->file, out, sizeof out, err, sizeof err), -1);
    char where[128];
    snprintf(where, sizeof where, "%s:1:", t->file);
    if (!strstr(err, where))
        fail_msg("err \"%s\" lacks \"%s\"", err, where);
    assert_string_equal(out, "untouched");

    /* the line number is the one with the error */
    lzt_write_file(t->file, "{\n  \"debug\": true,\n  \"data-root\": /x\n}\n");
    err[0] = '\0';
    assert_int_equal(lz_daemon_json_data_root(t->file, out, sizeof out, err, sizeof err), -1);
    snprintf(where, sizeof where, "%s:3:", t->file);
    if (!strstr(err, where))
        fail_msg("err \"%s\" lacks \"%s\"", err, where);
}

static void test_daemon_json_bad_data_root(void **state)
{
    struct tmp *t = *state;
    static const struct {
        const char *json, *says;
    } cases[] = {
        {"{\"data-root\": 42}", "data-root"},
        {"{\"data-root\": null}", "data-root"},
        {"{\"data-root\": [\"/x\"]}", "data-root"},
        {"{\"data-root\": \"relative/docker\"}", "data-root"},
        {"{\"data-root\": \"\"}", "data-root"},
        {"{\"data-root\": \"/a\\nb\"}", "data-root"},
        {"[{\"data-root\": \"/x\"}]", "object"},
        {"\"/x\"", ":1:"},          /* jansson: not an object or array */
        {"{\"data-root\": \"/a\", \"data-root\": \"/b\"}", "data-root"},
        {"", ":"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lzt_write_file(t->file, cases[i].json);
        char out[LZ_PATH_MAX] = "", err[512] = "";
        int rc = lz_daemon_json_data_root(t->file, out, sizeof out, err, sizeof err);
        if (rc != -1)
            fail_msg("%s: rc %d, want -1", cases[i].json, rc);
        if (!strstr(err, t->file) || !strstr(err, cases[i].says))
            fail_msg("%s: err \"%s\" lacks the path or \"%s\"", cases[i].json,
                     err, cases[i].says);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_load_user, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_load_trust, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_daemon_json_absent, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_daemon_json_valid, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_daemon_json_malformed, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_daemon_json_bad_data_root, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
