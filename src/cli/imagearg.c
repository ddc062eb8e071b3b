/* The image argument of run, create and pull: see imagearg.h. */
#include "cli/imagearg.h"

#include <string.h>

/* Options of run and create that take no value; every other one does. */
static const char *const run_bools[] = {
    "detach", "interactive", "tty", "rm", "privileged", "init", "publish-all",
    "read-only", "no-healthcheck", "oom-kill-disable", "quiet", "help",
    "disable-content-trust", "sig-proxy", "all-tags", NULL,
};

static int is_bool(const char *name, size_t n)
{
    for (const char *const *b = run_bools; *b; b++)
        if (strlen(*b) == n && strncmp(*b, name, n) == 0)
            return 1;
    return 0;
}

/* The index of the word after the command (and its management word). */
static int after_command(int argc, char *const argv[], const struct lz_argv_info *ai,
                         const char **sub)
{
    int i = 1;
    while (i < argc && argv[i] != ai->command)
        i++;
    if (i >= argc)
        return -1;
    *sub = argv[i++];
    if ((strcmp(*sub, "container") == 0 || strcmp(*sub, "image") == 0) && i < argc)
        *sub = argv[i++];
    return i;
}

const char *lz_image_arg(int argc, char *const argv[], const struct lz_argv_info *ai)
{
    const char *sub;
    if (!ai->command)
        return NULL;
    int i = after_command(argc, argv, ai, &sub);
    if (i < 0 || (strcmp(sub, "run") != 0 && strcmp(sub, "create") != 0 &&
                  strcmp(sub, "pull") != 0))
        return NULL;
    /* -a is run's --attach X but pull's --all-tags */
    const char *short_bools = strcmp(sub, "pull") == 0 ? "aq" : "ditPq";
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            return i + 1 < argc ? argv[i + 1] : NULL;
        if (a[0] != '-' || a[1] == '\0')
            return a;
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            if (!eq && !is_bool(a + 2, n))
                i++; /* --name x */
            continue;
        }
        /* a cluster: -it, -dp 80:80, -eFOO=1 */
        for (const char *c = a + 1; *c; c++)
            if (!strchr(short_bools, *c)) {
                if (!c[1])
                    i++;
                break;
            }
    }
    return NULL;
}
