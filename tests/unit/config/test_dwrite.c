/* Unit tests for dwrite.h: the generated daemon.json and the notices on
 * disk, and the notices shown from them. */
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

#include "../helpers.h"
#include "config/dwrite.h"
#include "base/util.h"

struct tmp {
    char dir[64];
    int dirfd;
};

static int tmp_setup(void **state)
{
    struct tmp *t = calloc(1, sizeof *t);
    assert_non_null(t);
    lzt_mkdtemp(t->dir, sizeof t->dir, "dwrite");
    t->dirfd = open(t->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(t->dirfd >= 0);
    *state = t;
    return 0;
}

static int tmp_teardown(void **state)
{
    struct tmp *t = *state;
    close(t->dirfd);
    lzt_rmtree(t->dir);
    free(t);
    return 0;
}

static const char *read_at(const struct tmp *t, const char *name)
{
    static char buf[8192];
    if (lz_read_file_at(t->dirfd, name, buf, sizeof buf) < 0)
        return NULL;
    return buf;
}

static void test_write(void **state)
{
    struct tmp *t = *state;
    struct lz_dconf d;
    char err[512] = "";
    memset(&d, 0, sizeof d);
    json_error_t je;
    d.config = json_loads("{\"debug\":true,\"hosts\":[\"fd://\"]}", 0, &je);
    d.nnotes = 2;
    strcpy(d.notes[0], "first note");
    strcpy(d.notes[1], "second note");
    /* an earlier file, even a symlink, is replaced, not written through */
    char target[128];
    snprintf(target, sizeof target, "%s/target", t->dir);
    lzt_write_file(target, "untouched");
    assert_int_equal(symlinkat(target, t->dirfd, "daemon.json"), 0);
    assert_int_equal(lz_dconf_write(t->dirfd, &d, err, sizeof err), 0);
    assert_string_equal(read_at(t, "daemon.json"),
                        "{\n  \"debug\": true,\n  \"hosts\": [\n    \"fd://\"\n  ]\n}\n");
    struct stat st;
    assert_int_equal(fstatat(t->dirfd, "daemon.json", &st, AT_SYMLINK_NOFOLLOW), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_string_equal(read_at(t, "target"), "untouched");
    assert_string_equal(read_at(t, "notices"), "first note\nsecond note\n");
    /* no notes: no notices file */
    d.nnotes = 0;
    assert_int_equal(lz_dconf_write(t->dirfd, &d, err, sizeof err), 0);
    assert_null(read_at(t, "notices"));
    json_decref(d.config);
}

static void test_print_notices(void **state)
{
    struct tmp *t = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/stderr", t->dir);
    int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    assert_true(out >= 0);
    int saved = dup(2);
    assert_true(saved >= 0);
    lzt_write_file(path, "");
    char notices[160];
    snprintf(notices, sizeof notices, "%s/notices", t->dir);
    lzt_write_file(notices, "one\n\ntwo\nthree");
    fflush(stderr);
    assert_int_equal(dup2(out, 2), 2);
    lz_dconf_print_notices(t->dirfd);
    unlinkat(t->dirfd, "notices", 0);
    lz_dconf_print_notices(t->dirfd); /* none: nothing */
    assert_int_equal(dup2(saved, 2), 2);
    close(saved);
    close(out);
    assert_string_equal(read_at(t, "stderr"),
                        "lazydind: one\nlazydind: two\nlazydind: three\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_write, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_print_notices, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
