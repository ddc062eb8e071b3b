/* What the pod's network looks like to lazydind, for defaults that keep the
 * inner Docker from breaking it: the MTU of the default-route interface, the
 * address ranges docker0 and other docker networks must not overlap, the
 * pod's own addresses and its proxy variables. The parsers are pure
 * functions over the text of /proc/net/route, /sys/class/net/IF/mtu and
 * /etc/resolv.conf, so that they can be tested on fixtures. IPv4 only (an
 * IPv6-only pod gets no automatic MTU or pool). */
#ifndef LAZYDIND_PODNET_H
#define LAZYDIND_PODNET_H

#include <stddef.h>
#include <stdint.h>

/* An IPv4 network, address in host byte order. */
struct lz_net4 {
    uint32_t addr;
    int len; /* prefix length, 0..32 */
};

/* "a.b.c.d/n" (strict dotted quad, n 0..32; with require_net the host bits
 * must be zero). 0 on success. */
int lz_parse_net4(const char *s, struct lz_net4 *out, int require_net);
/* "a.b.c.d/n" of the network (host bits cleared). */
void lz_net4_format(struct lz_net4 n, char *buf, size_t cap);
int lz_net4_overlap(struct lz_net4 a, struct lz_net4 b);

struct lz_route4 {
    char iface[16];
    struct lz_net4 dst;
    int metric;
};

/* Parses the text of /proc/net/route (routes that are up). Returns how
 * many were stored in out (at most max). */
int lz_routes_parse(const char *text, struct lz_route4 *out, int max);
/* 1 for interfaces that dockerd itself creates: docker0, br-*, veth*,
 * docker_gwbridge, and the bridge named by daemon.json's "bridge". */
int lz_iface_is_docker(const char *iface, const char *bridge);
/* The default route (0.0.0.0/0) with the lowest metric that is not on a
 * docker interface: its index, or -1. */
int lz_default_route(const struct lz_route4 *r, int n, const char *bridge);
/* The text of /sys/class/net/IF/mtu: 68..65536, else -1. */
int lz_parse_mtu(const char *text);
/* The IPv4 nameservers of a resolv.conf text; returns how many (<= max). */
int lz_resolv_nameservers4(const char *text, uint32_t *out, int max);

/* A range the inner docker networks must stay clear of, and why. */
struct lz_avoid {
    struct lz_net4 net;
    char what[96];
};

#define LZ_MAX_AVOID 128
#define LZ_MAX_ADDRS 16
#define LZ_MAX_POOLS 32

struct lz_podnet {
    struct lz_avoid avoid[LZ_MAX_AVOID];
    int navoid;
    char default_iface[16]; /* "" when there is no IPv4 default route */
    int default_mtu;        /* its MTU, 0 when unknown */
    char addrs[LZ_MAX_ADDRS][48]; /* the pod's own addresses (not loopback) */
    int naddrs;
    const char *http_proxy, *https_proxy, *no_proxy; /* either case; NULL */
};

/* The routes (not the default one, not on docker interfaces), nameservers
 * and KUBERNETES_SERVICE_HOST as ranges to avoid. Pure: takes the texts;
 * k8s_service_host may be NULL. */
void lz_podnet_avoid(struct lz_podnet *n, const char *proc_net_route,
                     const char *resolv_conf, const char *k8s_service_host,
                     const char *bridge);

/* dockerd's default local address pools, in its order: 172.17.0.0/16 ..
 * 172.31.0.0/16 (networks of /16), then 192.168.0.0/16 (networks of /20).
 * lz_pick_pools keeps those that overlap nothing in avoid (192.168.0.0/16 is
 * split into its /20s when part of it is taken). */
struct lz_pools {
    struct lz_net4 pool[LZ_MAX_POOLS];
    int size[LZ_MAX_POOLS];
    int n;
    int dropped;                /* default pools (or /20s) left out */
    struct lz_net4 first_dropped;
    int first_why;              /* its index in avoid */
    int bridge_clash;           /* 172.17.0.0/16, docker0's default, was left out */
};
void lz_pick_pools(const struct lz_avoid *avoid, int navoid, struct lz_pools *out);

/* NO_PROXY for dockerd: base (may be NULL or "") followed by the entries of
 * adds that base does not list yet, comma-separated. 0, or -1 when it does
 * not fit. */
int lz_no_proxy(const char *base, const char *const *adds, int nadds, char *out,
                size_t outlen);

/* Reads the pod's network: /proc/net/route, /sys/class/net/IF/mtu,
 * /etc/resolv.conf, $KUBERNETES_SERVICE_HOST, the interface addresses and
 * the proxy variables. bridge: daemon.json's "bridge" or NULL. */
void lz_podnet_read(struct lz_podnet *n, const char *bridge);

#endif
