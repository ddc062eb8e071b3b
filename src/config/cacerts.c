/* Extra CA certificates for dockerd: checked on the cold path, copied into
 * the runtime dir at dockerd's spawn (see cacerts.h). */
#define _GNU_SOURCE
#include "config/cacerts.h"
#include "base/cleanup.h"
#include "base/safepath.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILE (1 << 20) /* a bundle of a few hundred certificates */

/* Where the setting's value came from, for messages: the variable, the
 * config file's line, or CUSTOM_CA_CERT_PATH. */
static void source_name(const struct lz_config *cfg, char *out, size_t outlen)
{
    lz_config_origin(cfg, "LAZYDIND_CA_CERTS", out, outlen);
    if (strcmp(out, "default") == 0)
        snprintf(out, outlen, "LAZYDIND_CA_CERTS");
}

struct scan {
    const struct lz_config *cfg;
    lz_cacert_fn *fn;
    void *arg;
    const char *file;
    int count;
};

static int one_cert(const struct lz_cert_info *info, void *arg)
{
    struct scan *s = arg;
    s->count++;
    if (s->fn)
        s->fn(s->file, info, s->arg);
    return 0;
}

/* Reads one file into a malloc'd buffer; NULL with why. */
static char *read_pem(const char *path, size_t *len, char *why, size_t whylen)
{
    LZ_AUTOFD fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(why, whylen, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > MAX_FILE) {
        snprintf(why, whylen, "%s is not a PEM file of at most 1 MiB", path);
        return NULL;
    }
    if (geteuid() == 0 && lz_file_trusted(path, fd, why, whylen) != 0)
        return NULL;
    char *buf = malloc((size_t)st.st_size + 1);
    ssize_t n = buf ? lz_read_all(fd, buf, (size_t)st.st_size) : -1;
    if (n < 0) {
        snprintf(why, whylen, "cannot read %s: %s", path, strerror(errno));
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static int scan_file(struct scan *s, const char *path, char *why, size_t whylen)
{
    size_t len;
    LZ_AUTOFREE char *text = read_pem(path, &len, why, whylen);
    if (!text)
        return -1;
    int bad = 0, before = s->count;
    s->file = path;
    int n = lz_pem_each_cert(text, len, one_cert, s, &bad);
    if (n < 0) {
        snprintf(why, whylen, "%s: certificate %d is not valid PEM", path, bad);
        return -1;
    }
    if (s->count == before) {
        snprintf(why, whylen, "%s holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                 path);
        return -1;
    }
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int skip_hidden(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

/* A directory: its regular files in name order (symlinks followed, as a
 * ConfigMap's files are links into ..data). */
static int scan_dir(struct scan *s, const char *dir, char *why, size_t whylen)
{
    struct dirent **names;
    int n = scandir(dir, &names, skip_hidden, by_name);
    if (n < 0) {
        snprintf(why, whylen, "cannot read the directory %s: %s", dir, strerror(errno));
        return -1;
    }
    int rc = 0, files = 0;
    for (int i = 0; i < n; i++) {
        char path[LZ_PATH_MAX + 256];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (rc == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            files++;
            rc = scan_file(s, path, why, whylen);
        }
        free(names[i]);
    }
    free(names);
    if (rc == 0 && files == 0) {
        snprintf(why, whylen, "the directory %s holds no certificate file", dir);
        rc = -1;
    }
    return rc;
}

/* Calls each(path) for every item of the comma-separated list. */
static int each_path(const char *list, int (*each)(struct scan *, const char *, char *,
                                                    size_t),
                     struct scan *s, char *why, size_t whylen)
{
    char item[LZ_PATH_MAX];
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        while (n > 0 && (p[0] == ' ' || p[0] == '\t'))
            p++, n--;
        size_t m = n;
        while (m > 0 && (p[m - 1] == ' ' || p[m - 1] == '\t'))
            m--;
        if (m > 0) {
            if (m >= sizeof item || p[0] != '/') {
                snprintf(why, whylen, "has '%.*s', which is not an absolute path", (int)m, p);
                return -1;
            }
            memcpy(item, p, m);
            item[m] = '\0';
            if (each(s, item, why, whylen) != 0)
                return -1;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

static int scan_path(struct scan *s, const char *path, char *why, size_t whylen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(why, whylen, "names %s: %s", path, strerror(errno));
        return -1;
    }
    return S_ISDIR(st.st_mode) ? scan_dir(s, path, why, whylen)
                               : scan_file(s, path, why, whylen);
}

int lz_cacerts_scan(const struct lz_config *cfg, lz_cacert_fn *fn, void *arg,
                    char *err, size_t errlen)
{
    if (!cfg->ca_certs || !*cfg->ca_certs)
        return 0;
    struct scan s = {.cfg = cfg, .fn = fn, .arg = arg};
    char why[LZ_PATH_MAX + 512], src[LZ_PATH_MAX + 64];
    if (each_path(cfg->ca_certs, scan_path, &s, why, sizeof why) != 0) {
        source_name(cfg, src, sizeof src);
        snprintf(err, errlen, "%s='%s' %s; give PEM files or directories of them "
                 "(the CA that signs your registry or proxy), or unset it",
                 src, cfg->ca_certs, why);
        return -1;
    }
    return s.count;
}

/* ------------------------------------------------------------ install -- */

struct copy {
    const char *dir;
    const char *last;               /* the source file last copied */
    int n;
    int failed;
};

static void copy_file(const char *file, const struct lz_cert_info *info, void *arg)
{
    (void)info;
    struct copy *c = arg;
    if (c->failed || (c->last && strcmp(c->last, file) == 0))
        return;
    c->last = file;
    size_t len;
    char why[512], dst[LZ_PATH_MAX + 32];
    LZ_AUTOFREE char *text = read_pem(file, &len, why, sizeof why);
    snprintf(dst, sizeof dst, "%s/%02d.pem", c->dir, c->n++);
    LZ_AUTOFD fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                            0644);
    if (!text || fd < 0 || lz_write_all(fd, text, len) != 0)
        c->failed = 1;
}

/* Removes the copies an earlier dockerd was given. */
static void clear_dir(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, skip_hidden, by_name);
    for (int i = 0; i < n; i++) {
        char path[LZ_PATH_MAX + 256];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        (void)unlink(path);
        free(names[i]);
    }
    if (n >= 0)
        free(names);
}

int lz_cacerts_install(const struct lz_config *cfg, const char *dir, char *err,
                       size_t errlen)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    struct stat st;
    if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
        snprintf(err, errlen, "%s is not a directory of ours", dir);
        return -1;
    }
    clear_dir(dir);
    struct copy c = {.dir = dir};
    if (lz_cacerts_scan(cfg, copy_file, &c, err, errlen) < 0)
        return -1;
    if (c.failed) {
        snprintf(err, errlen, "cannot copy the CA certificates into %s", dir);
        return -1;
    }
    return 0;
}

void lz_cacerts_cert_dir(const char *dir, char *out, size_t outlen)
{
    /* Go's default directories (crypto/x509, root_linux.go) */
    const char *base = getenv("SSL_CERT_DIR");
    if (!base || !*base)
        base = "/etc/ssl/certs:/etc/pki/tls/certs:/system/etc/security/cacerts";
    snprintf(out, outlen, "%s:%s", base, dir);
}
