/* LAZYDIND_* values as the environment gives them: durations, sizes, tmpfs
 * sizes, booleans, and the paths that are checked before root writes there
 * (LAZYDIND_RUN_DIR, LAZYDIND_LOG: lstat and readlink only). (lazydind.conf
 * and daemon.json have harnesses of their own.) */
#include "fuzz.h"
#include "config/parse.h"
#include "base/safepath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fz_str(data, size);
    if (!s)
        return 0;
    int64_t v;
    if (lz_parse_duration_ms(s, &v) == 0)
        FZ_ASSERT(v >= 0 && v <= 24LL * 3600 * 1000);
    if (lz_parse_size(s, &v) == 0)
        FZ_ASSERT(v >= 0);
    char out[32];
    if (lz_parse_tmpfs_size(s, out, sizeof out) == 0) {
        /* only digits, and a % at the end: nothing else reaches the
         * mount options */
        size_t n = strlen(out);
        FZ_ASSERT(n > 0 && n < sizeof out);
        for (size_t i = 0; i < n; i++)
            FZ_ASSERT((out[i] >= '0' && out[i] <= '9') || (out[i] == '%' && i == n - 1));
    }
    int b;
    if (lz_parse_bool(s, &b) == 0)
        FZ_ASSERT(b == 0 || b == 1);
    char err[256] = "";
    if (lz_path_trusted(s, err, sizeof err) != 0)
        FZ_ASSERT(err[0] != '\0' && strlen(err) < sizeof err);
    else
        FZ_ASSERT(s[0] == '/');
    free(s);
    return 0;
}
