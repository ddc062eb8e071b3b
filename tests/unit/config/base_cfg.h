/* A config as lz_config_load leaves it in a rootful pod with nothing set:
 * the paths the merge and the flag mapping start from. For the tests that
 * build dockerd's config without reading any file. */
#ifndef LAZYDIND_TEST_BASE_CFG_H
#define LAZYDIND_TEST_BASE_CFG_H

#include <string.h>

#include "config/config.h"

static inline void base_cfg(struct lz_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    strcpy(cfg->data_root, "/var/lib/docker");
    strcpy(cfg->socket_path, "/var/run/docker.sock");
    strcpy(cfg->daemon_json, "/etc/docker/daemon.json");
    strcpy(cfg->config_path, LZ_DEFAULT_CONFIG);
    strcpy(cfg->run_dir, "/run/lazydind");
}

#endif
