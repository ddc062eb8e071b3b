/* Unit tests for settings.h: the kinds of value a setting can have, each on
 * a row of its own over a struct of their members. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/settings.h"
#include "base/util.h"

struct fake {
    const char *text;
    int flag, choice, number;
    int64_t ms, bytes;
    char tmpfs[8];
    char path[16];
    char cmd[24];
};

#define ROW(kind, member, ...)                                                  \
    {.env = "X", .key = "x", .def = "d", .parse = kind,                        \
     .off = offsetof(struct fake, member), .hint = "is bad", __VA_ARGS__}
static const char *const colours[] = {"red", "green", NULL};

/* Applies text with row s to f: 0, or -1 with why checked to be s's. */
static int apply(const struct lz_setting *s, const char *text, struct fake *f,
                 char *why, size_t whylen)
{
    why[0] = '\0';
    int rc = s->parse(s, text, (char *)f + s->off, why, whylen);
    if (rc != 0 && !why[0])
        fail_msg("'%s' refused without a reason", text);
    return rc;
}

static void test_simple_kinds(void **state)
{
    (void)state;
    struct fake f;
    char why[64];
    memset(&f, 0, sizeof f);
    const struct lz_setting text = ROW(lz_set_text, text);
    assert_int_equal(apply(&text, "any \x01 thing", &f, why, sizeof why), 0);
    assert_string_equal(f.text, "any \x01 thing");
    const struct lz_setting flag = ROW(lz_set_bool, flag);
    assert_int_equal(apply(&flag, "yes", &f, why, sizeof why), 0);
    assert_int_equal(f.flag, 1);
    assert_int_equal(apply(&flag, "maybe", &f, why, sizeof why), -1);
    assert_string_equal(why, "is bad");
    assert_int_equal(f.flag, 1);
    const struct lz_setting choice = ROW(lz_set_choice, choice, .choices = colours);
    assert_int_equal(apply(&choice, "green", &f, why, sizeof why), 0);
    assert_int_equal(f.choice, 1);
    assert_int_equal(apply(&choice, "Green", &f, why, sizeof why), -1);
    assert_int_equal(apply(&choice, "blue", &f, why, sizeof why), -1);
    assert_int_equal(f.choice, 1);
}

static void test_number_kinds(void **state)
{
    (void)state;
    struct fake f;
    char why[64];
    memset(&f, 0, sizeof f);
    const struct lz_setting dur = ROW(lz_set_duration, ms, .min = 100);
    assert_int_equal(apply(&dur, "2m", &f, why, sizeof why), 0);
    assert_int_equal(f.ms, 120000);
    assert_int_equal(apply(&dur, "99ms", &f, why, sizeof why), -1); /* under min */
    assert_int_equal(apply(&dur, "0", &f, why, sizeof why), -1);
    assert_int_equal(apply(&dur, "off", &f, why, sizeof why), -1);
    assert_int_equal(f.ms, 120000);
    const struct lz_setting off = ROW(lz_set_duration_or_off, ms, .min = 1000);
    assert_int_equal(apply(&off, "off", &f, why, sizeof why), 0);
    assert_int_equal(f.ms, 0);
    assert_int_equal(apply(&off, "15m", &f, why, sizeof why), 0);
    assert_int_equal(f.ms, 900000);
    assert_int_equal(apply(&off, "0", &f, why, sizeof why), 0);
    assert_int_equal(f.ms, 0);
    assert_int_equal(apply(&off, "500ms", &f, why, sizeof why), -1);
    const struct lz_setting size = ROW(lz_set_size, bytes, .min = 4096);
    assert_int_equal(apply(&size, "4k", &f, why, sizeof why), 0);
    assert_int_equal(f.bytes, 4096);
    assert_int_equal(apply(&size, "4095", &f, why, sizeof why), -1);
    assert_int_equal(f.bytes, 4096);
    const struct lz_setting tmpfs = ROW(lz_set_tmpfs_size, tmpfs,
                                        .cap = sizeof f.tmpfs);
    assert_int_equal(apply(&tmpfs, "50%", &f, why, sizeof why), 0);
    assert_string_equal(f.tmpfs, "50%");
    assert_int_equal(apply(&tmpfs, "8g", &f, why, sizeof why), -1); /* 10 digits > cap */
    assert_int_equal(apply(&tmpfs, "512k", &f, why, sizeof why), -1);
}

static void test_path_kinds(void **state)
{
    (void)state;
    struct fake f;
    char why[64];
    memset(&f, 0, sizeof f);
    const struct lz_setting path = ROW(lz_set_path, path, .cap = sizeof f.path,
                                       .maxlen = 8);
    assert_int_equal(apply(&path, "/run/x", &f, why, sizeof why), 0);
    assert_string_equal(f.path, "/run/x");
    assert_int_equal(apply(&path, "/run/xyzw", &f, why, sizeof why), -1); /* 9 > 8 */
    assert_int_equal(apply(&path, "run", &f, why, sizeof why), -1);
    assert_int_equal(apply(&path, "/a\nb", &f, why, sizeof why), -1);
    assert_string_equal(f.path, "/run/x");
    const struct lz_setting small = ROW(lz_set_path, path, .cap = sizeof f.path);
    assert_int_equal(apply(&small, "/longer/than/16b", &f, why, sizeof why), -1);
    const struct lz_setting ref = ROW(lz_set_path_ref, text);
    assert_int_equal(apply(&ref, "/usr/bin/docker", &f, why, sizeof why), 0);
    assert_string_equal(f.text, "/usr/bin/docker");
    assert_int_equal(apply(&ref, "docker", &f, why, sizeof why), -1);
    const struct lz_setting cmd = ROW(lz_set_command, cmd, .cap = sizeof f.cmd);
    assert_int_equal(apply(&cmd, "dockerd", &f, why, sizeof why), 0);
    assert_int_equal(apply(&cmd, "/usr/bin/dockerd", &f, why, sizeof why), 0);
    assert_string_equal(f.cmd, "/usr/bin/dockerd");
    assert_int_equal(apply(&cmd, "bin/dockerd", &f, why, sizeof why), -1);
    assert_int_equal(apply(&cmd, "dock\nerd", &f, why, sizeof why), -1);
    assert_int_equal(apply(&cmd, "a-command-name-far-too-long", &f, why, sizeof why), -1);
}

/* A dockerd setting's reason is its value function's, not the hint. */
static void test_dockerd_kinds(void **state)
{
    (void)state;
    struct fake f;
    char why[256], buf[16];
    memset(&f, 0, sizeof f);
    const struct lz_setting level = ROW(lz_set_dockerd, text, .dvalue = lz_dvalue_log_level);
    assert_null(lz_setting_text(&level, &f, buf, sizeof buf));
    assert_int_equal(apply(&level, "warn", &f, why, sizeof why), 0);
    assert_string_equal(f.text, "warn");
    assert_string_equal(lz_setting_text(&level, &f, buf, sizeof buf), "warn");
    assert_int_equal(apply(&level, "loud", &f, why, sizeof why), -1);
    assert_string_equal(why, "is not one of debug, info, warn, error, fatal");
    const struct lz_setting mtu = ROW(lz_set_dockerd_int, number, .dvalue = lz_dvalue_mtu);
    assert_null(lz_setting_text(&mtu, &f, buf, sizeof buf));
    assert_int_equal(apply(&mtu, "1450", &f, why, sizeof why), 0);
    assert_int_equal(f.number, 1450);
    assert_string_equal(lz_setting_text(&mtu, &f, buf, sizeof buf), "1450");
    assert_int_equal(apply(&mtu, "50", &f, why, sizeof why), -1);
    assert_non_null(strstr(why, "between 576 and 9216"));
    assert_int_equal(f.number, 1450);
    /* not a dockerd setting: no text */
    const struct lz_setting plain = ROW(lz_set_text, text);
    assert_null(lz_setting_text(&plain, &f, buf, sizeof buf));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_kinds),
        cmocka_unit_test(test_number_kinds),
        cmocka_unit_test(test_path_kinds),
        cmocka_unit_test(test_dockerd_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
