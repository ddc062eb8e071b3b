/* Unit tests for parse.h: the syntaxes of lazydind's own values
 * (durations, sizes, booleans, tmpfs sizes, paths). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../helpers.h"
#include "config/parse.h"
#include "base/util.h"

#define SENTINEL 424242

/* ------------------------------------------------------------ durations */

static void test_parse_duration_ok(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int64_t ms;
    } cases[] = {
        {"60", 60000},     {"60s", 60000},       {"500ms", 500},
        {"2m", 120000},    {"1h30m", 5400000},   {"1m30s", 90000},
        {"0", 0},          {"100ms", 100},       {"1h", 3600000},
        {"24h", 86400000}, {"1440m", 86400000},  {"86400000ms", 86400000},
        {"1m500ms", 60500}, {"007s", 7000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t ms = SENTINEL;
        if (lz_parse_duration_ms(cases[i].s, &ms) != 0)
            fail_msg("'%s' rejected", cases[i].s);
        if (ms != cases[i].ms)
            fail_msg("'%s' = %lld ms, want %lld", cases[i].s, (long long)ms,
                     (long long)cases[i].ms);
    }
}

static void test_parse_duration_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "abc", "-1", "+1s", "1.5s", "10x", "1m30", "1ms30", "s", "ms",
        "5 s", " 5s", "5s ", "5S", "1d",
        "25h", "24h1ms", "86400001ms", "1441m", "90000s",  /* over 24h */
        "99999999999999999999", "9223372036854775807ms",   /* huge */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms = SENTINEL;
        if (lz_parse_duration_ms(bad[i], &ms) != -1)
            fail_msg("'%s' accepted as %lld ms", bad[i], (long long)ms);
        if (ms != SENTINEL)
            fail_msg("'%s' rejected but wrote %lld", bad[i], (long long)ms);
    }
    int64_t ms = SENTINEL;
    assert_int_equal(lz_parse_duration_ms(NULL, &ms), -1);
}

/* ---------------------------------------------------------------- sizes */

static void test_parse_size_ok(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int64_t bytes;
    } cases[] = {
        {"10M", 10485760},   {"10MiB", 10485760}, {"10mb", 10485760},
        {"10MB", 10485760},  {"10Mi", 10485760},  {"1g", 1073741824},
        {"1GiB", 1073741824}, {"4096", 4096},     {"4k", 4096},
        {"4K", 4096},        {"1T", 1099511627776LL}, {"0", 0},
        {"10b", 10},         {"10B", 10},
        {"8388607T", 8388607LL << 40},             /* largest that fits */
        {"1125899906842624", 1125899906842624LL},  /* 2^50 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t b = SENTINEL;
        if (lz_parse_size(cases[i].s, &b) != 0)
            fail_msg("'%s' rejected", cases[i].s);
        if (b != cases[i].bytes)
            fail_msg("'%s' = %lld, want %lld", cases[i].s, (long long)b,
                     (long long)cases[i].bytes);
    }
}

static void test_parse_size_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "M", "-1", "+1", "1.5G", "10Q", "10 M", " 10M", "10M ", "10iB",
        "10bb", "10MiBx", "10MBB", "1e6", "0x10",
        "8388608T",                 /* 2^63: overflows int64 */
        "1125899906842625",         /* over 2^50 */
        "99999999999999999999999", "9999999999999999999T",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t b = SENTINEL;
        if (lz_parse_size(bad[i], &b) != -1)
            fail_msg("'%s' accepted as %lld", bad[i], (long long)b);
        if (b != SENTINEL)
            fail_msg("'%s' rejected but wrote %lld", bad[i], (long long)b);
    }
    int64_t b = SENTINEL;
    assert_int_equal(lz_parse_size(NULL, &b), -1);
}

/* ---------------------------------------------------------------- bools */

static void test_parse_bool(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int rc, v;
    } cases[] = {
        {"1", 0, 1},     {"true", 0, 1},  {"TRUE", 0, 1}, {"Yes", 0, 1},
        {"on", 0, 1},    {"ON", 0, 1},    {"0", 0, 0},    {"false", 0, 0},
        {"False", 0, 0}, {"no", 0, 0},    {"NO", 0, 0},   {"off", 0, 0},
        {"", -1, SENTINEL},      {"maybe", -1, SENTINEL}, {"2", -1, SENTINEL},
        {"y", -1, SENTINEL},     {"n", -1, SENTINEL},     {"truee", -1, SENTINEL},
        {" 1", -1, SENTINEL},    {"1 ", -1, SENTINEL},    {"01", -1, SENTINEL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int v = SENTINEL;
        int rc = lz_parse_bool(cases[i].s, &v);
        if (rc != cases[i].rc || v != cases[i].v)
            fail_msg("'%s': rc %d value %d, want rc %d value %d", cases[i].s,
                     rc, v, cases[i].rc, cases[i].v);
    }
    int v = SENTINEL;
    assert_int_equal(lz_parse_bool(NULL, &v), -1);
}

/* ----------------------------------------------------------- tmpfs size */

static void test_parse_tmpfs_size(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        const char *out; /* NULL: rejected */
    } cases[] = {
        {"50%", "50%"},   {"1%", "1%"},     {"100%", "100%"},
        {"050%", "50%"},  {"8g", "8589934592"}, {"1M", "1048576"},
        {"1048576", "1048576"}, {"2GiB", "2147483648"},
        {"0%", NULL},     {"101%", NULL},   {"%", NULL},   {"1000%", NULL},
        {"-5%", NULL},    {"5.5%", NULL},   {"50%%", NULL}, {"x%", NULL},
        {"99999999999999999999%", NULL},
        {"512k", NULL},   {"1048575", NULL}, {"0", NULL},  /* under 1M */
        {"", NULL},       {"lots", NULL},   {"8q", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[32] = "untouched";
        int rc = lz_parse_tmpfs_size(cases[i].s, out, sizeof out);
        if (cases[i].out == NULL) {
            if (rc != -1)
                fail_msg("'%s' accepted as '%s'", cases[i].s, out);
        } else {
            if (rc != 0)
                fail_msg("'%s' rejected", cases[i].s);
            assert_string_equal(out, cases[i].out);
        }
    }
    /* an output buffer too small is an error, not a truncated option */
    char small[4];
    assert_int_equal(lz_parse_tmpfs_size("8g", small, sizeof small), -1);
    assert_int_equal(lz_parse_tmpfs_size("100%", small, sizeof small), -1);
    char out[32];
    assert_int_equal(lz_parse_tmpfs_size(NULL, out, sizeof out), -1);
}

/* ---------------------------------------------------------------- paths */

static void test_valid_path(void **state)
{
    (void)state;
    static char longest[LZ_PATH_MAX], too_long[LZ_PATH_MAX + 1];
    memset(longest, 'p', sizeof longest - 1);
    longest[0] = '/';
    memset(too_long, 'p', sizeof too_long - 1);
    too_long[0] = '/';
    static const struct {
        const char *s;
        int ok;
    } cases[] = {
        {"/", 1}, {"/var/lib/docker", 1}, {"/with space/x", 1}, {"/\xc3\xa9t\xc3\xa9", 1},
        {"", 0}, {"relative", 0}, {"./x", 0}, {"/a\nb", 0}, {"/a\tb", 0},
        {"/a\x7f", 0}, {"/a\x01", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (lz_valid_path(cases[i].s) != cases[i].ok)
            fail_msg("'%s': %d, want %d", cases[i].s, !cases[i].ok, cases[i].ok);
    assert_int_equal(lz_valid_path(NULL), 0);
    assert_int_equal(lz_valid_path(longest), 1);
    assert_int_equal(lz_valid_path(too_long), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_duration_ok),
        cmocka_unit_test(test_parse_duration_rejects),
        cmocka_unit_test(test_parse_size_ok),
        cmocka_unit_test(test_parse_size_rejects),
        cmocka_unit_test(test_parse_bool),
        cmocka_unit_test(test_parse_tmpfs_size),
        cmocka_unit_test(test_valid_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
