#define _GNU_SOURCE
#include "config/config.h"
#include "config/conffile.h"
#include "config/daemonconf.h"
#include "base/safepath.h"
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_DATA_ROOT "/var/lib/docker"
#define DEFAULT_LOG "/var/log/lazydind/dockerd.log"
#define DEFAULT_RUN_DIR "/run/lazydind"
#define DEFAULT_SOCKET "/var/run/docker.sock"
#define DEFAULT_DAEMON_JSON "/etc/docker/daemon.json"
#define MAX_DURATION_MS (24LL * 3600 * 1000)

int lz_parse_duration_ms(const char *s, int64_t *out)
{
    if (!s || !*s)
        return -1;
    int64_t total = 0;
    const char *p = s;
    int units = 0;
    while (*p) {
        if (!isdigit((unsigned char)*p))
            return -1;
        int64_t v = 0;
        while (isdigit((unsigned char)*p)) {
            v = v * 10 + (*p - '0');
            if (v > MAX_DURATION_MS)
                return -1;
            p++;
        }
        int64_t mult;
        if (*p == '\0') {
            if (units) /* "1m30" is ambiguous */
                return -1;
            mult = 1000;
        } else if (strncmp(p, "ms", 2) == 0) {
            mult = 1;
            p += 2;
        } else if (*p == 's') {
            mult = 1000;
            p++;
        } else if (*p == 'm') {
            mult = 60 * 1000;
            p++;
        } else if (*p == 'h') {
            mult = 3600 * 1000;
            p++;
        } else {
            return -1;
        }
        units++;
        total += v * mult;
        if (total > MAX_DURATION_MS)
            return -1;
    }
    *out = total;
    return 0;
}

int lz_parse_size(const char *s, int64_t *out)
{
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    int64_t v = 0;
    const char *p = s;
    while (isdigit((unsigned char)*p)) {
        v = v * 10 + (*p - '0');
        if (v > (1LL << 50))
            return -1;
        p++;
    }
    int shift = 0;
    switch (tolower((unsigned char)*p)) {
    case '\0': break;
    case 'k': shift = 10; p++; break;
    case 'm': shift = 20; p++; break;
    case 'g': shift = 30; p++; break;
    case 't': shift = 40; p++; break;
    case 'b': break;
    default: return -1;
    }
    if (shift && (*p == 'i' || *p == 'I'))
        p++;
    if (*p == 'b' || *p == 'B')
        p++;
    if (*p != '\0')
        return -1;
    if (shift && v > (INT64_MAX >> shift))
        return -1;
    *out = v << shift;
    return 0;
}

int lz_parse_bool(const char *s, int *out)
{
    static const char *yes[] = {"1", "true", "yes", "on"};
    static const char *no[] = {"0", "false", "no", "off"};
    if (!s)
        return -1;
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

int lz_parse_tmpfs_size(const char *s, char *out, size_t outlen)
{
    size_t n = s ? strlen(s) : 0;
    if (n >= 2 && s[n - 1] == '%') {
        int v = 0;
        for (size_t i = 0; i + 1 < n; i++) {
            if (!isdigit((unsigned char)s[i]) || v > 100)
                return -1;
            v = v * 10 + (s[i] - '0');
        }
        if (v < 1 || v > 100)
            return -1;
        return snprintf(out, outlen, "%d%%", v) < (int)outlen ? 0 : -1;
    }
    int64_t bytes;
    if (lz_parse_size(s, &bytes) != 0 || bytes < (1 << 20))
        return -1;
    return snprintf(out, outlen, "%lld", (long long)bytes) < (int)outlen ? 0 : -1;
}

int lz_valid_path(const char *s)
{
    if (!s || s[0] != '/' || strlen(s) >= LZ_PATH_MAX)
        return 0;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

int lz_daemon_json_data_root(const char *path, char *out, size_t outlen,
                             char *err, size_t errlen)
{
    json_error_t je;
    FILE *f = fopen(path, "re");
    if (!f)
        return 0; /* absent (or unreadable: dockerd will say so) */
    json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
    fclose(f);
    if (!root) {
        snprintf(err, errlen,
                 "%s:%d:%d: %s; fix the JSON or remove the file "
                 "(nothing was started)",
                 path, je.line, je.column, je.text);
        return -1;
    }
    int found = 0;
    if (!json_is_object(root)) {
        snprintf(err, errlen, "%s: the top level must be a JSON object", path);
        json_decref(root);
        return -1;
    }
    json_t *dr = json_object_get(root, "data-root");
    if (dr) {
        const char *v = json_string_value(dr);
        if (!v || !lz_valid_path(v) || lz_strlcpy(out, v, outlen) != 0) {
            snprintf(err, errlen,
                     "%s: \"data-root\" must be an absolute path string", path);
            json_decref(root);
            return -1;
        }
        found = 1;
    }
    json_decref(root);
    return found;
}

/* ---- where settings come from: variables, then lazydind.conf ---- */

const struct lz_setting lz_settings[] = {
    {"LAZYDIND_DOCKER", "docker", "docker.real beside the shim, else the next docker on PATH"},
    {"LAZYDIND_START_TIMEOUT", "start-timeout", "60s"},
    {"LAZYDIND_QUIET", "quiet", "0"},
    {"LAZYDIND_MODE", "mode", "auto"},
    {"LAZYDIND_IPTABLES", "iptables", "auto"},
    {"LAZYDIND_DATA_ROOT", "data-root", DEFAULT_DATA_ROOT},
    {"LAZYDIND_TMPFS", "tmpfs", "auto"},
    {"LAZYDIND_TMPFS_SIZE", "tmpfs-size", "half of RAM"},
    {"LAZYDIND_DOCKERD", "dockerd", "dockerd on PATH"},
    {"LAZYDIND_DOCKERD_ARGS", "dockerd-args", "none"},
    {"LAZYDIND_LOG", "log", DEFAULT_LOG},
    {"LAZYDIND_LOG_MAX", "log-max", "10M"},
    {"LAZYDIND_RUN_DIR", "run-dir", DEFAULT_RUN_DIR},
    {"LAZYDIND_IDLE_TIMEOUT", "idle-timeout", "0 (never)"},
    {"LAZYDIND_DAEMON_JSON", "daemon-json", DEFAULT_DAEMON_JSON},
    {"LAZYDIND_REGISTRY_MIRRORS", "registry-mirrors", "none"},
    {"LAZYDIND_INSECURE_REGISTRIES", "insecure-registries", "none (dockerd: 127.0.0.0/8)"},
    {"LAZYDIND_STORAGE_DRIVER", "storage-driver", "dockerd's choice"},
    {"LAZYDIND_MTU", "mtu", "the pod's MTU when below 1500"},
    {"LAZYDIND_BIP", "bip", "dockerd's choice"},
    {"LAZYDIND_DEFAULT_ADDRESS_POOLS", "default-address-pools",
     "dockerd's, without those the pod's network uses"},
    {"LAZYDIND_DNS", "dns", "the pod's resolv.conf"},
    {"LAZYDIND_LOG_LEVEL", "log-level", "info"},
    {"LAZYDIND_PREFLIGHT", "preflight", "1"},
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

void lz_config_origin(const struct lz_config *cfg, const char *env_name,
                      char *out, size_t outlen)
{
    int i = lz_setting_index(env_name);
    const struct lz_origin *o = i >= 0 ? &cfg->origin[i] : NULL;
    if (!o || o->src == LZ_SRC_DEFAULT)
        snprintf(out, outlen, "default");
    else if (o->src == LZ_SRC_ENV)
        snprintf(out, outlen, "%s", env_name);
    else if (o->src == LZ_SRC_FILE)
        snprintf(out, outlen, "%s:%d (%s)", cfg->config_path, o->line,
                 lz_settings[i].key);
    else
        snprintf(out, outlen, "%s", cfg->daemon_json);
}

static struct lz_conf g_conf;         /* the file's values, until the next load */
static struct lz_config *g_cfg;       /* the config being loaded */
static int g_last = -1;               /* the setting looked up last */

/* Edit distance, capped: for "did you mean" on unknown keys. */
static int distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int row[LZ_CONF_KEY_MAX + 1];
    if (la > LZ_CONF_KEY_MAX || lb > LZ_CONF_KEY_MAX)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The known key closest to an unknown one, or NULL. */
static const char *suggest(const char *key)
{
    char norm[LZ_CONF_KEY_MAX];
    size_t n = 0;
    for (const char *p = key; *p && n + 1 < sizeof norm; p++)
        norm[n++] = *p == '_' ? '-' : (char)tolower((unsigned char)*p);
    norm[n] = '\0';
    const char *k = strncmp(norm, "lazydind-", 9) == 0 ? norm + 9 : norm;
    const char *best = NULL;
    int bd = strlen(k) <= 4 ? 2 : 3; /* at most 1 edit in a short key, else 2 */
    for (int i = 0; i < lz_nsettings; i++) {
        int d = distance(k, lz_settings[i].key);
        if (d < bd) {
            bd = d;
            best = lz_settings[i].key;
        }
    }
    return best;
}

const char *lz_setting_suggest(const char *name)
{
    return suggest(name);
}

/* Reads and checks the config file; its values are looked up by env(). */
static int load_conf_file(struct lz_config *cfg, char *err, size_t errlen)
{
    const char *p = getenv("LAZYDIND_CONFIG");
    int explicit = p && *p;
    lz_conf_free(&g_conf);
    strcpy(cfg->config_path, LZ_DEFAULT_CONFIG);
    if (explicit) {
        if (!lz_valid_path(p)) {
            snprintf(err, errlen, "LAZYDIND_CONFIG='%s' is not an absolute path; "
                     "use e.g. /etc/lazydind/lazydind.conf", p);
            return -1;
        }
        strcpy(cfg->config_path, p);
    }
    /* symlinks are followed: Kubernetes mounts ConfigMap keys as symlinks */
    int fd = open(cfg->config_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (!explicit && (errno == ENOENT || errno == ENOTDIR))
            return 0;
        if (!explicit && errno == EACCES && geteuid() != 0) {
            cfg->config_found = -1; /* root reads it when it starts dockerd */
            return 0;
        }
        snprintf(err, errlen, "cannot read the config file %s%s: %s",
                 cfg->config_path, explicit ? " (LAZYDIND_CONFIG)" : "",
                 strerror(errno));
        return -1;
    }
    /* root obeys it (it may name the dockerd binary): nobody else may be
     * able to change it */
    char why[1024];
    if (geteuid() == 0 && lz_file_trusted(cfg->config_path, fd, why, sizeof why) != 0) {
        snprintf(err, errlen, "will not read the config file %s as root: %s",
                 cfg->config_path, why);
        close(fd);
        return -1;
    }
    struct stat st;
    enum { MAX_CONF = 256 * 1024 };
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_CONF) {
        snprintf(err, errlen, "the config file %s is not a regular file of at "
                 "most 256 KiB", cfg->config_path);
        close(fd);
        return -1;
    }
    /* sized by fstat (+1 to see a file that grew meanwhile) */
    size_t cap = (size_t)st.st_size + 2;
    char *text = malloc(cap);
    ssize_t n = text ? lz_read_all(fd, text, cap) : -1;
    close(fd);
    if (n < 0 || n > st.st_size) {
        free(text);
        snprintf(err, errlen, "cannot read the config file %s", cfg->config_path);
        return -1;
    }
    struct lz_conf_error e;
    int rc = lz_conf_parse(text, (size_t)n, &g_conf, &e);
    free(text);
    if (rc != 0) {
        snprintf(err, errlen, "%s:%d:%d: %s", cfg->config_path, e.line, e.col, e.what);
        return -1;
    }
    for (int i = 0; i < g_conf.n; i++) {
        const struct lz_conf_entry *en = &g_conf.v[i];
        int known = 0;
        for (int k = 0; k < lz_nsettings && !known; k++)
            known = strcmp(en->key, lz_settings[k].key) == 0;
        if (known)
            continue;
        const char *s = suggest(en->key);
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
        lz_conf_free(&g_conf);
        return -1;
    }
    cfg->config_found = 1;
    return 0;
}

/* A setting's value: its variable when set and not empty, else its key in
 * the config file (an empty value there is unset too). Records the origin.
 * Names that are not settings (HOME, XDG_*) are plain variables. */
static const char *env(const char *name)
{
    const char *v = getenv(name);
    int i = lz_setting_index(name);
    if (i < 0)
        return (v && *v) ? v : NULL;
    g_last = i;
    struct lz_origin *o = g_cfg ? &g_cfg->origin[i] : NULL;
    if (v && *v) {
        if (o)
            *o = (struct lz_origin){LZ_SRC_ENV, 0, 0, v};
        return v;
    }
    const struct lz_conf_entry *e = lz_conf_find(&g_conf, lz_settings[i].key);
    if (e && *e->value) {
        if (o)
            *o = (struct lz_origin){LZ_SRC_FILE, e->line, e->value_col, e->value};
        return e->value;
    }
    return NULL;
}

/* The message for a bad value. Every message starts "VARIABLE='value'";
 * a value from the config file is named by file:line:column and key. */
static int bad(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(char *err, size_t errlen, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const struct lz_origin *o = (g_cfg && g_last >= 0) ? &g_cfg->origin[g_last] : NULL;
    size_t n = g_last >= 0 ? strlen(lz_settings[g_last].env) : 0;
    if (o && o->src == LZ_SRC_FILE && strncmp(msg, lz_settings[g_last].env, n) == 0 &&
        msg[n] == '=')
        snprintf(err, errlen, "%s:%d:%d: %s%s", g_cfg->config_path, o->line, o->col,
                 lz_settings[g_last].key, msg + n);
    else
        snprintf(err, errlen, "%s", msg);
    return -1;
}

/* Rootless mode keeps everything under the user's own dirs: the socket and
 * runtime state in $XDG_RUNTIME_DIR (as dockerd-rootless.sh does), the
 * data-root and daemon.json where rootless dockerd looks for them. Returns
 * -1 when XDG_RUNTIME_DIR is unset or unusable (reported on the cold path,
 * so that client-only commands still work). */
static int rootless_defaults(struct lz_config *cfg)
{
    const char *xdg = env("XDG_RUNTIME_DIR");
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
    const char *home = env("HOME");
    const char *cfgdir = env("XDG_CONFIG_HOME");
    const char *datadir = env("XDG_DATA_HOME");
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

#define BAD(...) return bad(err, errlen, __VA_ARGS__)

int lz_config_load(struct lz_config *cfg, char *err, size_t errlen)
{
    const char *v;
    memset(cfg, 0, sizeof *cfg);
    cfg->start_timeout_ms = 60000;
    cfg->log_max = 10LL << 20;
    cfg->tmpfs = LZ_TMPFS_AUTO;
    strcpy(cfg->data_root, DEFAULT_DATA_ROOT);
    strcpy(cfg->dockerd, "dockerd");
    strcpy(cfg->log_path, DEFAULT_LOG);
    strcpy(cfg->run_dir, DEFAULT_RUN_DIR);
    strcpy(cfg->socket_path, DEFAULT_SOCKET);
    strcpy(cfg->daemon_json, DEFAULT_DAEMON_JSON);
    g_cfg = cfg;
    g_last = -1;
    if (load_conf_file(cfg, err, errlen) != 0)
        return -1;

    if ((v = env("LAZYDIND_MODE"))) {
        if (strcmp(v, "auto") == 0)
            cfg->mode = LZ_MODE_AUTO;
        else if (strcmp(v, "rootful") == 0)
            cfg->mode = LZ_MODE_ROOTFUL;
        else if (strcmp(v, "rootless") == 0)
            cfg->mode = LZ_MODE_ROOTLESS;
        else
            BAD("LAZYDIND_MODE='%s' is not one of auto, rootful, rootless", v);
    }
    cfg->rootless = cfg->mode == LZ_MODE_ROOTLESS ||
                    (cfg->mode == LZ_MODE_AUTO && geteuid() != 0);
    if (cfg->rootless && rootless_defaults(cfg) != 0)
        cfg->xdg_missing = 1;
    if ((v = env("LAZYDIND_IPTABLES"))) {
        if (strcmp(v, "auto") == 0)
            cfg->iptables = LZ_IPT_AUTO;
        else if (strcmp(v, "nft") == 0)
            cfg->iptables = LZ_IPT_NFT;
        else if (strcmp(v, "legacy") == 0)
            cfg->iptables = LZ_IPT_LEGACY;
        else if (strcmp(v, "off") == 0)
            cfg->iptables = LZ_IPT_OFF;
        else
            BAD("LAZYDIND_IPTABLES='%s' is not one of auto, nft, legacy, off", v);
    }

    if ((v = env("LAZYDIND_QUIET")) && lz_parse_bool(v, &cfg->quiet) != 0)
        BAD("LAZYDIND_QUIET='%s' is not a boolean; use 1 or 0", v);
    cfg->preflight = 1;
    if ((v = env("LAZYDIND_PREFLIGHT")) && lz_parse_bool(v, &cfg->preflight) != 0)
        BAD("LAZYDIND_PREFLIGHT='%s' is not a boolean; use 1 (check the pod "
            "before starting dockerd) or 0", v);
    if ((v = env("LAZYDIND_START_TIMEOUT"))) {
        if (lz_parse_duration_ms(v, &cfg->start_timeout_ms) != 0 ||
            cfg->start_timeout_ms < 100)
            BAD("LAZYDIND_START_TIMEOUT='%s' is not a duration between 100ms "
                "and 24h; use e.g. 60s, 500ms or 2m", v);
    }
    if ((v = env("LAZYDIND_TMPFS"))) {
        if (strcmp(v, "auto") == 0)
            cfg->tmpfs = LZ_TMPFS_AUTO;
        else if (strcmp(v, "always") == 0)
            cfg->tmpfs = LZ_TMPFS_ALWAYS;
        else if (strcmp(v, "never") == 0)
            cfg->tmpfs = LZ_TMPFS_NEVER;
        else
            BAD("LAZYDIND_TMPFS='%s' is not one of auto, always, never", v);
    }
    if ((v = env("LAZYDIND_TMPFS_SIZE")) &&
        lz_parse_tmpfs_size(v, cfg->tmpfs_size, sizeof cfg->tmpfs_size) != 0)
        BAD("LAZYDIND_TMPFS_SIZE='%s' is not a size of at least 1M or a "
            "percentage of memory; use e.g. 8g or 50%%", v);
    if ((v = env("LAZYDIND_DATA_ROOT"))) {
        if (!lz_valid_path(v))
            BAD("LAZYDIND_DATA_ROOT='%s' is not an absolute path; use e.g. "
                "/workspace/.docker-data", v);
        strcpy(cfg->data_root, v);
        cfg->data_root_set = 1;
    }
    if ((v = env("LAZYDIND_DOCKERD"))) {
        if (strlen(v) >= LZ_PATH_MAX || strchr(v, '\n') ||
            (strchr(v, '/') && v[0] != '/'))
            BAD("LAZYDIND_DOCKERD='%s' is not a command name or an absolute "
                "path; use e.g. /usr/bin/dockerd", v);
        strcpy(cfg->dockerd, v);
    }
    cfg->dockerd_args = env("LAZYDIND_DOCKERD_ARGS");
    if ((v = env("LAZYDIND_LOG"))) {
        if (!lz_valid_path(v))
            BAD("LAZYDIND_LOG='%s' is not an absolute path; use e.g. "
                "/var/log/lazydind/dockerd.log", v);
        strcpy(cfg->log_path, v);
    }
    if ((v = env("LAZYDIND_LOG_MAX"))) {
        if (lz_parse_size(v, &cfg->log_max) != 0 || cfg->log_max < 4096)
            BAD("LAZYDIND_LOG_MAX='%s' is not a size of at least 4k; use e.g. "
                "10M", v);
    }
    if ((v = env("LAZYDIND_DOCKER"))) {
        if (!lz_valid_path(v))
            BAD("LAZYDIND_DOCKER='%s' is not an absolute path; point it at the "
                "real docker CLI, e.g. /usr/bin/docker", v);
        cfg->docker = v;
    }
    if ((v = env("LAZYDIND_RUN_DIR"))) {
        if (!lz_valid_path(v) || strlen(v) > 80)
            BAD("LAZYDIND_RUN_DIR='%s' is not an absolute path of at most 80 "
                "bytes; use e.g. /run/lazydind", v);
        strcpy(cfg->run_dir, v);
    }
    if ((v = env("LAZYDIND_IDLE_TIMEOUT"))) {
        if (strcmp(v, "0") == 0 || strcmp(v, "off") == 0)
            cfg->idle_timeout_ms = 0;
        else if (lz_parse_duration_ms(v, &cfg->idle_timeout_ms) != 0 ||
                 cfg->idle_timeout_ms < 1000)
            BAD("LAZYDIND_IDLE_TIMEOUT='%s' is not a duration of at least 1s; "
                "use e.g. 15m, or 0 to never stop an idle daemon", v);
    }
    if ((v = env("LAZYDIND_DAEMON_JSON"))) {
        if (!lz_valid_path(v))
            BAD("LAZYDIND_DAEMON_JSON='%s' is not an absolute path", v);
        strcpy(cfg->daemon_json, v);
    }
    /* dockerd's settings: checked here, made into daemon.json keys by
     * daemonconf.c */
    static const struct {
        const char *env, *key;
        size_t off;
    } dset[] = {
        {"LAZYDIND_REGISTRY_MIRRORS", "registry-mirrors",
         offsetof(struct lz_config, registry_mirrors)},
        {"LAZYDIND_INSECURE_REGISTRIES", "insecure-registries",
         offsetof(struct lz_config, insecure_registries)},
        {"LAZYDIND_STORAGE_DRIVER", "storage-driver",
         offsetof(struct lz_config, storage_driver)},
        {"LAZYDIND_MTU", "mtu", 0},
        {"LAZYDIND_BIP", "bip", offsetof(struct lz_config, bip)},
        {"LAZYDIND_DEFAULT_ADDRESS_POOLS", "default-address-pools",
         offsetof(struct lz_config, default_address_pools)},
        {"LAZYDIND_DNS", "dns", offsetof(struct lz_config, dns)},
        {"LAZYDIND_LOG_LEVEL", "log-level", offsetof(struct lz_config, log_level)},
    };
    for (size_t i = 0; i < sizeof dset / sizeof dset[0]; i++) {
        char why[512];
        if (!(v = env(dset[i].env)))
            continue;
        if (lz_dconf_value(dset[i].key, v, NULL, why, sizeof why) != 0)
            BAD("%s='%s' %s", dset[i].env, v, why);
        if (dset[i].off)
            *(const char **)(void *)((char *)cfg + dset[i].off) = v;
        else
            cfg->mtu = atoi(v);
    }
    return 0;
}
