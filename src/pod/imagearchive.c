/* Image archives: see imagearchive.h. */
#define _GNU_SOURCE
#include "pod/imagearchive.h"
#include "base/cleanup.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TAR_BLOCK 512
#define META_MAX (4 << 20) /* manifest.json and index.json are small */
#define ENTRIES_MAX 100000

int lz_archive_compressed(int fd)
{
    unsigned char m[6] = {0};
    if (pread(fd, m, sizeof m, 0) < 4)
        return 0;
    return (m[0] == 0x1f && m[1] == 0x8b) || memcmp(m, "BZh", 3) == 0 ||
           memcmp(m, "\xfd" "7zXZ", 5) == 0 || memcmp(m, "\x28\xb5\x2f\xfd", 4) == 0;
}

static int64_t octal(const char *p, size_t n)
{
    int64_t v = 0;
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\0'))
        i++;
    for (; i < n && p[i] >= '0' && p[i] <= '7'; i++)
        v = v * 8 + (p[i] - '0');
    return v;
}

static void add_ref(json_t *refs, const char *r)
{
    if (!r || !*r)
        return;
    size_t i;
    json_t *v;
    json_array_foreach(refs, i, v)
        if (strcmp(json_string_value(v), r) == 0)
            return;
    json_array_append_new(refs, json_string(r));
}

/* docker save's manifest.json: [{"RepoTags": [...]}, ...] */
static void manifest_refs(json_t *doc, json_t *refs)
{
    size_t i, j;
    json_t *m, *t;
    json_array_foreach(doc, i, m)
        json_array_foreach(json_object_get(m, "RepoTags"), j, t)
            add_ref(refs, json_string_value(t));
}

/* An OCI index.json: {"manifests": [{"annotations": {...}}, ...]} */
static void index_refs(json_t *doc, json_t *refs)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(doc, "manifests"), i, m) {
        json_t *a = json_object_get(m, "annotations");
        const char *full = json_string_value(json_object_get(a, "io.containerd.image.name"));
        const char *name = json_string_value(
            json_object_get(a, "org.opencontainers.image.ref.name"));
        add_ref(refs, full ? full : name);
    }
}

static json_t *read_json(int fd, int64_t size)
{
    if (size <= 0 || size > META_MAX)
        return NULL;
    LZ_AUTOFREE char *buf = malloc((size_t)size);
    if (!buf || read(fd, buf, (size_t)size) != (ssize_t)size)
        return NULL;
    return json_loadb(buf, (size_t)size, 0, NULL);
}

static int is_name(const char *name, const char *want)
{
    if (strncmp(name, "./", 2) == 0)
        name += 2;
    return strcmp(name, want) == 0;
}

json_t *lz_archive_refs(int fd)
{
    char h[TAR_BLOCK];
    if (lz_archive_compressed(fd) || lseek(fd, 0, SEEK_SET) != 0)
        return NULL;
    LZ_AUTOJSON manifest = NULL;
    LZ_AUTOJSON idx = NULL;
    int tar = 0;
    for (int n = 0; n < ENTRIES_MAX && !manifest; n++) {
        if (read(fd, h, sizeof h) != (ssize_t)sizeof h || h[0] == '\0')
            break;
        if (memcmp(h + 257, "ustar", 5) != 0)
            return NULL;
        tar = 1;
        char name[101];
        memcpy(name, h, 100);
        name[100] = '\0';
        int64_t size = octal(h + 124, 12);
        off_t next = lseek(fd, 0, SEEK_CUR) + (off_t)((size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK);
        if (h[156] == '0' || h[156] == '\0') {
            if (is_name(name, "manifest.json"))
                manifest = read_json(fd, size);
            else if (is_name(name, "index.json") && !idx)
                idx = read_json(fd, size);
        }
        if (lseek(fd, next, SEEK_SET) != next)
            break;
    }
    if (!tar)
        return NULL;
    json_t *refs = json_array();
    if (manifest)
        manifest_refs(manifest, refs);
    else if (idx)
        index_refs(idx, refs);
    return refs;
}

/* One message of the stream: an error, or a "Loaded image: REF" line. */
static int one_message(json_t *m, json_t *refs, char *err, size_t errlen)
{
    const char *e = json_string_value(json_object_get(json_object_get(m, "errorDetail"),
                                                      "message"));
    if (!e)
        e = json_string_value(json_object_get(m, "error"));
    if (e) {
        snprintf(err, errlen, "%s", e);
        return -1;
    }
    const char *s = json_string_value(json_object_get(m, "stream"));
    if (s && strncmp(s, "Loaded image: ", 14) == 0) {
        char ref[512];
        snprintf(ref, sizeof ref, "%s", s + 14);
        ref[strcspn(ref, "\r\n")] = '\0';
        add_ref(refs, ref);
    }
    return 0;
}

int lz_load_answer(int code, const char *body, size_t len, json_t *refs,
                   char *err, size_t errlen)
{
    size_t off = 0;
    int rc = 0;
    if (code != 200) {
        LZ_AUTOJSON m = json_loadb(body, len, 0, NULL);
        const char *msg = json_string_value(json_object_get(m, "message"));
        snprintf(err, errlen, "dockerd answered %d: %.*s", code,
                 msg ? (int)strlen(msg) : (int)(len > 300 ? 300 : len), msg ? msg : body);
        err[strcspn(err, "\r\n")] = '\0';
        return -1;
    }
    while (off < len && rc == 0) {
        while (off < len && strchr(" \t\r\n", body[off]))
            off++;
        if (off >= len)
            break;
        json_error_t je;
        LZ_AUTOJSON m = json_loadb(body + off, len - off, JSON_DISABLE_EOF_CHECK, &je);
        if (!m) {
            snprintf(err, errlen, "dockerd's answer is not JSON: %s", je.text);
            return -1;
        }
        rc = one_message(m, refs, err, errlen);
        off += (size_t)je.position;
    }
    return rc;
}

/* The hex size at body[*in..len) up to its CRLF (extensions after ';'
 * skipped); *in moves past the CRLF. -1 when malformed. */
static long chunk_size(const char *body, size_t len, size_t *in)
{
    size_t i = *in;
    unsigned long n = 0;
    int digits = 0;
    for (; i < len && strchr("0123456789abcdefABCDEF", body[i]) && body[i]; i++, digits++) {
        if (n > 0xfffffffUL)
            return -1;
        char c = body[i];
        n = n * 16 + (unsigned long)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    const char *crlf = i < len ? memmem(body + i, len - i, "\r\n", 2) : NULL;
    if (!digits || !crlf)
        return -1;
    *in = (size_t)(crlf - body) + 2;
    return (long)n;
}

long lz_dechunk(char *body, size_t len)
{
    size_t in = 0, out = 0;
    for (;;) {
        long n = chunk_size(body, len, &in);
        if (n < 0)
            return -1;
        if (n == 0)
            return (long)out;
        if ((size_t)n > len - in)
            return -1;
        memmove(body + out, body + in, (size_t)n);
        out += (size_t)n;
        in += (size_t)n + 2;
        if (in > len)
            return -1;
    }
}
