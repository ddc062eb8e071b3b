#define _GNU_SOURCE
#include "base/findcli.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int same_file(const struct stat *a, const struct stat *b)
{
    return a && b && a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* 1 when this process may execute path, whose stat is st. For root the
 * mode bits say it (execve wants one x bit on a regular file, and the
 * warm path saves an access(2) per candidate); any other user asks the
 * kernel, which knows the supplementary groups and ACLs. */
static int may_exec(const char *path, const struct stat *st)
{
    if (lz_euid() == 0)
        return (st->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0;
    return access(path, X_OK) == 0;
}

/* 1 when path is an executable regular file; fills st. */
static int is_exec(const char *path, struct stat *st)
{
    return stat(path, st) == 0 && S_ISREG(st->st_mode) && may_exec(path, st);
}

/* Calls fn for each non-empty absolute directory of path_env. Stops when fn
 * returns non-zero and returns that value. */
static int each_dir(const char *path_env, int (*fn)(const char *dir, void *ctx),
                    void *ctx)
{
    if (!path_env)
        return 0;
    const char *p = path_env;
    while (*p) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        /* empty entries and relative ones mean the working directory: an
         * attacker's file there must never be exec'd as root */
        if (n > 0 && p[0] == '/' && n < 1024) {
            char dir[1024];
            memcpy(dir, p, n);
            dir[n] = '\0';
            int r = fn(dir, ctx);
            if (r)
                return r;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

struct search_ctx {
    const char *name;
    const struct stat *self;
    char *out;
    size_t outlen;
    int want_self; /* find the shim's own directory instead */
};

static int search_one(const char *dir, void *vctx)
{
    struct search_ctx *c = vctx;
    char path[1100];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/%s", dir, c->name) >= (int)sizeof path)
        return 0;
    if (!is_exec(path, &st))
        return 0;
    if (same_file(&st, c->self) != c->want_self)
        return 0;
    if (snprintf(c->out, c->outlen, "%s", c->want_self ? dir : path) >=
        (int)c->outlen)
        return 0;
    return 1;
}

int lz_path_search(const char *name, const char *path_env,
                   const struct stat *self, char *out, size_t outlen)
{
    struct search_ctx c = {name, self, out, outlen, 0};
    return each_dir(path_env, search_one, &c) ? 0 : -1;
}

/* dir/docker.real, when it is an executable that is not the shim, into
 * out: 0, else -1. */
static int docker_real(const char *dir, const struct stat *self, char *out, size_t outlen)
{
    char cand[1100];
    struct stat st;
    if (!dir[0] || lz_path_join(cand, sizeof cand, dir, "docker.real") != 0 ||
        !is_exec(cand, &st) || same_file(&st, self))
        return -1;
    return lz_strlcpy(out, cand, outlen); /* -1: out keeps what it held */
}

/* The walk behind a bare argv[0]: the first directory of PATH whose docker
 * is the shim (selfdir), and the first docker on PATH that is not (out). */
struct walk_ctx {
    const struct stat *self;
    char *selfdir;
    size_t selfcap;
    char *out;
    size_t outlen;
    int found;
};

static int walk_one(const char *dir, void *vctx)
{
    struct walk_ctx *w = vctx;
    char path[1100];
    struct stat st;
    if (lz_path_join(path, sizeof path, dir, "docker") != 0 || !is_exec(path, &st))
        return 0;
    if (same_file(&st, w->self)) {
        if (!w->selfdir[0])
            (void)lz_strlcpy(w->selfdir, dir, w->selfcap); /* else stays "" */
    } else if (!w->found && lz_strlcpy(w->out, path, w->outlen) == 0) {
        w->found = 1;
    }
    /* done once both are known (docker.real beside the shim comes first) */
    return w->found && w->selfdir[0];
}

int lz_find_real_cli(const struct stat *self, const char *override,
                     const char *argv0, const char *path_env, char *out,
                     size_t outlen, char *err, size_t errlen)
{
    struct stat st;
    if (override) {
        if (!is_exec(override, &st)) {
            snprintf(err, errlen,
                     "LAZYDIND_DOCKER='%s' is not an executable file; point it "
                     "at the real docker CLI, e.g. /usr/bin/docker", override);
            return -1;
        }
        if (same_file(&st, self)) {
            snprintf(err, errlen,
                     "LAZYDIND_DOCKER='%s' is lazydind itself, which would loop; "
                     "point it at the real docker CLI", override);
            return -1;
        }
        return lz_strlcpy(out, override, outlen);
    }
    /* docker.real beside the shim */
    char dir[1024] = "";
    if (argv0 && strchr(argv0, '/')) {
        const char *slash = strrchr(argv0, '/');
        size_t n = (size_t)(slash - argv0);
        if (n == 0)
            n = 1; /* "/docker" */
        if (n < sizeof dir) {
            memcpy(dir, argv0, n);
            dir[n] = '\0';
        }
        if (docker_real(dir, self, out, outlen) == 0 ||
            lz_path_search("docker", path_env, self, out, outlen) == 0)
            return 0;
    } else {
        /* one walk of PATH finds both the shim's own directory and the
         * first other docker (the warm path stats each candidate once) */
        struct walk_ctx w = {self, dir, sizeof dir, out, outlen, 0};
        (void)each_dir(path_env, walk_one, &w);
        if (docker_real(dir, self, out, outlen) == 0 || w.found)
            return 0;
    }
    snprintf(err, errlen,
             "cannot find the real docker CLI: no docker.real beside the shim "
             "and no other docker on PATH; install docker-ce-cli or docker.io, "
             "or set LAZYDIND_DOCKER=/path/to/docker");
    return -1;
}
int lz_find_rootless_script(char *out, size_t outlen)
{
    static const char *const places[] = {
        "/usr/share/docker.io/contrib/dockerd-rootless.sh", /* Debian docker.io */
        "/usr/bin/dockerd-rootless.sh",                     /* docker-ce-rootless-extras */
        NULL,
    };
    const char *pe = getenv("PATH");
    if (lz_path_search("dockerd-rootless.sh", pe && *pe ? pe : LZ_DEFAULT_PATH, NULL,
                       out, outlen) == 0)
        return 0;
    for (int i = 0; places[i]; i++)
        if (access(places[i], X_OK) == 0)
            return lz_strlcpy(out, places[i], outlen);
    return -1;
}

