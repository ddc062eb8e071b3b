/* The user's daemon.json (LAZYDIND_DAEMON_JSON, /etc/docker/daemon.json),
 * read one way wherever lazydind reads it: the cold-path check, the config
 * generated for each dockerd start, `lazydind config`, and rootless mode's
 * storage choice. lazydind never modifies it. */
#ifndef LAZYDIND_DAEMONJSON_H
#define LAZYDIND_DAEMONJSON_H

#include <jansson.h>
#include <stddef.h>

/* Loads it: duplicate keys are refused (JSON_REJECT_DUPLICATES; which of
 * two values would dockerd take?), the top level must be an object, and as
 * root the file must pass lz_file_trusted (root's dockerd obeys it: nobody
 * else may be able to change it). A missing file gives NULL with *absent
 * set; anything else that is wrong gives NULL with "file:line:column: what"
 * (or "file: what") in err. */
json_t *lz_daemon_json_load(const char *path, int *absent, char *err,
                            size_t errlen);

/* Its "data-root", read with lz_daemon_json_load: 1 and the path in out, 0
 * when the file or the key is absent, -1 with "file...: what" in err (bad
 * JSON, or a data-root that is not an absolute path string). */
int lz_daemon_json_data_root(const char *path, char *out, size_t outlen,
                             char *err, size_t errlen);

#endif
