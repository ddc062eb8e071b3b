/* Unit tests for describe.h: text for display. */
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
#include "config/describe.h"

static void test_redact(void **state)
{
    (void)state;
    char out[128];
    lz_redact_url("http://user:secret@proxy:3128", out, sizeof out);
    assert_string_equal(out, "http://user:***@proxy:3128");
    lz_redact_url("http://proxy:3128", out, sizeof out);
    assert_string_equal(out, "http://proxy:3128");
    lz_redact_url("http://user@proxy:3128/a@b", out, sizeof out);
    assert_string_equal(out, "http://user@proxy:3128/a@b");
    lz_redact_url("u:p@proxy", out, sizeof out);
    assert_string_equal(out, "u:***@proxy");
}

static void test_json_text(void **state)
{
    (void)state;
    json_t *t = lz_json_text("plain", 5);
    assert_string_equal(json_string_value(t), "plain");
    json_decref(t);
    t = lz_json_text("caf\xc3\xa9", 5); /* UTF-8 is kept */
    assert_string_equal(json_string_value(t), "caf\xc3\xa9");
    json_decref(t);
    t = lz_json_text("a\xff" "b\xa0", 4);
    assert_string_equal(json_string_value(t), "a?b?");
    json_decref(t);
    t = lz_json_text("ab=cd", 2); /* n bytes only */
    assert_string_equal(json_string_value(t), "ab");
    json_decref(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redact),
        cmocka_unit_test(test_json_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
