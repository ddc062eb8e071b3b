/* Unit tests for cert.h: certificates in PEM files, on fixtures made with
 * openssl (fixtures/cert/README.md). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "base/cert.h"
#include "base/util.h"

static char fixdir[512];

static size_t fixture(const char *name, char *buf, size_t cap)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", fixdir, name);
    ssize_t n = lz_read_file_at(AT_FDCWD, path, buf, cap);
    assert_true(n > 0);
    return (size_t)n;
}

struct seen {
    int n;
    struct lz_cert_info info[4];
};

static int collect(const struct lz_cert_info *info, void *arg)
{
    struct seen *s = arg;
    if (s->n < 4)
        s->info[s->n] = *info;
    s->n++;
    return 0;
}

static void test_ca(void **state)
{
    (void)state;
    char buf[16384];
    size_t n = fixture("ca.pem", buf, sizeof buf);
    struct seen s = {0};
    assert_int_equal(lz_pem_each_cert(buf, n, collect, &s, NULL), 1);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.info[0].subject, "C=DE, O=Example Corp, CN=Example Root CA");
    char date[32];
    lz_cert_date(s.info[0].not_after, date, sizeof date);
    assert_string_equal(date, "2036-11-28");
}

static void test_bundle_and_expiry(void **state)
{
    (void)state;
    char buf[16384];
    size_t n = fixture("bundle.pem", buf, sizeof buf);
    struct seen s = {0};
    assert_int_equal(lz_pem_each_cert(buf, n, collect, &s, NULL), 2);
    assert_string_equal(s.info[1].subject, "CN=Old Proxy CA");
    /* 2021-01-01T00:00:00Z */
    assert_int_equal(s.info[1].not_after, 1609459200LL);
}

static void test_not_certificates(void **state)
{
    (void)state;
    char buf[16384];
    int bad = 0;
    size_t n = fixture("notpem.txt", buf, sizeof buf);
    assert_int_equal(lz_pem_each_cert(buf, n, NULL, NULL, &bad), 0);
    n = fixture("key-only.pem", buf, sizeof buf);
    assert_int_equal(lz_pem_each_cert(buf, n, NULL, NULL, &bad), 0);
    n = fixture("badb64.pem", buf, sizeof buf);
    assert_int_equal(lz_pem_each_cert(buf, n, NULL, NULL, &bad), -1);
    assert_int_equal(bad, 1);
    /* a truncated certificate: its DER is cut short */
    n = fixture("ca.pem", buf, sizeof buf);
    char *end = strstr(buf, "-----END");
    assert_non_null(end);
    memmove(end - 70, end, strlen(end) + 1);
    assert_int_equal(lz_pem_each_cert(buf, strlen(buf), NULL, NULL, &bad), -1);
}

static void test_der_bounds(void **state)
{
    (void)state;
    struct lz_cert_info info;
    static const unsigned char empty[1] = {0};
    static const unsigned char huge_len[] = {0x30, 0x84, 0xff, 0xff, 0xff, 0xff};
    static const unsigned char nested_short[] = {0x30, 0x03, 0x30, 0x05, 0x02};
    assert_int_equal(lz_cert_parse_der(empty, 0, &info), -1);
    assert_int_equal(lz_cert_parse_der(huge_len, sizeof huge_len, &info), -1);
    assert_int_equal(lz_cert_parse_der(nested_short, sizeof nested_short, &info), -1);
}

int main(void)
{
    snprintf(fixdir, sizeof fixdir, "%s", __FILE__);
    char *slash = strrchr(fixdir, '/');
    if (slash)
        strcpy(slash, "/fixtures/cert");
    else
        strcpy(fixdir, "fixtures/cert");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ca),
        cmocka_unit_test(test_bundle_and_expiry),
        cmocka_unit_test(test_not_certificates),
        cmocka_unit_test(test_der_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
