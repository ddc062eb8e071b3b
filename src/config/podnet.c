#define _GNU_SOURCE
#include "config/podnet.h"
#include "base/util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t mask_of(int len)
{
    return len <= 0 ? 0 : len >= 32 ? 0xffffffffu : ~((1u << (32 - len)) - 1);
}

int lz_parse_net4(const char *s, struct lz_net4 *out, int require_net)
{
    char ip[16];
    const char *slash = s ? strchr(s, '/') : NULL;
    if (!slash || slash == s || (size_t)(slash - s) >= sizeof ip)
        return -1;
    memcpy(ip, s, (size_t)(slash - s));
    ip[slash - s] = '\0';
    struct in_addr a;
    if (inet_pton(AF_INET, ip, &a) != 1)
        return -1;
    const char *p = slash + 1;
    if (!isdigit((unsigned char)p[0]) || (p[1] && !isdigit((unsigned char)p[1])) ||
        (p[1] && p[2]) || (p[0] == '0' && p[1]))
        return -1;
    int len = atoi(p);
    if (len > 32)
        return -1;
    uint32_t addr = ntohl(a.s_addr);
    if (require_net && (addr & ~mask_of(len)) != 0)
        return -1;
    out->addr = addr;
    out->len = len;
    return 0;
}

void lz_net4_format(struct lz_net4 n, char *buf, size_t cap)
{
    uint32_t a = n.addr & mask_of(n.len);
    snprintf(buf, cap, "%u.%u.%u.%u/%d", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
             a & 255, n.len);
}

int lz_net4_overlap(struct lz_net4 a, struct lz_net4 b)
{
    int len = a.len < b.len ? a.len : b.len;
    uint32_t m = mask_of(len);
    return (a.addr & m) == (b.addr & m);
}

static int prefix_len(uint32_t mask)
{
    int len = 0;
    while (len < 32 && (mask & (1u << (31 - len))))
        len++;
    return mask == mask_of(len) ? len : -1;
}

int lz_routes_parse(const char *text, struct lz_route4 *out, int max)
{
    int n = 0;
    const char *p = text;
    while (p && *p && n < max) {
        const char *nl = strchr(p, '\n');
        char line[256];
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len < sizeof line) {
            memcpy(line, p, len);
            line[len] = '\0';
            char iface[32];
            unsigned dst, gw, flags, mask;
            int refcnt, metric;
            unsigned use;
            if (sscanf(line, "%31s %x %x %x %d %u %d %x", iface, &dst, &gw, &flags,
                       &refcnt, &use, &metric, &mask) == 8 &&
                (flags & 1) && strlen(iface) < sizeof out->iface) {
                /* the kernel prints the network-order address as a host
                 * integer */
                int plen = prefix_len(ntohl(mask));
                if (plen >= 0) {
                    strcpy(out[n].iface, iface);
                    out[n].dst.addr = ntohl(dst) & mask_of(plen);
                    out[n].dst.len = plen;
                    out[n].metric = metric;
                    n++;
                }
            }
        }
        p = nl ? nl + 1 : NULL;
    }
    return n;
}

int lz_iface_is_docker(const char *iface, const char *bridge)
{
    return strcmp(iface, "docker0") == 0 || strncmp(iface, "br-", 3) == 0 ||
           strncmp(iface, "veth", 4) == 0 || strcmp(iface, "docker_gwbridge") == 0 ||
           (bridge && *bridge && strcmp(iface, bridge) == 0);
}

int lz_default_route(const struct lz_route4 *r, int n, const char *bridge)
{
    int best = -1;
    for (int i = 0; i < n; i++) {
        if (r[i].dst.len != 0 || lz_iface_is_docker(r[i].iface, bridge))
            continue;
        if (best < 0 || r[i].metric < r[best].metric)
            best = i;
    }
    return best;
}

int lz_parse_mtu(const char *text)
{
    const char *p = text;
    long v = 0;
    if (!p || !isdigit((unsigned char)*p))
        return -1;
    while (isdigit((unsigned char)*p)) {
        v = v * 10 + (*p++ - '0');
        if (v > 65536)
            return -1;
    }
    while (*p == '\n' || *p == ' ' || *p == '\r')
        p++;
    if (*p || v < 68)
        return -1;
    return (int)v;
}

int lz_resolv_nameservers4(const char *text, uint32_t *out, int max)
{
    int n = 0;
    const char *p = text;
    while (p && *p && n < max) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char line[128], ip[64];
        if (len < sizeof line) {
            memcpy(line, p, len);
            line[len] = '\0';
            struct in_addr a;
            if (sscanf(line, " nameserver %63s", ip) == 1 &&
                inet_pton(AF_INET, ip, &a) == 1)
                out[n++] = ntohl(a.s_addr);
        }
        p = nl ? nl + 1 : NULL;
    }
    return n;
}

static void add_avoid(struct lz_podnet *n, struct lz_net4 net, const char *fmt,
                      const char *a, const char *b)
{
    if (n->navoid >= LZ_MAX_AVOID)
        return;
    n->avoid[n->navoid].net = net;
    snprintf(n->avoid[n->navoid].what, sizeof n->avoid[n->navoid].what, fmt, a,
             b ? b : "");
    n->navoid++;
}

void lz_podnet_avoid(struct lz_podnet *n, const char *proc_net_route,
                     const char *resolv_conf, const char *k8s_service_host,
                     const char *bridge)
{
    struct lz_route4 r[LZ_MAX_AVOID];
    char buf[32];
    int nr = proc_net_route ? lz_routes_parse(proc_net_route, r, LZ_MAX_AVOID) : 0;
    for (int i = 0; i < nr; i++) {
        if (r[i].dst.len == 0 || lz_iface_is_docker(r[i].iface, bridge))
            continue;
        lz_net4_format(r[i].dst, buf, sizeof buf);
        add_avoid(n, r[i].dst, "the pod's route %s (%s)", buf, r[i].iface);
    }
    uint32_t ns[8];
    int nn = resolv_conf ? lz_resolv_nameservers4(resolv_conf, ns, 8) : 0;
    for (int i = 0; i < nn; i++) {
        struct lz_net4 h = {ns[i], 32};
        lz_net4_format(h, buf, sizeof buf);
        buf[strlen(buf) - 3] = '\0';
        add_avoid(n, h, "the pod's nameserver %s%s", buf, NULL);
    }
    struct in_addr a;
    if (k8s_service_host && inet_pton(AF_INET, k8s_service_host, &a) == 1) {
        struct lz_net4 h = {ntohl(a.s_addr), 32};
        add_avoid(n, h, "the Kubernetes API service %s%s", k8s_service_host, NULL);
    }
}

/* The first avoid entry that overlaps net, or -1. */
static int overlaps(const struct lz_avoid *avoid, int navoid, struct lz_net4 net)
{
    for (int i = 0; i < navoid; i++)
        if (lz_net4_overlap(avoid[i].net, net))
            return i;
    return -1;
}

static void keep_or_drop(const struct lz_avoid *avoid, int navoid,
                         struct lz_pools *out, struct lz_net4 c, int size)
{
    int o = overlaps(avoid, navoid, c);
    if (o < 0) {
        if (out->n < LZ_MAX_POOLS) {
            out->pool[out->n] = c;
            out->size[out->n++] = size;
        }
        return;
    }
    if (out->dropped++ == 0) {
        out->first_dropped = c;
        out->first_why = o;
    }
}

void lz_pick_pools(const struct lz_avoid *avoid, int navoid, struct lz_pools *out)
{
    memset(out, 0, sizeof *out);
    out->first_why = -1;
    for (uint32_t b = 17; b <= 31; b++) {
        struct lz_net4 c = {(172u << 24) | (b << 16), 16};
        if (b == 17)
            out->bridge_clash = overlaps(avoid, navoid, c) >= 0;
        keep_or_drop(avoid, navoid, out, c, 16);
    }
    struct lz_net4 whole = {(192u << 24) | (168u << 16), 16};
    if (overlaps(avoid, navoid, whole) < 0) {
        keep_or_drop(avoid, navoid, out, whole, 20);
        return;
    }
    for (uint32_t i = 0; i < 16; i++)
        keep_or_drop(avoid, navoid, out, (struct lz_net4){whole.addr | (i << 12), 20}, 20);
}

/* 1 when the comma-separated list has item (blanks around items ignored). */
static int list_has(const char *list, const char *item)
{
    size_t il = strlen(item);
    const char *p = list;
    while (p && *p) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *e = strchr(p, ',');
        const char *end = e ? e : p + strlen(p);
        const char *t = end;
        while (t > p && (t[-1] == ' ' || t[-1] == '\t'))
            t--;
        if ((size_t)(t - p) == il && strncmp(p, item, il) == 0)
            return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

int lz_no_proxy(const char *base, const char *const *adds, int nadds, char *out,
                size_t outlen)
{
    size_t len = 0;
    if (outlen == 0)
        return -1;
    out[0] = '\0';
    if (base && *base) {
        if (lz_strlcpy(out, base, outlen) != 0)
            return -1;
        len = strlen(out);
    }
    for (int i = 0; i < nadds; i++) {
        if (!adds[i] || !*adds[i] || list_has(out, adds[i]))
            continue;
        size_t al = strlen(adds[i]);
        if (len + al + 2 > outlen)
            return -1;
        if (len)
            out[len++] = ',';
        memcpy(out + len, adds[i], al + 1);
        len += al;
    }
    return 0;
}

static const char *env_either(const char *upper, const char *lower)
{
    const char *v = getenv(upper);
    if (v && *v)
        return v;
    v = getenv(lower);
    return v && *v ? v : NULL;
}

void lz_podnet_read(struct lz_podnet *n, const char *bridge)
{
    static char route[1 << 16], resolv[1 << 13];
    char path[64], mtu[32];
    memset(n, 0, sizeof *n);
    if (lz_read_file_at(AT_FDCWD, "/proc/net/route", route, sizeof route) < 0)
        route[0] = '\0';
    if (lz_read_file_at(AT_FDCWD, "/etc/resolv.conf", resolv, sizeof resolv) < 0)
        resolv[0] = '\0';
    lz_podnet_avoid(n, route, resolv, getenv("KUBERNETES_SERVICE_HOST"), bridge);

    struct lz_route4 r[64];
    int nr = lz_routes_parse(route, r, 64);
    int d = lz_default_route(r, nr, bridge);
    if (d >= 0 && strchr(r[d].iface, '/') == NULL && strcmp(r[d].iface, ".") != 0 &&
        strcmp(r[d].iface, "..") != 0) {
        strcpy(n->default_iface, r[d].iface);
        snprintf(path, sizeof path, "/sys/class/net/%s/mtu", r[d].iface);
        /* /sys files are not symlinks themselves; follow nothing else */
        if (lz_read_file_at(AT_FDCWD, path, mtu, sizeof mtu) > 0) {
            int m = lz_parse_mtu(mtu);
            n->default_mtu = m > 0 ? m : 0;
        }
    }

    struct ifaddrs *ifa = NULL;
    if (getifaddrs(&ifa) == 0) {
        for (struct ifaddrs *i = ifa; i && n->naddrs < LZ_MAX_ADDRS; i = i->ifa_next) {
            if (!i->ifa_addr || (i->ifa_flags & IFF_LOOPBACK) ||
                lz_iface_is_docker(i->ifa_name, bridge))
                continue;
            const void *src = NULL;
            int fam = i->ifa_addr->sa_family;
            if (fam == AF_INET) {
                src = &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr;
            } else if (fam == AF_INET6) {
                const struct in6_addr *a6 =
                    &((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr;
                if (IN6_IS_ADDR_LINKLOCAL(a6) || IN6_IS_ADDR_LOOPBACK(a6))
                    continue;
                src = a6;
            } else {
                continue;
            }
            if (inet_ntop(fam, src, n->addrs[n->naddrs], sizeof n->addrs[0]))
                n->naddrs++;
        }
        freeifaddrs(ifa);
    }
    n->http_proxy = env_either("HTTP_PROXY", "http_proxy");
    n->https_proxy = env_either("HTTPS_PROXY", "https_proxy");
    n->no_proxy = env_either("NO_PROXY", "no_proxy");
}
