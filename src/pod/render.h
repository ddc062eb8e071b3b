/* Doctor's report shown: as text for a person (`lazydind doctor`) and as
 * JSON for programs (`lazydind doctor --json`). */
#ifndef LAZYDIND_POD_RENDER_H
#define LAZYDIND_POD_RENDER_H

#include <jansson.h>
#include <stdio.h>

#include "pod/gather.h"
#include "pod/report.h"

/* The human report; the JSON one (new reference). */
void lz_doctor_print(const struct lz_report *r, const struct lz_facts *f, FILE *out);
json_t *lz_doctor_json(const struct lz_report *r, const struct lz_facts *f);

#endif
