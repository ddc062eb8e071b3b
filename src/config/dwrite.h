/* The generated config on disk: <run_dir>/daemon.json, which dockerd gets
 * with --config-file, and <run_dir>/notices, what the last generation has
 * to tell the user (shown once, on the cold path). */
#ifndef LAZYDIND_DWRITE_H
#define LAZYDIND_DWRITE_H

#include <stddef.h>

#include "config/dmerge.h"

/* Writes the config to dirfd/daemon.json (mode 0600, replaced atomically,
 * never through a symlink) and the notes to dirfd/notices (removed when
 * there are none). 0, or -1 with a message in err. */
int lz_dconf_write(int dirfd, const struct lz_dconf *d, char *err,
                   size_t errlen);

/* The notes of the last generation (dirfd/notices), as lazydind notices. */
void lz_dconf_print_notices(int dirfd);

#endif
