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
#include <unistd.h>

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

static void test_look_reads_the_state(void **unused)
{
    (void)unused;
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/lz-warm-XXXXXX");
    assert_non_null(mkdtemp(dir));
    struct lz_config cfg;
    memset(&cfg, 0, sizeof cfg);
    strcpy(cfg.run_dir, dir);
    strcpy(cfg.socket_path, SOCK);
    struct lz_state st;
    /* no state: unknown */
    assert_int_equal(lz_warm_look(&cfg, &st), LZ_WARM_UNKNOWN);
    /* a state naming a supervisor that is not lazydind (this test): unknown */
    char path[128], text[512];
    snprintf(path, sizeof path, "%s/state", dir);
    struct lz_state w = state("running", 1);
    w.supervisor_pid = (int)getpid();
    lz_state_format(&w, text, sizeof text);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(lz_warm_look(&cfg, &st), LZ_WARM_UNKNOWN);
    assert_string_equal(st.phase, "running");
    assert_int_equal(st.supervisor_pid, (int)getpid());
    /* rootless: not even read */
    cfg.rootless = 1;
    assert_int_equal(lz_warm_look(&cfg, &st), LZ_WARM_UNKNOWN);
    assert_string_equal(st.phase, "");
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ready_needs_everything),
        cmocka_unit_test(test_listening_phases),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_look_reads_the_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
