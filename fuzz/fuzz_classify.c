/* docker's argv (NUL-separated words) classified, then decided against the
 * environment; and currentContext from the CLI's config.json. */
#include "fuzz.h"
#include "cli/classify.h"
#include "base/xdg.h"

#include <stdio.h>

#define MAXARGS 64

static int points_into(const char *p, char *const argv[], int argc)
{
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (p >= argv[i] && p <= argv[i] + n)
            return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned env = fz_take_byte(&data, &size);
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    char *argv[MAXARGS + 2];
    int argc = 0;
    argv[argc++] = "docker";
    for (char *p = copy; p < copy + size && argc < MAXARGS; p += strlen(p) + 1)
        argv[argc++] = p;
    argv[argc] = NULL;
    struct lz_argv_info ai;
    lz_classify_argv(argc, argv, &ai);
    FZ_ASSERT(ai.need == LZ_NEED_DAEMON || ai.need == LZ_CLIENT_ONLY ||
              ai.need == LZ_REMOTE);
    if (ai.host)
        FZ_ASSERT(points_into(ai.host, argv, argc));
    if (ai.context)
        FZ_ASSERT(points_into(ai.context, argv, argc));
    if (ai.config)
        FZ_ASSERT(points_into(ai.config, argv, argc));
    if (ai.command)
        FZ_ASSERT(points_into(ai.command, argv, argc));
    static const char *const hosts[] = {NULL, "", "unix:///var/run/docker.sock",
                                        "unix:///run/docker.sock", "tcp://1.2.3.4:2375"};
    static const char *const ctxs[] = {NULL, "", "default", "remote"};
    const char *dh = hosts[env % 5];
    const char *dc = ctxs[(env / 5) % 4];
    const char *cc = ctxs[(env / 20) % 4];
    enum lz_need d = lz_decide(&ai, dh, dc, cc, "/var/run/docker.sock");
    FZ_ASSERT(d == LZ_NEED_DAEMON || d == LZ_CLIENT_ONLY || d == LZ_REMOTE);
    /* client-only words never reach the daemon */
    if (ai.need == LZ_CLIENT_ONLY)
        FZ_ASSERT(d == LZ_CLIENT_ONLY);
    for (int i = 1; i < argc; i++) {
        (void)lz_host_is_managed(argv[i], "/var/run/docker.sock");
        /* DOCKER_HOST normalised: absolute, no "//", no "." component, no
         * trailing slash, and a fixed point */
        char np[256], again[264], back[256];
        if (lz_unix_host_path(argv[i], np, sizeof np) == 0) {
            FZ_ASSERT(np[0] == '/' && !strstr(np, "//") && !strstr(np, "/./") &&
                      np[strlen(np) - 1] != '/' && strcmp(np + strlen(np) - 2, "/.") != 0);
            snprintf(again, sizeof again, "unix://%s", np);
            FZ_ASSERT(lz_unix_host_path(again, back, sizeof back) == 0 &&
                      strcmp(back, np) == 0);
            FZ_ASSERT(lz_host_is_managed(argv[i], np));
        }
    }
    free(copy);

    /* the same bytes as the CLI's config.json */
    char *json = fz_str(data, size);
    if (json) {
        char *ctx = NULL;
        int r = lz_config_current_context(json, &ctx);
        FZ_ASSERT(r >= -1 && r <= 1);
        FZ_ASSERT((r == 1) == (ctx != NULL));
        if (ctx)
            FZ_ASSERT(ctx[0] != '\0');
        free(ctx);
        free(json);
    }
    return 0;
}
