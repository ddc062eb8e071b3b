/* `lazydind config [--json]`: the effective settings and where each came
 * from, then the dockerd config lazydind would generate now (the user's
 * daemon.json merged) with the origin of every key, dockerd's proxy
 * environment and what lazydind decided about the pod's network. Bad input
 * gets the same message as on the cold path and exit status 2. One model
 * (the JSON that --json prints) and a text view of it. */
#define _GNU_SOURCE
#include "cli/commands.h"
#include "config/config.h"
#include "daemon/daemon.h"
#include "config/cacerts.h"
#include "config/daemonconf.h"
#include "pod/dockerd.h"
#include "base/rundir.h"
#include "base/util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Settings, paths and arguments may hold bytes that are not UTF-8. */
static json_t *txt(const char *s)
{
    return lz_json_text(s, strlen(s));
}

/* ------------------------------------------------------------ the model -- */

static const char *source_name(int src)
{
    switch (src) {
    case LZ_SRC_ENV:
    case LZ_SRC_ALT_ENV: return "env";
    case LZ_SRC_FILE: return "file";
    case LZ_SRC_DAEMON_JSON: return "daemon.json";
    default: return "default";
    }
}

static json_t *config_file_json(const struct lz_config *cfg)
{
    json_t *cf = json_object();
    json_object_set_new(cf, "path", txt(cfg->config_path));
    json_object_set_new(cf, "found", cfg->config_found == 1 ? json_true()
                                     : cfg->config_found < 0 ? txt("not readable")
                                                             : json_false());
    return cf;
}

static json_t *settings_json(const struct lz_config *cfg)
{
    char where[LZ_PATH_MAX + 64];
    json_t *settings = json_array();
    for (int i = 0; i < lz_nsettings; i++) {
        const struct lz_origin *org = &cfg->origin[i];
        json_t *s = json_object();
        json_object_set_new(s, "key", txt(lz_settings[i].key));
        json_object_set_new(s, "env", txt(lz_settings[i].env));
        json_object_set_new(s, "value", org->value ? txt(org->value) : json_null());
        json_object_set_new(s, "default", txt(lz_settings[i].def));
        json_object_set_new(s, "source", txt(source_name(org->src)));
        lz_config_origin(cfg, lz_settings[i].env, where, sizeof where);
        json_object_set_new(s, "from", txt(where));
        json_array_append_new(settings, s);
    }
    return settings;
}

static void env_entry(json_t *envo, const char *upper, const char *lower)
{
    const char *n = upper, *v = getenv(upper);
    if (!v || !*v) {
        n = lower;
        v = getenv(lower);
    }
    if (v && *v) {
        char r[2048];
        lz_redact_url(v, r, sizeof r);
        json_object_set_new(envo, n, txt(r));
    }
}

/* The engine the config is generated for (pod/dockerd.c). */
static struct lz_engine g_engine;
static char g_engine_bin[LZ_PATH_MAX];

static void probe_engine(const struct lz_config *cfg)
{
    char e2[256];
    int dfd = lz_rundir_open(cfg->run_dir, 0, e2, sizeof e2);
    lz_engine_probe(cfg, dfd, &g_engine, g_engine_bin, sizeof g_engine_bin);
    if (dfd >= 0)
        close(dfd);
}

/* dockerd's environment: the proxies (passwords hidden), NO_PROXY,
 * DOCKER_MIN_API_VERSION; in rootless mode also the MTU slirp4netns gets
 * (daemon/rootless.c). */
static json_t *environment_json(const struct lz_config *cfg, const struct lz_dconf *d)
{
    json_t *envo = json_object();
    env_entry(envo, "HTTP_PROXY", "http_proxy");
    env_entry(envo, "HTTPS_PROXY", "https_proxy");
    if (d->set_no_proxy)
        json_object_set_new(envo, "NO_PROXY", txt(d->no_proxy));
    const char *have = getenv("DOCKERD_ROOTLESS_ROOTLESSKIT_MTU");
    json_int_t mtu = json_integer_value(json_object_get(d->config, "mtu"));
    if (cfg->rootless && have && *have)
        json_object_set_new(envo, "DOCKERD_ROOTLESS_ROOTLESSKIT_MTU", txt(have));
    else if (cfg->rootless && mtu > 0)
        json_object_set_new(envo, "DOCKERD_ROOTLESS_ROOTLESSKIT_MTU",
                            json_sprintf("%lld", (long long)mtu));
    if (cfg->min_api_version && lz_engine_has_min_api_env(&g_engine))
        json_object_set_new(envo, "DOCKER_MIN_API_VERSION", txt(cfg->min_api_version));
    return envo;
}

/* How dockerd is started, with the generated config (rootless: through
 * dockerd-rootless.sh, which passes its arguments on to dockerd). */
static json_t *dockerd_json(const struct lz_config *cfg, const struct lz_dconf *d)
{
    json_t *dk = json_object();
    json_object_set_new(dk, "engine", g_engine.known ? txt(g_engine.version) : json_null());
    json_object_set_new(dk, "binary", txt(g_engine_bin));
    if (cfg->rootless)
        json_object_set_new(dk, "rootless", json_true());
    char path[LZ_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/daemon.json", cfg->run_dir);
    json_t *av = json_array();
    json_array_append_new(av, txt(cfg->rootless ? "dockerd-rootless.sh" : cfg->dockerd));
    json_array_append_new(av, txt("--config-file"));
    json_array_append_new(av, txt(path));
    for (int i = 0; i < d->argc; i++)
        json_array_append_new(av, txt(d->argv[i]));
    json_object_set_new(dk, "argv", av);
    json_object_set_new(dk, "config_file", txt(path));
    json_object_set_new(dk, "merged_from", txt(cfg->daemon_json));
    json_object_set(dk, "config", d->config);
    json_object_set(dk, "origins", d->origins);
    json_object_set_new(dk, "environment", environment_json(cfg, d));
    json_t *notes = json_array();
    for (int i = 0; i < d->nnotes; i++)
        json_array_append_new(notes, txt(d->notes[i]));
    json_object_set_new(dk, "notes", notes);
    return dk;
}

static void cert_json(const char *file, const struct lz_cert_info *info, void *arg)
{
    json_t *c = json_object();
    char date[32];
    lz_cert_date(info->not_after, date, sizeof date);
    json_object_set_new(c, "file", txt(file));
    json_object_set_new(c, "subject", txt(info->subject));
    json_object_set_new(c, "not_after", txt(date));
    json_object_set_new(c, "expired", json_boolean(info->not_after < lz_wall_s()));
    json_array_append_new(arg, c);
}

/* The extra CAs dockerd trusts (cacerts.h), each with its subject and
 * expiry. The cold-path check has read them already. */
static json_t *ca_certs_json(const struct lz_config *cfg)
{
    char err[1024];
    json_t *a = json_array();
    (void)lz_cacerts_scan(cfg, cert_json, a, err, sizeof err);
    return a;
}

/* ------------------------------------------------------------- the text -- */

static void print_ca_certs(const json_t *certs)
{
    size_t i;
    json_t *c;
    if (!json_array_size(certs))
        return;
    printf("CA certificates dockerd trusts on top of the system's (ca-certs):\n");
    json_array_foreach(certs, i, c)
        printf("  %s, until %s%s (%s)\n",
               json_string_value(json_object_get(c, "subject")),
               json_string_value(json_object_get(c, "not_after")),
               json_is_true(json_object_get(c, "expired")) ? ", EXPIRED" : "",
               json_string_value(json_object_get(c, "file")));
}


static void print_settings(const struct lz_config *cfg)
{
    char where[LZ_PATH_MAX + 64];
    printf("lazydind settings (a LAZYDIND_* variable beats the config file, "
           "which beats the default)\n");
    printf("  config file: %s (%s)\n", cfg->config_path,
           cfg->config_found == 1 ? "read" : cfg->config_found < 0 ? "not readable by this user"
                                                                  : "not present");
    for (int i = 0; i < lz_nsettings; i++) {
        const struct lz_origin *org = &cfg->origin[i];
        lz_config_origin(cfg, lz_settings[i].env, where, sizeof where);
        char def[160];
        snprintf(def, sizeof def, "(%s)", lz_settings[i].def);
        printf("  %-22s %-32s %s\n", lz_settings[i].key,
               org->value ? org->value : def, where);
    }
}

/* A misspelt variable is otherwise silently ignored. */
static void warn_unknown_vars(void)
{
    extern char **environ;
    for (char **e = environ; *e; e++) {
        char name[128];
        size_t n = strcspn(*e, "=");
        if (strncmp(*e, "LAZYDIND_", 9) != 0 || n >= sizeof name)
            continue;
        memcpy(name, *e, n);
        name[n] = '\0';
        if (lz_setting_index(name) >= 0 || strcmp(name, "LAZYDIND_CONFIG") == 0)
            continue;
        const char *s = lz_setting_suggest(name);
        if (s)
            printf("warning: %s is not a lazydind setting (ignored); did you mean "
                   "%s?\n", name, lz_setting_by_key(s)->env);
        else
            printf("warning: %s is not a lazydind setting (ignored)\n", name);
    }
}

/* Every key of the generated config, its value and where it comes from. */
static void print_origins(const struct lz_dconf *d)
{
    const char *key;
    json_t *val;
    json_object_foreach(d->origins, key, val) {
        json_t *v = json_object_get(d->config, key);
        char *text = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        const char *shown = text ? text : "(flag)";
        if (strlen(shown) > 34) /* long values: the origin goes below */
            printf("  %-24s %s\n  %-24s %-34s %s\n", key, shown, "", "",
                   json_string_value(val));
        else
            printf("  %-24s %-34s %s\n", key, shown, json_string_value(val));
        free(text);
    }
}

static void print_dockerd(const struct lz_config *cfg, const struct lz_dconf *d,
                          const json_t *dk)
{
    if (g_engine.known)
        printf("engine: Docker %s (%s)\n", g_engine.version, g_engine_bin);
    else
        printf("engine: unknown (%s --version did not answer): the generated config "
               "has no key newer than Docker 20.10\n",
               g_engine_bin[0] ? g_engine_bin : cfg->dockerd);
    if (cfg->rootless)
        printf("rootless mode: dockerd-rootless.sh runs dockerd (in rootlesskit's "
               "namespaces) with these arguments\n");
    size_t i;
    json_t *a;
    printf("dockerd:");
    json_array_foreach(json_object_get(dk, "argv"), i, a)
        printf(" %s", json_string_value(a));
    printf("\n");
    printf("dockerd's config, written to %s at each start: %s merged; a "
           "lazydind setting beats it, a LAZYDIND_DOCKERD_ARGS flag beats it "
           "too, automatic values fill only what nobody set\n",
           json_string_value(json_object_get(dk, "config_file")), cfg->daemon_json);
    print_origins(d);
    json_t *envo = json_object_get(dk, "environment");
    const char *key;
    json_t *val;
    if (json_object_size(envo)) {
        printf("dockerd's environment (proxies from this environment, "
               "DOCKER_MIN_API_VERSION from min-api-version):\n");
        json_object_foreach(envo, key, val)
            printf("  %s=%s\n", key, json_string_value(val));
    }
    for (int n = 0; n < d->nnotes; n++)
        printf("note: %s\n", d->notes[n]);
}

/* ------------------------------------------------------------ the command -- */

static int want_json(int argc, char **argv)
{
    int as_json = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            as_json = 1;
        else
            lz_die(LZ_EXIT_USAGE, "usage: lazydind config [--json] (unexpected '%s')",
                   argv[i]);
    }
    return as_json;
}

int lz_cmd_config(int argc, char **argv)
{
    struct lz_config cfg;
    struct lz_dconf d;
    char err[1024];
    int as_json = want_json(argc, argv);
    memset(&d, 0, sizeof d);
    if (lz_config_load(&cfg, err, sizeof err) != 0 ||
        lz_config_resolve(&cfg, err, sizeof err) != 0)
        lz_die(LZ_EXIT_USAGE, "%s", err);
    probe_engine(&cfg);
    if (lz_dconf_make(&cfg, 0, &g_engine, &d, err, sizeof err) != 0)
        lz_die(LZ_EXIT_USAGE, "%s", err);
    json_t *o = json_object();
    json_object_set_new(o, "config_file", config_file_json(&cfg));
    json_object_set_new(o, "settings", settings_json(&cfg));
    json_object_set_new(o, "dockerd", dockerd_json(&cfg, &d));
    json_object_set_new(o, "ca_certs", ca_certs_json(&cfg));
    if (as_json) {
        char *s = json_dumps(o, JSON_INDENT(2));
        if (s)
            printf("%s\n", s);
        free(s);
    } else {
        print_settings(&cfg);
        warn_unknown_vars();
        print_dockerd(&cfg, &d, json_object_get(o, "dockerd"));
        print_ca_certs(json_object_get(o, "ca_certs"));
    }
    json_decref(o);
    lz_dconf_free(&d);
    return 0;
}
