/* A row of the settings table and the kinds of value a setting can have.
 * The table itself, one row per setting, is lz_settings in config.c: its
 * variable, its lazydind.conf key, its default as shown, its kind (the
 * parse function, one of lz_set_* below, with what that kind needs) and the
 * member of struct lz_config it fills. lz_config_load, `lazydind config`,
 * the unknown-key check and dockerd's generated config all read it. */
#ifndef LAZYDIND_SETTINGS_H
#define LAZYDIND_SETTINGS_H

#include "config/dvalue.h"

#include <stddef.h>
#include <stdint.h>

struct lz_setting;

/* Checks text (not empty) and stores it in field, the setting's member of
 * struct lz_config. 0, or -1 with what is wrong in why: the text that
 * follows "VARIABLE='value' " in the message. */
typedef int lz_setting_parse(const struct lz_setting *s, const char *text,
                             void *field, char *why, size_t whylen);

struct lz_setting {
    const char *env;          /* its variable: LAZYDIND_MTU */
    const char *key;          /* its lazydind.conf key (and, for a dockerd
                                 setting, its daemon.json key): mtu */
    const char *def;          /* its default, as shown to the user */
    lz_setting_parse *parse;  /* its kind */
    size_t off;               /* its member of struct lz_config */
    const char *hint;         /* why for a bad value, for the kinds that
                                 cannot say more (all but dockerd's) */
    int check;                /* lz_config_load checks settings in this
                                 order (the first bad one is reported) */
    /* what some kinds need */
    int64_t min;                 /* durations, sizes: the least value */
    size_t cap;                  /* a char array member: its size */
    size_t maxlen;               /* a path: its longest length (0: any) */
    const char *const *choices;  /* lz_set_choice: NULL-terminated names */
    lz_dvalue_fn *dvalue;        /* a dockerd setting: its value */
    const char *alt_env;         /* read when neither the variable nor the
                                    file sets it (KubeOpenCode's name) */
};

/* The kinds. Members: const char * for text, path_ref and dockerd; int for
 * bool, choice (the index in choices, an enum) and dockerd_int; int64_t for
 * durations and sizes; char[cap] for tmpfs_size, path and command. */
lz_setting_parse lz_set_text;      /* any text, kept as given */
lz_setting_parse lz_set_bool;      /* lz_parse_bool */
lz_setting_parse lz_set_choice;    /* one of choices */
lz_setting_parse lz_set_duration;  /* milliseconds, at least min */
lz_setting_parse lz_set_duration_or_off; /* the same, or 0/off: 0 */
lz_setting_parse lz_set_size;      /* bytes, at least min */
lz_setting_parse lz_set_tmpfs_size;/* lz_parse_tmpfs_size */
lz_setting_parse lz_set_path;      /* lz_valid_path, at most maxlen bytes */
lz_setting_parse lz_set_path_list; /* comma-separated absolute paths, as given */
lz_setting_parse lz_set_path_ref;  /* lz_valid_path, the text kept */
lz_setting_parse lz_set_command;   /* a command name or an absolute path */
lz_setting_parse lz_set_dockerd;   /* a dockerd setting: dvalue takes it */
lz_setting_parse lz_set_dockerd_int; /* the same, kept as a number (mtu) */
lz_setting_parse lz_set_api_version; /* an API version 1.N, N at least min;
                                        the text kept */

/* The text of a dockerd setting (s->dvalue set) as the config starting at
 * base holds it, written to buf when it is a number; NULL when unset. */
const char *lz_setting_text(const struct lz_setting *s, const void *base,
                            char *buf, size_t cap);

#endif
