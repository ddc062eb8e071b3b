/* Doctor's checks of facts that matter to both ways of running dockerd:
 * iptables (installed, and the backend the node uses), overlayfs in the
 * kernel, and the pod's user namespace (Sysbox's or its own). */
#ifndef LAZYDIND_POD_CHECK_SHARED_H
#define LAZYDIND_POD_CHECK_SHARED_H

#include "pod/gather.h"
#include "pod/report.h"

/* Appends them to r, each for LZ_FOR_ALL (facts of scope LZ_SCOPE_ALL
 * only: the preflight does not gather them). Pure. */
void lz_check_shared(const struct lz_facts *f, struct lz_report *r);

#endif
