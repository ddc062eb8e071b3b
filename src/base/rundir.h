/* The root-only (or the user's) runtime directory. */
#ifndef LAZYDIND_RUNDIR_H
#define LAZYDIND_RUNDIR_H

#include <stddef.h>

/* Opens (creating with mode 0700 when create is set) the runtime dir,
 * refusing a symlink, a dir owned by someone else or one others can write.
 * Returns a dirfd (O_CLOEXEC) or -1 with a message in err. */
int lz_rundir_open(const char *path, int create, char *err, size_t errlen);

#endif
