/* `lazydind doctor`: what this pod allows (detect.h), judged for the three
 * ways a pod can host Docker -- privileged, Sysbox, rootless -- with the
 * manifest lines that would make each work; and the preflight the cold path
 * runs so that the shim fails fast with that explanation instead of
 * dockerd's raw error. One file per concern:
 *   report.h          the report: checks, verdicts, the three ways
 *   evaluate.h        facts -> report (check_rootful.h, check_rootless.h,
 *                     check_shared.h; manifest.h for the three ways)
 *   render.h          the report as text and as JSON
 *   preflight.h       the cold path's preflight text and gate
 * This header includes them all. */
#ifndef LAZYDIND_DOCTOR_H
#define LAZYDIND_DOCTOR_H

#include "pod/detect.h"
#include "pod/evaluate.h"
#include "pod/preflight.h"
#include "pod/render.h"
#include "pod/report.h"

/* `lazydind doctor [--json]` (cli/cmd_doctor.c): exit 0 when the selected
 * mode can work, 1 when it cannot, 2 on bad input. Starts nothing, needs
 * no root. Declared here, where main.c finds it. */
int lz_cmd_doctor(int argc, char **argv);

#endif
