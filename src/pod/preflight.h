/* The cold path's preflight: before anything is started, check that the
 * selected mode can work in this pod (doctor's checks, for that mode's
 * facts only), and when it cannot, say what is missing and the fix instead
 * of letting dockerd fail with an error nobody can decode. */
#ifndef LAZYDIND_POD_PREFLIGHT_H
#define LAZYDIND_POD_PREFLIGHT_H

#include <stddef.h>

#include "config/config.h"
#include "pod/report.h"

/* The preflight text for a report: "" and 0 when the selected mode can
 * work, else -1 and a few lines separated by '\n' (no "lazydind: "
 * prefix, no final newline): a headline, each failing check with its fix
 * (a fix is not repeated), and the other ways in one line. It does not
 * point at `lazydind doctor`: the caller does (lz_preflight_gate). Pure. */
int lz_preflight_text(const struct lz_report *r, char *msg, size_t msglen);

/* Gathers the facts (a handful of small file reads and stats: no fork,
 * nothing written), evaluates them, and returns 0 when the selected mode
 * can work here, else -1 with lz_preflight_text's explanation in msg (each
 * line to be printed prefixed "lazydind: "). */
int lz_preflight(const struct lz_config *cfg, char *msg, size_t msglen);

/* The gate: 0 when the mode can work (or LAZYDIND_PREFLIGHT=0 skips the
 * check); 1 when it cannot, after printing the explanation, one
 * "lazydind: " line each, on stderr. */
int lz_preflight_gate(const struct lz_config *cfg);

#endif
