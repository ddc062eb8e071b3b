/* The scratch lazydind.conf shared by the config tests: a temp dir, the
 * file LAZYDIND_CONFIG names in it, rootful mode, and no LAZYDIND_* variable
 * left over from another test. Include after <cmocka.h> and helpers.h. */
#ifndef LAZYDIND_TEST_CONF_FIXTURE_H
#define LAZYDIND_TEST_CONF_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

struct tmp {
    char dir[64];
    char file[128];
};

static int tmp_setup(void **state)
{
    static const char *const vars[] = {
        "LAZYDIND_CONFIG", "LAZYDIND_MTU", "LAZYDIND_START_TIMEOUT",
        "LAZYDIND_DATA_ROOT", "LAZYDIND_REGISTRY_MIRRORS", "LAZYDIND_QUIET",
        "LAZYDIND_DOCKERD_ARGS", "LAZYDIND_LOG_LEVEL", "LAZYDIND_MODE",
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        unsetenv(vars[i]);
    struct tmp *t = calloc(1, sizeof *t);
    assert_non_null(t);
    lzt_mkdtemp(t->dir, sizeof t->dir, "conf");
    snprintf(t->file, sizeof t->file, "%s/lazydind.conf", t->dir);
    setenv("LAZYDIND_CONFIG", t->file, 1);
    setenv("LAZYDIND_MODE", "rootful", 1);
    *state = t;
    return 0;
}

static int tmp_teardown(void **state)
{
    struct tmp *t = *state;
    lzt_rmtree(t->dir);
    free(t);
    unsetenv("LAZYDIND_CONFIG");
    unsetenv("LAZYDIND_MODE");
    return 0;
}

#endif
