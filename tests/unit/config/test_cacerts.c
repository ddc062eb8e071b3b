/* Unit tests for cacerts.h: which files LAZYDIND_CA_CERTS (or
 * CUSTOM_CA_CERT_PATH) names, what is refused, and the copies dockerd gets.
 * Certificates from tests/unit/base/fixtures/cert. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../helpers.h"
#include "config/cacerts.h"
#include "config/config.h"

static char fix[512], T[64];

static const char *fx(const char *name)
{
    static char b[4][700];
    static int n;
    char *p = b[n++ % 4];
    snprintf(p, sizeof b[0], "%s/%s", fix, name);
    return p;
}

static int setup(void **state)
{
    (void)state;
    lzt_mkdtemp(T, sizeof T, "cacerts");
    unsetenv("LAZYDIND_CA_CERTS");
    unsetenv("CUSTOM_CA_CERT_PATH");
    unsetenv("LAZYDIND_CONFIG");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unsetenv("LAZYDIND_CA_CERTS");
    unsetenv("CUSTOM_CA_CERT_PATH");
    return lzt_rmtree(T);
}

static void load(struct lz_config *cfg)
{
    char err[1024];
    if (lz_config_load(cfg, err, sizeof err) != 0)
        fail_msg("lz_config_load: %s", err);
}

static void count_subjects(const char *file, const struct lz_cert_info *info, void *arg)
{
    (void)file;
    strcat(arg, info->subject);
    strcat(arg, ";");
}

static void test_unset_and_files(void **state)
{
    (void)state;
    struct lz_config cfg;
    char err[1024], subjects[1024] = "";
    load(&cfg);
    assert_int_equal(lz_cacerts_scan(&cfg, NULL, NULL, err, sizeof err), 0);
    char list[2048];
    snprintf(list, sizeof list, "%s, %s", fx("ca.pem"), fx("bundle.pem"));
    setenv("LAZYDIND_CA_CERTS", list, 1);
    load(&cfg);
    assert_int_equal(lz_cacerts_scan(&cfg, count_subjects, subjects, err, sizeof err), 3);
    assert_string_equal(subjects, "C=DE, O=Example Corp, CN=Example Root CA;"
                                  "C=DE, O=Example Corp, CN=Example Root CA;"
                                  "CN=Old Proxy CA;");
}

/* KubeOpenCode's variable is the default; a directory reads its files but
 * not a ConfigMap's hidden ..data entries. */
static void test_custom_ca_dir(void **state)
{
    (void)state;
    struct lz_config cfg;
    char err[1024], cmd[2048];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/ca/..2026 && cp %s %s/ca/..2026/ca.crt && "
             "ln -s ..2026 %s/ca/..data && ln -s ..data/ca.crt %s/ca/ca.crt",
             T, fx("ca.pem"), T, T, T);
    assert_int_equal(system(cmd), 0);
    setenv("CUSTOM_CA_CERT_PATH", lzt_path(T, "ca"), 1);
    load(&cfg);
    assert_int_equal(lz_cacerts_scan(&cfg, NULL, NULL, err, sizeof err), 1);
    char from[256];
    lz_config_origin(&cfg, "LAZYDIND_CA_CERTS", from, sizeof from);
    assert_string_equal(from, "CUSTOM_CA_CERT_PATH");
    /* the copies dockerd gets, and its SSL_CERT_DIR */
    char dir[128];
    snprintf(dir, sizeof dir, "%s/run-ca", T);
    assert_int_equal(lz_cacerts_install(&cfg, dir, err, sizeof err), 0);
    assert_int_equal(access(lzt_path(dir, "00.pem"), R_OK), 0);
    assert_int_equal(access(lzt_path(dir, "01.pem"), F_OK), -1);
    char sd[2048];
    unsetenv("SSL_CERT_DIR");
    lz_cacerts_cert_dir(dir, sd, sizeof sd);
    assert_non_null(strstr(sd, "/etc/ssl/certs:"));
    assert_non_null(strstr(sd, dir));
}

static void expect_refused(const char *value, const char *needle)
{
    struct lz_config cfg;
    char err[2048] = "";
    setenv("LAZYDIND_CA_CERTS", value, 1);
    load(&cfg);
    assert_int_equal(lz_cacerts_scan(&cfg, NULL, NULL, err, sizeof err), -1);
    if (!strstr(err, "LAZYDIND_CA_CERTS=") || !strstr(err, needle))
        fail_msg("for '%s': \"%s\" lacks \"%s\"", value, err, needle);
}

static void test_refused(void **state)
{
    (void)state;
    expect_refused(fx("notpem.txt"), "holds no PEM certificate");
    expect_refused(fx("key-only.pem"), "holds no PEM certificate");
    expect_refused(fx("badb64.pem"), "certificate 1 is not valid PEM");
    expect_refused("/nonexistent/ca.pem", "/nonexistent/ca.pem: No such file");
    expect_refused(T, "holds no certificate file");
    /* the syntax is checked when the settings load */
    struct lz_config cfg;
    char err[1024];
    setenv("LAZYDIND_CA_CERTS", "relative/ca.pem", 1);
    assert_int_equal(lz_config_load(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "LAZYDIND_CA_CERTS='relative/ca.pem' is not a "
                                "comma-separated list of absolute paths"));
}

int main(void)
{
    snprintf(fix, sizeof fix, "%s", __FILE__);
    char *slash = strrchr(fix, '/');
    assert_non_null(slash);
    strcpy(slash, "/../base/fixtures/cert");
    char *abs = realpath(fix, NULL); /* the setting takes absolute paths */
    assert_non_null(abs);
    snprintf(fix, sizeof fix, "%s", abs);
    free(abs);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unset_and_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_custom_ca_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
