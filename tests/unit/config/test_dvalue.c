/* Unit tests for dvalue.h and lz_dconf_value: the values of dockerd's
 * settings as lazydind takes them, and the messages for bad ones. */
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
#include "config/config.h"
#include "config/dvalue.h"

/* ------------------------------------------------------------- values */

static void test_values_ok(void **state)
{
    (void)state;
    static const struct {
        const char *key, *text, *json;
    } cases[] = {
        {"registry-mirrors", "http://127.0.0.1:5000", "[\"http://127.0.0.1:5000\"]"},
        {"registry-mirrors", " https://mirror.gcr.io/ ,\thttp://[::1]:5000",
         "[\"https://mirror.gcr.io/\",\"http://[::1]:5000\"]"},
        {"insecure-registries", "reg.local:5000,10.0.0.0/8,fd00::/8,myreg",
         "[\"reg.local:5000\",\"10.0.0.0/8\",\"fd00::/8\",\"myreg\"]"},
        {"storage-driver", "fuse-overlayfs", "\"fuse-overlayfs\""},
        {"mtu", "1450", "1450"},
        {"mtu", "576", "576"},
        {"mtu", "9216", "9216"},
        {"bip", "172.30.0.1/16", "\"172.30.0.1/16\""},
        {"default-address-pools", "10.201.0.0/16:24,10.202.0.0/16",
         "[{\"base\":\"10.201.0.0/16\",\"size\":24},{\"base\":\"10.202.0.0/16\",\"size\":24}]"},
        {"default-address-pools", "10.0.0.0/28", "[{\"base\":\"10.0.0.0/28\",\"size\":28}]"},
        {"default-address-pools", "fd00:1::/48:64", "[{\"base\":\"fd00:1::/48\",\"size\":64}]"},
        {"dns", "10.96.0.10,8.8.8.8,2001:4860:4860::8888",
         "[\"10.96.0.10\",\"8.8.8.8\",\"2001:4860:4860::8888\"]"},
        {"log-level", "warn", "\"warn\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *v = NULL;
        char why[512] = "";
        if (lz_dconf_value(cases[i].key, cases[i].text, &v, why, sizeof why) != 0)
            fail_msg("%s='%s' refused: %s", cases[i].key, cases[i].text, why);
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (strcmp(s, cases[i].json) != 0)
            fail_msg("%s='%s' -> %s, want %s", cases[i].key, cases[i].text, s,
                     cases[i].json);
        free(s);
        json_decref(v);
        assert_int_equal(lz_dconf_value(cases[i].key, cases[i].text, NULL, why,
                                        sizeof why), 0);
    }
}

static void test_values_rejected(void **state)
{
    (void)state;
    static const struct {
        const char *key, *text, *says;
    } cases[] = {
        {"registry-mirrors", "ftp://x", "not an http:// or https:// URL"},
        {"registry-mirrors", "mirror.gcr.io", "not an http:// or https:// URL"},
        {"registry-mirrors", "http://a,,http://b", "empty item"},
        {"registry-mirrors", "", "empty item"},
        {"registry-mirrors", "https://u:p@m.io", "credentials"},
        {"registry-mirrors", "https://m.io/v2/", "without a path"},
        {"registry-mirrors", "http://", "host[:port]"},
        {"registry-mirrors", "http://a b", "host[:port]"},
        {"registry-mirrors", "http://m:99999", "host[:port]"},
        {"insecure-registries", "http://reg:5000", "without a scheme"},
        {"insecure-registries", "10.0.0.0/33", "not a CIDR"},
        {"insecure-registries", "reg:port", "host[:port]"},
        {"storage-driver", "overlay3", "not one of"},
        {"storage-driver", "aufs", "not one of"},
        {"mtu", "1450x", "between 576 and 9216"},
        {"mtu", "575", "between 576 and 9216"},
        {"mtu", "9217", "between 576 and 9216"},
        {"mtu", "-1", "between 576 and 9216"},
        {"mtu", "99999999999999999999999", "between 576 and 9216"},
        {"mtu", " 1450", "between 576 and 9216"},
        {"bip", "172.30.0.0/16", "not the network's address"},
        {"bip", "172.30.255.255/16", "own address"},
        {"bip", "172.30.0.1/31", "8 to 30"},
        {"bip", "172.30.0.1", "prefix"},
        {"default-address-pools", "10.201.0.1/16", "host bits zero"},
        {"default-address-pools", "10.201.0.0/16:8", "between 16 and 30"},
        {"default-address-pools", "10.201.0.0/16:31", "between 16 and 30"},
        {"default-address-pools", "10.201.0.0/16:x", "between 16 and 30"},
        {"default-address-pools", "10.201.0.0", "host bits zero"},
        {"dns", "8.8.8.8,dns.google", "not an IP address"},
        {"dns", "1.1.1.1,1.0.0.1,8.8.8.8,8.8.4.4", "at most 3"},
        {"log-level", "verbose", "debug, info, warn, error, fatal"},
        {"log-level", "WARN", "debug, info, warn, error, fatal"},
        {"no-such-key", "1", "not a dockerd setting"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *v = (json_t *)1;
        char why[512] = "";
        if (lz_dconf_value(cases[i].key, cases[i].text, &v, why, sizeof why) != -1)
            fail_msg("%s='%s' accepted", cases[i].key, cases[i].text);
        if (!strstr(why, cases[i].says))
            fail_msg("%s='%s': \"%s\" lacks \"%s\"", cases[i].key, cases[i].text, why,
                     cases[i].says);
        assert_null(v);
    }
    char why[128];
    char many[2000] = "http://a";
    for (int i = 0; i < 40; i++)
        strcat(many, ",http://b");
    assert_int_equal(lz_dconf_value("registry-mirrors", many, NULL, why, sizeof why), -1);
    assert_non_null(strstr(why, "more than"));
}

/* Each value function on its own, as a row of the settings table calls
 * it: a good value, a bad one. */
static void test_each_dvalue(void **state)
{
    (void)state;
    static const struct {
        lz_dvalue_fn *fn;
        const char *good, *bad;
    } cases[] = {
        {lz_dvalue_registry_mirrors, "https://mirror.gcr.io", "mirror.gcr.io"},
        {lz_dvalue_insecure_registries, "reg:5000", "https://reg"},
        {lz_dvalue_storage_driver, "vfs", "aufs"},
        {lz_dvalue_mtu, "1450", "0"},
        {lz_dvalue_bip, "172.18.0.1/16", "172.18.0.0/16"},
        {lz_dvalue_address_pools, "10.201.0.0/16:24", "10.201.0.0/16:8"},
        {lz_dvalue_dns, "8.8.8.8", "8.8.8"},
        {lz_dvalue_log_level, "debug", "trace"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char why[512] = "";
        json_t *v = cases[i].fn(cases[i].good, why, sizeof why);
        if (!v)
            fail_msg("'%s' refused: %s", cases[i].good, why);
        json_decref(v);
        why[0] = '\0';
        if (cases[i].fn(cases[i].bad, why, sizeof why) != NULL || !why[0])
            fail_msg("'%s' accepted, or refused without a reason", cases[i].bad);
    }
    /* lz_dconf_value: no text, and keys that are settings but not dockerd's */
    char why[128];
    assert_int_equal(lz_dconf_value("mtu", NULL, NULL, why, sizeof why), -1);
    assert_string_equal(why, "is empty");
    assert_int_equal(lz_dconf_value("data-root", "/x", NULL, why, sizeof why), -1);
    assert_string_equal(why, "is not a dockerd setting lazydind knows");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_ok),
        cmocka_unit_test(test_values_rejected),
        cmocka_unit_test(test_each_dvalue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
