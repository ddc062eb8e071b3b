/* LAZYDIND_PRELOAD: the image archives the first dockerd of a pod loads
 * (docs/preload.md). Pure parsing: the setting's syntax, checking that its
 * paths exist, and comparing image references. */
#ifndef LAZYDIND_CONFIG_PRELOAD_H
#define LAZYDIND_CONFIG_PRELOAD_H

#include "config/settings.h"

#include <stddef.h>

/* The setting's kind: one or more absolute paths, separated by ':' or ',',
 * each an existing file or directory; the text is kept (const char *). */
lz_setting_parse lz_set_preload;

/* Calls fn for each path of a valid value (empty items skipped); stops and
 * returns fn's result when it is not 0. */
int lz_preload_each(const char *value, int (*fn)(const char *path, void *arg),
                    void *arg);

/* An image reference in the form docker shows after a load: busybox and
 * docker.io/library/busybox become busybox:latest. 0, or -1 when it does
 * not fit cap. */
int lz_ref_normalize(const char *ref, char *out, size_t cap);

/* 1 when two references name the same image once normalized. */
int lz_ref_same(const char *a, const char *b);

#endif
