/* The user's runtime dir ($XDG_RUNTIME_DIR): checked, and made when it does
 * not exist yet, walking from / without following a symlink; and the unix
 * socket a DOCKER_HOST value names, normalised lexically. */
#ifndef LAZYDIND_XDG_H
#define LAZYDIND_XDG_H

#include <stddef.h>
#include <sys/types.h>

/* path (absolute, no "..") walked component by component from rootfd (an
 * fd of "/", or of a recorded tree in tests) with openat(O_NOFOLLOW):
 * every directory on the way must be root's or uid's and, when others may
 * write it, sticky (/tmp); the last one uid's with no group or other
 * access. A missing component can be made when its parent is uid's or
 * sticky and world-writable. With make set, the missing components are
 * made (mkdirat, mode 0700, owned by uid as we are uid).
 * Returns 0 when the dir exists (or was made) and is fit, 1 when it does
 * not exist yet but can be made (make unset), -1 with the reason and the
 * fix in err (which does not repeat the path). */
int lz_xdg_walk(int rootfd, const char *path, uid_t uid, int make, char *err,
                size_t errlen);

/* The socket path a DOCKER_HOST value names ("unix:///p", "unix:/p",
 * "unix:///p//q/./"), with repeated slashes and "." components dropped and
 * no trailing slash. 0, or -1 when it is not an absolute unix:// path (or
 * has a ".." component: that is not lexical). */
int lz_unix_host_path(const char *host, char *out, size_t outlen);

#endif
