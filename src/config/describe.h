/* Text for the user's eyes: settings, paths and flags as JSON strings
 * (`lazydind config --json`, the origins of the generated config), and
 * proxy URLs without their passwords. */
#ifndef LAZYDIND_DESCRIBE_H
#define LAZYDIND_DESCRIBE_H

#include <jansson.h>
#include <stddef.h>

/* A JSON string for display: s (n bytes) as is when it is UTF-8, else with
 * every byte above 0x7f shown as '?'. jansson refuses strings that are not
 * UTF-8 (json_string returns NULL), and settings and flags may hold any
 * bytes. */
json_t *lz_json_text(const char *s, size_t n);

/* A proxy URL for display, with any password replaced by "***". */
void lz_redact_url(const char *url, char *out, size_t outlen);

#endif
