/* Reading lazydind.conf: which file (LAZYDIND_CONFIG, else the default when
 * it exists), the root trust check, the size limit, and the parse
 * (conffile.h). Which keys exist is the settings table's business
 * (config.c). */
#ifndef LAZYDIND_CONFREAD_H
#define LAZYDIND_CONFREAD_H

#include "config/conffile.h"

#include <stddef.h>

#define LZ_DEFAULT_CONFIG "/etc/lazydind/lazydind.conf"

/* Fills path (LZ_PATH_MAX bytes) with the file's name and, when it was
 * read, conf (free it with lz_conf_free). *found: 1 read, 0 absent (only
 * the default may be), -1 not readable by this user (only the default, for
 * a user other than root: root reads it when it starts dockerd). Returns
 * 0, or -1 with a message naming the file in err. */
int lz_conf_read(char *path, int *found, struct lz_conf *conf, char *err,
                 size_t errlen);

#endif
