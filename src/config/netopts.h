/* "default-network-opts": the driver options dockerd (>= 24) gives every
 * network it creates without them: compose's project networks and `docker
 * network create`. lazydind puts the bridge driver's MTU there, so that the
 * pod's MTU reaches user-defined networks and not only docker0. Pure. */
#ifndef LAZYDIND_NETOPTS_H
#define LAZYDIND_NETOPTS_H

#include <jansson.h>

#define LZ_BRIDGE_MTU_OPT "com.docker.network.driver.mtu"

/* Adds {"bridge": {LZ_BRIDGE_MTU_OPT: "<mtu>"}} to config's
 * "default-network-opts", keeping every option it has. Returns 1 when it
 * added the MTU, 0 when the bridge driver has an MTU there already (the
 * user's wins), -1 when "default-network-opts" is not an object of objects
 * (dockerd would refuse it; the caller leaves it to dockerd's message). */
int lz_netopts_add_bridge_mtu(json_t *config, int mtu);

#endif
