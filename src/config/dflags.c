/* dockerd's flags and the daemon.json keys they set: see dflags.h. */
#include "config/dflags.h"
#include "base/util.h"

#include <string.h>

const char *lz_dconf_flag_key(const char *arg, char *buf, size_t cap)
{
    static const char *const shorts[][2] = {
        {"D", "debug"}, {"l", "log-level"}, {"H", "hosts"}, {"b", "bridge"},
        {"G", "group"}, {"s", "storage-driver"}, {"p", "pidfile"},
        {"g", "data-root"},
    };
    static const char *const plural[][2] = {
        {"registry-mirror", "registry-mirrors"},
        {"insecure-registry", "insecure-registries"},
        {"label", "labels"},
        {"storage-opt", "storage-opts"},
        {"log-opt", "log-opts"},
        {"exec-opt", "exec-opts"},
        {"dns-opt", "dns-opts"},
        {"default-address-pool", "default-address-pools"},
        {"default-network-opt", "default-network-opts"},
        {"host", "hosts"},
        {"add-runtime", "runtimes"},
        {"authorization-plugin", "authorization-plugins"},
        {"default-ulimit", "default-ulimits"},
        {"node-generic-resource", "node-generic-resources"},
        {"cluster-store-opt", "cluster-store-opts"},
        {"feature", "features"},
        {"graph", "data-root"},
    };
    if (!arg || arg[0] != '-' || !arg[1] || strcmp(arg, "--") == 0)
        return NULL;
    if (arg[1] != '-') {
        for (size_t i = 0; i < sizeof shorts / sizeof shorts[0]; i++)
            if (arg[1] == shorts[i][0][0])
                return lz_strlcpy(buf, shorts[i][1], cap) == 0 ? buf : NULL;
        return NULL;
    }
    const char *name = arg + 2;
    size_t n = strcspn(name, "=");
    if (n == 0 || n >= cap)
        return NULL;
    for (size_t i = 0; i < sizeof plural / sizeof plural[0]; i++)
        if (strlen(plural[i][0]) == n && strncmp(name, plural[i][0], n) == 0)
            return lz_strlcpy(buf, plural[i][1], cap) == 0 ? buf : NULL;
    memcpy(buf, name, n);
    buf[n] = '\0';
    return buf;
}
