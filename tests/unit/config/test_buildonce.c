/* Unit tests for "dockerd's config built once per dockerd start": the
 * starter's check (lz_dconf_resolve) and the supervisor's start-up
 * (lz_dconf_inputs) do not build it (lz_dconf_builds does not move), the
 * build at the spawn (lz_dconf_make) counts one, and the check refuses bad
 * input with the build's own message. */
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

#include "../helpers.h"
#include "config/daemonconf.h"

#include "conf_fixture.h"

static void load(struct lz_config *cfg)
{
    char err[1024];
    if (lz_config_load(cfg, err, sizeof err) != 0)
        fail_msg("lz_config_load: %s", err);
}

/* One start as the shim, the supervisor and the spawn see it: one build. */
static void test_one_build_per_start(void **state)
{
    struct tmp *t = *state;
    struct lz_config cfg;
    struct lz_dconf d;
    char err[1024];
    lzt_write_file(t->json, "{\"debug\": true}");
    setenv("LAZYDIND_REGISTRY_MIRRORS", "https://mirror.example", 1);
    long before = lz_dconf_builds();
    load(&cfg); /* the shim's check */
    assert_int_equal(lz_dconf_resolve(&cfg, err, sizeof err), 0);
    load(&cfg); /* the supervisor's start-up */
    assert_int_equal(lz_dconf_inputs(&cfg, err, sizeof err), 0);
    assert_int_equal(lz_dconf_builds(), before);
    /* the spawn's build: the one the file is written from */
    assert_int_equal(lz_dconf_make(&cfg, 0, NULL, &d, err, sizeof err), 0);
    assert_int_equal(lz_dconf_builds(), before + 1);
    assert_non_null(json_object_get(d.config, "registry-mirrors"));
    assert_true(json_is_true(json_object_get(d.config, "debug")));
    lz_dconf_free(&d);
}

/* The check and the build say the same about bad input. */
static void test_check_says_what_the_build_says(void **state)
{
    (void)state;
    struct lz_config cfg;
    struct lz_dconf d;
    char err_check[1024], err_build[1024];
    setenv("LAZYDIND_DOCKERD_ARGS", "--mtu 1300", 1);
    setenv("LAZYDIND_MTU", "1400", 1);
    load(&cfg);
    assert_int_equal(lz_dconf_resolve(&cfg, err_check, sizeof err_check), -1);
    long before = lz_dconf_builds();
    assert_int_equal(lz_dconf_make(&cfg, 0, NULL, &d, err_build, sizeof err_build), -1);
    assert_int_equal(lz_dconf_builds(), before + 1);
    assert_string_equal(err_check, err_build);
    assert_non_null(strstr(err_check, "LAZYDIND_MTU and --mtu in LAZYDIND_DOCKERD_ARGS both set"));
}

/* The supervisor's start-up still takes data-root from daemon.json. */
static void test_inputs_take_data_root(void **state)
{
    struct tmp *t = *state;
    struct lz_config cfg;
    char err[1024];
    lzt_write_file(t->json, "{\"data-root\": \"/dj/root\"}");
    load(&cfg);
    assert_int_equal(lz_dconf_inputs(&cfg, err, sizeof err), 0);
    assert_string_equal(cfg.data_root, "/dj/root");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_build_per_start, tmp_setup_json, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_check_says_what_the_build_says,
                                        tmp_setup_json, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_inputs_take_data_root, tmp_setup_json, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
