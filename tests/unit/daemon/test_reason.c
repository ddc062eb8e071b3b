/* Unit tests for reason.h: the reason picked out of dockerd's output when
 * it fails to start. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../helpers.h"
#include "daemon/reason.h"

LZT_SCRATCH_DIR("reason")

/* --------------------------------------------------------- pick_reason */

#define T0 "time=\"2026-11-29T02:45:39.001234567Z\" "

static const char stream_bad_config[] =
    T0 "level=info msg=\"Starting up\"\n"
    T0 "level=info msg=\"libcontainerd: started new containerd process\" pid=61\n"
    T0 "level=info msg=\"parsed scheme: \\\"unix\\\"\" module=grpc\n"
    T0 "level=warning msg=\"Running in a user namespace\"\n"
    "unable to configure the Docker daemon with file /etc/docker/daemon.json: "
    "the following directives don't match any configuration option: "
    "no-such-option\n";

static const char stream_fatal[] =
    T0 "level=info msg=\"Starting up\"\n"
    T0 "level=error msg=\"failed to mount overlay: invalid argument\" "
    "storage-driver=overlay2\n"
    T0 "level=error msg=\"[graphdriver] prior storage driver overlay2 failed: "
    "driver not supported\"\n"
    T0 "level=fatal msg=\"failed to start daemon: error initializing "
    "graphdriver: driver not supported\"\n"
    T0 "level=info msg=\"stopping event stream following graceful shutdown\" "
    "error=\"<nil>\" module=libcontainerd namespace=moby\n";

static const char stream_error[] =
    T0 "level=info msg=\"Starting up\"\n"
    T0 "level=error msg=\"first error\"\n"
    T0 "level=error msg=\"invalid reference \\\"foo:bar\\\" in C:\\\\x\" "
    "component=x\n"
    T0 "level=info msg=\"Daemon shutdown complete\"\n";

static const char stream_info[] =
    T0 "level=info msg=\"Starting up\"\n"
    T0 "level=warning msg=\"Your kernel does not support cgroup blkio weight\"\n"
    T0 "level=info msg=\"Daemon has completed initialization\"\n"
    T0 "level=info msg=\"API listen on /var/run/docker.sock\"\n";

/* a level named inside a message is not the line's level */
static const char stream_nested_level[] =
    T0 "level=info msg=\"Starting up\"\n"
    T0 "level=warning msg=\"cleanup warnings time=\\\"y\\\" level=error msg=\\\"nested\\\"\"\n"
    T0 "level=info msg=\"saw level=fatal here\"\n";

/* \n and \t escapes become spaces: the reason is one line */
static const char stream_escapes[] =
    T0 "level=fatal msg=\"line one\\nline two\\ttab\"\n";

static const char stream_lazydind[] =
    "lazydind: [info] starting dockerd (data-root /var/lib/docker)\n"
    T0 "level=fatal msg=\"not the reason\"\n"
    "lazydind: cannot run /x: No such file or directory\n"
    "lazydind: [info] dockerd exited with status 127\n";

static void test_pick_reason(void **state)
{
    (void)state;
    static const struct {
        const char *name, *text, *want;
    } cases[] = {
        {"bad config", stream_bad_config,
         "unable to configure the Docker daemon with file "
         "/etc/docker/daemon.json: the following directives don't match any "
         "configuration option: no-such-option"},
        {"fatal", stream_fatal,
         "failed to start daemon: error initializing graphdriver: driver not "
         "supported"},
        {"error", stream_error, "invalid reference \"foo:bar\" in C:\\x"},
        {"info only", stream_info, ""},
        {"a level inside a message", stream_nested_level, ""},
        {"escapes", stream_escapes, "line one line two tab"},
        {"lazydind lines", stream_lazydind,
         "lazydind: cannot run /x: No such file or directory"},
        {"only lazydind info",
         "lazydind: [info] starting dockerd\nlazydind: [info] again\n", ""},
        {"empty", "", ""},
        {"blank lines", "\n\n  \r\n", ""},
        {"plain beats a later fatal",
         "exec: \"containerd\": not found\n" T0 "level=fatal msg=\"later\"\n",
         "exec: \"containerd\": not found"},
        {"last fatal beats a later error",
         T0 "level=fatal msg=\"one\"\n" T0 "level=fatal msg=\"two\"\n"
         T0 "level=error msg=\"three\"\n", "two"},
        {"last plain line, trimmed",
         "first plain\nsecond plain  \r\n\n", "second plain"},
        {"no final newline", T0 "level=info msg=\"x\"\nboom", "boom"},
        {"msg without closing quote", T0 "level=error msg=\"cut sho", "cut sho"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[512] = "untouched";
        lz_pick_reason(cases[i].text, strlen(cases[i].text), out, sizeof out);
        if (strcmp(out, cases[i].want) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", cases[i].name, out,
                     cases[i].want);
    }
}

static void test_pick_reason_bounds(void **state)
{
    (void)state;
    /* only the first len bytes are read */
    const char text[] = "early reason\nlate reason\n";
    char out[64];
    lz_pick_reason(text, 13, out, sizeof out);
    assert_string_equal(out, "early reason");
    /* the output is cut to fit */
    char small[8];
    lz_pick_reason(stream_bad_config, strlen(stream_bad_config), small, sizeof small);
    assert_string_equal(small, "unable ");
    lz_pick_reason(stream_fatal, strlen(stream_fatal), small, sizeof small);
    assert_string_equal(small, "failed ");
    char one[1] = {'x'};
    lz_pick_reason(stream_fatal, strlen(stream_fatal), one, sizeof one);
    assert_int_equal(one[0], '\0');
}

/* ---------------------------------------------------------- log_reason */

static void test_log_reason_from_offset(void **state)
{
    (void)state;
    const char *log = p("dockerd.log");
    FILE *f = fopen(log, "w");
    assert_non_null(f);
    fputs("old plain failure\n", f);
    long off = ftell(f);
    fputs(stream_fatal, f);
    fclose(f);
    char out[256];
    lz_log_reason(log, off, out, sizeof out);
    assert_string_equal(out, "failed to start daemon: error initializing "
                             "graphdriver: driver not supported");
    lz_log_reason(log, 0, out, sizeof out);
    assert_string_equal(out, "old plain failure");
    /* an offset past the end (the log was rotated) reads from the start */
    lz_log_reason(log, 1 << 20, out, sizeof out);
    assert_string_equal(out, "old plain failure");
    strcpy(out, "untouched");
    lz_log_reason(p("no-such.log"), 0, out, sizeof out);
    assert_string_equal(out, "");
}

#define TMP_TEST(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pick_reason),
        cmocka_unit_test(test_pick_reason_bounds),
        TMP_TEST(test_log_reason_from_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
