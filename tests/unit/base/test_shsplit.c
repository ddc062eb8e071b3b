/* Unit tests for shsplit.h: LAZYDIND_DOCKERD_ARGS split like a shell would,
 * with everything that would need a real shell refused. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/shsplit.h"

#define MAXW 8

struct split_case {
    const char *in;
    int argc;
    const char *argv[MAXW];
};

static void check_split(const struct split_case *c)
{
    struct lz_words w;
    char err[256] = "";
    int rc = lz_shsplit(c->in, &w, err, sizeof err);
    if (rc != 0)
        fail_msg("[%s]: rc %d (%s), want 0", c->in, rc, err);
    if (w.argc != c->argc)
        fail_msg("[%s]: %d words, want %d", c->in, w.argc, c->argc);
    for (int i = 0; i < c->argc; i++)
        if (strcmp(w.argv[i], c->argv[i]) != 0)
            fail_msg("[%s]: word %d is [%s], want [%s]", c->in, i, w.argv[i],
                     c->argv[i]);
    if (w.argv[w.argc] != NULL)
        fail_msg("[%s]: argv[argc] is not NULL", c->in);
    lz_words_free(&w);
    assert_null(w.argv);
    assert_int_equal(w.argc, 0);
}

static void test_split_words(void **state)
{
    (void)state;
    static const struct split_case cases[] = {
        {"--debug --log-level info", 3, {"--debug", "--log-level", "info"}},
        {"'a b' \"c d\" e\\ f", 3, {"a b", "c d", "e f"}},
        {"--label=\"x=y z\"", 1, {"--label=x=y z"}},
        {"--label='x=y z' --debug", 2, {"--label=x=y z", "--debug"}},
        {"  \t--debug\n\n--tls  ", 2, {"--debug", "--tls"}},
        {"'$HOME'", 1, {"$HOME"}},
        {"'a;b|c&&d`e`'", 1, {"a;b|c&&d`e`"}},
        {"\"it's\"", 1, {"it's"}},
        {"'say \"hi\"'", 1, {"say \"hi\""}},
        {"\"a\\\"b\" \"c\\\\d\" \"e\\$f\" \"g\\nh\"", 4,
         {"a\"b", "c\\d", "e$f", "g\\nh"}},
        {"\\$HOME \\; \\|", 3, {"$HOME", ";", "|"}},
        {"a'b'\"c\"d", 1, {"abcd"}},
        {"a '' b", 3, {"a", "", "b"}},
        {"\"\"", 1, {""}},
        {"a~b", 1, {"a~b"}},
        {"a#b", 1, {"a#b"}},
        {"'~/x'", 1, {"~/x"}},
        {"--foo\\\n--bar", 1, {"--foo--bar"}},  /* line continuation */
        {"--storage-opt=size=10G", 1, {"--storage-opt=size=10G"}},
        {"a b c d e", 5, {"a", "b", "c", "d", "e"}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_split(&cases[i]);
}

static void test_split_empty(void **state)
{
    (void)state;
    static const struct split_case cases[] = {
        {"", 0, {NULL}},
        {" ", 0, {NULL}},
        {" \t\n  \t", 0, {NULL}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_split(&cases[i]);
}

static void test_split_refused(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *says; /* expected in err */
    } cases[] = {
        {"'abc", "unterminated"},
        {"--label=\"x", "unterminated"},
        {"a \"b 'c' d", "unterminated"},
        {"abc\\", "backslash"},
        {"$(rm -rf /)", "shell"},
        {"a;b", "shell"},
        {"a|b", "shell"},
        {"a && b", "shell"},
        {"a & b", "shell"},
        {"`id`", "shell"},
        {"\"`id`\"", "shell"},
        {"\"$HOME\"", "shell"},
        {"$HOME", "shell"},
        {"--data-root=$HOME/d", "shell"},
        {"a > /etc/passwd", "shell"},
        {"a < b", "shell"},
        {"(a)", "shell"},
        {"*.json", "shell"},
        {"a?", "shell"},
        {"[ab]", "shell"},
        {"~/x", "shell"},
        {"a ~", "shell"},
        {"#comment", "shell"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lz_words w = {.argc = 99};
        char err[256] = "";
        int rc = lz_shsplit(cases[i].in, &w, err, sizeof err);
        if (rc != -1)
            fail_msg("[%s]: rc %d, want -1", cases[i].in, rc);
        if (!strstr(err, cases[i].says))
            fail_msg("[%s]: err \"%s\" lacks \"%s\"", cases[i].in, err,
                     cases[i].says);
        /* nothing to free, and freeing again is harmless */
        assert_null(w.argv);
        assert_null(w.store);
        assert_int_equal(w.argc, 0);
        lz_words_free(&w);
    }
}

/* The error names the offending character. */
static void test_split_error_names_char(void **state)
{
    (void)state;
    static const struct {
        const char *in, *says;
    } cases[] = {
        {"a;b", "';'"},
        {"a|b", "'|'"},
        {"\"$HOME\"", "'$'"},
        {"`id`", "'`'"},
        {"~/x", "'~'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lz_words w;
        char err[256] = "";
        assert_int_equal(lz_shsplit(cases[i].in, &w, err, sizeof err), -1);
        if (!strstr(err, cases[i].says))
            fail_msg("[%s]: err \"%s\" lacks %s", cases[i].in, err, cases[i].says);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_words),
        cmocka_unit_test(test_split_empty),
        cmocka_unit_test(test_split_refused),
        cmocka_unit_test(test_split_error_names_char),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
