/* The image a docker command uses, for LAZYDIND_PRELOAD's wait: `run`,
 * `create` and `pull` (also as `container run`, `image pull` ...). Pure. */
#ifndef LAZYDIND_IMAGEARG_H
#define LAZYDIND_IMAGEARG_H

#include "cli/classify.h"

/* The image argument of argv (ai from lz_classify_argv on the same argv),
 * or NULL for any other command or when there is none. */
const char *lz_image_arg(int argc, char *const argv[], const struct lz_argv_info *ai);

#endif
