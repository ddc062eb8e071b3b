/* Unit tests for podnet.h on fixtures of /proc/net/route, /sys/class/net
 * and resolv.conf: the default route's MTU, the ranges to avoid, the pools
 * picked on a clash, NO_PROXY. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "config/podnet.h"

/* A pod on a 10.244.1.0/24 pod network (default via 10.244.1.1), with a
 * leftover docker0 route and a route for a VPN range in 172.20.0.0/16. */
static const char route_k8s[] =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t0101F40A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
    "eth0\t0001F40A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
    "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
    "tun0\t000014AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
    "eth1\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
    "down0\t00000000\t00000000\t0000\t0\t0\t0\t00000000\t0\t0\t0\n";

/* The test bed's pod on the host's docker0 (172.17.0.0/16). */
static const char route_bed[] =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t010011AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
    "eth0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n";

static void test_net4(void **state)
{
    (void)state;
    struct lz_net4 n;
    char buf[32];
    assert_int_equal(lz_parse_net4("172.17.0.0/16", &n, 1), 0);
    assert_int_equal(n.addr, 0xac110000u);
    assert_int_equal(n.len, 16);
    assert_int_equal(lz_parse_net4("172.17.0.1/16", &n, 1), -1); /* host bits */
    assert_int_equal(lz_parse_net4("172.17.0.1/16", &n, 0), 0);
    lz_net4_format(n, buf, sizeof buf);
    assert_string_equal(buf, "172.17.0.0/16");
    static const char *const bad[] = {"172.17.0.0", "172.17.0.0/33", "172.17.0/16",
                                      "/16", "1.2.3.4/", "1.2.3.4/016", "1.2.3.4/1x",
                                      "01.2.3.4/8", "1.2.3.4/8/8", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (lz_parse_net4(bad[i], &n, 0) != -1)
            fail_msg("'%s' accepted", bad[i]);
    struct lz_net4 a = {0xac110000u, 16}, b = {0xac100000u, 12}, c = {0xac120000u, 16};
    assert_true(lz_net4_overlap(a, b));
    assert_true(lz_net4_overlap(b, c));
    assert_false(lz_net4_overlap(a, c));
    struct lz_net4 all = {0, 0};
    assert_true(lz_net4_overlap(all, c));
}

static void test_routes(void **state)
{
    (void)state;
    struct lz_route4 r[16];
    int n = lz_routes_parse(route_k8s, r, 16);
    assert_int_equal(n, 5); /* the route that is not up is skipped */
    assert_string_equal(r[0].iface, "eth0");
    assert_int_equal(r[0].dst.len, 0);
    assert_int_equal(r[1].dst.addr, 0x0af40100u);
    assert_int_equal(r[1].dst.len, 24);
    assert_int_equal(r[4].metric, 100);
    assert_int_equal(lz_default_route(r, n, NULL), 0);
    /* only docker routes: no default */
    struct lz_route4 d[1] = {{"docker0", {0, 0}, 0}};
    assert_int_equal(lz_default_route(d, 1, NULL), -1);
    assert_int_equal(lz_routes_parse("", r, 16), 0);
    assert_int_equal(lz_routes_parse("garbage\nmore garbage", r, 16), 0);
    assert_int_equal(lz_routes_parse(route_k8s, r, 2), 2);
    assert_true(lz_iface_is_docker("docker0", NULL));
    assert_true(lz_iface_is_docker("br-1234abcd", NULL));
    assert_true(lz_iface_is_docker("veth12ab", NULL));
    assert_true(lz_iface_is_docker("mybr", "mybr"));
    assert_false(lz_iface_is_docker("eth0", "mybr"));
}

static void test_mtu_and_resolv(void **state)
{
    (void)state;
    assert_int_equal(lz_parse_mtu("1450\n"), 1450);
    assert_int_equal(lz_parse_mtu("9001"), 9001);
    assert_int_equal(lz_parse_mtu("67\n"), -1);
    assert_int_equal(lz_parse_mtu("65537\n"), -1);
    assert_int_equal(lz_parse_mtu("1450x"), -1);
    assert_int_equal(lz_parse_mtu(""), -1);
    assert_int_equal(lz_parse_mtu("99999999999999999999"), -1);
    uint32_t ns[4];
    int n = lz_resolv_nameservers4("search default.svc.cluster.local svc.cluster.local\n"
                                   "nameserver 10.96.0.10\n"
                                   "nameserver fd00::10\n"
                                   "  nameserver 172.20.0.10\n"
                                   "options ndots:5\n", ns, 4);
    assert_int_equal(n, 2);
    assert_int_equal(ns[0], 0x0a60000au);
    assert_int_equal(ns[1], 0xac14000au);
}

static void test_avoid_and_pools(void **state)
{
    (void)state;
    static struct lz_podnet n;
    static struct lz_pools p;
    /* Kubernetes: the VPN route 172.20.0.0/16, the cluster DNS and the API
     * service; docker0's own route does not count */
    memset(&n, 0, sizeof n);
    lz_podnet_avoid(&n, route_k8s, "nameserver 10.96.0.10\n", "172.21.0.1", NULL);
    assert_int_equal(n.navoid, 4); /* 10.244.1.0/24, tun0, the DNS, the API */
    lz_pick_pools(n.avoid, n.navoid, &p);
    assert_false(p.bridge_clash);
    assert_int_equal(p.dropped, 2); /* 172.20 (tun0), 172.21 (the API) */
    assert_int_equal(p.first_dropped.addr, 0xac140000u);
    assert_non_null(strstr(n.avoid[p.first_why].what, "tun0"));
    assert_int_equal(p.n, 14);
    assert_int_equal(p.pool[0].addr, 0xac110000u);
    assert_int_equal(p.pool[3].addr, 0xac160000u); /* 17, 18, 19, 22 */
    assert_int_equal(p.pool[13].addr, 0xc0a80000u);
    assert_int_equal(p.pool[13].len, 16);
    assert_int_equal(p.size[13], 20);

    /* the test bed: the pod's own network is 172.17.0.0/16 */
    memset(&n, 0, sizeof n);
    lz_podnet_avoid(&n, route_bed, "", NULL, NULL);
    assert_int_equal(n.navoid, 1);
    lz_pick_pools(n.avoid, n.navoid, &p);
    assert_true(p.bridge_clash);
    assert_int_equal(p.dropped, 1);
    assert_int_equal(p.pool[0].addr, 0xac120000u);
    assert_int_equal(p.n, 15);

    /* nothing in the way: dockerd's defaults, nothing dropped */
    memset(&n, 0, sizeof n);
    lz_podnet_avoid(&n, NULL, NULL, "not-an-ip", NULL);
    lz_pick_pools(n.avoid, n.navoid, &p);
    assert_int_equal(p.dropped, 0);
    assert_int_equal(p.n, 16);

    /* part of 192.168.0.0/16 taken: its free /20s */
    memset(&n, 0, sizeof n);
    n.avoid[0].net = (struct lz_net4){0xc0a80100u, 24};
    n.navoid = 1;
    lz_pick_pools(n.avoid, n.navoid, &p);
    assert_int_equal(p.dropped, 1);
    assert_int_equal(p.n, 15 + 15);
    assert_int_equal(p.pool[15].addr, 0xc0a81000u);
    assert_int_equal(p.pool[15].len, 20);

    /* everything taken (a /0 route that is not the default one cannot
     * exist, but a /8 can) */
    memset(&n, 0, sizeof n);
    n.avoid[0].net = (struct lz_net4){0xac000000u, 8};
    n.avoid[1].net = (struct lz_net4){0xc0000000u, 8};
    n.navoid = 2;
    lz_pick_pools(n.avoid, n.navoid, &p);
    assert_int_equal(p.n, 0);
    assert_true(p.bridge_clash);
}

static void test_no_proxy(void **state)
{
    (void)state;
    char out[256];
    const char *adds[] = {"10.244.1.7", "172.18.0.0/16", ".svc"};
    assert_int_equal(lz_no_proxy(".svc, 10.244.1.7 ,localhost", adds, 3, out, sizeof out), 0);
    assert_string_equal(out, ".svc, 10.244.1.7 ,localhost,172.18.0.0/16");
    assert_int_equal(lz_no_proxy(NULL, adds, 2, out, sizeof out), 0);
    assert_string_equal(out, "10.244.1.7,172.18.0.0/16");
    assert_int_equal(lz_no_proxy("", adds, 0, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(lz_no_proxy("a", adds, 2, out, 12), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_net4),
        cmocka_unit_test(test_routes),
        cmocka_unit_test(test_mtu_and_resolv),
        cmocka_unit_test(test_avoid_and_pools),
        cmocka_unit_test(test_no_proxy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
