#include "config/innersock.h"

#include <stdio.h>

int lz_inner_socket(const struct lz_config *cfg, char *out, size_t outlen)
{
    int n = snprintf(out, outlen, "%s/dockerd.sock", cfg->run_dir);
    return n > 0 && (size_t)n < outlen ? 0 : -1;
}
