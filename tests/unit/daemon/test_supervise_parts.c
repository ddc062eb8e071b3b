/* Unit tests for the supervisor's small pure pieces: the idle check's
 * interval (idle.h), READY=1 (notify.h), dockerd's argv (spawn.h), the wait
 * status text and the common state fields (records.h). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/idle.h"
#include "daemon/notify.h"
#include "daemon/records.h"
#include "daemon/spawn.h"

static void test_idle_every(void **state)
{
    (void)state;
    assert_int_equal(lz_idle_every(60000), 10000);   /* a quarter, at most 10 s */
    assert_int_equal(lz_idle_every(20000), 5000);
    assert_int_equal(lz_idle_every(2000), 500);
    assert_int_equal(lz_idle_every(400), 250);       /* at least 250 ms */
    assert_int_equal(lz_idle_every(3600000), 10000);
}

static void test_notify_ready(void **state)
{
    (void)state;
    assert_int_equal(lz_notify_says_ready("READY=1"), 1);
    assert_int_equal(lz_notify_says_ready("STATUS=up\nREADY=1\n"), 1);
    assert_int_equal(lz_notify_says_ready("STATUS=starting"), 0);
    assert_int_equal(lz_notify_says_ready("READY=0"), 0);
    assert_int_equal(lz_notify_says_ready(""), 0);
    char p[16];
    assert_int_equal(lz_notify_path("/run/lazydind", p, sizeof p), -1);
    char q[64];
    assert_int_equal(lz_notify_path("/run/lazydind", q, sizeof q), 0);
    assert_string_equal(q, "/run/lazydind/notify.sock");
}

static void test_dockerd_argv(void **state)
{
    (void)state;
    char *args[] = {"--debug", "--mtu=1400"};
    char **v = lz_dockerd_argv("/usr/bin/dockerd", "/run/lazydind/daemon.json", 2, args);
    assert_non_null(v);
    assert_string_equal(v[0], "/usr/bin/dockerd");
    assert_string_equal(v[1], "--config-file");
    assert_string_equal(v[2], "/run/lazydind/daemon.json");
    assert_string_equal(v[3], "--debug");
    assert_string_equal(v[4], "--mtu=1400");
    assert_null(v[5]);
    free(v);
    v = lz_dockerd_argv("dockerd", "c.json", 0, NULL);
    assert_non_null(v);
    assert_string_equal(v[2], "c.json");
    assert_null(v[3]);
    free(v);
}

static void test_dockerd_find(void **state)
{
    (void)state;
    char path[256], err[512];
    assert_int_equal(lz_dockerd_find("/bin/sh", path, sizeof path, err, sizeof err), 0);
    assert_string_equal(path, "/bin/sh");
    assert_int_equal(lz_dockerd_find("/nonexistent/dockerd", path, sizeof path, err,
                                     sizeof err), -1);
    assert_non_null(strstr(err, "LAZYDIND_DOCKERD=/nonexistent/dockerd is not executable"));
    assert_int_equal(lz_dockerd_find("no-such-dockerd-xyz", path, sizeof path, err,
                                     sizeof err), -1);
    assert_non_null(strstr(err, "no-such-dockerd-xyz not found on PATH"));
    assert_non_null(strstr(err, "set LAZYDIND_DOCKERD"));
}

/* The wait status of a child that ran sh -c script. */
static int wait_status(const char *script)
{
    pid_t p = fork();
    assert_true(p >= 0);
    if (p == 0) {
        execl("/bin/sh", "sh", "-c", script, (char *)NULL);
        _exit(127);
    }
    int st;
    assert_int_equal(waitpid(p, &st, 0), p);
    return st;
}

static void test_wait_describe(void **state)
{
    (void)state;
    char how[64];
    lz_wait_describe(wait_status("exit 3"), how, sizeof how);
    assert_string_equal(how, "exited with status 3");
    lz_wait_describe(wait_status("exit 0"), how, sizeof how);
    assert_string_equal(how, "exited with status 0");
    lz_wait_describe(wait_status("kill -9 $$"), how, sizeof how);
    assert_string_equal(how, "killed by signal 9");
}

static void test_state_base(void **state)
{
    (void)state;
    struct lz_config cfg;
    memset(&cfg, 0, sizeof cfg);
    strcpy(cfg.data_root, "/var/lib/docker");
    strcpy(cfg.socket_path, "/var/run/docker.sock");
    strcpy(cfg.log_path, "/var/log/lazydind/dockerd.log");
    struct lz_state st;
    memset(&st, 0x5a, sizeof st);
    lz_record_state_base(&st, &cfg, 7);
    assert_int_equal(st.gen, 7);
    assert_int_equal(st.supervisor_pid, (int)getpid());
    assert_string_equal(st.data_root, "/var/lib/docker");
    assert_string_equal(st.socket, "/var/run/docker.sock");
    assert_string_equal(st.log, "/var/log/lazydind/dockerd.log");
    /* the rest is the caller's: zero until set */
    assert_int_equal(st.dockerd_pid, 0);
    assert_int_equal(st.ready, 0);
    assert_string_equal(st.phase, "");
    assert_string_equal(st.mode, "");
    assert_string_equal(st.reason, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idle_every),
        cmocka_unit_test(test_notify_ready),
        cmocka_unit_test(test_dockerd_argv),
        cmocka_unit_test(test_dockerd_find),
        cmocka_unit_test(test_wait_describe),
        cmocka_unit_test(test_state_base),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
