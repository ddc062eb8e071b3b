/* Unit tests for cmdtable.h: the command table, the usage text made from
 * it, and that docs/commands.md (the source of lazydind(1)) describes the
 * same commands. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmdtable.h"

/* The repository's root, from this file's path ("" when it is relative to
 * the directory make runs the tests in). */
static char root[1024];

static char *usage_text(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    lz_usage_write(f);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static char *read_doc(const char *rel)
{
    char path[2048];
    snprintf(path, sizeof path, "%s%s", root, rel);
    FILE *f = fopen(path, "re");
    if (!f)
        fail_msg("cannot open %s (run the unit tests from the repository's root)", path);
    char *buf = calloc(1, 1 << 16);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    assert_true(n > 0 && n < (1 << 16) - 1);
    fclose(f);
    return buf;
}

/* Calls fn(word, c) for the name and each alias of c. */
static void each_spelling(const struct lz_command *c,
                          void (*fn)(const char *word, const struct lz_command *c))
{
    fn(c->name, c);
    char words[128];
    snprintf(words, sizeof words, "%s", c->aliases ? c->aliases : "");
    for (char *w = strtok(words, " "); w; w = strtok(NULL, " "))
        fn(w, c);
}

static void found_as_itself(const char *word, const struct lz_command *c)
{
    if (lz_command_find(word) != c)
        fail_msg("'%s' does not find its own entry '%s' (spelt twice?)", word, c->name);
}

static void test_names_unique(void **state)
{
    (void)state;
    assert_true(lz_ncommands >= 10);
    for (size_t i = 0; i < lz_ncommands; i++) {
        const struct lz_command *c = &lz_commands[i];
        assert_non_null(c->run);
        assert_non_null(c->args);
        assert_true(c->summary && *c->summary);
        each_spelling(c, found_as_itself);
        for (size_t j = 0; j < i; j++)
            if (strcmp(lz_commands[j].name, c->name) == 0)
                fail_msg("command '%s' is in the table twice", c->name);
    }
}

static void test_find(void **state)
{
    (void)state;
    assert_string_equal(lz_command_find("start")->name, "start");
    assert_string_equal(lz_command_find("-h")->name, "--help");
    assert_string_equal(lz_command_find("help")->name, "--help");
    assert_string_equal(lz_command_find("version")->name, "--version");
    assert_string_equal(lz_command_find("supervise")->name, "supervise");
    assert_null(lz_command_find("bogus"));
    assert_null(lz_command_find(""));
    assert_null(lz_command_find("sta"));      /* no prefixes */
    assert_null(lz_command_find("start "));
    assert_null(lz_command_find("-"));
    assert_null(lz_command_find("--help -h"));
}

static char *usage;

static void listed(const char *word, const struct lz_command *c)
{
    (void)c;
    char line[256];
    /* each command starts a line of the list: "  NAME" */
    snprintf(line, sizeof line, "\n  %s", word);
    char alias[256];
    snprintf(alias, sizeof alias, ", %s", word);
    if (!strstr(usage, line) && !strstr(usage, alias))
        fail_msg("'%s' is not in the usage text", word);
}

static void test_usage_lists_every_command(void **state)
{
    (void)state;
    usage = usage_text();
    assert_true(strncmp(usage, "usage: lazydind COMMAND [ARGS]\n", 31) == 0);
    for (size_t i = 0; i < lz_ncommands; i++) {
        const struct lz_command *c = &lz_commands[i];
        char line[256];
        snprintf(line, sizeof line, "\n  %s", c->name);
        if (c->flags & LZ_CMD_HIDDEN) {
            assert_null(strstr(usage, line));
            continue;
        }
        if (!strstr(usage, line))
            fail_msg("'%s' does not start a line of the usage text", c->name);
        each_spelling(c, listed);
        if (*c->args && !strstr(usage, c->args))
            fail_msg("the arguments of '%s' (%s) are not in the usage text", c->name, c->args);
        /* the summary's first line */
        char first[128];
        snprintf(first, sizeof first, "%.*s", (int)strcspn(c->summary, "\n"), c->summary);
        assert_non_null(strstr(usage, first));
    }
    assert_null(strstr(usage, "supervise"));
    for (size_t i = 0; i < lz_ndoc_pages; i++)
        assert_non_null(strstr(usage, lz_doc_pages[i].path));
    free(usage);
}

/* docs/commands.md's synopsis has "lazydind NAME ARGS" for each listed
 * command, and a "### lazydind NAME ARGS" section; every page the usage
 * text names exists. */
static void test_docs_match(void **state)
{
    (void)state;
    char *doc = read_doc("docs/commands.md");
    for (size_t i = 0; i < lz_ncommands; i++) {
        const struct lz_command *c = &lz_commands[i];
        if (c->flags & LZ_CMD_HIDDEN)
            continue;
        char syn[256], sec[256];
        snprintf(syn, sizeof syn, "\nlazydind %s%s%s\n", c->name, *c->args ? " " : "", c->args);
        if (!strstr(doc, syn))
            fail_msg("docs/commands.md's synopsis lacks the line '%s'", syn + 1);
        snprintf(sec, sizeof sec, "\n### lazydind %s", c->name);
        if (!strstr(doc, sec))
            fail_msg("docs/commands.md has no section '%s'", sec + 1);
    }
    free(doc);
    for (size_t i = 0; i < lz_ndoc_pages; i++)
        free(read_doc(lz_doc_pages[i].path));
}

int main(void)
{
    snprintf(root, sizeof root, "%s", __FILE__);
    char *t = strstr(root, "tests/unit/");
    if (t)
        *t = '\0';
    else
        root[0] = '\0';
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_unique),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_usage_lists_every_command),
        cmocka_unit_test(test_docs_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
