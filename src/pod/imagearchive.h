/* Image archives as LAZYDIND_PRELOAD finds them (docs/preload.md): what an
 * archive holds, read from its tar headers without loading it, and what
 * dockerd's POST /images/load answered. Reads, never starts anything. */
#ifndef LAZYDIND_IMAGEARCHIVE_H
#define LAZYDIND_IMAGEARCHIVE_H

#include <jansson.h>
#include <stddef.h>

/* The image references an archive open on fd holds: an uncompressed
 * `docker save` tar's manifest.json RepoTags, else an OCI layout tar's
 * index.json names (io.containerd.image.name, else
 * org.opencontainers.image.ref.name). A new array (maybe empty), or NULL
 * when that cannot be known without loading it (compressed, not a tar).
 * Moves fd's offset. */
json_t *lz_archive_refs(int fd);

/* 1 when the file open on fd starts like gzip, bzip2, xz or zstd. */
int lz_archive_compressed(int fd);

/* Parses the body of POST /images/load (the JSON message stream, already
 * de-chunked) of HTTP status code: appends "Loaded image: REF" refs to
 * refs; 0 when the load succeeded, else -1 with dockerd's error (the
 * errorDetail or error message, or the body's message) in err. */
int lz_load_answer(int code, const char *body, size_t len, json_t *refs,
                   char *err, size_t errlen);

/* De-chunks an HTTP chunked body in place; its new length, or -1 when it is
 * not well formed. */
long lz_dechunk(char *body, size_t len);

#endif
