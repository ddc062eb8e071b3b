/* The `lazydind` command table and the usage text made from it (cmdtable.h). */
#define _GNU_SOURCE
#include "cli/cmdtable.h"
#include "cli/commands.h"
#include "daemon/daemon.h"
#include "pod/doctor.h"
#include "base/util.h"

#include <string.h>

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

const struct lz_command lz_commands[] = {
    {"install", NULL, "[--prefix DIR] [--divert]",
     "put the `docker` shim in front of the real CLI", lz_cmd_install, 0},
    {"activate", NULL, "[--strict]",
     "listen on the daemon socket; the first connection\n"
     "of any client starts dockerd (for postStart hooks)", lz_cmd_activate, 0},
    {"start", NULL, "", "start the daemon if needed; exit 0 when it answers", lz_cmd_start, 0},
    {"status", NULL, "[--json]", "is it running, pid, uptime, socket, data-root", lz_cmd_status, 0},
    {"stop", NULL, "[--timeout DURATION] [--keep-socket]",
     "stop dockerd (SIGTERM, then SIGKILL), the listener\n"
     "and unmount the tmpfs lazydind mounted; with\n"
     "--keep-socket only dockerd (the next connection\n"
     "starts it again)", lz_cmd_stop, 0},
    {"logs", NULL, "[-f] [-n N]", "dockerd's log", lz_cmd_logs, 0},
    {"doctor", NULL, "[--json]",
     "what this pod allows: privileged, Sysbox or\n"
     "rootless, each check, and the manifest lines\n"
     "that would make each work (exit 1: cannot)", lz_cmd_doctor, 0},
    {"config", NULL, "[--json]",
     "the effective settings, where each came from,\n"
     "and the dockerd config lazydind generates", lz_cmd_config, 0},
    {"--version", "version", "", "lazydind's version", cmd_version, 0},
    {"--help", "help -h", "", "this text", cmd_help, 0},
    /* started by the cold path in its own session; not for users */
    {"supervise", NULL, "", "the supervisor (internal)", lz_supervise_main, LZ_CMD_HIDDEN},
};
const size_t lz_ncommands = sizeof lz_commands / sizeof lz_commands[0];

const struct lz_doc_page lz_doc_pages[] = {
    {"docs/commands.md", "every command, its options, exit status"},
    {"docs/configuration.md", "the settings, lazydind.conf, daemon.json"},
    {"docs/how-it-works.md", "the shim's warm and cold paths, supervisor"},
    {"docs/socket-activation.md", "activate, crashes, idle shutdown"},
    {"docs/modes.md", "rootful, rootless and Sysbox"},
    {"docs/choosing-an-option.md", "which option for a KubeOpenCode Agent"},
    {"docs/security.md", "who can do what; what runs as root"},
    {"docs/troubleshooting.md", "each check of `lazydind doctor`, its fix"},
    {"docs/preload.md", "image archives loaded without a pull"},
    {"docs/containment.md", "inner containers inside the pod's limits"},
    {"docs/ca-certs.md", "a corporate CA for registries and proxies"},
    {"docs/orphans.md", "orphans reaped, stale pid files"},
};
const size_t lz_ndoc_pages = sizeof lz_doc_pages / sizeof lz_doc_pages[0];

/* Is name one of the space-separated words of list? */
static int in_words(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        size_t w = strcspn(p, " ");
        if (w == n && strncmp(p, name, n) == 0)
            return 1;
        p += w;
        p += strspn(p, " ");
    }
    return 0;
}

const struct lz_command *lz_command_find(const char *name)
{
    for (size_t i = 0; i < lz_ncommands; i++)
        if (strcmp(lz_commands[i].name, name) == 0 || in_words(lz_commands[i].aliases, name))
            return &lz_commands[i];
    return NULL;
}

/* The summary column of the command list. */
#define SUMMARY_COL 37

/* "  NAME[, ALIAS...] ARGS", padded to the summary column (or on a line of
 * its own when longer), then the summary, each further line indented. */
static void write_command(FILE *out, const struct lz_command *c)
{
    int col = fprintf(out, "  %s", c->name);
    for (const char *p = c->aliases; p && *p;) {
        size_t w = strcspn(p, " ");
        col += fprintf(out, ", %.*s", (int)w, p);
        p += w;
        p += strspn(p, " ");
    }
    if (*c->args)
        col += fprintf(out, " %s", c->args);
    if (col > SUMMARY_COL - 2) {
        fputc('\n', out);
        col = 0;
    }
    for (const char *s = c->summary; *s;) {
        size_t w = strcspn(s, "\n");
        fprintf(out, "%*s%.*s\n", SUMMARY_COL - col, "", (int)w, s);
        col = 0;
        s += w;
        if (*s == '\n')
            s++;
    }
}

void lz_usage_write(FILE *out)
{
    fputs("usage: lazydind COMMAND [ARGS]\n"
          "\n"
          "Installed as `docker`, lazydind starts a private Docker daemon on first use\n"
          "and then runs the real docker CLI untouched.\n"
          "\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < lz_ncommands; i++)
        if (!(lz_commands[i].flags & LZ_CMD_HIDDEN))
            write_command(out, &lz_commands[i]);
    fputs("\n"
          "Settings are LAZYDIND_* environment variables or keys of\n"
          "/etc/lazydind/lazydind.conf (LAZYDIND_CONFIG).\n"
          "\n"
          "Documentation: man lazydind, and in lazydind's source:\n",
          out);
    for (size_t i = 0; i < lz_ndoc_pages; i++)
        fprintf(out, "  %-*s%s\n", SUMMARY_COL - 2, lz_doc_pages[i].path,
                lz_doc_pages[i].subject);
}

static int cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    lz_usage_write(stdout);
    return 0;
}

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("lazydind %s\n", LZ_VERSION);
    return 0;
}
