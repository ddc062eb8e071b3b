/* Unit tests for logfile.h (the supervisor's log: opening, its own lines,
 * rotation), report.h (the one line to the starter) and lz_record_exit
 * (records.h: the exit record's reason from the log). */
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
#include <sys/wait.h>
#include <unistd.h>

#include "../helpers.h"
#include "base/util.h"
#include "daemon/logfile.h"
#include "daemon/records.h"
#include "daemon/report.h"

static char T[64];

static int tmp_setup(void **state)
{
    (void)state;
    lzt_mkdtemp(T, sizeof T, "logfile");
    return 0;
}

static int tmp_teardown(void **state)
{
    (void)state;
    return lzt_rmtree(T);
}

static void cfg_with_log(struct lz_config *cfg, const char *rel)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->log_path, sizeof cfg->log_path, "%s/%s", T, rel);
}

static const char *slurp(const char *path)
{
    static char buf[8192];
    ssize_t n = lz_read_file_at(AT_FDCWD, path, buf, sizeof buf);
    if (n < 0)
        return NULL;
    return buf;
}

static void test_open_and_line(void **state)
{
    (void)state;
    struct lz_config cfg;
    char err[1024];
    cfg_with_log(&cfg, "a/b/dockerd.log");
    int fd = lz_log_open(&cfg, err, sizeof err);
    assert_true(fd >= 0);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    lz_log_line(fd, "hello %d", 42);
    lz_log_line(-1, "nowhere");
    close(fd);
    assert_string_equal(slurp(cfg.log_path), "lazydind: [info] hello 42\n");
    /* appends */
    fd = lz_log_open(&cfg, err, sizeof err);
    assert_true(fd >= 0);
    lz_log_line(fd, "again");
    close(fd);
    assert_string_equal(slurp(cfg.log_path),
                        "lazydind: [info] hello 42\nlazydind: [info] again\n");
}

static void test_open_refuses(void **state)
{
    (void)state;
    struct lz_config cfg;
    char err[1024];
    /* a symlink */
    lzt_write_file(lzt_path(T, "target"), "");
    assert_int_equal(symlink(lzt_path(T, "target"), lzt_path(T, "link.log")), 0);
    cfg_with_log(&cfg, "link.log");
    assert_int_equal(lz_log_open(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "LAZYDIND_LOG"));
    /* a second name */
    lzt_write_file(lzt_path(T, "one.log"), "");
    assert_int_equal(link(lzt_path(T, "one.log"), lzt_path(T, "two.log")), 0);
    cfg_with_log(&cfg, "one.log");
    assert_int_equal(lz_log_open(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "single name"));
    /* not a regular file */
    assert_int_equal(mkdir(lzt_path(T, "dir.log"), 0700), 0);
    cfg_with_log(&cfg, "dir.log");
    assert_int_equal(lz_log_open(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "set LAZYDIND_LOG"));
}

static void test_cap(void **state)
{
    (void)state;
    struct lz_config cfg;
    char err[1024];
    cfg_with_log(&cfg, "cap.log");
    int fd = lz_log_open(&cfg, err, sizeof err);
    assert_true(fd >= 0);
    char big[300];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(lz_write_all(fd, big, strlen(big)), 0);
    int64_t off = 123;
    lz_log_cap(fd, cfg.log_path, 1000, &off); /* under the cap: nothing */
    assert_int_equal(off, 123);
    lz_log_cap(fd, cfg.log_path, 100, &off);
    assert_int_equal(off, 0);
    assert_string_equal(slurp(lzt_path(T, "cap.log.1")), big);
    const char *now = slurp(cfg.log_path);
    assert_non_null(strstr(now, "lazydind: [info] log rotated at 299 bytes to "));
    assert_null(strstr(now, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")); /* the old content went */
    struct stat st;
    assert_int_equal(stat(lzt_path(T, "cap.log.1.tmp"), &st), -1);
    close(fd);
}

static void test_report(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    int fd = p[1];
    lz_report(&fd, "ok %d", 17);
    assert_int_equal(fd, -1);
    lz_report(&fd, "err never seen"); /* only the first report */
    char buf[64];
    ssize_t n = read(p[0], buf, sizeof buf - 1);
    assert_true(n > 0);
    buf[n] = '\0';
    assert_string_equal(buf, "ok 17\n");
    assert_int_equal(read(p[0], buf, sizeof buf), 0); /* closed */
    close(p[0]);
}

static void test_record_exit(void **state)
{
    (void)state;
    struct lz_config cfg;
    cfg_with_log(&cfg, "exit.log");
    lzt_write_file(cfg.log_path,
                   "an earlier dockerd's line\n"
                   "time=\"2024-01-01T00:00:00Z\" level=info msg=\"starting up\"\n"
                   "failed to start daemon: no sockets found via socket activation\n");
    struct lz_exit_record ex;
    int status = 1 << 8; /* exited with status 1 */
    lz_record_exit(&ex, &cfg, 5, 4242, status, 0, 26);
    assert_int_equal(ex.gen, 5);
    assert_int_equal(ex.pid, 4242);
    assert_int_equal(ex.ready, 0);
    assert_true(ex.time > 0);
    assert_string_equal(ex.status, "exited with status 1");
    assert_string_equal(ex.reason,
                        "failed to start daemon: no sockets found via socket activation");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_and_line, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_open_refuses, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_cap, tmp_setup, tmp_teardown),
        cmocka_unit_test(test_report),
        cmocka_unit_test_setup_teardown(test_record_exit, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
