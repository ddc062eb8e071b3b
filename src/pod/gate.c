#define _GNU_SOURCE
#include "pod/gate.h"
#include "pod/doctor.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

int lz_preflight_gate(const struct lz_config *cfg)
{
    if (!cfg->preflight)
        return 0;
    char msg[4096];
    if (lz_preflight(cfg, msg, sizeof msg) == 0)
        return 0;
    lz_error("the Docker daemon cannot start in this pod:");
    for (char *line = strtok(msg, "\n"); line; line = strtok(NULL, "\n"))
        lz_error("%s", line);
    lz_error("(run `lazydind doctor` for every check; LAZYDIND_PREFLIGHT=0 "
             "starts dockerd anyway)");
    return 1;
}
