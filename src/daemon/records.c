/* The state and exit records both supervisors write. */
#define _GNU_SOURCE
#include "daemon/records.h"
#include "base/util.h"
#include "daemon/reason.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void lz_record_state_base(struct lz_state *st, const struct lz_config *cfg,
                          long long gen)
{
    memset(st, 0, sizeof *st);
    st->gen = gen;
    st->supervisor_pid = (int)getpid();
    lz_strlcpy(st->data_root, cfg->data_root, sizeof st->data_root);
    lz_strlcpy(st->socket, cfg->socket_path, sizeof st->socket);
    lz_strlcpy(st->log, cfg->log_path, sizeof st->log);
}

void lz_wait_describe(int status, char *how, size_t cap)
{
    if (WIFEXITED(status))
        snprintf(how, cap, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(how, cap, "killed by signal %d", WTERMSIG(status));
    else
        snprintf(how, cap, "ended (wait status %d)", status);
}

void lz_record_exit(struct lz_exit_record *ex, const struct lz_config *cfg,
                    long long gen, pid_t pid, int status, int ready,
                    int64_t offset)
{
    memset(ex, 0, sizeof *ex);
    ex->gen = gen;
    ex->pid = (int)pid;
    ex->time = (long long)lz_wall_s();
    ex->ready = ready;
    lz_wait_describe(status, ex->status, sizeof ex->status);
    lz_log_reason(cfg->log_path, offset, ex->reason, sizeof ex->reason);
    for (char *p = ex->reason; *p; p++)
        if (*p == '\n')
            *p = ' ';
}
