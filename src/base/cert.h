/* X.509 certificates in PEM files: enough to tell a user which certificates
 * lazydind hands to dockerd (subject, expiry) and to refuse a file that
 * holds none. Pure functions over bytes; no trust decisions are made here
 * (dockerd's TLS stack does those). */
#ifndef LAZYDIND_CERT_H
#define LAZYDIND_CERT_H

#include <stddef.h>
#include <stdint.h>

struct lz_cert_info {
    char subject[256];              /* "CN=Example CA, O=Example", or "" */
    int64_t not_after;              /* seconds since the epoch (UTC) */
};

/* Decodes the DER of one certificate. 0, or -1 when it is not one. */
int lz_cert_parse_der(const unsigned char *der, size_t len, struct lz_cert_info *out);

/* Calls fn for each "-----BEGIN CERTIFICATE-----" block of a PEM text
 * (other blocks, such as private keys, are skipped) with its decoded DER;
 * stops early when fn returns non-zero. Returns the number of CERTIFICATE
 * blocks seen, or -1 when one of them is not valid base64 or not a
 * certificate (then *bad_block, when not NULL, is its 1-based index). */
int lz_pem_each_cert(const char *text, size_t len,
                     int (*fn)(const struct lz_cert_info *info, void *arg),
                     void *arg, int *bad_block);

/* "2027-03-01" for a time in seconds since the epoch (UTC). */
void lz_cert_date(int64_t t, char *out, size_t outlen);

#endif
