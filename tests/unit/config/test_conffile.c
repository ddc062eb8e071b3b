/* Unit tests for conffile.h: the lazydind.conf parser. */
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
#include "config/conffile.h"

static int parse_ok(const char *text, struct lz_conf *c)
{
    struct lz_conf_error e;
    int rc = lz_conf_parse(text, strlen(text), c, &e);
    if (rc != 0)
        fail_msg("'%s' refused: %d:%d: %s", text, e.line, e.col, e.what);
    return rc;
}

static void test_parse_basic(void **state)
{
    (void)state;
    struct lz_conf c;
    parse_ok("# comment\n"
             "; another\n"
             "\n"
             "   \t\n"
             "data-root = /workspace/.docker-data\n"
             "  mtu=1450  \n"
             "registry-mirrors =\thttp://127.0.0.1:5000, https://mirror.gcr.io\r\n"
             "dockerd-args = --label \"a;b\" --label 'c # d'\n"
             "log-level =\n"
             "quiet = 1", &c);
    assert_int_equal(c.n, 6);
    assert_string_equal(c.v[0].key, "data-root");
    assert_string_equal(c.v[0].value, "/workspace/.docker-data");
    assert_int_equal(c.v[0].line, 5);
    assert_int_equal(c.v[0].key_col, 1);
    assert_int_equal(c.v[0].value_col, 13);
    assert_string_equal(c.v[1].key, "mtu");
    assert_string_equal(c.v[1].value, "1450");
    assert_int_equal(c.v[1].key_col, 3);
    assert_int_equal(c.v[1].value_col, 7);
    /* CRLF: the \r goes */
    assert_string_equal(c.v[2].value, "http://127.0.0.1:5000, https://mirror.gcr.io");
    /* no inline comments: ';' and '#' stay in values */
    assert_string_equal(c.v[3].value, "--label \"a;b\" --label 'c # d'");
    assert_string_equal(c.v[4].value, "");
    assert_string_equal(c.v[5].value, "1"); /* no final newline */
    assert_non_null(lz_conf_find(&c, "mtu"));
    assert_null(lz_conf_find(&c, "dns"));
    lz_conf_free(&c);

    parse_ok("", &c);
    assert_int_equal(c.n, 0);
    lz_conf_free(&c);
    parse_ok("\xef\xbb\xbfmtu = 1450\n", &c); /* a BOM */
    assert_int_equal(c.n, 1);
    assert_string_equal(c.v[0].key, "mtu");
    lz_conf_free(&c);
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        int line, col;
        const char *says;
    } cases[] = {
        {"mtu 1450\n", 0, 1, 5, "expected '='"},
        {"mtu\n", 0, 1, 4, "expected '='"},
        {"= 1450\n", 0, 1, 1, "expected a key"},
        {"  [daemon]\nmtu = 1\n", 0, 1, 3, "sections"},
        {"a = 1\n\nmtu = 1\n  mtu = 2\n", 0, 4, 3, "already set on line 3"},
        {"mtu = 14\x01" "50\n", 0, 1, 9, "control character"},
        {"mtu = 1\n\nx\xffy = 2\n", 0, 3, 2, "expected '='"},
        {"mtu = 1\nm\0tu = 2\n", 16, 2, 2, "NUL"},
        {"key\"quoted = 1\n", 0, 1, 4, "expected '='"},
        {"mtu = 1\rx\n", 0, 1, 8, "control character"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lz_conf c;
        struct lz_conf_error e;
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
        if (lz_conf_parse(cases[i].text, len, &c, &e) != -1)
            fail_msg("case %zu accepted", i);
        if (e.line != cases[i].line || e.col != cases[i].col ||
            !strstr(e.what, cases[i].says))
            fail_msg("case %zu: %d:%d: %s; want %d:%d: ...%s...", i, e.line, e.col,
                     e.what, cases[i].line, cases[i].col, cases[i].says);
        assert_null(c.v);
        assert_int_equal(c.n, 0);
    }
    /* a key too long */
    char big[200];
    memset(big, 'k', 100);
    strcpy(big + 100, " = 1\n");
    struct lz_conf c;
    struct lz_conf_error e;
    assert_int_equal(lz_conf_parse(big, strlen(big), &c, &e), -1);
    assert_non_null(strstr(e.what, "longer"));
}

/* Inputs that end inside a construct (a lone CR, half a BOM, a key at the
 * very end). */
static void test_parse_edges(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t len;
    } cases[] = {
        {"\r", 1},
        {"\xef\xbb", 2},
        {"a=\r", 3},
        {"\n\n\n=", 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lz_conf c;
        struct lz_conf_error e;
        if (lz_conf_parse(cases[i].text, cases[i].len, &c, &e) == 0)
            lz_conf_free(&c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_basic),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
