/* LAZYDIND_PRELOAD's syntax and image references: see preload.h. */
#define _GNU_SOURCE
#include "config/preload.h"
#include "base/util.h"
#include "config/parse.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int lz_preload_each(const char *value, int (*fn)(const char *path, void *arg),
                    void *arg)
{
    char path[LZ_PATH_MAX];
    const char *p = value;
    while (*p) {
        size_t n = strcspn(p, ":,");
        while (n && (*p == ' ' || *p == '\t'))
            p++, n--;
        size_t m = n;
        while (m && (p[m - 1] == ' ' || p[m - 1] == '\t'))
            m--;
        if (m) {
            if (m >= sizeof path)
                m = sizeof path - 1; /* lz_set_preload refused it already */
            memcpy(path, p, m);
            path[m] = '\0';
            int rc = fn(path, arg);
            if (rc)
                return rc;
        }
        p += n;
        if (*p)
            p++;
    }
    return 0;
}

struct check {
    char *why;
    size_t whylen;
    int n;
};

static int check_one(const char *path, void *arg)
{
    struct check *c = arg;
    struct stat st;
    c->n++;
    if (!lz_valid_path(path) || strlen(path) >= LZ_PATH_MAX) {
        snprintf(c->why, c->whylen, "has '%s', which is not an absolute path; give "
                 "absolute paths of image archives or of directories of them, "
                 "separated by ':', e.g. /var/cache/images", path);
        return -1;
    }
    if (stat(path, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
        snprintf(c->why, c->whylen, "has '%s', which does not exist (or is not a "
                 "file or directory); mount the archive volume there or fix the "
                 "path", path);
        return -1;
    }
    return 0;
}

int lz_set_preload(const struct lz_setting *s, const char *text, void *field,
                   char *why, size_t whylen)
{
    (void)s;
    struct check c = {why, whylen, 0};
    if (lz_preload_each(text, check_one, &c) != 0)
        return -1;
    if (!c.n) {
        snprintf(why, whylen, "names no path; give absolute paths of image "
                 "archives or of directories of them, separated by ':'");
        return -1;
    }
    *(const char **)field = text;
    return 0;
}

int lz_ref_normalize(const char *ref, char *out, size_t cap)
{
    const char *r = ref;
    if (strncmp(r, "docker.io/", 10) == 0)
        r += 10;
    else if (strncmp(r, "index.docker.io/", 16) == 0)
        r += 16;
    /* Docker Hub's official images are shown without library/ */
    if (strncmp(r, "library/", 8) == 0 && strchr(r + 8, '/') == NULL)
        r += 8;
    const char *slash = strrchr(r, '/');
    const char *last = slash ? slash + 1 : r;
    int tagged = strchr(last, ':') != NULL || strchr(r, '@') != NULL;
    int n = snprintf(out, cap, "%s%s", r, tagged ? "" : ":latest");
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int lz_ref_same(const char *a, const char *b)
{
    char na[512], nb[512];
    if (lz_ref_normalize(a, na, sizeof na) != 0 || lz_ref_normalize(b, nb, sizeof nb) != 0)
        return 0;
    return strcmp(na, nb) == 0;
}
