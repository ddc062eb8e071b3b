/* Rootless mode's runtime dir, made on the cold path when XDG_RUNTIME_DIR
 * names one that does not exist yet (the documented /tmp/.docker/run). */
#ifndef LAZYDIND_ROOTLESS_XDG_H
#define LAZYDIND_ROOTLESS_XDG_H

#include <stddef.h>

/* Makes $XDG_RUNTIME_DIR (and its missing parents) mode 0700, walking from
 * / without following a symlink (base/xdg.h); nothing when it is unset.
 * 0, or -1 with a message naming the value and the fix. */
int lz_rootless_make_xdg(char *err, size_t errlen);

#endif
