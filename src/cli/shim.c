/* The `docker` shim: decide whether the managed daemon is needed, make sure
 * it answers, then exec the real CLI with argv and environment untouched. */
#define _GNU_SOURCE
#include "cli/classify.h"
#include "cli/imagearg.h"
#include "daemon/preload.h"
#include "config/config.h"
#include "daemon/daemon.h"
#include "base/findcli.h"
#include "pod/preflight.h"
#include "base/ping.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* currentContext from the CLI's config.json, or NULL. */
static char *config_context(const struct lz_argv_info *ai)
{
    char path[LZ_PATH_MAX + 32];
    const char *dir = ai->config ? ai->config : getenv("DOCKER_CONFIG");
    if (dir && *dir) {
        snprintf(path, sizeof path, "%s/config.json", dir);
    } else {
        const char *home = getenv("HOME");
        if (!home || !*home)
            return NULL;
        snprintf(path, sizeof path, "%s/.docker/config.json", home);
    }
    char buf[65536];
    if (lz_read_file_at(AT_FDCWD, path, buf, sizeof buf) <= 0)
        return NULL;
    char *ctx = NULL;
    (void)lz_config_current_context(buf, &ctx);
    return ctx;
}

int lz_shim_main(int argc, char **argv)
{
    struct lz_config cfg;
    char err[1024], real[LZ_PATH_MAX];
    if (lz_config_load(&cfg, err, sizeof err) != 0)
        lz_die(LZ_EXIT_USAGE, "%s", err);
    lz_quiet = cfg.quiet;

    struct stat self;
    int have_self = stat("/proc/self/exe", &self) == 0;
    if (lz_find_real_cli(have_self ? &self : NULL, cfg.docker, argv[0],
                         getenv("PATH"), real, sizeof real, err, sizeof err) != 0)
        lz_die(LZ_EXIT_USAGE, "%s", err);

    struct lz_argv_info ai;
    lz_classify_argv(argc, argv, &ai);
    enum lz_need need = ai.need;
    if (need == LZ_NEED_DAEMON) {
        const char *dh = getenv("DOCKER_HOST");
        const char *dc = getenv("DOCKER_CONTEXT");
        char *cc = NULL;
        if (!ai.host && !ai.context && !(dh && *dh) && !(dc && *dc))
            cc = config_context(&ai);
        need = lz_decide(&ai, dh, dc, cc, cfg.socket_path);
        free(cc);
    }
    if (need == LZ_NEED_DAEMON) {
        int64_t t0 = lz_now_ms();
        /* the warm path: one /_ping. A listener whose dockerd is still
         * starting holds it in the backlog: then wait for readiness. */
        enum lz_ping_result pr = lz_ping(cfg.socket_path, 250);
        int rc = 0;
        if (pr == LZ_PING_TIMEOUT) {
            rc = lz_await_daemon(&cfg, t0, -1);
        } else if (pr != LZ_PING_OK) {
            if (lz_config_resolve(&cfg, err, sizeof err) != 0)
                lz_die(LZ_EXIT_USAGE, "%s", err);
            if (lz_preflight_gate(&cfg) != 0)
                exit(1);
            rc = lz_ensure_daemon(&cfg, 0);
        }
        if (rc == 1)
            exit(1);
        /* rc 3: not ours to start; the CLI says what it sees */
        const char *image = cfg.preload && rc == 0 ? lz_image_arg(argc, argv, &ai) : NULL;
        if (image)
            lz_preload_wait(&cfg, image, t0);
        /* rootless: point the CLI at the user's daemon unless told otherwise */
        const char *dh = getenv("DOCKER_HOST");
        if (cfg.rootless && !(dh && *dh) && !ai.host && !ai.context) {
            char host[LZ_PATH_MAX + 8];
            snprintf(host, sizeof host, "unix://%s", cfg.socket_path);
            setenv("DOCKER_HOST", host, 1);
        }
    }
    execv(real, argv);
    lz_die(errno == ENOENT ? 127 : 126, "cannot run %s: %s", real, strerror(errno));
}
