/* /etc/passwd and /etc/subuid, /etc/subgid (parse_ids.h). */
#define _GNU_SOURCE
#include "pod/parse_ids.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Splits the line at p (up to '\n') into at most max ':'-separated fields,
 * copied into buf; returns the count. */
static int split_colon(const char *p, char *buf, size_t buflen, char **fields, int max)
{
    size_t len = strcspn(p, "\n");
    if (len >= buflen)
        len = buflen - 1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    int n = 0;
    char *s = buf;
    while (n < max) {
        fields[n++] = s;
        char *c = strchr(s, ':');
        if (!c)
            break;
        *c = '\0';
        s = c + 1;
    }
    return n;
}

static int parse_ulong(const char *s, unsigned long *out)
{
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

int lz_passwd_by_uid(const char *passwd, unsigned long uid, char *name,
                     size_t namelen, char *home, size_t homelen, long *gid)
{
    char buf[1024], *f[7];
    for (const char *p = passwd; p && *p;) {
        if (*p != '#' && split_colon(p, buf, sizeof buf, f, 7) == 7) {
            unsigned long u;
            if (parse_ulong(f[2], &u) == 0 && u == uid) {
                if (name)
                    snprintf(name, namelen, "%s", f[0]);
                if (home)
                    snprintf(home, homelen, "%s", f[5]);
                unsigned long g;
                if (gid)
                    *gid = parse_ulong(f[3], &g) == 0 ? (long)g : -1;
                return 1;
            }
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return 0;
}

int lz_passwd_first_with_subid(const char *passwd, const char *subuid_text,
                               unsigned long *uid, char *name, size_t namelen)
{
    char buf[1024], *f[7];
    for (const char *p = passwd; p && *p;) {
        unsigned long u, s, c;
        if (*p != '#' && split_colon(p, buf, sizeof buf, f, 7) == 7 &&
            parse_ulong(f[2], &u) == 0 && u >= 1000 && u < 65534 &&
            lz_subid_find(subuid_text, f[0], u, &s, &c)) {
            *uid = u;
            snprintf(name, namelen, "%s", f[0]);
            return 1;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return 0;
}

int lz_subid_find(const char *text, const char *name, unsigned long uid,
                  unsigned long *start, unsigned long *count)
{
    char buf[512], *f[3], uidtext[32];
    int found = 0;
    snprintf(uidtext, sizeof uidtext, "%lu", uid);
    for (const char *p = text; p && *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        unsigned long s, c;
        if (*p != '#' && split_colon(p, buf, sizeof buf, f, 3) == 3 &&
            ((name && *name && strcmp(f[0], name) == 0) || strcmp(f[0], uidtext) == 0) &&
            parse_ulong(f[1], &s) == 0 && parse_ulong(f[2], &c) == 0 && c > 0 &&
            (!found || c > *count)) {
            *start = s;
            *count = c;
            found = 1;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return found;
}

