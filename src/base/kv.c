/* Small key=value files in the runtime dir: atomic replacement and look-up. */
#define _GNU_SOURCE
#include "base/kv.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Puts dirfd/tmp in place as dirfd/name once made (made: 0) or removes it:
 * the rename is atomic, a reader sees the old file or the new one. */
static int publish(int dirfd, const char *tmp, const char *name, int made)
{
    int rc = made == 0 ? renameat(dirfd, tmp, dirfd, name) : -1;
    if (rc != 0)
        (void)unlinkat(dirfd, tmp, 0);
    return rc;
}

/* The temp name beside name, this process's own; any earlier one removed. */
static void temp_name(int dirfd, const char *name, char *tmp, size_t cap)
{
    snprintf(tmp, cap, ".%s.%d.tmp", name, (int)getpid());
    (void)unlinkat(dirfd, tmp, 0);
}

int lz_state_write(int dirfd, const char *name, const char *text)
{
    char tmp[128];
    temp_name(dirfd, name, tmp, sizeof tmp);
    int fd = openat(dirfd, tmp,
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    int rc = lz_write_all(fd, text, strlen(text));
    if (close(fd) != 0)
        rc = -1;
    return publish(dirfd, tmp, name, rc);
}

int lz_link_write(int dirfd, const char *name, const char *text)
{
    char tmp[128];
    temp_name(dirfd, name, tmp, sizeof tmp);
    return publish(dirfd, tmp, name, symlinkat(text, dirfd, tmp));
}

int lz_kv_get(const char *text, const char *key, char *out, size_t outlen)
{
    size_t klen = strlen(key);
    const char *p = text;
    while (p && *p) {
        if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
            const char *v = p + klen + 1;
            const char *end = strchr(v, '\n');
            size_t n = end ? (size_t)(end - v) : strlen(v);
            if (n >= outlen)
                n = outlen - 1;
            memcpy(out, v, n);
            out[n] = '\0';
            return 0;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return -1;
}

int64_t lz_kv_int(const char *text, const char *key, int64_t def)
{
    char v[32], *end;
    if (lz_kv_get(text, key, v, sizeof v) != 0 || !v[0])
        return def;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno || *end)
        return def;
    return x;
}
