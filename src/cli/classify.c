#define _GNU_SOURCE
#include "cli/classify.h"
#include "base/util.h"
#include "base/xdg.h"
#include "cli/plugins.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Global options of the docker CLI that take a value. */
static const char *const long_with_value[] = {
    "config", "context", "host", "log-level", "tlscacert", "tlscert", "tlskey",
    NULL,
};

/* Management commands: `docker image ls --help` has a sub-command word. */
static const char *const management[] = {
    "builder", "buildx", "checkpoint", "compose", "config", "container",
    "image", "manifest", "network", "node", "plugin", "secret", "service",
    "stack", "swarm", "system", "trust", "volume", NULL,
};

static int in_list(const char *const *list, const char *s, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && strncmp(*list, s, n) == 0)
            return 1;
    return 0;
}

static void set_value(struct lz_argv_info *out, const char *name, size_t n,
                      const char *value)
{
    if (n == 4 && strncmp(name, "host", 4) == 0)
        out->host = value;
    else if (n == 7 && strncmp(name, "context", 7) == 0)
        out->context = value;
    else if (n == 6 && strncmp(name, "config", 6) == 0)
        out->config = value;
}

void lz_classify_argv(int argc, char *const argv[], struct lz_argv_info *out)
{
    memset(out, 0, sizeof *out);
    out->need = LZ_NEED_DAEMON;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] != '-' || a[1] == '\0')
            break;
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t n = eq ? (size_t)(eq - name) : strlen(name);
            if ((n == 7 && strncmp(name, "version", 7) == 0) ||
                (n == 4 && strncmp(name, "help", 4) == 0)) {
                out->need = LZ_CLIENT_ONLY;
                continue;
            }
            if (in_list(long_with_value, name, n)) {
                const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
                if (val)
                    set_value(out, name, n, val);
            }
            continue;
        }
        /* A cluster of short options, e.g. -D, -Hunix:///x, -H x, -Dv. */
        for (const char *c = a + 1; *c; c++) {
            if (*c == 'v' || *c == 'h') {
                out->need = LZ_CLIENT_ONLY;
            } else if (*c == 'H' || *c == 'c' || *c == 'l') {
                const char *val = c[1] ? c + 1 : (i + 1 < argc ? argv[++i] : NULL);
                if (val && *c == 'H')
                    out->host = val;
                else if (val && *c == 'c')
                    out->context = val;
                break;
            }
        }
    }
    if (i >= argc) {
        /* bare `docker` (prints usage) or only options */
        if (out->need == LZ_NEED_DAEMON && i >= argc)
            out->need = LZ_CLIENT_ONLY;
        return;
    }
    out->command = argv[i];
    if (out->need == LZ_CLIENT_ONLY)
        return;
    const char *cmd = argv[i];
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "completion") == 0 ||
        strcmp(cmd, "context") == 0) {
        out->need = LZ_CLIENT_ONLY;
        return;
    }
    i++;
    if (lz_plugin_client_only(cmd, argc, argv, i)) {
        out->need = LZ_CLIENT_ONLY;
        return;
    }
    const char *sub = cmd;
    if (in_list(management, cmd, strlen(cmd)) && i < argc && argv[i][0] != '-')
        sub = argv[i++];
    /* `docker run -h` and `docker create -h` mean --hostname; everywhere
     * else -h is --help */
    int h_is_help = strcmp(sub, "run") != 0 && strcmp(sub, "create") != 0;
    /* --help among the sub-command's leading options */
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "--") == 0)
            break;
        if (strcmp(a, "--help") == 0 || (h_is_help && strcmp(a, "-h") == 0)) {
            out->need = LZ_CLIENT_ONLY;
            return;
        }
    }
}

int lz_host_is_managed(const char *host, const char *socket_path)
{
    /* compared lexically, whatever the spelling: unix:/p, unix:///p//q/. */
    char hp[LZ_PATH_MAX], sp[LZ_PATH_MAX], sock[LZ_PATH_MAX + 8];
    snprintf(sock, sizeof sock, "unix://%s", socket_path);
    if (!host || lz_unix_host_path(host, hp, sizeof hp) != 0 ||
        lz_unix_host_path(sock, sp, sizeof sp) != 0)
        return 0;
    if (strcmp(hp, sp) == 0)
        return 1;
    /* /var/run is /run on every distribution we care about. */
    const char *a = strncmp(hp, "/var/run/", 9) == 0 ? hp + 4 : hp;
    const char *b = strncmp(sp, "/var/run/", 9) == 0 ? sp + 4 : sp;
    return strcmp(a, b) == 0;
}

static int is_other_context(const char *ctx)
{
    return ctx && *ctx && strcmp(ctx, "default") != 0;
}

enum lz_need lz_decide(const struct lz_argv_info *ai, const char *docker_host,
                       const char *docker_context, const char *config_context,
                       const char *socket_path)
{
    if (ai->need == LZ_CLIENT_ONLY)
        return LZ_CLIENT_ONLY;
    if (ai->host)
        return lz_host_is_managed(ai->host, socket_path) ? LZ_NEED_DAEMON
                                                         : LZ_REMOTE;
    if (ai->context && is_other_context(ai->context))
        return LZ_REMOTE;
    /* --context default: the default context's host is DOCKER_HOST */
    if (docker_host && *docker_host)
        return lz_host_is_managed(docker_host, socket_path) ? LZ_NEED_DAEMON
                                                            : LZ_REMOTE;
    if (ai->context)
        return LZ_NEED_DAEMON; /* --context default beats the environment */
    if (is_other_context(docker_context))
        return LZ_REMOTE;
    if (docker_context && *docker_context)
        return LZ_NEED_DAEMON; /* DOCKER_CONTEXT=default beats config.json */
    if (is_other_context(config_context))
        return LZ_REMOTE;
    return LZ_NEED_DAEMON;
}

int lz_config_current_context(const char *json_text, char **out)
{
    *out = NULL;
    if (!strstr(json_text, "currentContext"))
        return 0; /* the common case costs no parse */
    json_error_t je;
    json_t *root = json_loads(json_text, 0, &je);
    if (!root)
        return -1;
    int found = 0;
    const char *v = json_string_value(json_object_get(root, "currentContext"));
    if (v && *v) {
        *out = strdup(v);
        found = *out ? 1 : 0;
    }
    json_decref(root);
    return found;
}
