/* The pod's network as lazydind reads it: /proc/net/route, resolv.conf and
 * /sys/class/net/IF/mtu texts, KUBERNETES_SERVICE_HOST and NO_PROXY. The
 * pools picked never overlap what is to be avoided. Input: the texts
 * separated by NUL bytes. */
#include "fuzz.h"
#include "config/podnet.h"

#include <stdio.h>

static char *part(const uint8_t **data, size_t *size)
{
    const uint8_t *z = memchr(*data, 0, *size);
    size_t n = z ? (size_t)(z - *data) : *size;
    char *p = fz_str(*data, n);
    *data += n + (z ? 1 : 0);
    *size -= n + (z ? 1 : 0);
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct lz_podnet n;
    static struct lz_pools p;
    char *route = part(&data, &size), *resolv = part(&data, &size);
    char *k8s = part(&data, &size), *rest = part(&data, &size);
    if (!route || !resolv || !k8s || !rest)
        goto out;
    struct lz_route4 r[16];
    int nr = lz_routes_parse(route, r, 16);
    FZ_ASSERT(nr >= 0 && nr <= 16);
    for (int i = 0; i < nr; i++) {
        FZ_ASSERT(r[i].dst.len >= 0 && r[i].dst.len <= 32);
        FZ_ASSERT(strlen(r[i].iface) < sizeof r[i].iface);
    }
    int d = lz_default_route(r, nr, NULL);
    FZ_ASSERT(d >= -1 && d < nr);
    int m = lz_parse_mtu(rest);
    FZ_ASSERT(m == -1 || (m >= 68 && m <= 65536));
    struct lz_net4 net;
    if (lz_parse_net4(rest, &net, 0) == 0) {
        char buf[32];
        struct lz_net4 back;
        lz_net4_format(net, buf, sizeof buf);
        FZ_ASSERT(lz_parse_net4(buf, &back, 1) == 0 && back.len == net.len);
    }
    memset(&n, 0, sizeof n);
    lz_podnet_avoid(&n, route, resolv, k8s, rest);
    FZ_ASSERT(n.navoid >= 0 && n.navoid <= LZ_MAX_AVOID);
    lz_pick_pools(n.avoid, n.navoid, &p);
    FZ_ASSERT(p.n >= 0 && p.n <= LZ_MAX_POOLS);
    for (int i = 0; i < p.n; i++)
        for (int a = 0; a < n.navoid; a++)
            FZ_ASSERT(!lz_net4_overlap(p.pool[i], n.avoid[a].net));
    FZ_ASSERT(p.dropped == 0 || (p.first_why >= 0 && p.first_why < n.navoid));
    char np[256];
    const char *adds[] = {k8s, "172.17.0.0/16"};
    if (lz_no_proxy(rest, adds, 2, np, sizeof np) == 0)
        FZ_ASSERT(strlen(np) < sizeof np);
out:
    free(route);
    free(resolv);
    free(k8s);
    free(rest);
    return 0;
}
