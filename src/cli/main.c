/* lazydind: one static binary, two faces. Invoked as `docker` it is the shim
 * that starts a private dockerd on first use; as `lazydind` it takes
 * subcommands. */
#define _GNU_SOURCE
#include "cli/commands.h"
#include "daemon/daemon.h"
#include "pod/doctor.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: lazydind COMMAND [ARGS]\n"
    "\n"
    "Installed as `docker`, lazydind starts a private Docker daemon on first use\n"
    "and then runs the real docker CLI untouched.\n"
    "\n"
    "commands:\n"
    "  install [--prefix DIR] [--divert]  put the `docker` shim in front of the real CLI\n"
    "  activate [--strict]                listen on the daemon socket; the first connection\n"
    "                                     of any client starts dockerd (for postStart hooks)\n"
    "  start                              start the daemon if needed; exit 0 when it answers\n"
    "  status [--json]                    is it running, pid, uptime, socket, data-root\n"
    "  stop [--timeout DURATION] [--keep-socket]\n"
    "                                     stop dockerd (SIGTERM, then SIGKILL), the listener\n"
    "                                     and unmount the tmpfs lazydind mounted; with\n"
    "                                     --keep-socket only dockerd (the next connection\n"
    "                                     starts it again)\n"
    "  logs [-f] [-n N]                   dockerd's log\n"
    "  doctor [--json]                    what this pod allows: privileged, Sysbox or\n"
    "                                     rootless, each check, and the manifest lines\n"
    "                                     that would make each work (exit 1: cannot)\n"
    "  config [--json]                    the effective settings, where each came from,\n"
    "                                     and the dockerd config lazydind generates\n"
    "  --version, --help\n"
    "\n"
    "Settings are LAZYDIND_* environment variables or keys of\n"
    "/etc/lazydind/lazydind.conf (LAZYDIND_CONFIG); see README.md.\n";

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

int main(int argc, char **argv)
{
    if (argc < 1 || !argv[0])
        return LZ_EXIT_USAGE;
    if (strcmp(base_name(argv[0]), "docker") == 0)
        return lz_shim_main(argc, argv);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? LZ_EXIT_USAGE : 0;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("lazydind %s\n", LZ_VERSION);
        return 0;
    }
    if (strcmp(cmd, "start") == 0)
        return lz_cmd_start(argc, argv);
    if (strcmp(cmd, "activate") == 0)
        return lz_cmd_activate(argc, argv);
    if (strcmp(cmd, "status") == 0)
        return lz_cmd_status(argc, argv);
    if (strcmp(cmd, "stop") == 0)
        return lz_cmd_stop(argc, argv);
    if (strcmp(cmd, "logs") == 0)
        return lz_cmd_logs(argc, argv);
    if (strcmp(cmd, "install") == 0)
        return lz_cmd_install(argc, argv);
    if (strcmp(cmd, "doctor") == 0)
        return lz_cmd_doctor(argc, argv);
    if (strcmp(cmd, "config") == 0)
        return lz_cmd_config(argc, argv);
    if (strcmp(cmd, "supervise") == 0)
        return lz_supervise_main(argc, argv);
    lz_error("unknown command '%s'; see lazydind --help", cmd);
    return LZ_EXIT_USAGE;
}
