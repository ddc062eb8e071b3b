/* Decides, from docker's argv and environment, whether a command needs the
 * local daemon that lazydind manages. Pure functions. */
#ifndef LAZYDIND_CLASSIFY_H
#define LAZYDIND_CLASSIFY_H

enum lz_need {
    LZ_NEED_DAEMON,   /* talks to the managed local daemon */
    LZ_CLIENT_ONLY,   /* --version, --help, help, completion, context ... */
    LZ_REMOTE,        /* targets another daemon: -H, DOCKER_HOST, a context */
};

struct lz_argv_info {
    enum lz_need need;
    const char *host;      /* -H/--host value, if any */
    const char *context;   /* -c/--context value, if any */
    const char *config;    /* --config dir, if any */
    const char *command;   /* first non-option word, or NULL */
};

/* Classifies argv (argv[0] is the program) from the options alone. */
void lz_classify_argv(int argc, char *const argv[], struct lz_argv_info *out);

/* 1 when `host` (a DOCKER_HOST-style URL) names the managed unix socket. */
int lz_host_is_managed(const char *host, const char *socket_path);

/* The final decision. docker_host / docker_context: the environment values
 * (may be NULL); config_context: currentContext from the CLI's config.json
 * (may be NULL). */
enum lz_need lz_decide(const struct lz_argv_info *ai, const char *docker_host,
                       const char *docker_context, const char *config_context,
                       const char *socket_path);

/* Extracts "currentContext" from config.json text. Returns 1 and a malloc'd
 * string in *out when present and non-empty; 0 when absent (text that does
 * not even mention currentContext is not parsed: the common case costs no
 * parse); -1 when it mentions it but is not JSON (the CLI will complain). */
int lz_config_current_context(const char *json_text, char **out);

#endif
