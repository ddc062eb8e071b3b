/* Unit tests for config/netopts.h and the engine-aware parts of the
 * generated config: default-network-opts carries the bridge MTU only to a
 * dockerd that knows the key (>= 24), the user's options are kept, and a
 * flag or the user's own MTU option wins. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base_cfg.h"
#include "config/daemonconf.h"
#include "config/engine.h"
#include "config/netopts.h"

static char *dump(const json_t *j)
{
    return json_dumps(j, JSON_COMPACT);
}

static void test_add_bridge_mtu(void **state)
{
    (void)state;
    static const struct {
        const char *config;
        int rc;
        const char *want;
    } cases[] = {
        {"{}", 1, "{\"default-network-opts\":{\"bridge\":{\"com.docker.network.driver.mtu\":\"1450\"}}}"},
        {"{\"default-network-opts\":{\"overlay\":{\"x\":\"1\"}}}", 1,
         "{\"default-network-opts\":{\"overlay\":{\"x\":\"1\"},\"bridge\":{\"com.docker.network.driver.mtu\":\"1450\"}}}"},
        {"{\"default-network-opts\":{\"bridge\":{\"com.docker.network.bridge.enable_icc\":\"false\"}}}", 1,
         "{\"default-network-opts\":{\"bridge\":{\"com.docker.network.bridge.enable_icc\":\"false\","
         "\"com.docker.network.driver.mtu\":\"1450\"}}}"},
        /* the user's MTU for bridge networks wins */
        {"{\"default-network-opts\":{\"bridge\":{\"com.docker.network.driver.mtu\":\"1400\"}}}", 0,
         "{\"default-network-opts\":{\"bridge\":{\"com.docker.network.driver.mtu\":\"1400\"}}}"},
        /* malformed: left for dockerd to refuse */
        {"{\"default-network-opts\":[1]}", -1, "{\"default-network-opts\":[1]}"},
        {"{\"default-network-opts\":{\"bridge\":\"x\"}}", -1,
         "{\"default-network-opts\":{\"bridge\":\"x\"}}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_error_t je;
        json_t *c = json_loads(cases[i].config, JSON_PRESERVE_ORDER, &je);
        assert_non_null(c);
        int rc = lz_netopts_add_bridge_mtu(c, 1450);
        char *s = dump(c);
        if (rc != cases[i].rc || strcmp(s, cases[i].want) != 0)
            fail_msg("%s: rc %d, %s; want %d, %s", cases[i].config, rc, s, cases[i].rc,
                     cases[i].want);
        free(s);
        json_decref(c);
    }
}


/* The generated config's default-network-opts for a pod of MTU pod_mtu
 * (0: none), daemon.json `user` (NULL: none), LAZYDIND_DOCKERD_ARGS `args`
 * (NULL: none) and engine `major` (0: unknown); "-" when absent. */
static char *netopts_for(int pod_mtu, const char *user, const char *args, int major,
                         char *origin, size_t cap)
{
    struct lz_config cfg;
    base_cfg(&cfg);
    struct lz_podnet net;
    memset(&net, 0, sizeof net);
    net.default_mtu = pod_mtu;
    strcpy(net.default_iface, "eth0");
    struct lz_engine e = {.known = major != 0, .major = major, .minor = 0};
    snprintf(e.version, sizeof e.version, "%d.0.0", major);
    json_error_t je;
    json_t *u = user ? json_loads(user, 0, &je) : NULL;
    struct lz_words w = {0, NULL, NULL};
    char err[1024];
    if (args)
        assert_int_equal(lz_shsplit(args, &w, err, sizeof err), 0);
    struct lz_dconf_in in = {
        .cfg = &cfg, .user = u, .argc = w.argc, .argv = w.argv, .net = &net,
        .engine = major ? &e : NULL,
    };
    struct lz_dconf d;
    memset(&d, 0, sizeof d);
    if (lz_dconf_build(&in, &d, err, sizeof err) != 0)
        fail_msg("build failed: %s", err);
    d.words = w;
    json_t *o = json_object_get(d.config, "default-network-opts");
    char *s = o ? dump(o) : strdup("-");
    const char *og = json_string_value(json_object_get(d.origins, "default-network-opts"));
    snprintf(origin, cap, "%s", og ? og : "");
    json_decref(u);
    lz_dconf_free(&d);
    return s;
}

static void test_build_by_engine(void **state)
{
    (void)state;
    const char *mtu1450 = "{\"bridge\":{\"com.docker.network.driver.mtu\":\"1450\"}}";
    static const struct {
        int pod_mtu;
        const char *user, *args;
        int major;
        const char *want;
    } cases[] = {
        {1450, NULL, NULL, 28, "1450"},
        {1450, NULL, NULL, 24, "1450"},
        {1450, NULL, NULL, 23, "-"},      /* dockerd 23 refuses the key */
        {1450, NULL, NULL, 20, "-"},
        {1450, NULL, NULL, 0, "-"},       /* unknown engine: nothing new */
        {0, NULL, NULL, 28, "-"},         /* no MTU below 1500: nothing to carry */
        {0, "{\"mtu\":1400}", NULL, 28, "1400"},   /* the user's mtu travels too */
        {0, "{\"mtu\":1500}", NULL, 28, "-"},
        {1450, NULL, "--mtu 1400", 28, "-"},       /* a flag's value is not known here */
        {1450, NULL, "--default-network-opt bridge=com.docker.network.driver.mtu=1300", 28, "-"},
        {1450, "{\"default-network-opts\":{\"bridge\":{\"com.docker.network.driver.mtu\":\"1300\"}}}",
         NULL, 28, "1300"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char origin[512];
        char *s = netopts_for(cases[i].pod_mtu, cases[i].user, cases[i].args, cases[i].major,
                              origin, sizeof origin);
        char want[256];
        if (strcmp(cases[i].want, "-") == 0)
            snprintf(want, sizeof want, "-");
        else if (strcmp(cases[i].want, "1450") == 0)
            snprintf(want, sizeof want, "%s", mtu1450);
        else
            snprintf(want, sizeof want, "{\"bridge\":{\"com.docker.network.driver.mtu\":\"%s\"}}",
                     cases[i].want);
        if (strcmp(s, want) != 0)
            fail_msg("case %zu (pod %d, user %s, args %s, dockerd %d): %s, want %s", i,
                     cases[i].pod_mtu, cases[i].user ? cases[i].user : "-",
                     cases[i].args ? cases[i].args : "-", cases[i].major, s, want);
        if (i == 0 && !strstr(origin, "MTU 1450") && !strstr(origin, "28.0.0"))
            fail_msg("origin '%s' names neither the MTU nor the engine", origin);
        free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_bridge_mtu),
        cmocka_unit_test(test_build_by_engine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
