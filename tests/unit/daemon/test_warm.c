/* Unit tests for warm.h: when the state alone says dockerd is up, when a
 * start is under way, and when only the socket can tell. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../helpers.h"
#include "daemon/warm.h"

#define SOCK "/var/run/docker.sock"

static struct lz_state state(const char *phase, int ready)
{
    struct lz_state st;
    memset(&st, 0, sizeof st);
    strcpy(st.phase, phase);
    st.ready = ready;
    st.supervisor_pid = 10;
    st.dockerd_pid = ready ? 12 : 0;
    strcpy(st.socket, SOCK);
    return st;
}

static void test_ready_needs_everything(void **unused)
{
    (void)unused;
    struct lz_state st = state("running", 1);
    assert_int_equal(lz_warm_decide(&st, SOCK, 1, 1), LZ_WARM_READY);
    /* dockerd gone: the supervisor re-arms, a connection starts the next */
    assert_int_equal(lz_warm_decide(&st, SOCK, 1, 0), LZ_WARM_LISTENING);
    /* no live supervisor: only the socket can tell */
    assert_int_equal(lz_warm_decide(&st, SOCK, 0, 1), LZ_WARM_UNKNOWN);
    /* another socket than ours */
    assert_int_equal(lz_warm_decide(&st, "/run/other.sock", 1, 1), LZ_WARM_UNKNOWN);
}

static void test_listening_phases(void **unused)
{
    (void)unused;
    const char *listening[] = {"armed", "backoff"};
    for (size_t i = 0; i < 2; i++) {
        struct lz_state st = state(listening[i], 0);
        assert_int_equal(lz_warm_decide(&st, SOCK, 1, 0), LZ_WARM_LISTENING);
        /* "ready" from an earlier dockerd does not count outside running */
        st.ready = 1;
        assert_int_equal(lz_warm_decide(&st, SOCK, 1, 1), LZ_WARM_LISTENING);
    }
    struct lz_state st = state("running", 0);
    assert_int_equal(lz_warm_decide(&st, SOCK, 1, 1), LZ_WARM_LISTENING);
}

static void test_unknown(void **unused)
{
    (void)unused;
    assert_int_equal(lz_warm_decide(NULL, SOCK, 1, 1), LZ_WARM_UNKNOWN);
    struct lz_state st = state("gave_up", 0);
    assert_int_equal(lz_warm_decide(&st, SOCK, 1, 0), LZ_WARM_UNKNOWN);
    st = state("", 0);
    assert_int_equal(lz_warm_decide(&st, SOCK, 1, 0), LZ_WARM_UNKNOWN);
    /* rootless: dockerd binds its own socket; the state cannot tell */
    st = state("running", 1);
    strcpy(st.mode, "rootless");
    assert_int_equal(lz_warm_decide(&st, SOCK, 1, 1), LZ_WARM_UNKNOWN);
    st = state("stopped", 0);
    assert_int_equal(lz_warm_decide(&st, SOCK, 1, 0), LZ_WARM_UNKNOWN);
}

/* Rootless and armed (activate, no connection yet): the supervisor's
 * listener holds the next connection, as in rootful mode; the shim waits
 * and claims the notice rather than ping (which would start dockerd). */
static void test_rootless_armed(void **unused)
{
    (void)unused;
    struct lz_state st = state("armed", 0);
    strcpy(st.mode, "rootless");
    assert_int_equal(lz_warm_decide(&st, SOCK, 1, 0), LZ_WARM_LISTENING);
    assert_int_equal(lz_warm_decide(&st, SOCK, 0, 0), LZ_WARM_UNKNOWN);
    assert_int_equal(lz_warm_decide(&st, "/run/other.sock", 1, 0), LZ_WARM_UNKNOWN);
    strcpy(st.phase, "backoff");
    assert_int_equal(lz_warm_decide(&st, SOCK, 1, 0), LZ_WARM_UNKNOWN);
}

/* A scratch run dir in dir and a config pointing at it and at SOCK. */
static void look_setup(char *dir, size_t cap, struct lz_config *cfg)
{
    lzt_mkdtemp(dir, cap, "warm");
    memset(cfg, 0, sizeof *cfg);
    strcpy(cfg->run_dir, dir);
    strcpy(cfg->socket_path, SOCK);
}

/* <dir>/state as the supervisor writes it. */
static void write_state(const char *dir, const struct lz_state *st)
{
    char text[512];
    lz_state_format(st, text, sizeof text);
    lzt_write_file(lzt_path(dir, "state"), text);
}

static void test_look_reads_the_state(void **unused)
{
    (void)unused;
    char dir[64];
    struct lz_config cfg;
    look_setup(dir, sizeof dir, &cfg);
    struct lz_state st;
    /* no state: unknown */
    assert_int_equal(lz_warm_look(&cfg, &st), LZ_WARM_UNKNOWN);
    /* a state naming a supervisor that is not lazydind (this test): unknown */
    struct lz_state w = state("running", 1);
    w.supervisor_pid = (int)getpid();
    write_state(dir, &w);
    assert_int_equal(lz_warm_look(&cfg, &st), LZ_WARM_UNKNOWN);
    assert_string_equal(st.phase, "running");
    assert_int_equal(st.supervisor_pid, (int)getpid());
    /* rootless: a rootful state (its hint neither) does not count */
    cfg.rootless = 1;
    assert_int_equal(lz_warm_look(&cfg, &st), LZ_WARM_UNKNOWN);
    assert_int_equal(lzt_rmtree(dir), 0);
}

/* A live process whose executable is named lazydind (a copy of sleep):
 * what alive_as() takes for our supervisor. */
static pid_t fake_supervisor(const char *dir)
{
    const char *exe = lzt_path(dir, "lazydind");
    char cmd[256];
    snprintf(cmd, sizeof cmd, "cp /bin/sleep %s", exe);
    assert_int_equal(system(cmd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl(exe, "lazydind", "30", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200; i++) { /* until the exec took place */
        char link[64], target[256];
        snprintf(link, sizeof link, "/proc/%d/exe", (int)pid);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n > 0 && (target[n] = '\0', strstr(target, "/lazydind")))
            break;
        usleep(5000);
    }
    return pid;
}

/* The hint alone says ready (no state file at all); without it the state
 * says the same; a hint whose supervisor is gone is not believed. */
static void test_look_takes_the_hint(void **unused)
{
    (void)unused;
    char dir[64];
    struct lz_config cfg;
    look_setup(dir, sizeof dir, &cfg);
    pid_t sup = fake_supervisor(dir);
    struct lz_state w = state("running", 1);
    w.supervisor_pid = (int)sup;
    w.dockerd_pid = (int)getpid();
    char hint[256], link[128];
    lz_warm_hint_format(&w, hint, sizeof hint);
    snprintf(link, sizeof link, "%s", lzt_path(dir, LZ_WARM_HINT));
    assert_int_equal(symlink(hint, link), 0);
    struct lz_state st;
    assert_int_equal(lz_warm_look(&cfg, &st), LZ_WARM_READY);
    assert_int_equal(st.supervisor_pid, (int)sup);
    /* another socket in the hint: the (absent) state decides */
    strcpy(cfg.socket_path, "/run/other.sock");
    assert_int_equal(lz_warm_look(&cfg, &st), LZ_WARM_UNKNOWN);
    strcpy(cfg.socket_path, SOCK);
    /* no hint: the state says it */
    unlink(link);
    write_state(dir, &w);
    assert_int_equal(lz_warm_look(&cfg, &st), LZ_WARM_READY);
    /* the supervisor gone: neither is believed */
    assert_int_equal(symlink(hint, link), 0);
    kill(sup, SIGKILL);
    waitpid(sup, NULL, 0);
    assert_int_equal(lz_warm_look(&cfg, &st), LZ_WARM_UNKNOWN);
    assert_string_equal(st.phase, "running"); /* read from the state */
    assert_int_equal(lzt_rmtree(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ready_needs_everything),
        cmocka_unit_test(test_listening_phases),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_rootless_armed),
        cmocka_unit_test(test_look_reads_the_state),
        cmocka_unit_test(test_look_takes_the_hint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
