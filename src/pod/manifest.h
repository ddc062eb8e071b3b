/* The three ways a pod can host Docker -- privileged, Sysbox, rootless --
 * judged from the checks already in the report: whether each works here
 * as it is, and if not the manifest lines that would make it work
 * (securityContext, runtimeClassName, volumes, the Pod Security label)
 * and what no manifest can change (the node, the image). */
#ifndef LAZYDIND_POD_MANIFEST_H
#define LAZYDIND_POD_MANIFEST_H

#include "pod/gather.h"
#include "pod/report.h"

/* Fills r->opt[0..2] (privileged, sysbox, rootless) from r's checks and
 * the facts. Pure. */
void lz_manifest_options(const struct lz_facts *f, struct lz_report *r);

#endif
