/* The user's daemon.json: see daemonjson.h. */
#define _GNU_SOURCE
#include "config/daemonjson.h"
#include "config/parse.h"
#include "base/cleanup.h"
#include "base/safepath.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

json_t *lz_daemon_json_load(const char *path, int *absent, char *err, size_t errlen)
{
    json_error_t je;
    *absent = 0;
    LZ_AUTOFILE f = fopen(path, "re");
    if (!f) {
        if (errno == ENOENT || errno == ENOTDIR) {
            *absent = 1;
            return NULL;
        }
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    char why[1024];
    if (geteuid() == 0 && lz_file_trusted(path, fileno(f), why, sizeof why) != 0) {
        snprintf(err, errlen, "will not use %s as root: %s", path, why);
        return NULL;
    }
    LZ_AUTOJSON root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        snprintf(err, errlen,
                 "%s:%d:%d: %s; fix the JSON or remove the file "
                 "(nothing was started)",
                 path, je.line, je.column, je.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        snprintf(err, errlen, "%s: the top level must be a JSON object", path);
        return NULL;
    }
    return lz_steal_ptr(&root);
}

int lz_daemon_json_data_root(const char *path, char *out, size_t outlen,
                             char *err, size_t errlen)
{
    int absent;
    LZ_AUTOJSON root = lz_daemon_json_load(path, &absent, err, errlen);
    if (!root)
        return absent ? 0 : -1;
    json_t *dr = json_object_get(root, "data-root");
    if (!dr)
        return 0;
    const char *v = json_string_value(dr);
    if (!v || !lz_valid_path(v) || lz_strlcpy(out, v, outlen) != 0) {
        snprintf(err, errlen, "%s: \"data-root\" must be an absolute path string", path);
        return -1;
    }
    return 1;
}
