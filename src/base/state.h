/* The runtime state lazydind keeps in its runtime dir, typed: what the
 * supervisor is doing (`state`), how dockerd last ended (`exit`), the start
 * generation (`gen`) and the tmpfs it mounted (`mounted`). Each record has
 * one load and one store; on disk they stay small key=value files (kv.h),
 * replaced atomically, so a reader never sees half a record. The supervisor
 * (rootful or rootless) is the only writer of `state` and `exit`. */
#ifndef LAZYDIND_STATE_H
#define LAZYDIND_STATE_H

#include "base/kv.h"
#include "base/rundir.h"
#include "base/util.h"

#include <stddef.h>
#include <stdint.h>

/* `state`: the supervisor's view, rewritten on every change. */
struct lz_state {
    long long gen;                  /* the start generation it serves */
    char phase[16];                 /* armed, running, backoff, gave_up (rootful);
                                       running, stopped (rootless) */
    char mode[16];                  /* "" (rootful) or "rootless" */
    int supervisor_pid;
    int dockerd_pid;                /* 0 when none; rootlesskit in rootless mode */
    int ready;                      /* dockerd said READY=1 */
    long long started_ms;           /* wall clock of the last spawn, ms; 0 none */
    char data_root[LZ_PATH_MAX];
    int tmpfs_mounted;
    char socket[LZ_PATH_MAX];
    char log[LZ_PATH_MAX];
    long long log_offset;           /* where the current dockerd's output starts */
    int failures;                   /* in the current burst */
    int spawns;
    char storage_driver[32];        /* rootless: the driver chosen, else "" */
    char reason[1024];              /* gave_up: why */
};

/* `exit`: how the last dockerd ended. */
struct lz_exit_record {
    long long gen;
    int pid;
    char status[64];                /* "exited with status 1", "killed by signal 9" */
    long long time;                 /* wall clock, s */
    int ready;                      /* it had been ready */
    char reason[1024];              /* the most telling line of its output */
};

/* Load: 0 when the record was read; -1 when absent or unreadable (dirfd may
 * be -1), with *out zeroed. A malformed field reads as 0 or "". */
int lz_state_load(int dirfd, struct lz_state *out);
int lz_exit_load(int dirfd, struct lz_exit_record *out);
/* Store: atomic replacement; 0, or -1 with errno. */
int lz_state_store(int dirfd, const struct lz_state *st);
int lz_exit_store(int dirfd, const struct lz_exit_record *ex);

/* The text form of a record (what store writes), for tests and logs. */
void lz_state_format(const struct lz_state *st, char *out, size_t outlen);
void lz_exit_format(const struct lz_exit_record *ex, char *out, size_t outlen);
void lz_state_parse(const char *text, struct lz_state *out);
void lz_exit_parse(const char *text, struct lz_exit_record *out);

/* `warm`: the few fields of a rootful state that the shim's warm path needs
 * (phase, ready, the two pids, the socket), as the target of a symlink, so
 * that one readlink(2) reads them: no open, read and close of `state`, no
 * parse of its sixteen lines. lz_state_store writes it after `state` when
 * the state is rootful and removes it otherwise; lz_state_clear removes it
 * before `state`. It is a summary, never the truth: a reader that cannot use
 * it (absent, malformed, or not saying ready) reads `state`.
 * Format: "w1 PHASE READY SUPERVISOR_PID DOCKERD_PID SOCKET", the socket last
 * (it may hold spaces). */
#define LZ_WARM_HINT "warm"
void lz_warm_hint_format(const struct lz_state *st, char *out, size_t outlen);
/* 0 and *out (zeroed, then those fields), or -1 when text is not a hint. */
int lz_warm_hint_parse(const char *text, struct lz_state *out);

/* Removes `state` (a supervisor that ends, or `stop` after it) or
 * `mounted` (once that tmpfs is unmounted). */
void lz_state_clear(int dirfd);
void lz_mounted_clear(int dirfd);

/* `gen`: bumped by the starter before it starts a supervisor, so a waiter
 * can tell this start's exit record from an older one. 0 when absent. */
long long lz_gen_load(int dirfd);
int lz_gen_store(int dirfd, long long gen);

/* `mounted`: the path of the tmpfs lazydind mounted on the data-root, so
 * that only a recorded one is ever unmounted. "" when none. */
int lz_mounted_load(int dirfd, char *path, size_t pathlen);
int lz_mounted_store(int dirfd, const char *path);

#endif
