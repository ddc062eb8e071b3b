/* Doctor's evaluation: the facts (gather.h) judged for dockerd as root
 * (check_rootful.h), rootless dockerd (check_rootless.h) and both
 * (check_shared.h), the verdict on the pod as a whole and on the mode
 * selected, and the three ways with their manifest lines (manifest.h). */
#ifndef LAZYDIND_POD_EVALUATE_H
#define LAZYDIND_POD_EVALUATE_H

#include "config/config.h"
#include "pod/gather.h"
#include "pod/report.h"

/* Judges the facts for the mode cfg selects (cfg->mode, cfg->rootless,
 * cfg->tmpfs). Only what the facts' scope covers is checked. Pure. */
void lz_doctor_evaluate(const struct lz_facts *f, const struct lz_config *cfg,
                        struct lz_report *r);

#endif
