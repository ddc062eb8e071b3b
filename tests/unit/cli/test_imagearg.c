/* Unit tests for cli/imagearg.h: the image of run, create and pull. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cli/imagearg.h"

static const char *image_of(char *line)
{
    static char *argv[64];
    int argc = 0;
    for (char *t = strtok(line, " "); t && argc < 63; t = strtok(NULL, " "))
        argv[argc++] = t;
    argv[argc] = NULL;
    struct lz_argv_info ai;
    lz_classify_argv(argc, argv, &ai);
    return lz_image_arg(argc, argv, &ai);
}

static void test_image_arg(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"docker run --rm busybox echo hi", "busybox"},
        {"docker run -it --name x -e A=1 -v /a:/b postgres:16", "postgres:16"},
        {"docker run -dp 80:80 nginx", "nginx"},
        {"docker run -eA=1 --env=B=2 --rm=true alpine", "alpine"},
        {"docker run -a stdout alpine", "alpine"},
        {"docker -H unix:///x.sock run alpine", "alpine"},
        {"docker --log-level debug container run --init alpine", "alpine"},
        {"docker create -- alpine sh", "alpine"},
        {"docker pull -a -q alpine", "alpine"},
        {"docker image pull --platform linux/amd64 alpine:3", "alpine:3"},
        {"docker ps", NULL},
        {"docker images busybox", NULL},
        {"docker run --rm", NULL},
        {"docker", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char line[256];
        strcpy(line, cases[i][0]);
        const char *got = image_of(line);
        if (!cases[i][1] ? got != NULL : !got || strcmp(got, cases[i][1]) != 0)
            fail_msg("%s: got %s, want %s", cases[i][0], got ? got : "NULL",
                     cases[i][1] ? cases[i][1] : "NULL");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_arg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
