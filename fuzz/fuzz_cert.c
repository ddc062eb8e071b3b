#define _GNU_SOURCE
/* CA certificate files (LAZYDIND_CA_CERTS): any bytes as PEM text, and as
 * the DER of one certificate. The subject stays printable and terminated. */
#include "fuzz.h"
#include "base/cert.h"

static int check(const struct lz_cert_info *info, void *arg)
{
    (void)arg;
    size_t n = strnlen(info->subject, sizeof info->subject);
    FZ_ASSERT(n < sizeof info->subject);
    for (size_t i = 0; i < n; i++)
        FZ_ASSERT(info->subject[i] >= 0x20 && info->subject[i] < 0x7f);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fz_bytes(data, size);
    if (!text)
        return 0;
    int bad = 0;
    int n = lz_pem_each_cert(text, size, check, NULL, &bad);
    FZ_ASSERT(n >= -1);
    FZ_ASSERT(n != -1 || bad >= 1);
    struct lz_cert_info info;
    if (lz_cert_parse_der((const unsigned char *)text, size, &info) == 0)
        check(&info, NULL);
    free(text);
    return 0;
}
