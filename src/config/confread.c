/* Reading lazydind.conf: see confread.h. */
#define _GNU_SOURCE
#include "config/confread.h"
#include "config/parse.h"
#include "base/cleanup.h"
#include "base/safepath.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CONF (256 * 1024)

/* Opens it; -1 with *found set when it is fine that it cannot be (then no
 * message), -2 with a message. */
static int open_conf(const char *path, int explicit, int *found, char *err,
                     size_t errlen)
{
    /* symlinks are followed: Kubernetes mounts ConfigMap keys as symlinks */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd >= 0)
        return fd;
    if (!explicit && (errno == ENOENT || errno == ENOTDIR)) {
        *found = 0;
        return -1;
    }
    if (!explicit && errno == EACCES && geteuid() != 0) {
        *found = -1; /* root reads it when it starts dockerd */
        return -1;
    }
    snprintf(err, errlen, "cannot read the config file %s%s: %s", path,
             explicit ? " (LAZYDIND_CONFIG)" : "", strerror(errno));
    return -2;
}

/* Its text (malloc'd), once it passed the checks; NULL with err. */
static char *conf_text(const char *path, int fd, size_t *len, char *err,
                       size_t errlen)
{
    /* root obeys it (it may name the dockerd binary): nobody else may be
     * able to change it */
    char why[1024];
    if (geteuid() == 0 && lz_file_trusted(path, fd, why, sizeof why) != 0) {
        snprintf(err, errlen, "will not read the config file %s as root: %s",
                 path, why);
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_CONF) {
        snprintf(err, errlen, "the config file %s is not a regular file of at "
                 "most 256 KiB", path);
        return NULL;
    }
    /* sized by fstat (+1 to see a file that grew meanwhile) */
    size_t cap = (size_t)st.st_size + 2;
    LZ_AUTOFREE char *text = malloc(cap);
    ssize_t n = text ? lz_read_all(fd, text, cap) : -1;
    if (n < 0 || n > st.st_size) {
        snprintf(err, errlen, "cannot read the config file %s", path);
        return NULL;
    }
    *len = (size_t)n;
    return lz_steal_ptr(&text);
}

int lz_conf_read(char *path, int *found, struct lz_conf *conf, char *err,
                 size_t errlen)
{
    const char *p = getenv("LAZYDIND_CONFIG");
    int explicit = p && *p;
    *found = 0;
    *conf = (struct lz_conf){NULL, 0, NULL};
    strcpy(path, LZ_DEFAULT_CONFIG);
    if (explicit) {
        if (!lz_valid_path(p)) {
            snprintf(err, errlen, "LAZYDIND_CONFIG='%s' is not an absolute path; "
                     "use e.g. /etc/lazydind/lazydind.conf", p);
            return -1;
        }
        strcpy(path, p);
    }
    LZ_AUTOFD fd = open_conf(path, explicit, found, err, errlen);
    if (fd == -1)
        return 0;
    if (fd < 0)
        return -1;
    size_t len;
    LZ_AUTOFREE char *text = conf_text(path, fd, &len, err, errlen);
    if (!text)
        return -1;
    struct lz_conf_error e;
    if (lz_conf_parse(text, len, conf, &e) != 0) {
        snprintf(err, errlen, "%s:%d:%d: %s", path, e.line, e.col, e.what);
        return -1;
    }
    *found = 1;
    return 0;
}
