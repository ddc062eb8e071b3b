/* lazydind.conf: whatever the parser accepts is well-formed (keys of key
 * characters, values without newlines or surrounding blanks, each key once)
 * and survives a round trip through "key = value" lines; whatever it
 * refuses has a position and a reason. */
#include "config/conffile.h"
#include "fuzz.h"

#include <stdio.h>

static int key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fz_bytes(data, size);
    if (!text)
        return 0;
    struct lz_conf c, c2;
    struct lz_conf_error e;
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += text[i] == '\n';
    if (lz_conf_parse(text, size, &c, &e) == 0) {
        size_t cap = 1;
        int prev_line = 0;
        for (int i = 0; i < c.n; i++) {
            const struct lz_conf_entry *en = &c.v[i];
            size_t kl = strlen(en->key), vl = strlen(en->value);
            FZ_ASSERT(kl > 0 && kl < LZ_CONF_KEY_MAX);
            for (size_t k = 0; k < kl; k++)
                FZ_ASSERT(key_char(en->key[k]));
            FZ_ASSERT(!memchr(en->value, '\n', vl) && !memchr(en->value, '\r', vl));
            FZ_ASSERT(vl == 0 || (en->value[0] != ' ' && en->value[0] != '\t' &&
                                  en->value[vl - 1] != ' ' && en->value[vl - 1] != '\t'));
            FZ_ASSERT(en->line > prev_line && (size_t)en->line <= lines);
            FZ_ASSERT(en->key_col >= 1 && en->value_col > en->key_col);
            FZ_ASSERT(lz_conf_find(&c, en->key) == en); /* each key once */
            prev_line = en->line;
            cap += kl + vl + 4;
        }
        /* round trip */
        char *out = malloc(cap), *o = out;
        FZ_ASSERT(out != NULL);
        for (int i = 0; i < c.n; i++)
            o += sprintf(o, "%s = %s\n", c.v[i].key, c.v[i].value);
        FZ_ASSERT(lz_conf_parse(out, (size_t)(o - out), &c2, &e) == 0);
        FZ_ASSERT(c2.n == c.n);
        for (int i = 0; i < c.n; i++) {
            FZ_ASSERT(strcmp(c.v[i].key, c2.v[i].key) == 0);
            FZ_ASSERT(strcmp(c.v[i].value, c2.v[i].value) == 0);
        }
        lz_conf_free(&c2);
        free(out);
        lz_conf_free(&c);
    } else {
        FZ_ASSERT(e.line >= 1 && (size_t)e.line <= lines);
        FZ_ASSERT(e.col >= 1 && e.what[0] != '\0');
        FZ_ASSERT(c.n == 0 && c.v == NULL && c.store == NULL);
    }
    free(text);
    return 0;
}
