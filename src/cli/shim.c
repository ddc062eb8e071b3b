/* The `docker` shim: decide whether the managed daemon is needed, bring it
 * up (on the warm path: one read of the state, no connection), then exec
 * the real CLI with argv and environment untouched. */
#define _GNU_SOURCE
#include "cli/shim.h"
#include "cli/commands.h"
#include "daemon/contain.h"
#include "base/cleanup.h"
#include "base/findcli.h"
#include "cli/imagearg.h"
#include "daemon/preload.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int lz_shim_settings(struct lz_shim *s, char *err, size_t errlen)
{
    if (lz_config_load(&s->cfg, err, errlen) != 0)
        return -1;
    lz_quiet = s->cfg.quiet;
    return 0;
}

int lz_shim_find_cli(struct lz_shim *s, const char *argv0, char *err, size_t errlen)
{
    struct stat self;
    int have_self = stat("/proc/self/exe", &self) == 0;
    return lz_find_real_cli(have_self ? &self : NULL, s->cfg.docker, argv0,
                            getenv("PATH"), s->real, sizeof s->real, err, errlen);
}

/* currentContext from the CLI's config.json, or NULL. Its buffer is taken
 * only once the file opened: most pods have no config.json, and the warm
 * path touches no memory it does not need. */
static char *config_context(const struct lz_argv_info *ai)
{
    char path[LZ_PATH_MAX + 32];
    const char *dir = ai->config ? ai->config : getenv("DOCKER_CONFIG");
    const char *home = getenv("HOME");
    if (dir && *dir) {
        if (lz_path_join(path, sizeof path, dir, "config.json") != 0)
            return NULL;
    } else if (!home || !*home ||
               lz_path_join(path, sizeof path, home, ".docker/config.json") != 0) {
        return NULL;
    }
    LZ_AUTOFD fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
    if (fd < 0)
        return NULL;
    enum { CONFIG_MAX = 65536 };
    LZ_AUTOFREE char *buf = malloc(CONFIG_MAX);
    if (!buf || lz_read_all(fd, buf, CONFIG_MAX) <= 0)
        return NULL;
    char *ctx = NULL;
    (void)lz_config_current_context(buf, &ctx);
    return ctx;
}

int lz_shim_needs_daemon(struct lz_shim *s, int argc, char **argv)
{
    struct lz_argv_info *ai = &s->ai;
    lz_classify_argv(argc, argv, ai);
    if (ai->need != LZ_NEED_DAEMON)
        return 0;
    const char *dh = getenv("DOCKER_HOST");
    const char *dc = getenv("DOCKER_CONTEXT");
    char *cc = NULL;
    if (!ai->host && !ai->context && !(dh && *dh) && !(dc && *dc))
        cc = config_context(ai);
    enum lz_need need = lz_decide(ai, dh, dc, cc, s->cfg.socket_path);
    free(cc);
    return need == LZ_NEED_DAEMON;
}

/* rootless: point the CLI at the user's daemon unless told otherwise. Its
 * own frame: the warm (rootful) path never needs the buffer on its stack. */
static __attribute__((noinline)) void rootless_host(struct lz_shim *s)
{
    const char *dh = getenv("DOCKER_HOST");
    if (!(dh && *dh) && !s->ai.host && !s->ai.context) {
        char host[LZ_PATH_MAX + 8];
        snprintf(host, sizeof host, "unix://%s", s->cfg.socket_path);
        setenv("DOCKER_HOST", host, 1);
    }
}

enum lz_up lz_shim_bring_up(struct lz_shim *s, char *err, size_t errlen)
{
    enum lz_up up = lz_bring_up(&s->cfg, LZ_GOAL_EXEC, 0, err, errlen);
    if (s->cfg.rootless)
        rootless_host(s);
    return up;
}

int lz_shim_main(int argc, char **argv)
{
    struct lz_shim s;
    char err[1024];
    if (lz_shim_settings(&s, err, sizeof err) != 0 ||
        lz_shim_find_cli(&s, argv[0], err, sizeof err) != 0)
        lz_die(LZ_EXIT_USAGE, "%s", err);
    if (lz_shim_needs_daemon(&s, argc, argv)) {
        int64_t t0 = s.cfg.preload ? lz_now_ms() : 0;
        const char *image;
        switch (lz_shim_bring_up(&s, err, sizeof err)) {
        case LZ_UP_BAD_INPUT:
            lz_die(LZ_EXIT_USAGE, "%s", err);
        case LZ_UP_FAILED:
            exit(1);
        case LZ_UP_READY:
            /* an image a preload archive holds is loaded, not pulled */
            image = s.cfg.preload ? lz_image_arg(argc, argv, &s.ai) : NULL;
            if (image)
                lz_preload_wait(&s.cfg, image, t0);
            break;
        default: /* not ours to start: the CLI says what it sees */
            break;
        }
        lz_dataroot_full_notice(&s.cfg);
    }
    execv(s.real, argv);
    lz_die(errno == ENOENT ? 127 : 126, "cannot run %s: %s", s.real, strerror(errno));
}
