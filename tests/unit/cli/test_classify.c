/* Unit tests for classify.h: which docker invocations need the managed
 * daemon, which are client-only and which go to another daemon. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cli/classify.h"

#define SOCK "/var/run/docker.sock"
#define MAXARGS 16

/* Splits "a b c" on single spaces into argv = {"docker", "a", "b", "c"}.
 * An empty string gives the bare `docker`. */
struct args {
    int argc;
    char *argv[MAXARGS + 1];
    char buf[256];
};

static void split(struct args *a, const char *line)
{
    assert_true(strlen(line) < sizeof a->buf);
    strcpy(a->buf, line);
    a->argc = 0;
    a->argv[a->argc++] = "docker";
    for (char *tok = strtok(a->buf, " "); tok; tok = strtok(NULL, " ")) {
        assert_true(a->argc < MAXARGS);
        a->argv[a->argc++] = tok;
    }
    a->argv[a->argc] = NULL;
}

static const char *need_name(enum lz_need n)
{
    switch (n) {
    case LZ_NEED_DAEMON: return "daemon";
    case LZ_CLIENT_ONLY: return "client-only";
    case LZ_REMOTE: return "remote";
    }
    return "?";
}

/* The shim's decision for argv with the given environment / config. */
static enum lz_need decide(const char *line, const char *docker_host,
                           const char *docker_context, const char *config_ctx)
{
    struct args a;
    struct lz_argv_info ai;
    split(&a, line);
    lz_classify_argv(a.argc, a.argv, &ai);
    return lz_decide(&ai, docker_host, docker_context, config_ctx, SOCK);
}

struct argv_case {
    const char *args;
    enum lz_need want;
};

static void run_argv_cases(const struct argv_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        enum lz_need got = decide(c[i].args, NULL, NULL, NULL);
        if (got != c[i].want)
            fail_msg("docker %s: got %s, want %s", c[i].args, need_name(got),
                     need_name(c[i].want));
    }
}

static void test_client_only_commands(void **state)
{
    (void)state;
    static const struct argv_case cases[] = {
        {"--version", LZ_CLIENT_ONLY},
        {"-v", LZ_CLIENT_ONLY},
        {"--help", LZ_CLIENT_ONLY},
        {"-h", LZ_CLIENT_ONLY},
        {"", LZ_CLIENT_ONLY},              /* bare docker prints usage */
        {"-D", LZ_CLIENT_ONLY},            /* only options: usage too */
        {"-Dv", LZ_CLIENT_ONLY},           /* short cluster with -v */
        {"help", LZ_CLIENT_ONLY},
        {"help run", LZ_CLIENT_ONLY},
        {"completion bash", LZ_CLIENT_ONLY},
        {"context ls", LZ_CLIENT_ONLY},
        {"context use other", LZ_CLIENT_ONLY},
        {"ps --help", LZ_CLIENT_ONLY},
        {"ps -h", LZ_CLIENT_ONLY},          /* -h is help except for run/create */
        {"image ls -h", LZ_CLIENT_ONLY},
        {"exec -h", LZ_CLIENT_ONLY},
        {"run --help", LZ_CLIENT_ONLY},
        {"run --rm --help", LZ_CLIENT_ONLY},
        {"image ls --help", LZ_CLIENT_ONLY},
        {"image --help", LZ_CLIENT_ONLY},
        {"--version ps", LZ_CLIENT_ONLY},
        {"-D --log-level debug --version", LZ_CLIENT_ONLY},
        /* CLI plugins: their version and help only print */
        {"compose version", LZ_CLIENT_ONLY},
        {"compose version --short", LZ_CLIENT_ONLY},
        {"compose --version", LZ_CLIENT_ONLY},
        {"compose -v", LZ_CLIENT_ONLY},
        {"compose help", LZ_CLIENT_ONLY},
        {"compose help up", LZ_CLIENT_ONLY},
        {"compose --help", LZ_CLIENT_ONLY},
        {"compose up --help", LZ_CLIENT_ONLY},
        {"compose up -d -h", LZ_CLIENT_ONLY},
        {"compose -f x.yaml version", LZ_CLIENT_ONLY},
        {"compose --file x.yaml -p proj --help", LZ_CLIENT_ONLY},
        {"compose -fx.yaml --project-name=p up --help", LZ_CLIENT_ONLY},
        {"--log-level warn compose version", LZ_CLIENT_ONLY},
        {"buildx version", LZ_CLIENT_ONLY},
        {"buildx --builder b version", LZ_CLIENT_ONLY},
        {"buildx help", LZ_CLIENT_ONLY},
        {"buildx --help", LZ_CLIENT_ONLY},
        {"buildx build --help", LZ_CLIENT_ONLY},
        {"buildx ls -h", LZ_CLIENT_ONLY},
        {"scout --help", LZ_CLIENT_ONLY},   /* any plugin's --help */
    };
    run_argv_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_daemon_commands(void **state)
{
    (void)state;
    static const struct argv_case cases[] = {
        {"ps", LZ_NEED_DAEMON},
        {"version", LZ_NEED_DAEMON},        /* shows the server too */
        {"run -h myhost img", LZ_NEED_DAEMON},  /* -h is --hostname here */
        {"run img --help", LZ_NEED_DAEMON},     /* --help is the container's */
        {"run --rm img sh -c --help", LZ_NEED_DAEMON},
        {"container run img --help", LZ_NEED_DAEMON},
        {"image ls", LZ_NEED_DAEMON},
        {"run -- --help", LZ_NEED_DAEMON},
        {"-D ps", LZ_NEED_DAEMON},
        {"--debug ps", LZ_NEED_DAEMON},
        {"--log-level debug ps", LZ_NEED_DAEMON},
        {"--log-level=debug ps", LZ_NEED_DAEMON},
        {"-l debug ps", LZ_NEED_DAEMON},
        {"-ldebug ps", LZ_NEED_DAEMON},
        {"--tlsverify --tlscacert /ca.pem ps", LZ_NEED_DAEMON},
        {"-H unix:///var/run/docker.sock ps", LZ_NEED_DAEMON},
        {"-H unix:///run/docker.sock ps", LZ_NEED_DAEMON},
        {"--host=unix:///var/run/docker.sock ps", LZ_NEED_DAEMON},
        {"--context default ps", LZ_NEED_DAEMON},
        {"-c default ps", LZ_NEED_DAEMON},
        {"--config /x ps", LZ_NEED_DAEMON},
        {"create -h myhost img", LZ_NEED_DAEMON}, /* --hostname too */
        {"container create -h myhost img", LZ_NEED_DAEMON},
        /* plugins that talk to the daemon */
        {"compose up -d", LZ_NEED_DAEMON},
        {"compose -f version up", LZ_NEED_DAEMON},  /* a file named version */
        {"compose -p version ps", LZ_NEED_DAEMON},
        {"compose run web --help", LZ_NEED_DAEMON}, /* the container's --help */
        {"compose exec web sh -c version", LZ_NEED_DAEMON},
        {"compose -- version", LZ_NEED_DAEMON},
        {"buildx build .", LZ_NEED_DAEMON},
        {"buildx ls", LZ_NEED_DAEMON},
        {"buildx --builder version ls", LZ_NEED_DAEMON},
        {"buildx bake version", LZ_NEED_DAEMON},    /* a target named version */
    };
    run_argv_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_remote_commands(void **state)
{
    (void)state;
    static const struct argv_case cases[] = {
        {"-H tcp://x ps", LZ_REMOTE},
        {"-Htcp://x ps", LZ_REMOTE},
        {"--host=tcp://x ps", LZ_REMOTE},
        {"--host tcp://x ps", LZ_REMOTE},
        {"-D -H tcp://x ps", LZ_REMOTE},
        {"-DH tcp://x ps", LZ_REMOTE},
        {"-H ssh://me@box ps", LZ_REMOTE},
        {"-H unix:///tmp/other.sock ps", LZ_REMOTE},
        {"--context other ps", LZ_REMOTE},
        {"--context=other ps", LZ_REMOTE},
        {"-c other ps", LZ_REMOTE},
        {"-cother ps", LZ_REMOTE},
    };
    run_argv_cases(cases, sizeof cases / sizeof cases[0]);
}

/* The values the shim reads back from lz_argv_info. */
static void test_argv_info_fields(void **state)
{
    (void)state;
    static const struct {
        const char *args;
        const char *host, *context, *config, *command;
    } cases[] = {
        {"ps", NULL, NULL, NULL, "ps"},
        {"", NULL, NULL, NULL, NULL},
        {"--config /x ps", NULL, NULL, "/x", "ps"},
        {"--config=/x ps", NULL, NULL, "/x", "ps"},
        {"-Htcp://x ps", "tcp://x", NULL, NULL, "ps"},
        {"-H tcp://x run img", "tcp://x", NULL, NULL, "run"},
        {"--host tcp://x", "tcp://x", NULL, NULL, NULL},
        {"-c other image ls", NULL, "other", NULL, "image"},
        {"--context=other ps", NULL, "other", NULL, "ps"},
        {"-l debug --config /c -H unix:///s ps", "unix:///s", NULL, "/c", "ps"},
        {"-- ps", NULL, NULL, NULL, "ps"},
        {"-H", NULL, NULL, NULL, NULL},    /* missing value: no crash */
        {"--context", NULL, NULL, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct args a;
        struct lz_argv_info ai;
        split(&a, cases[i].args);
        lz_classify_argv(a.argc, a.argv, &ai);
#define FIELD(f)                                                             \
    do {                                                                     \
        if (cases[i].f == NULL ? ai.f != NULL                                \
                               : ai.f == NULL || strcmp(ai.f, cases[i].f))   \
            fail_msg("docker %s: " #f " is '%s', want '%s'", cases[i].args,  \
                     ai.f ? ai.f : "(null)",                                 \
                     cases[i].f ? cases[i].f : "(null)");                    \
    } while (0)
        FIELD(host);
        FIELD(context);
        FIELD(config);
        FIELD(command);
#undef FIELD
    }
}

static void test_host_is_managed(void **state)
{
    (void)state;
    static const struct {
        const char *host, *sock;
        int want;
    } cases[] = {
        {"unix:///var/run/docker.sock", "/var/run/docker.sock", 1},
        {"unix:///run/docker.sock", "/var/run/docker.sock", 1},
        {"unix:///var/run/docker.sock", "/run/docker.sock", 1},
        {"unix:///run/docker.sock", "/run/docker.sock", 1},
        {"unix:///tmp/docker.sock", "/var/run/docker.sock", 0},
        {"unix:///var/run/docker.sock.evil", "/var/run/docker.sock", 0},
        /* the rootless socket, however DOCKER_HOST spells it */
        {"unix:///tmp/.docker/run/docker.sock", "/tmp/.docker/run/docker.sock", 1},
        {"unix:/tmp/.docker/run/docker.sock", "/tmp/.docker/run/docker.sock", 1},
        {"unix:////tmp//.docker/run//docker.sock", "/tmp/.docker/run/docker.sock", 1},
        {"unix:///tmp/.docker/run/docker.sock/.", "/tmp/.docker/run/docker.sock", 1},
        {"unix:///tmp/.docker/run/./docker.sock", "/tmp/.docker/run/docker.sock", 1},
        {"unix://tmp/.docker/run/docker.sock", "/tmp/.docker/run/docker.sock", 0},
        {"unix:///tmp/.docker/x/../run/docker.sock", "/tmp/.docker/run/docker.sock", 0},
        {"unix:///var/run/docker", "/var/run/docker.sock", 0},
        {"unix://", "/var/run/docker.sock", 0},
        {"/var/run/docker.sock", "/var/run/docker.sock", 0},
        {"tcp://127.0.0.1:2375", "/var/run/docker.sock", 0},
        {"", "/var/run/docker.sock", 0},
        {NULL, "/var/run/docker.sock", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = lz_host_is_managed(cases[i].host, cases[i].sock);
        if (got != cases[i].want)
            fail_msg("lz_host_is_managed(%s, %s) = %d, want %d",
                     cases[i].host ? cases[i].host : "NULL", cases[i].sock, got,
                     cases[i].want);
    }
}

/* DOCKER_HOST, DOCKER_CONTEXT and config.json's currentContext. */
static void test_decide_environment(void **state)
{
    (void)state;
    static const struct {
        const char *args, *docker_host, *docker_context, *config_ctx;
        enum lz_need want;
    } cases[] = {
        {"ps", NULL, NULL, NULL, LZ_NEED_DAEMON},
        {"ps", "tcp://x:2375", NULL, NULL, LZ_REMOTE},
        {"ps", "unix:///var/run/docker.sock", NULL, NULL, LZ_NEED_DAEMON},
        {"ps", "unix:///run/docker.sock", NULL, NULL, LZ_NEED_DAEMON},
        {"ps", "unix:///tmp/x.sock", NULL, NULL, LZ_REMOTE},
        {"ps", "", NULL, NULL, LZ_NEED_DAEMON},        /* empty = unset */
        {"ps", NULL, "other", NULL, LZ_REMOTE},
        {"ps", NULL, "default", NULL, LZ_NEED_DAEMON},
        {"ps", NULL, "default", "remote", LZ_NEED_DAEMON}, /* env beats file */
        {"ps", NULL, "", "remote", LZ_REMOTE},         /* empty = unset */
        {"ps", NULL, NULL, "remote", LZ_REMOTE},
        {"ps", NULL, NULL, "default", LZ_NEED_DAEMON},
        {"ps", NULL, NULL, "", LZ_NEED_DAEMON},
        {"ps", "tcp://x", "default", NULL, LZ_REMOTE}, /* DOCKER_HOST wins */
        {"ps", "unix:///var/run/docker.sock", "other", NULL, LZ_NEED_DAEMON},
        /* flags beat the environment */
        {"-H unix:///var/run/docker.sock ps", "tcp://x", NULL, NULL, LZ_NEED_DAEMON},
        {"-H tcp://x ps", "unix:///var/run/docker.sock", NULL, NULL, LZ_REMOTE},
        {"--context default ps", NULL, "other", "remote", LZ_NEED_DAEMON},
        /* the default context's host is DOCKER_HOST */
        {"--context default ps", "tcp://x", NULL, NULL, LZ_REMOTE},
        {"--context default ps", "unix:///var/run/docker.sock", NULL, NULL,
         LZ_NEED_DAEMON},
        {"-c other ps", NULL, "default", NULL, LZ_REMOTE},
        /* client-only stays client-only whatever the environment */
        {"--version", "tcp://x", NULL, NULL, LZ_CLIENT_ONLY},
        {"ps --help", NULL, "other", "remote", LZ_CLIENT_ONLY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum lz_need got = decide(cases[i].args, cases[i].docker_host,
                                  cases[i].docker_context, cases[i].config_ctx);
        if (got != cases[i].want)
            fail_msg("docker %s (DOCKER_HOST=%s DOCKER_CONTEXT=%s config=%s): "
                     "got %s, want %s", cases[i].args,
                     cases[i].docker_host ? cases[i].docker_host : "-",
                     cases[i].docker_context ? cases[i].docker_context : "-",
                     cases[i].config_ctx ? cases[i].config_ctx : "-",
                     need_name(got), need_name(cases[i].want));
    }
}

static void test_config_current_context(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        int rc;
        const char *ctx;
        enum lz_need want; /* for `docker ps` with this config.json */
    } cases[] = {
        {"{\"currentContext\": \"remote\"}", 1, "remote", LZ_REMOTE},
        {"{\"auths\": {}, \"currentContext\": \"default\"}", 1, "default",
         LZ_NEED_DAEMON},
        {"{\"currentContext\": \"\"}", 0, NULL, LZ_NEED_DAEMON},
        {"{\"auths\": {}}", 0, NULL, LZ_NEED_DAEMON},
        {"{}", 0, NULL, LZ_NEED_DAEMON},
        {"", 0, NULL, LZ_NEED_DAEMON},
        {"{\"currentContext\": 5}", 0, NULL, LZ_NEED_DAEMON},
        {"{\"currentContext\": null}", 0, NULL, LZ_NEED_DAEMON},
        {"{\"plugins\": {\"currentContext\": \"remote\"}}", 0, NULL, LZ_NEED_DAEMON},
        {"[\"currentContext\"]", 0, NULL, LZ_NEED_DAEMON},
        /* not JSON: -1, and the daemon is still what `docker ps` needs */
        {"{\"currentContext\": \"remote\"", -1, NULL, LZ_NEED_DAEMON},
        {"currentContext = remote", -1, NULL, LZ_NEED_DAEMON},
        {"{\"currentContext\": \"remote\",}", -1, NULL, LZ_NEED_DAEMON},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *ctx = (char *)"sentinel";
        int rc = lz_config_current_context(cases[i].json, &ctx);
        if (rc != cases[i].rc)
            fail_msg("config %s: rc %d, want %d", cases[i].json, rc, cases[i].rc);
        if (cases[i].ctx)
            assert_string_equal(ctx, cases[i].ctx);
        else if (ctx != NULL)
            fail_msg("config %s: ctx '%s', want NULL", cases[i].json, ctx);
        enum lz_need got = decide("ps", NULL, NULL, ctx);
        if (got != cases[i].want)
            fail_msg("config %s: docker ps is %s, want %s", cases[i].json,
                     need_name(got), need_name(cases[i].want));
        free(ctx);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_only_commands),
        cmocka_unit_test(test_daemon_commands),
        cmocka_unit_test(test_remote_commands),
        cmocka_unit_test(test_argv_info_fields),
        cmocka_unit_test(test_host_is_managed),
        cmocka_unit_test(test_decide_environment),
        cmocka_unit_test(test_config_current_context),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
