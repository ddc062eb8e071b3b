/* Unit tests for pod/imagearchive.h: an archive's refs from its tar
 * headers (tars written here), dockerd's load answer, de-chunking. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../helpers.h"
#include "pod/imagearchive.h"

/* One ustar entry (header and padded content) appended to f. */
static void tar_entry(FILE *f, const char *name, const char *text)
{
    char h[512] = {0}, pad[512] = {0};
    size_t n = strlen(text);
    snprintf(h, 100, "%s", name);
    snprintf(h + 100, 8, "0000644");
    snprintf(h + 124, 12, "%011o", (unsigned)n);
    h[156] = '0';
    memcpy(h + 257, "ustar", 5);
    assert_int_equal(fwrite(h, 1, 512, f), 512);
    assert_int_equal(fwrite(text, 1, n, f), n);
    assert_int_equal(fwrite(pad, 1, (512 - n % 512) % 512, f), (512 - n % 512) % 512);
}

static json_t *refs_of(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    json_t *r = lz_archive_refs(fd);
    close(fd);
    return r;
}

static void test_refs_docker_save(void **state)
{
    (void)state;
    char dir[256];
    lzt_mkdtemp(dir, sizeof dir, "archive");
    const char *p = lzt_path(dir, "save.tar");
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    tar_entry(f, "abc/layer.tar", "not really a layer");
    tar_entry(f, "manifest.json", "[{\"RepoTags\": [\"a:1\", \"b:2\"]}, {\"RepoTags\": null}]");
    assert_int_equal(fclose(f), 0);
    json_t *r = refs_of(p);
    char *s = json_dumps(r, JSON_COMPACT);
    assert_string_equal(s, "[\"a:1\",\"b:2\"]");
    free(s);
    json_decref(r);

    p = lzt_path(dir, "oci.tar");
    f = fopen(p, "w");
    tar_entry(f, "./oci-layout", "{}");
    tar_entry(f, "./index.json", "{\"manifests\": [{\"annotations\": "
              "{\"io.containerd.image.name\": \"docker.io/library/x:1\", "
              "\"org.opencontainers.image.ref.name\": \"1\"}}, "
              "{\"annotations\": {\"org.opencontainers.image.ref.name\": \"y:2\"}}]}");
    assert_int_equal(fclose(f), 0);
    r = refs_of(p);
    s = json_dumps(r, JSON_COMPACT);
    assert_string_equal(s, "[\"docker.io/library/x:1\",\"y:2\"]");
    free(s);
    json_decref(r);

    /* compressed, or not a tar: not known */
    lzt_write_file(lzt_path(dir, "x.tar.gz"), "\x1f\x8b\x08\x00 and so on");
    assert_null(refs_of(lzt_path(dir, "x.tar.gz")));
    lzt_write_file(lzt_path(dir, "junk"), "this is no tar at all, not even 512 bytes");
    assert_null(refs_of(lzt_path(dir, "junk")));
    lzt_rmtree(dir);
}

static void test_load_answer(void **state)
{
    (void)state;
    char err[256] = "";
    json_t *refs = json_array();
    const char *ok = "{\"stream\":\"Loaded image: a:1\\n\"}\r\n"
                     "{\"stream\":\"Loaded image ID: sha256:00\\n\"}\n";
    assert_int_equal(lz_load_answer(200, ok, strlen(ok), refs, err, sizeof err), 0);
    assert_int_equal(json_array_size(refs), 1);
    assert_string_equal(json_string_value(json_array_get(refs, 0)), "a:1");
    const char *bad = "{\"errorDetail\":{\"message\":\"unexpected EOF\"},"
                      "\"error\":\"unexpected EOF\"}\n";
    assert_int_equal(lz_load_answer(200, bad, strlen(bad), refs, err, sizeof err), -1);
    assert_string_equal(err, "unexpected EOF");
    const char *e500 = "{\"message\":\"invalid tar header\"}\n";
    assert_int_equal(lz_load_answer(500, e500, strlen(e500), refs, err, sizeof err), -1);
    assert_string_equal(err, "dockerd answered 500: invalid tar header");
    assert_int_equal(lz_load_answer(200, "{no", 3, refs, err, sizeof err), -1);
    json_decref(refs);
}

static void test_dechunk(void **state)
{
    (void)state;
    char b[] = "5\r\nhello\r\n3\r\n, w\r\n0\r\n\r\n";
    long n = lz_dechunk(b, strlen(b));
    assert_int_equal(n, 8);
    assert_memory_equal(b, "hello, w", 8);
    char bad[] = "zz\r\nhello";
    assert_int_equal(lz_dechunk(bad, strlen(bad)), -1);
    char shortb[] = "50\r\nhello\r\n";
    assert_int_equal(lz_dechunk(shortb, strlen(shortb)), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refs_docker_save),
        cmocka_unit_test(test_load_answer),
        cmocka_unit_test(test_dechunk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
