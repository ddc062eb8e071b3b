/* The scratch lazydind.conf shared by the config tests: a temp dir, the
 * file LAZYDIND_CONFIG names in it, rootful mode, and no LAZYDIND_* variable
 * left over from another test. tmp_setup_json also makes that file (empty)
 * and points LAZYDIND_DAEMON_JSON at daemon.json in the same dir (not made).
 * Include after <cmocka.h> and helpers.h. */
#ifndef LAZYDIND_TEST_CONF_FIXTURE_H
#define LAZYDIND_TEST_CONF_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

struct tmp {
    char dir[64];
    char file[128], json[128];
};

static const char *const tmp_vars[] = {
    "LAZYDIND_CONFIG", "LAZYDIND_MTU", "LAZYDIND_START_TIMEOUT",
    "LAZYDIND_DATA_ROOT", "LAZYDIND_REGISTRY_MIRRORS", "LAZYDIND_QUIET",
    "LAZYDIND_DOCKERD_ARGS", "LAZYDIND_LOG_LEVEL", "LAZYDIND_MODE",
    "LAZYDIND_DAEMON_JSON", "XDG_RUNTIME_DIR",
};

static int tmp_setup(void **state)
{
    for (size_t i = 0; i < sizeof tmp_vars / sizeof tmp_vars[0]; i++)
        unsetenv(tmp_vars[i]);
    struct tmp *t = calloc(1, sizeof *t);
    assert_non_null(t);
    lzt_mkdtemp(t->dir, sizeof t->dir, "conf");
    snprintf(t->file, sizeof t->file, "%s/lazydind.conf", t->dir);
    snprintf(t->json, sizeof t->json, "%s/daemon.json", t->dir);
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
    for (size_t i = 0; i < sizeof tmp_vars / sizeof tmp_vars[0]; i++)
        unsetenv(tmp_vars[i]);
    return 0;
}

__attribute__((unused)) static int tmp_setup_json(void **state)
{
    tmp_setup(state);
    struct tmp *t = *state;
    lzt_write_file(t->file, "");
    setenv("LAZYDIND_DAEMON_JSON", t->json, 1);
    return 0;
}

#endif
