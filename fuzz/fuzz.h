/* Shared by the libFuzzer harnesses in fuzz/: copies of the input in the
 * shapes the parsers get them in real life. Every copy is malloc'd to its
 * exact size, so that AddressSanitizer sees a read one byte too far. */
#ifndef LAZYDIND_FUZZ_H
#define LAZYDIND_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as bytes without a terminating NUL (a socket read). */
static inline char *fz_bytes(const uint8_t *data, size_t size)
{
    char *p = malloc(size ? size : 1);
    if (p && size)
        memcpy(p, data, size);
    return p;
}

/* The input as a C string: cut at its first NUL, as a file read into a
 * NUL-terminated buffer or an environment value would be. */
static inline char *fz_str(const uint8_t *data, size_t size)
{
    const uint8_t *z = memchr(data, 0, size);
    size_t n = z ? (size_t)(z - data) : size;
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, data, n);
        p[n] = '\0';
    }
    return p;
}

/* Takes the first byte of the input (0 when empty). */
static inline unsigned fz_take_byte(const uint8_t **data, size_t *size)
{
    if (*size == 0)
        return 0;
    unsigned b = **data;
    (*data)++;
    (*size)--;
    return b;
}

/* Fails loudly (the fuzzer saves the input) when an invariant breaks. */
#define FZ_ASSERT(c)                                                         \
    do {                                                                     \
        if (!(c))                                                            \
            __builtin_trap();                                                \
    } while (0)

#endif
