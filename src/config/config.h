/* lazydind's settings: LAZYDIND_* variables, else lazydind.conf keys, else
 * defaults, validated, from one table (lz_settings: settings.h describes a
 * row). The syntaxes of the values are in parse.h and dvalue.h. */
#ifndef LAZYDIND_CONFIG_H
#define LAZYDIND_CONFIG_H

#include "base/util.h"
#include "config/confread.h"
#include "config/parse.h"
#include "config/settings.h"

#include <stddef.h>
#include <stdint.h>

enum lz_tmpfs_mode { LZ_TMPFS_AUTO, LZ_TMPFS_ALWAYS, LZ_TMPFS_NEVER };
enum lz_mode { LZ_MODE_AUTO, LZ_MODE_ROOTFUL, LZ_MODE_ROOTLESS };
enum lz_iptables { LZ_IPT_AUTO, LZ_IPT_NFT, LZ_IPT_LEGACY, LZ_IPT_OFF };

#define LZ_MAX_SETTINGS 40

/* Where a setting came from. A variable beats the config file, which beats
 * the default; data-root may also come from the user's daemon.json. */
enum lz_source { LZ_SRC_DEFAULT, LZ_SRC_ENV, LZ_SRC_FILE, LZ_SRC_DAEMON_JSON,
                 LZ_SRC_ALT_ENV /* the setting's alt_env (CUSTOM_CA_CERT_PATH) */ };

struct lz_config {
    int64_t start_timeout_ms;       /* LAZYDIND_START_TIMEOUT */
    int quiet;                      /* LAZYDIND_QUIET */
    int preflight;                  /* LAZYDIND_PREFLIGHT: doctor's checks
                                       before starting anything */
    enum lz_tmpfs_mode tmpfs;       /* LAZYDIND_TMPFS */
    char tmpfs_size[32];            /* LAZYDIND_TMPFS_SIZE, mount option value or "" */
    char data_root[LZ_PATH_MAX];    /* LAZYDIND_DATA_ROOT */
    int data_root_set;              /* 1 when given by the user (env or daemon.json) */
    char dockerd[LZ_PATH_MAX];      /* LAZYDIND_DOCKERD */
    const char *dockerd_args;       /* LAZYDIND_DOCKERD_ARGS, unsplit, or NULL */
    char log_path[LZ_PATH_MAX];     /* LAZYDIND_LOG */
    int64_t log_max;                /* LAZYDIND_LOG_MAX, bytes */
    const char *docker;             /* LAZYDIND_DOCKER or NULL */
    char run_dir[LZ_PATH_MAX];      /* LAZYDIND_RUN_DIR */
    char socket_path[LZ_PATH_MAX];  /* the managed daemon socket */
    char daemon_json[LZ_PATH_MAX];  /* the user's daemon config file */
    int64_t idle_timeout_ms;        /* LAZYDIND_IDLE_TIMEOUT, 0 = never */
    enum lz_mode mode;              /* LAZYDIND_MODE as given */
    int rootless;                   /* the mode in effect: auto picks rootless
                                       for a non-root user */
    int xdg_missing;                /* rootless without a usable XDG_RUNTIME_DIR */
    enum lz_iptables iptables;      /* LAZYDIND_IPTABLES */
    /* lazydind.conf, and dockerd's settings (validated text, NULL when
     * unset; dmerge.c makes them daemon.json keys) */
    char config_path[LZ_PATH_MAX];  /* LAZYDIND_CONFIG or the default */
    int config_found;               /* 1 read, 0 absent, -1 not readable */
    const char *registry_mirrors;   /* LAZYDIND_REGISTRY_MIRRORS */
    const char *insecure_registries;/* LAZYDIND_INSECURE_REGISTRIES */
    const char *storage_driver;     /* LAZYDIND_STORAGE_DRIVER */
    int mtu;                        /* LAZYDIND_MTU, 0 = unset */
    const char *bip;                /* LAZYDIND_BIP */
    const char *default_address_pools; /* LAZYDIND_DEFAULT_ADDRESS_POOLS */
    const char *dns;                /* LAZYDIND_DNS */
    const char *log_level;          /* LAZYDIND_LOG_LEVEL */
    const char *ca_certs;           /* LAZYDIND_CA_CERTS: PEM files and dirs,
                                       comma-separated (cacerts.h) */
    const char *preload;            /* LAZYDIND_PRELOAD: image archives, or NULL */
    const char *min_api_version;    /* LAZYDIND_MIN_API_VERSION ("1.N"), for
                                       dockerd's DOCKER_MIN_API_VERSION */
    struct lz_origin {
        unsigned char src;          /* enum lz_source */
        int line, col;              /* in the config file */
        const char *value;          /* the text as given */
    } origin[LZ_MAX_SETTINGS];      /* indexed like lz_settings */
};

/* Every setting, in the order `lazydind config` shows them. */
extern const struct lz_setting lz_settings[];
extern const int lz_nsettings;
/* The index of a LAZYDIND_* variable in lz_settings, or -1. */
int lz_setting_index(const char *env_name);
/* The setting whose lazydind.conf key is key, or NULL. */
const struct lz_setting *lz_setting_by_key(const char *key);
/* The conf key closest to a misspelt key or variable name, or NULL. */
const char *lz_setting_suggest(const char *name);
/* Where a setting's value came from: "LAZYDIND_MTU", "/etc/lazydind/
 * lazydind.conf:3 (mtu)", the daemon.json path, or "default". */
void lz_config_origin(const struct lz_config *cfg, const char *env_name,
                      char *out, size_t outlen);

/* Fills cfg from the environment and the config file (LAZYDIND_CONFIG, else
 * /etc/lazydind/lazydind.conf when it exists; a variable beats the file).
 * On a bad value writes a one-line message naming the variable (or
 * file:line:column and key) and the fix into err and returns -1. Values
 * taken from the file stay valid until the next call. */
int lz_config_load(struct lz_config *cfg, char *err, size_t errlen);

/* The JSON value of a dockerd setting given as text (the syntax of its
 * LAZYDIND_* variable): key is the daemon.json key of a row of lz_settings
 * that has a dvalue (a dockerd setting). Returns 0 and, when out is
 * not NULL, a new reference in *out; else -1 with what is wrong and how to
 * fix it in why. */
int lz_dconf_value(const char *key, const char *text, json_t **out, char *why,
                   size_t whylen);

#endif
