/* Doctor's checks for rootless dockerd (dockerd-rootless.sh as a non-root
 * user): the user and its group, what newuidmap needs (privilege
 * escalation, capabilities in the bounding set, subordinate ids), seccomp,
 * AppArmor, user namespaces, /proc, the programs, the runtime dir, the
 * devices and storage. */
#ifndef LAZYDIND_POD_CHECK_ROOTLESS_H
#define LAZYDIND_POD_CHECK_ROOTLESS_H

#include "pod/gather.h"
#include "pod/report.h"

/* Appends the rootless checks of the facts to r, for the user r->rl_uid,
 * r->rl_user (set before). Pure. */
void lz_check_rootless(const struct lz_facts *f, struct lz_report *r);

#endif
