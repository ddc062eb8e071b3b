/* Whether a path that lazydind writes as root (the runtime dir, the log)
 * can be redirected by someone else: the check OpenSSH makes of its key
 * files, extended to symlinks along the way. */
#ifndef LAZYDIND_SAFEPATH_H
#define LAZYDIND_SAFEPATH_H

#include <stddef.h>

/* 0 when no component of the absolute path (following the symlinks along it
 * and checking each link and its target in turn) is owned by anyone but root
 * or us, and no directory on the way is writable by others unless it is
 * sticky (like /tmp, where only an entry's owner may replace it) or on a
 * read-only mount (a Kubernetes ConfigMap volume is 0777, read-only). Group
 * write is allowed: who is in a group is root's decision (Ubuntu's
 * /var/log is root:syslog 0775).
 * Components that do not exist yet are fine: we create them. -1 with a
 * message naming the component otherwise. */
int lz_path_trusted(const char *path, char *err, size_t errlen);

/* For a file root reads and obeys (lazydind.conf, daemon.json), open as fd:
 * lz_path_trusted of its path, and the file itself root's or ours and not
 * writable by others. 0, or -1 with a message. */
int lz_file_trusted(const char *path, int fd, char *err, size_t errlen);

#endif
