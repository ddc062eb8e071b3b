/* The `lazydind` command table: one entry per command, from which main()
 * dispatches and the usage text (`lazydind --help`) is made. The same
 * commands are described in docs/commands.md (and so in lazydind(1)); a unit
 * test keeps the two in step. */
#ifndef LAZYDIND_CMDTABLE_H
#define LAZYDIND_CMDTABLE_H

#include <stddef.h>
#include <stdio.h>

/* Internal: dispatched, never listed in the usage text. */
#define LZ_CMD_HIDDEN 1u

struct lz_command {
    const char *name;    /* argv[1] */
    const char *aliases; /* other spellings, space-separated, or NULL */
    const char *args;    /* synopsis of its arguments, "" when none */
    const char *summary; /* for the usage text; '\n' starts another line */
    int (*run)(int argc, char **argv); /* gets the whole argv */
    unsigned flags;      /* LZ_CMD_HIDDEN */
};

/* A page of docs/ that the usage text names. */
struct lz_doc_page {
    const char *path;    /* "docs/commands.md" */
    const char *subject;
};

extern const struct lz_command lz_commands[];
extern const size_t lz_ncommands;
extern const struct lz_doc_page lz_doc_pages[];
extern const size_t lz_ndoc_pages;

/* The entry whose name or alias is exactly name, or NULL. */
const struct lz_command *lz_command_find(const char *name);

/* Writes the usage text, made from the tables, to out. */
void lz_usage_write(FILE *out);

#endif
