/* The generated config on disk: see dwrite.h. */
#define _GNU_SOURCE
#include "config/dwrite.h"
#include "base/state.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int lz_dconf_write(int dirfd, const struct lz_dconf *d, char *err, size_t errlen)
{
    char *text = json_dumps(d->config, JSON_INDENT(2));
    if (!text) {
        snprintf(err, errlen, "cannot encode dockerd's config");
        return -1;
    }
    size_t n = strlen(text);
    char *t2 = realloc(text, n + 2);
    if (!t2) {
        free(text);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    text = t2;
    text[n] = '\n';
    text[n + 1] = '\0';
    int rc = lz_state_write(dirfd, "daemon.json", text);
    int e = errno;
    free(text);
    if (rc != 0) {
        snprintf(err, errlen, "cannot write dockerd's config daemon.json in the "
                 "runtime dir: %s", strerror(e));
        return -1;
    }
    char notes[LZ_DCONF_NOTES * 650] = "";
    for (int i = 0; i < d->nnotes; i++) {
        strcat(notes, d->notes[i]);
        strcat(notes, "\n");
    }
    if (d->nnotes)
        (void)lz_state_write(dirfd, "notices", notes);
    else
        (void)unlinkat(dirfd, "notices", 0);
    return 0;
}

void lz_dconf_print_notices(int dirfd)
{
    char buf[LZ_DCONF_NOTES * 650];
    if (lz_read_file_at(dirfd, "notices", buf, sizeof buf) <= 0)
        return;
    for (char *p = buf, *nl; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (!nl)
            nl = p + strlen(p) - 1;
        else
            *nl = '\0';
        if (*p)
            lz_notice("%s", p);
    }
}
