#define _GNU_SOURCE
#include "pod/dockerd.h"
#include "base/findcli.h"
#include "base/kv.h"
#include "base/readfor.h"
#include "base/util.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CACHE "engine"
/* dockerd --version answers in tens of ms (over a second on a loaded machine);
 * a wrapper that hangs must not hold a start for long: past this the
 * engine is unknown (the generated config then uses no newer key) */
#define PROBE_TIMEOUT_MS 5000

int lz_dockerd_path(const struct lz_config *cfg, char *out, size_t cap)
{
    if (strchr(cfg->dockerd, '/'))
        return lz_strlcpy(out, cfg->dockerd, cap);
    const char *pe = getenv("PATH");
    return lz_path_search(cfg->dockerd, pe && *pe ? pe : LZ_DEFAULT_PATH, NULL,
                          out, cap);
}

/* The binary's identity for the cache. */
static void binary_id(const struct stat *st, char *out, size_t cap)
{
    snprintf(out, cap, "%llu:%llu:%lld.%09ld:%lld", (unsigned long long)st->st_dev,
             (unsigned long long)st->st_ino, (long long)st->st_mtim.tv_sec,
             (long)st->st_mtim.tv_nsec, (long long)st->st_size);
}

/* Starts argv (argv[0] a path) with stdin and stderr on /dev/null, its
 * stdout on a pipe whose read end goes to *fd, and, when env is not NULL,
 * that NAME=VALUE set. Returns its pid, or -1. */
static pid_t spawn_reader(char *const argv[], const char *env, int *fd)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0) {
        lz_reset_signals();
        /* ends with the asker (a supervisor killed while it waits) */
        (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
        int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (nul < 0 || dup2(nul, 0) < 0 || dup2(p[1], 1) < 0 || dup2(nul, 2) < 0)
            _exit(126);
        if (env)
            putenv((char *)env);
        execv(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    *fd = p[0];
    return pid;
}

/* Reads the output of a spawn_reader child until it closes it (or
 * PROBE_TIMEOUT_MS passed: the child is killed), reaps it unless someone
 * did (a supervisor reaps every child on SIGCHLD), and keeps the first line
 * in out. Returns its exit status when it was reaped here, 0 when it was
 * reaped elsewhere, -1 when it was killed. */
static int collect(pid_t pid, int fd, char *out, size_t cap)
{
    size_t n;
    int64_t deadline = lz_now_ms() + PROBE_TIMEOUT_MS;
    int killed = lz_read_for(fd, out, cap, deadline, 0, &n) == LZ_READ_DEADLINE;
    close(fd);
    char *nl = strchr(out, '\n');
    if (nl)
        *nl = '\0';
    int status = 0;
    pid_t w;
    /* its output ended: it is exiting; give it until the deadline */
    while ((w = waitpid(pid, &status, WNOHANG)) == 0 && !killed &&
           lz_now_ms() < deadline)
        usleep(1000);
    if (w == 0) {
        kill(pid, SIGKILL);
        (void)waitpid(pid, &status, 0);
        return -1;
    }
    if (killed)
        return -1;
    if (w < 0)
        return 0; /* reaped by someone else */
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Runs argv and keeps its first line of output; returns as collect(). */
static int run_first_line(char *const argv[], const char *env, char *out, size_t cap)
{
    int fd;
    pid_t pid = spawn_reader(argv, env, &fd);
    if (pid < 0) {
        out[0] = '\0';
        return -1;
    }
    return collect(pid, fd, out, cap);
}

int lz_cli_api_version(const char *cli, char *out, size_t cap)
{
    /* a host that does not exist: the CLI prints its own part and fails
     * to reach the server, which is not asked */
    char *const argv[] = {(char *)cli, "version", "--format", "{{.Client.APIVersion}}", NULL};
    int minor;
    (void)run_first_line(argv, "DOCKER_HOST=unix:///nonexistent/lazydind-doctor.sock",
                         out, cap);
    return lz_parse_api_version(out, &minor) == 0 ? 0 : -1;
}

/* 1 when path starts with "#!". */
static int is_script(const char *path)
{
    char head[2] = {0, 0};
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    return n == 2 && head[0] == '#' && head[1] == '!';
}

int lz_engine_probe_start(const struct lz_config *cfg, int dirfd, struct lz_engine *e,
                          struct lz_engine_job *job)
{
    char line[256], text[2 * LZ_PATH_MAX + 512], v[LZ_PATH_MAX];
    struct stat st;
    memset(e, 0, sizeof *e);
    job->pid = 0;
    job->fd = -1;
    job->bin[0] = job->id[0] = '\0';
    if (lz_dockerd_path(cfg, job->bin, sizeof job->bin) != 0 || stat(job->bin, &st) != 0) {
        job->bin[0] = '\0';
        return 0;
    }
    binary_id(&st, job->id, sizeof job->id);
    /* a script (a wrapper around dockerd, or a test's fake) may do anything
     * with --version, like starting a daemon or sleeping: only dockerd
     * itself, a program, is asked; a script's engine stays unknown */
    if (is_script(job->bin))
        return 0;
    if (dirfd >= 0 && lz_read_file_at(dirfd, CACHE, text, sizeof text) > 0 &&
        lz_kv_get(text, "binary", v, sizeof v) == 0 && strcmp(v, job->bin) == 0 &&
        lz_kv_get(text, "id", v, sizeof v) == 0 && strcmp(v, job->id) == 0 &&
        lz_kv_get(text, "version", line, sizeof line) == 0 &&
        lz_engine_parse(line, e) == 0)
        return 0;
    memset(e, 0, sizeof *e);
    char *const argv[] = {job->bin, "--version", NULL};
    job->pid = spawn_reader(argv, NULL, &job->fd);
    if (job->pid < 0) {
        job->pid = 0;
        job->fd = -1;
        return 0;
    }
    return 1;
}

void lz_engine_probe_finish(struct lz_engine_job *job, int dirfd, struct lz_engine *e)
{
    char line[256], text[2 * LZ_PATH_MAX + 512];
    if (job->pid <= 0)
        return;
    int rc = collect(job->pid, job->fd, line, sizeof line);
    job->pid = 0;
    job->fd = -1;
    if (rc != 0 || lz_engine_parse(line, e) != 0) {
        memset(e, 0, sizeof *e);
        return;
    }
    if (dirfd >= 0 && strchr(job->bin, '\n') == NULL) {
        snprintf(text, sizeof text, "binary=%s\nid=%s\nversion=%s\n", job->bin, job->id,
                 line);
        (void)lz_state_write(dirfd, CACHE, text);
    }
}

void lz_engine_probe_cancel(struct lz_engine_job *job)
{
    if (job->pid <= 0)
        return;
    kill(job->pid, SIGKILL);
    (void)waitpid(job->pid, NULL, 0);
    close(job->fd);
    job->pid = 0;
    job->fd = -1;
}

void lz_engine_probe(const struct lz_config *cfg, int dirfd, struct lz_engine *e,
                     char *path, size_t cap)
{
    struct lz_engine_job job;
    if (lz_engine_probe_start(cfg, dirfd, e, &job))
        lz_engine_probe_finish(&job, dirfd, e);
    if (path && cap)
        (void)lz_strlcpy(path, job.bin, cap);
}

void lz_engine_log(const struct lz_config *cfg, const struct lz_engine *e,
                   const char *path, int logfd)
{
    if (logfd < 0)
        return;
    if (e->known)
        dprintf(logfd, "lazydind: [info] engine: Docker %s (%s)\n", e->version, path);
    else
        dprintf(logfd, "lazydind: [info] engine: %s did not tell its version "
                "(dockerd --version); the generated config has no key newer "
                "than Docker 20.10\n", path && *path ? path : cfg->dockerd);
    if (!cfg->min_api_version)
        return;
    if (lz_engine_has_min_api_env(e))
        dprintf(logfd, "lazydind: [info] min-api-version %s: dockerd gets "
                "DOCKER_MIN_API_VERSION=%s\n", cfg->min_api_version,
                cfg->min_api_version);
    else if (e->known)
        dprintf(logfd, "lazydind: [info] min-api-version %s: nothing to set, "
                "dockerd %s serves every API version from %s\n",
                cfg->min_api_version, e->version, lz_engine_default_min_api(e));
}
