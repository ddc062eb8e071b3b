/* Unit tests for dflags.h: the daemon.json key each dockerd flag sets. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../helpers.h"
#include "config/dflags.h"

static void test_flag_keys(void **state)
{
    (void)state;
    static const struct {
        const char *arg, *key;
    } cases[] = {
        {"--log-level=warn", "log-level"}, {"--log-level", "log-level"},
        {"-l", "log-level"},               {"-D", "debug"},
        {"--debug", "debug"},              {"-H", "hosts"},
        {"-Htcp://x", "hosts"},            {"--host=unix:///x", "hosts"},
        {"--registry-mirror", "registry-mirrors"},
        {"--insecure-registry=x", "insecure-registries"},
        {"--label", "labels"},             {"--storage-opt", "storage-opts"},
        {"--default-address-pool", "default-address-pools"},
        {"--mtu=1400", "mtu"},             {"--bip", "bip"},
        {"--iptables=false", "iptables"},  {"--graph", "data-root"},
        {"-g", "data-root"},               {"--data-root", "data-root"},
        {"--add-runtime", "runtimes"},     {"-s", "storage-driver"},
        {"--config-file", "config-file"},
        {"value", NULL}, {"-", NULL}, {"--", NULL}, {"--=x", NULL}, {"-x", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        const char *k = lz_dconf_flag_key(cases[i].arg, buf, sizeof buf);
        if (cases[i].key == NULL ? k != NULL : (!k || strcmp(k, cases[i].key) != 0))
            fail_msg("'%s' -> %s, want %s", cases[i].arg, k ? k : "NULL",
                     cases[i].key ? cases[i].key : "NULL");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flag_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
