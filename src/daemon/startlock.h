/* The start lock, <run dir>/lock: whoever holds it may start a supervisor
 * (the bring-up) or stop one (`lazydind stop`), so that a start and a stop
 * never interleave and many callers start one supervisor. Opened in this one
 * place, with one set of flags. */
#ifndef LAZYDIND_STARTLOCK_H
#define LAZYDIND_STARTLOCK_H

#include <stdint.h>

/* A deadline that never passes: wait as long as it takes. */
#define LZ_LOCK_FOREVER INT64_MAX

/* Opens dirfd/lock (created 0600; O_CLOEXEC, so that dockerd, containerd
 * and the containers never inherit it; never through a symlink; never a
 * controlling terminal) and takes it exclusively, waiting at most until
 * deadline_ms on the monotonic clock (lz_now_ms). Returns the fd that holds
 * the lock (closing it releases the lock), or -1 with errno (ETIMEDOUT when
 * the deadline passed). */
int lz_start_lock(int dirfd, int64_t deadline_ms);

#endif
