/* The typed runtime state: one table of fields per record, read and written
 * through the same table so that the two cannot disagree. */
#define _GNU_SOURCE
#include "base/state.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum ftype { F_LL, F_INT, F_STR };

struct field {
    const char *key;
    enum ftype type;
    size_t off;
    size_t size;                    /* F_STR: the buffer's size */
};

#define LL(s, m) {#m, F_LL, offsetof(struct s, m), 0}
#define INT(s, m) {#m, F_INT, offsetof(struct s, m), 0}
#define STR(s, m) {#m, F_STR, offsetof(struct s, m), sizeof(((struct s *)0)->m)}
#define KEYED(k, t, s, m, z) {k, t, offsetof(struct s, m), z}

/* The on-disk order and keys of `state` ("started" is milliseconds). */
static const struct field state_fields[] = {
    LL(lz_state, gen),
    STR(lz_state, phase),
    STR(lz_state, mode),
    INT(lz_state, supervisor_pid),
    INT(lz_state, dockerd_pid),
    INT(lz_state, ready),
    KEYED("started", F_LL, lz_state, started_ms, 0),
    STR(lz_state, data_root),
    INT(lz_state, tmpfs_mounted),
    STR(lz_state, socket),
    STR(lz_state, log),
    LL(lz_state, log_offset),
    INT(lz_state, failures),
    INT(lz_state, spawns),
    STR(lz_state, storage_driver),
    STR(lz_state, reason),
};

static const struct field exit_fields[] = {
    LL(lz_exit_record, gen),
    INT(lz_exit_record, pid),
    STR(lz_exit_record, status),
    LL(lz_exit_record, time),
    INT(lz_exit_record, ready),
    STR(lz_exit_record, reason),
};

#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

/* One value on one line: newlines in text would start a new key. */
static void put_str(char *out, size_t cap, size_t *o, const char *key, const char *v)
{
    int n = snprintf(out + *o, cap - *o, "%s=", key);
    if (n < 0 || (size_t)n >= cap - *o)
        return;
    *o += (size_t)n;
    for (; *v && *o + 2 < cap; v++)
        out[(*o)++] = (*v == '\n' || *v == '\r') ? ' ' : *v;
    out[(*o)++] = '\n';
    out[*o] = '\0';
}

static void format(const struct field *f, size_t nf, const void *rec, char *out,
                   size_t cap)
{
    const char *base = rec;
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < nf && o + 1 < cap; i++) {
        const void *p = base + f[i].off;
        int n = 0;
        if (f[i].type == F_STR) {
            put_str(out, cap, &o, f[i].key, p);
            continue;
        }
        if (f[i].type == F_LL)
            n = snprintf(out + o, cap - o, "%s=%lld\n", f[i].key, *(const long long *)p);
        else
            n = snprintf(out + o, cap - o, "%s=%d\n", f[i].key, *(const int *)p);
        if (n < 0 || (size_t)n >= cap - o)
            break;
        o += (size_t)n;
    }
}

static void parse(const struct field *f, size_t nf, const char *text, void *rec)
{
    char *base = rec;
    for (size_t i = 0; i < nf; i++) {
        void *p = base + f[i].off;
        if (f[i].type == F_STR)
            (void)lz_kv_get(text, f[i].key, p, f[i].size);
        else if (f[i].type == F_LL)
            *(long long *)p = (long long)lz_kv_int(text, f[i].key, 0);
        else
            *(int *)p = (int)lz_kv_int(text, f[i].key, 0);
    }
}

/* Large enough for every field of either record at its longest. */
enum { REC_MAX = 4 * LZ_PATH_MAX + 2048 };

static int load(int dirfd, const char *name, const struct field *f, size_t nf,
                void *rec, size_t recsize)
{
    char text[REC_MAX];
    memset(rec, 0, recsize);
    if (dirfd < 0 || lz_read_file_at(dirfd, name, text, sizeof text) <= 0)
        return -1;
    parse(f, nf, text, rec);
    return 0;
}

static int store(int dirfd, const char *name, const struct field *f, size_t nf,
                 const void *rec)
{
    char text[REC_MAX];
    format(f, nf, rec, text, sizeof text);
    return lz_state_write(dirfd, name, text);
}

void lz_state_format(const struct lz_state *st, char *out, size_t outlen)
{
    format(state_fields, NFIELDS(state_fields), st, out, outlen);
}

void lz_exit_format(const struct lz_exit_record *ex, char *out, size_t outlen)
{
    format(exit_fields, NFIELDS(exit_fields), ex, out, outlen);
}

void lz_state_parse(const char *text, struct lz_state *out)
{
    memset(out, 0, sizeof *out);
    parse(state_fields, NFIELDS(state_fields), text, out);
}

void lz_exit_parse(const char *text, struct lz_exit_record *out)
{
    memset(out, 0, sizeof *out);
    parse(exit_fields, NFIELDS(exit_fields), text, out);
}

int lz_state_load(int dirfd, struct lz_state *out)
{
    return load(dirfd, "state", state_fields, NFIELDS(state_fields), out, sizeof *out);
}

int lz_exit_load(int dirfd, struct lz_exit_record *out)
{
    return load(dirfd, "exit", exit_fields, NFIELDS(exit_fields), out, sizeof *out);
}

/* The hint after the state it sums up; none for a state the warm path
 * does not take (rootless), nor when it cannot be written: a hint older
 * than the state must not stay. */
static void warm_hint_store(int dirfd, const struct lz_state *st)
{
    char text[LZ_PATH_MAX + 96];
    if (!st->mode[0]) {
        lz_warm_hint_format(st, text, sizeof text);
        if (lz_link_write(dirfd, LZ_WARM_HINT, text) == 0)
            return;
    }
    (void)unlinkat(dirfd, LZ_WARM_HINT, 0);
}

int lz_state_store(int dirfd, const struct lz_state *st)
{
    int rc = store(dirfd, "state", state_fields, NFIELDS(state_fields), st);
    if (rc == 0)
        warm_hint_store(dirfd, st);
    return rc;
}

void lz_warm_hint_format(const struct lz_state *st, char *out, size_t outlen)
{
    snprintf(out, outlen, "w1 %s %d %d %d %s", st->phase[0] ? st->phase : "-",
             st->ready, st->supervisor_pid, st->dockerd_pid, st->socket);
}

/* One space-ended word of text into out (cap bytes): the rest, or NULL. */
static const char *hint_word(const char *text, char *out, size_t cap)
{
    size_t n = 0;
    while (text[n] && text[n] != ' ')
        n++;
    if (text[n] != ' ' || n == 0 || n >= cap)
        return NULL;
    memcpy(out, text, n);
    out[n] = '\0';
    return text + n + 1;
}

/* A non-negative decimal int word of text: the rest, or NULL. Hand-written:
 * the warm path reads this, and strtol drags in locale code. */
static const char *hint_number(const char *text, int *out)
{
    long long v = 0;
    const char *p = text;
    for (; *p >= '0' && *p <= '9' && v <= 0x7fffffff; p++)
        v = v * 10 + (*p - '0');
    if (p == text || *p != ' ' || v > 0x7fffffff)
        return NULL;
    *out = (int)v;
    return p + 1;
}

int lz_warm_hint_parse(const char *text, struct lz_state *out)
{
    char tag[4];
    memset(out, 0, sizeof *out);
    const char *p = hint_word(text, tag, sizeof tag);
    if (!p || strcmp(tag, "w1") != 0 || !(p = hint_word(p, out->phase, sizeof out->phase)) ||
        !(p = hint_number(p, &out->ready)) || !(p = hint_number(p, &out->supervisor_pid)) ||
        !(p = hint_number(p, &out->dockerd_pid)) || !*p ||
        lz_strlcpy(out->socket, p, sizeof out->socket) != 0) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    if (strcmp(out->phase, "-") == 0)
        out->phase[0] = '\0';
    return 0;
}

int lz_exit_store(int dirfd, const struct lz_exit_record *ex)
{
    return store(dirfd, "exit", exit_fields, NFIELDS(exit_fields), ex);
}

long long lz_gen_load(int dirfd)
{
    char buf[64];
    if (dirfd < 0 || lz_read_file_at(dirfd, "gen", buf, sizeof buf) <= 0)
        return 0;
    return (long long)lz_kv_int(buf, "gen", 0);
}

int lz_gen_store(int dirfd, long long gen)
{
    char buf[64];
    snprintf(buf, sizeof buf, "gen=%lld\n", gen);
    return lz_state_write(dirfd, "gen", buf);
}

int lz_mounted_load(int dirfd, char *path, size_t pathlen)
{
    char buf[LZ_PATH_MAX + 16];
    path[0] = '\0';
    if (dirfd < 0 || lz_read_file_at(dirfd, "mounted", buf, sizeof buf) <= 0)
        return -1;
    return lz_kv_get(buf, "path", path, pathlen);
}

int lz_mounted_store(int dirfd, const char *path)
{
    char buf[LZ_PATH_MAX + 16];
    snprintf(buf, sizeof buf, "path=%s\n", path);
    return lz_state_write(dirfd, "mounted", buf);
}

void lz_state_clear(int dirfd)
{
    (void)unlinkat(dirfd, LZ_WARM_HINT, 0);
    (void)unlinkat(dirfd, "state", 0);
}

void lz_mounted_clear(int dirfd)
{
    (void)unlinkat(dirfd, "mounted", 0);
}
