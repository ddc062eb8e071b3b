#include "config/netopts.h"

#include <stdio.h>

int lz_netopts_add_bridge_mtu(json_t *config, int mtu)
{
    json_t *opts = json_object_get(config, "default-network-opts");
    if (!opts) {
        opts = json_object();
        if (!opts || json_object_set_new(config, "default-network-opts", opts) != 0)
            return -1;
    }
    if (!json_is_object(opts))
        return -1;
    json_t *bridge = json_object_get(opts, "bridge");
    if (!bridge) {
        bridge = json_object();
        if (!bridge || json_object_set_new(opts, "bridge", bridge) != 0)
            return -1;
    }
    if (!json_is_object(bridge))
        return -1;
    if (json_object_get(bridge, LZ_BRIDGE_MTU_OPT))
        return 0;
    char v[16];
    snprintf(v, sizeof v, "%d", mtu);
    return json_object_set_new(bridge, LZ_BRIDGE_MTU_OPT, json_string(v)) == 0 ? 1 : -1;
}
