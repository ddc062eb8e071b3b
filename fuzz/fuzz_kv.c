/* The key=value files of the runtime dir (state, exit, gen, mounted), read
 * back by every caller; a NUL-terminated text as lz_read_file_at gives it. */
#include "fuzz.h"
#include "base/state.h"

static const char *const keys[] = {
    "phase", "supervisor_pid", "dockerd_pid", "ready", "spawns", "reason",
    "gen", "path", "status", "time", "started", "p", "", "=",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned k = fz_take_byte(&data, &size);
    size_t outlen = 1 + fz_take_byte(&data, &size) % 64;
    const char *key = keys[k % (sizeof keys / sizeof keys[0])];
    char *text = fz_str(data, size);
    char *out = malloc(outlen);
    if (text && out) {
        if (lz_kv_get(text, key, out, outlen) == 0)
            FZ_ASSERT(strlen(out) < outlen && !strchr(out, '\n'));
        (void)lz_kv_int(text, key, -7);
        /* the typed records parse any text, and format back to one line
         * a field, strings terminated */
        struct lz_state st;
        struct lz_exit_record ex;
        char back[8192];
        lz_state_parse(text, &st);
        FZ_ASSERT(memchr(st.reason, '\0', sizeof st.reason) != NULL);
        lz_state_format(&st, back, sizeof back);
        lz_exit_parse(text, &ex);
        lz_exit_format(&ex, back, sizeof back);
        FZ_ASSERT(strlen(back) < sizeof back);
    }
    free(text);
    free(out);
    return 0;
}
