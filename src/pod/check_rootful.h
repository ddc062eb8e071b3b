/* Doctor's checks for dockerd as root (privileged or under Sysbox): the
 * user, capabilities, seccomp, AppArmor, cgroups, the data-root's
 * filesystem and dockerd itself. */
#ifndef LAZYDIND_POD_CHECK_ROOTFUL_H
#define LAZYDIND_POD_CHECK_ROOTFUL_H

#include "config/config.h"
#include "pod/gather.h"
#include "pod/report.h"

/* Appends the rootful checks of the facts to r (cfg->tmpfs, cfg->dockerd
 * are read). Pure. */
void lz_check_rootful(const struct lz_facts *f, const struct lz_config *cfg,
                      struct lz_report *r);

#endif
