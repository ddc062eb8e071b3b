/* Image archives and dockerd's answer to POST /images/load
 * (pod/imagearchive.h): the first byte picks the HTTP status (200 or
 * not), the rest is the answer's body, de-chunked when it is well formed,
 * and the same bytes as an archive file whose tar headers are read. */
#define _GNU_SOURCE
#include "fuzz.h"
#include "pod/imagearchive.h"

#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned pick = fz_take_byte(&data, &size);
    int code = pick & 1 ? 500 : 200;
    char *body = fz_bytes(data, size);
    char err[256] = "";
    json_t *refs = json_array();
    if (body && refs) {
        int rc = lz_load_answer(code, body, size, refs, err, sizeof err);
        FZ_ASSERT(rc == 0 || rc == -1);
        FZ_ASSERT(strlen(err) < sizeof err);
        long n = lz_dechunk(body, size);
        FZ_ASSERT(n >= -1 && n <= (long)size);
    }
    json_decref(refs);
    free(body);
    int fd = memfd_create("archive", MFD_CLOEXEC);
    if (fd >= 0) {
        if (write(fd, data, size) == (ssize_t)size) {
            json_t *r = lz_archive_refs(fd);
            FZ_ASSERT(!r || json_is_array(r));
            json_decref(r);
        }
        close(fd);
    }
    return 0;
}
