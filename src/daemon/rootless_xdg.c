/* Rootless mode's runtime dir, made on the cold path: see rootless_xdg.h.
 * lz_config_resolve has checked it already (so bad input is exit 2 before
 * anything starts); this makes what was missing, under the same rules. */
#define _GNU_SOURCE
#include "daemon/rootless_xdg.h"
#include "base/cleanup.h"
#include "base/xdg.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int lz_rootless_make_xdg(char *err, size_t errlen)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    if (!xdg || !*xdg)
        return 0;
    char why[1024];
    LZ_AUTOFD root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (lz_xdg_walk(root, xdg, geteuid(), 1, why, sizeof why) == 0)
        return 0;
    snprintf(err, errlen, "XDG_RUNTIME_DIR=%s: %s", xdg, why);
    return -1;
}
