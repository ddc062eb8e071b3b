/* The docker CLI plugins' own client-only invocations (`docker compose
 * version`, `docker buildx version`, `docker compose -f x.yaml --help`):
 * they print and exit without the daemon, so lazydind starts nothing and
 * skips the preflight for them. Pure. */
#ifndef LAZYDIND_PLUGINS_H
#define LAZYDIND_PLUGINS_H

/* cmd: the docker command word (argv[i - 1]); argv[i..argc) follow it.
 * 1 when this is a plugin that lazydind knows and the invocation only
 * prints (its version or help); 0 otherwise (the caller decides). */
int lz_plugin_client_only(const char *cmd, int argc, char *const argv[], int i);

#endif
