/* The cold path's preflight gate: before anything is started, check that
 * the selected mode can work in this pod (doctor's checks), and when it
 * cannot, say what is missing and the fix instead of letting dockerd fail
 * with an error nobody can decode. */
#ifndef LAZYDIND_GATE_H
#define LAZYDIND_GATE_H

#include "config/config.h"

/* 0 when the mode can work (or LAZYDIND_PREFLIGHT=0 skips the check); 1
 * when it cannot, after printing the explanation, one "lazydind: " line
 * each, on stderr. */
int lz_preflight_gate(const struct lz_config *cfg);

#endif
