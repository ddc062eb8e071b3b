#include "cli/plugins.h"

#include <string.h>

struct plugin {
    const char *name;
    const char *const *value_flags;   /* its global options that take a value */
    const char *const *client_flags;  /* global options that only print */
    const char *const *client_subs;   /* sub-commands that only print */
};

static const char *const compose_values[] = {
    "-f", "--file", "-p", "--project-name", "--project-directory", "--env-file",
    "--profile", "--ansi", "--progress", "--parallel", NULL,
};
static const char *const compose_client_flags[] = {"--version", "-v", "--help", "-h", NULL};
static const char *const buildx_values[] = {"--builder", NULL};
static const char *const help_flags[] = {"--help", "-h", NULL};
static const char *const version_help[] = {"version", "help", NULL};

static const struct plugin plugins[] = {
    {"compose", compose_values, compose_client_flags, version_help},
    {"buildx", buildx_values, help_flags, version_help},
};

static int in(const char *const *list, const char *s, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && strncmp(*list, s, n) == 0)
            return 1;
    return 0;
}

static int is(const char *const *list, const char *s)
{
    return in(list, s, strlen(s));
}

/* 1 when option a (of plugin p) takes its value from the next word. */
static int takes_next(const struct plugin *p, const char *a)
{
    if (a[1] == '-')
        return !strchr(a, '=') && is(p->value_flags, a);
    /* "-f" takes the next word, "-fx.yaml" carries its value */
    return a[2] == '\0' && in(p->value_flags, a, 2);
}

int lz_plugin_client_only(const char *cmd, int argc, char *const argv[], int i)
{
    const struct plugin *p = NULL;
    for (size_t k = 0; k < sizeof plugins / sizeof plugins[0]; k++)
        if (strcmp(plugins[k].name, cmd) == 0)
            p = &plugins[k];
    if (!p)
        return 0;
    /* the plugin's global options, then its sub-command */
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            return 0;
        if (a[0] != '-' || a[1] == '\0')
            break;
        if (is(p->client_flags, a))
            return 1;
        if (takes_next(p, a))
            i++;
    }
    if (i >= argc)
        return 0; /* `docker compose` alone: its usage; the generic rule */
    if (is(p->client_subs, argv[i]))
        return 1;
    /* the sub-command's leading options: --help or -h only prints */
    for (i++; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "--") == 0)
            break;
        if (is(help_flags, a))
            return 1;
    }
    return 0;
}
