/* lazydind's settings: the table, where each value comes from, and loading
 * them (see config.h). */
#define _GNU_SOURCE
#include "config/config.h"
#include "config/conffile.h"
#include "config/preload.h"
#include "config/suggest.h"
#include "base/util.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_DATA_ROOT "/var/lib/docker"
#define DEFAULT_LOG "/var/log/lazydind/dockerd.log"
#define DEFAULT_RUN_DIR "/run/lazydind"
#define DEFAULT_SOCKET "/var/run/docker.sock"
#define DEFAULT_DAEMON_JSON "/etc/docker/daemon.json"

/* ----------------------------------------------------------- the table -- */

/* One row: variable, lazydind.conf key, default as shown, kind, the member
 * of struct lz_config it fills, check order, hint for a bad value; then
 * what the kind needs (settings.h). */
#define SETTING(e, k, d, kind, member, order, h, ...)                          \
    {.env = e, .key = k, .def = d, .parse = kind,                              \
     .off = offsetof(struct lz_config, member), .check = order, .hint = h,     \
     __VA_ARGS__}
#define CAP(m) .cap = sizeof(((struct lz_config *)0)->m)

static const char *const modes[] = {"auto", "rootful", "rootless", NULL};
static const char *const ipts[] = {"auto", "nft", "legacy", "off", NULL};
static const char *const tmpfs_modes[] = {"auto", "always", "never", NULL};
/* a choice is stored as its index, in an enum's int */
_Static_assert(LZ_MODE_ROOTLESS == 2 && LZ_IPT_OFF == 3 && LZ_TMPFS_NEVER == 2,
               "the choices follow the enums");
_Static_assert(sizeof(enum lz_mode) == sizeof(int) &&
               sizeof(enum lz_iptables) == sizeof(int) &&
               sizeof(enum lz_tmpfs_mode) == sizeof(int), "enums are ints");

/* Every setting, once. The check order is the one lz_config_load has
 * always had: the mode first (it decides the rootless defaults of the
 * paths), and so the same message when several values are bad. A row with
 * a dvalue is a dockerd setting: its key is also the daemon.json key that
 * the merge (dmerge.c) sets. */
const struct lz_setting lz_settings[] = {
    SETTING("LAZYDIND_DOCKER", "docker",
            "docker.real beside the shim, else the next docker on PATH",
            lz_set_path_ref, docker, 12, "is not an absolute path; point it at "
            "the real docker CLI, e.g. /usr/bin/docker"),
    SETTING("LAZYDIND_START_TIMEOUT", "start-timeout", "60s", lz_set_duration,
            start_timeout_ms, 4, "is not a duration between 100ms and 24h; use "
            "e.g. 60s, 500ms or 2m", .min = 100),
    SETTING("LAZYDIND_QUIET", "quiet", "0", lz_set_bool, quiet, 2,
            "is not a boolean; use 1 or 0"),
    SETTING("LAZYDIND_MODE", "mode", "auto", lz_set_choice, mode, 0,
            "is not one of auto, rootful, rootless", .choices = modes),
    SETTING("LAZYDIND_IPTABLES", "iptables", "auto", lz_set_choice, iptables, 1,
            "is not one of auto, nft, legacy, off", .choices = ipts),
    SETTING("LAZYDIND_DATA_ROOT", "data-root", DEFAULT_DATA_ROOT, lz_set_path,
            data_root, 7, "is not an absolute path; use e.g. "
            "/workspace/.docker-data", CAP(data_root)),
    SETTING("LAZYDIND_TMPFS", "tmpfs", "auto", lz_set_choice, tmpfs, 5,
            "is not one of auto, always, never", .choices = tmpfs_modes),
    SETTING("LAZYDIND_TMPFS_SIZE", "tmpfs-size", "half the pod's memory limit", lz_set_tmpfs_size,
            tmpfs_size, 6, "is not a size of at least 1M or a percentage of "
            "memory; use e.g. 8g or 50%", CAP(tmpfs_size)),
    SETTING("LAZYDIND_DOCKERD", "dockerd", "dockerd on PATH", lz_set_command,
            dockerd, 8, "is not a command name or an absolute path; use e.g. "
            "/usr/bin/dockerd", CAP(dockerd)),
    SETTING("LAZYDIND_DOCKERD_ARGS", "dockerd-args", "none", lz_set_text,
            dockerd_args, 9, NULL),
    SETTING("LAZYDIND_LOG", "log", DEFAULT_LOG, lz_set_path, log_path, 10,
            "is not an absolute path; use e.g. /var/log/lazydind/dockerd.log",
            CAP(log_path)),
    SETTING("LAZYDIND_LOG_MAX", "log-max", "10M", lz_set_size, log_max, 11,
            "is not a size of at least 4k; use e.g. 10M", .min = 4096),
    SETTING("LAZYDIND_RUN_DIR", "run-dir", DEFAULT_RUN_DIR, lz_set_path, run_dir, 13,
            "is not an absolute path of at most 80 bytes; use e.g. /run/lazydind",
            CAP(run_dir), .maxlen = 80),
    SETTING("LAZYDIND_IDLE_TIMEOUT", "idle-timeout", "0 (never)",
            lz_set_duration_or_off, idle_timeout_ms, 14, "is not a duration of at "
            "least 1s; use e.g. 15m, or 0 to never stop an idle daemon",
            .min = 1000),
    SETTING("LAZYDIND_DAEMON_JSON", "daemon-json", DEFAULT_DAEMON_JSON, lz_set_path,
            daemon_json, 15, "is not an absolute path", CAP(daemon_json)),
    /* dockerd's settings (dvalue.h says what each takes) */
    SETTING("LAZYDIND_REGISTRY_MIRRORS", "registry-mirrors", "none", lz_set_dockerd,
            registry_mirrors, 16, NULL, .dvalue = lz_dvalue_registry_mirrors),
    SETTING("LAZYDIND_INSECURE_REGISTRIES", "insecure-registries",
            "none (dockerd: 127.0.0.0/8)", lz_set_dockerd, insecure_registries, 17,
            NULL, .dvalue = lz_dvalue_insecure_registries),
    SETTING("LAZYDIND_STORAGE_DRIVER", "storage-driver", "dockerd's choice",
            lz_set_dockerd, storage_driver, 18, NULL,
            .dvalue = lz_dvalue_storage_driver),
    SETTING("LAZYDIND_MTU", "mtu", "the pod's MTU when below 1500",
            lz_set_dockerd_int, mtu, 19, NULL, .dvalue = lz_dvalue_mtu),
    SETTING("LAZYDIND_BIP", "bip", "dockerd's choice", lz_set_dockerd, bip, 20, NULL,
            .dvalue = lz_dvalue_bip),
    SETTING("LAZYDIND_DEFAULT_ADDRESS_POOLS", "default-address-pools",
            "dockerd's, without those the pod's network uses", lz_set_dockerd,
            default_address_pools, 21, NULL, .dvalue = lz_dvalue_address_pools),
    SETTING("LAZYDIND_DNS", "dns", "the pod's resolv.conf", lz_set_dockerd, dns, 22,
            NULL, .dvalue = lz_dvalue_dns),
    SETTING("LAZYDIND_LOG_LEVEL", "log-level", "info", lz_set_dockerd, log_level, 23,
            NULL, .dvalue = lz_dvalue_log_level),
    SETTING("LAZYDIND_PREFLIGHT", "preflight", "1", lz_set_bool, preflight, 3,
            "is not a boolean; use 1 (check the pod before starting dockerd) or 0"),
    SETTING("LAZYDIND_CA_CERTS", "ca-certs", "$CUSTOM_CA_CERT_PATH, else none",
            lz_set_path_list, ca_certs, 24, "is not a comma-separated list of "
            "absolute paths; use e.g. /etc/ssl/certs/custom-ca",
            .alt_env = "CUSTOM_CA_CERT_PATH"),
    SETTING("LAZYDIND_PRELOAD", "preload", "none", lz_set_preload, preload, 25,
            "is not a list of existing absolute paths (image archives or "
            "directories of them) separated by ':'"),
    /* dockerd >= 25 gets it as DOCKER_MIN_API_VERSION, and refuses < 1.24 */
    SETTING("LAZYDIND_MIN_API_VERSION", "min-api-version",
            "the engine's: 1.24 (Docker 25-28), 1.44 (29)", lz_set_api_version,
            min_api_version, 26, "is not an API version from 1.24 (the oldest "
            "dockerd serves) to 1.99; use the API version of the oldest client, "
            "e.g. 1.41 for Docker 20.10's CLI (docker version shows it)", .min = 24),
};
const int lz_nsettings = (int)(sizeof lz_settings / sizeof lz_settings[0]);
_Static_assert(sizeof lz_settings / sizeof lz_settings[0] <= LZ_MAX_SETTINGS,
               "LZ_MAX_SETTINGS is too small");

int lz_setting_index(const char *env_name)
{
    for (int i = 0; i < lz_nsettings; i++)
        if (strcmp(lz_settings[i].env, env_name) == 0)
            return i;
    return -1;
}

const struct lz_setting *lz_setting_by_key(const char *key)
{
    for (int i = 0; i < lz_nsettings; i++)
        if (strcmp(lz_settings[i].key, key) == 0)
            return &lz_settings[i];
    return NULL;
}

const char *lz_setting_suggest(const char *name)
{
    return lz_closest_key(name, lz_settings, lz_nsettings);
}

int lz_dconf_value(const char *key, const char *text, json_t **out, char *why,
                   size_t whylen)
{
    if (out)
        *out = NULL;
    if (!text) {
        snprintf(why, whylen, "is empty");
        return -1;
    }
    const struct lz_setting *s = lz_setting_by_key(key);
    if (!s || !s->dvalue) {
        snprintf(why, whylen, "is not a dockerd setting lazydind knows");
        return -1;
    }
    json_t *v = s->dvalue(text, why, whylen);
    if (!v)
        return -1;
    if (out)
        *out = v;
    else
        json_decref(v);
    return 0;
}

void lz_config_origin(const struct lz_config *cfg, const char *env_name,
                      char *out, size_t outlen)
{
    int i = lz_setting_index(env_name);
    const struct lz_origin *o = i >= 0 ? &cfg->origin[i] : NULL;
    if (!o || o->src == LZ_SRC_DEFAULT)
        snprintf(out, outlen, "default");
    else if (o->src == LZ_SRC_ENV)
        snprintf(out, outlen, "%s", env_name);
    else if (o->src == LZ_SRC_ALT_ENV)
        snprintf(out, outlen, "%s", lz_settings[i].alt_env);
    else if (o->src == LZ_SRC_FILE)
        snprintf(out, outlen, "%s:%d (%s)", cfg->config_path, o->line,
                 lz_settings[i].key);
    else
        snprintf(out, outlen, "%s", cfg->daemon_json);
}

/* ------------------------------------------------- where values come from -- */

static struct lz_conf g_conf; /* lazydind.conf's values, until the next load */

/* The environment's LAZYDIND_* entries (and the alt_env ones), found in
 * one pass over environ per load: a getenv per setting would walk the
 * whole environment (a pod's holds dozens of Kubernetes service variables)
 * some thirty times on every docker command. At most ENV_MAX entries are
 * kept; a larger set falls back to getenv. */
enum { ENV_MAX = 64 };
static struct {
    const char *entry[ENV_MAX];
    int n, overflow;
} g_env;

#define ALT_ENV "CUSTOM_CA_CERT_PATH"

/* e ("NAME=value", or a name) is one of those kept. */
static int ours(const char *e)
{
    return strncmp(e, "LAZYDIND_", 9) == 0 ||
           (strncmp(e, ALT_ENV, sizeof ALT_ENV - 1) == 0 &&
            (e[sizeof ALT_ENV - 1] == '=' || e[sizeof ALT_ENV - 1] == '\0'));
}

static void env_scan(void)
{
    extern char **environ;
    g_env.n = g_env.overflow = 0;
    for (char **e = environ; e && *e; e++) {
        if (!ours(*e))
            continue;
        if (g_env.n == ENV_MAX) {
            g_env.overflow = 1;
            return;
        }
        g_env.entry[g_env.n++] = *e;
    }
}

/* getenv(name): the first entry, as getenv; any other name is getenv's. */
static const char *env_get(const char *name)
{
    if (g_env.overflow || !ours(name))
        return getenv(name);
    size_t n = strlen(name);
    for (int i = 0; i < g_env.n; i++)
        if (strncmp(g_env.entry[i], name, n) == 0 && g_env.entry[i][n] == '=')
            return g_env.entry[i] + n + 1;
    return NULL;
}

/* Every key of lazydind.conf must be a setting's. 0, or -1 with err. */
static int check_keys(const struct lz_config *cfg, char *err, size_t errlen)
{
    for (int i = 0; i < g_conf.n; i++) {
        const struct lz_conf_entry *en = &g_conf.v[i];
        if (lz_setting_by_key(en->key))
            continue;
        const char *s = lz_setting_suggest(en->key);
        if (strcmp(en->key, "config") == 0)
            snprintf(err, errlen, "%s:%d:%d: unknown key 'config': only the "
                     "variable LAZYDIND_CONFIG chooses the config file",
                     cfg->config_path, en->line, en->key_col);
        else if (s)
            snprintf(err, errlen, "%s:%d:%d: unknown key '%s'; did you mean '%s'?",
                     cfg->config_path, en->line, en->key_col, en->key, s);
        else
            snprintf(err, errlen, "%s:%d:%d: unknown key '%s'; `lazydind config` "
                     "lists the keys", cfg->config_path, en->line, en->key_col,
                     en->key);
        return -1;
    }
    return 0;
}

/* A setting's value: its variable when set and not empty, else its key in
 * the config file (an empty value there is unset too). Records the origin. */
static const char *lookup(struct lz_config *cfg, int i)
{
    const char *v = env_get(lz_settings[i].env);
    if (v && *v) {
        cfg->origin[i] = (struct lz_origin){LZ_SRC_ENV, 0, 0, v};
        return v;
    }
    const struct lz_conf_entry *e = lz_conf_find(&g_conf, lz_settings[i].key);
    if (e && *e->value) {
        cfg->origin[i] = (struct lz_origin){LZ_SRC_FILE, e->line, e->value_col, e->value};
        return e->value;
    }
    v = lz_settings[i].alt_env ? env_get(lz_settings[i].alt_env) : NULL;
    if (v && *v) {
        cfg->origin[i] = (struct lz_origin){LZ_SRC_ALT_ENV, 0, 0, v};
        return v;
    }
    return NULL;
}

/* Looks setting i up and stores its value. On a bad value the message
 * starts "VARIABLE='value'", or file:line:column and key='value' for a
 * value from the config file. */
static int apply(struct lz_config *cfg, int i, char *err, size_t errlen)
{
    const struct lz_setting *s = &lz_settings[i];
    const char *v = lookup(cfg, i);
    char why[512];
    if (!v || s->parse(s, v, (char *)cfg + s->off, why, sizeof why) == 0)
        return 0;
    const struct lz_origin *o = &cfg->origin[i];
    if (o->src == LZ_SRC_FILE)
        snprintf(err, errlen, "%s:%d:%d: %s='%s' %s", cfg->config_path, o->line,
                 o->col, s->key, v, why);
    else if (o->src == LZ_SRC_ALT_ENV)
        snprintf(err, errlen, "%s='%s' (for %s) %s", s->alt_env, v, s->env, why);
    else
        snprintf(err, errlen, "%s='%s' %s", s->env, v, why);
    return -1;
}

/* ------------------------------------------------------------ defaults -- */

static void defaults(struct lz_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->start_timeout_ms = 60000;
    cfg->log_max = 10LL << 20;
    cfg->tmpfs = LZ_TMPFS_AUTO;
    cfg->preflight = 1;
    strcpy(cfg->data_root, DEFAULT_DATA_ROOT);
    strcpy(cfg->dockerd, "dockerd");
    strcpy(cfg->log_path, DEFAULT_LOG);
    strcpy(cfg->run_dir, DEFAULT_RUN_DIR);
    strcpy(cfg->socket_path, DEFAULT_SOCKET);
    strcpy(cfg->daemon_json, DEFAULT_DAEMON_JSON);
}

static const char *nonempty_env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* Rootless mode keeps everything under the user's own dirs: the socket and
 * runtime state in $XDG_RUNTIME_DIR (as dockerd-rootless.sh does), the
 * data-root and daemon.json where rootless dockerd looks for them. Returns
 * -1 when XDG_RUNTIME_DIR is unset or unusable (reported on the cold path,
 * so that client-only commands still work). */
static int rootless_defaults(struct lz_config *cfg)
{
    const char *xdg = nonempty_env("XDG_RUNTIME_DIR");
    char buf[LZ_PATH_MAX];
    if (!xdg) {
        snprintf(buf, sizeof buf, "/run/user/%u", (unsigned)geteuid());
        struct stat st;
        if (stat(buf, &st) != 0 || st.st_uid != geteuid() || !S_ISDIR(st.st_mode))
            return -1;
        xdg = buf;
    }
    if (!lz_valid_path(xdg) || strlen(xdg) > 80)
        return -1;
    snprintf(cfg->socket_path, sizeof cfg->socket_path, "%s/docker.sock", xdg);
    snprintf(cfg->run_dir, sizeof cfg->run_dir, "%s/lazydind", xdg);
    snprintf(cfg->log_path, sizeof cfg->log_path, "%s/lazydind/dockerd.log", xdg);
    const char *home = nonempty_env("HOME");
    const char *cfgdir = nonempty_env("XDG_CONFIG_HOME");
    const char *datadir = nonempty_env("XDG_DATA_HOME");
    if (datadir && lz_valid_path(datadir))
        snprintf(cfg->data_root, sizeof cfg->data_root, "%s/docker", datadir);
    else if (home && lz_valid_path(home))
        snprintf(cfg->data_root, sizeof cfg->data_root, "%s/.local/share/docker", home);
    if (cfgdir && lz_valid_path(cfgdir))
        snprintf(cfg->daemon_json, sizeof cfg->daemon_json, "%s/docker/daemon.json", cfgdir);
    else if (home && lz_valid_path(home))
        snprintf(cfg->daemon_json, sizeof cfg->daemon_json, "%s/.config/docker/daemon.json", home);
    return 0;
}

/* The mode in effect (auto picks rootless for a non-root user), and its
 * defaults. */
static void settle_mode(struct lz_config *cfg)
{
    cfg->rootless = cfg->mode == LZ_MODE_ROOTLESS ||
                    (cfg->mode == LZ_MODE_AUTO && lz_euid() != 0);
    if (cfg->rootless && rootless_defaults(cfg) != 0)
        cfg->xdg_missing = 1;
}

/* --------------------------------------------------------------- loading -- */

int lz_config_load(struct lz_config *cfg, char *err, size_t errlen)
{
    defaults(cfg);
    env_scan();
    lz_conf_free(&g_conf);
    if (lz_conf_read(cfg->config_path, &cfg->config_found, &g_conf, err, errlen) != 0 ||
        check_keys(cfg, err, errlen) != 0) {
        lz_conf_free(&g_conf);
        return -1;
    }
    for (int order = 0; order < lz_nsettings; order++) {
        int i = 0;
        while (lz_settings[i].check != order)
            i++;
        if (apply(cfg, i, err, errlen) != 0)
            return -1;
        if (lz_settings[i].off == offsetof(struct lz_config, mode))
            settle_mode(cfg); /* before the paths' own settings */
    }
    int dr = lz_setting_index("LAZYDIND_DATA_ROOT");
    cfg->data_root_set = cfg->origin[dr].src != LZ_SRC_DEFAULT;
    return 0;
}
