/* Unit tests for pod/dockerd.h: the engine's version from `dockerd
 * --version`, cached in the runtime dir by the binary's identity, and the
 * CLI's API version. A shell script stands in for dockerd and the CLI. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pod/dockerd.h"
#include "base/util.h"
#include "../helpers.h"

/* An executable program at path that prints `line` and counts its runs in
 * dir/runs: compiled here (a script is not asked, see dockerd.h), with the
 * compiler that builds the tests. */
static void fake(const char *dir, const char *path, const char *line)
{
    char src[256], cmd[1024], text[1024];
    snprintf(src, sizeof src, "%s/fake.c", dir);
    snprintf(text, sizeof text,
             "#include <stdio.h>\nint main(void){FILE*f=fopen(\"%s/runs\",\"a\");"
             "if(f){fputs(\"x\\n\",f);fclose(f);}puts(\"%s\");return 0;}\n", dir, line);
    lzt_write_file(src, text);
    snprintf(cmd, sizeof cmd, "${CC:-cc} -o %s.new %s && mv %s.new %s", path, src, path, path);
    assert_int_equal(system(cmd), 0);
}

/* A script fake: never asked. */
static void fake_script(const char *path, const char *line)
{
    char text[512];
    snprintf(text, sizeof text, "#!/bin/sh\necho '%s'\n", line);
    lzt_write_file(path, text);
    assert_int_equal(chmod(path, 0755), 0);
}

static int runs(const char *dir)
{
    FILE *f = fopen(lzt_path(dir, "runs"), "r");
    int n = 0, c;
    if (!f)
        return 0;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

static void test_probe_and_cache(void **state)
{
    (void)state;
    char dir[64], bin[LZ_PATH_MAX], text[2048];
    lzt_mkdtemp(dir, sizeof dir, "dockerd");
    char exe[128]; /* lzt_path's buffers rotate */
    snprintf(exe, sizeof exe, "%s", lzt_path(dir, "dockerd"));
    fake(dir, exe, "Docker version 27.1.2, build abc1234");
    struct lz_config cfg;
    memset(&cfg, 0, sizeof cfg);
    strcpy(cfg.dockerd, exe);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(dfd >= 0);
    struct lz_engine e;
    lz_engine_probe(&cfg, dfd, &e, bin, sizeof bin);
    assert_int_equal(e.known, 1);
    assert_int_equal(e.major, 27);
    assert_string_equal(e.version, "27.1.2");
    assert_string_equal(bin, exe);
    assert_int_equal(runs(dir), 1);
    assert_true(lz_read_file_at(dfd, "engine", text, sizeof text) > 0);
    assert_non_null(strstr(text, "version=Docker version 27.1.2, build abc1234"));
    /* the cache answers while the binary is the same */
    lz_engine_probe(&cfg, dfd, &e, bin, sizeof bin);
    lz_engine_probe(&cfg, dfd, &e, NULL, 0);
    assert_int_equal(e.known, 1);
    assert_int_equal(runs(dir), 1);
    /* an upgrade (new content, size, mtime) is asked again */
    sleep(1);
    fake(dir, exe, "Docker version 28.5.2+dfsg4, build 3ef3c07");
    lz_engine_probe(&cfg, dfd, &e, bin, sizeof bin);
    assert_int_equal(e.major, 28);
    assert_string_equal(e.version, "28.5.2+dfsg4");
    assert_int_equal(runs(dir), 2);
    /* no cache dir: asked every time */
    lz_engine_probe(&cfg, -1, &e, bin, sizeof bin);
    assert_int_equal(runs(dir), 3);
    /* a binary that prints nothing useful: unknown, and not cached */
    fake(dir, exe, "dockerd: something went wrong");
    lz_engine_probe(&cfg, dfd, &e, bin, sizeof bin);
    assert_int_equal(e.known, 0);
    /* a script (a wrapper, a test's fake dockerd) is not run */
    int before = runs(dir);
    fake_script(exe, "Docker version 29.0.0, build x");
    lz_engine_probe(&cfg, dfd, &e, bin, sizeof bin);
    assert_int_equal(e.known, 0);
    assert_int_equal(runs(dir), before);
    /* no binary at all */
    strcpy(cfg.dockerd, lzt_path(dir, "absent"));
    lz_engine_probe(&cfg, dfd, &e, bin, sizeof bin);
    assert_int_equal(e.known, 0);
    assert_string_equal(bin, "");
    close(dfd);
    assert_int_equal(lzt_rmtree(dir), 0);
}

static void test_cli_api_version(void **state)
{
    (void)state;
    char dir[64], api[64];
    lzt_mkdtemp(dir, sizeof dir, "cli");
    char cli[128];
    snprintf(cli, sizeof cli, "%s", lzt_path(dir, "docker"));
    /* as the CLI does with an unreachable daemon: its own part, exit 1 */
    lzt_write_file(cli, "#!/bin/sh\n[ \"$1 $2 $3\" = 'version --format {{.Client.APIVersion}}' ] || exit 9\n"
                        "case $DOCKER_HOST in unix:///nonexistent/*) ;; *) exit 8 ;; esac\n"
                        "echo 1.41; echo 'Cannot connect to the Docker daemon' >&2; exit 1\n");
    assert_int_equal(chmod(cli, 0755), 0);
    assert_int_equal(lz_cli_api_version(cli, api, sizeof api), 0);
    assert_string_equal(api, "1.41");
    lzt_write_file(cli, "#!/bin/sh\necho 'docker: unknown command'\nexit 1\n");
    assert_int_equal(lz_cli_api_version(cli, api, sizeof api), -1);
    assert_int_equal(lz_cli_api_version(lzt_path(dir, "absent"), api, sizeof api), -1);
    assert_int_equal(lzt_rmtree(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe_and_cache),
        cmocka_unit_test(test_cli_api_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
