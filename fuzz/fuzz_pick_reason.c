/* dockerd's log output (anything dockerd, containerd or a plugin prints)
 * turned into the one-line reason every waiting caller is shown. */
#include "fuzz.h"
#include "base/state.h"
#include "daemon/reason.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t outlen = fz_take_byte(&data, &size);
    if (outlen == 0)
        outlen = 1024;
    char *text = fz_bytes(data, size);
    char *out = malloc(outlen);
    if (text && out) {
        lz_pick_reason(text, size, out, outlen);
        size_t n = strlen(out);
        FZ_ASSERT(n < outlen);
        /* the reason is one line */
        FZ_ASSERT(memchr(out, '\n', n) == NULL);
    }
    free(text);
    free(out);
    return 0;
}
