/* `lazydind install [--prefix DIR] [--divert]`: put the `docker` shim in
 * front of the real CLI: a symlink in /usr/local/bin when that comes first
 * on PATH (or in --prefix), or, with --divert, in the real CLI's place with
 * the CLI moved to docker.real beside it. Idempotent; never overwrites a
 * `docker` it does not recognise. */
#define _GNU_SOURCE
#include "cli/cmdutil.h"
#include "cli/commands.h"
#include "base/findcli.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Who we are and what PATH finds. */
struct install {
    const char *prefix;
    int divert;
    char self_path[LZ_PATH_MAX];
    struct stat self;
    const char *path_env;
    char real[LZ_PATH_MAX]; /* the real CLI, when have_real */
    int have_real;
};

static int is_us(const char *path, const struct stat *self)
{
    struct stat st;
    return stat(path, &st) == 0 && st.st_dev == self->st_dev &&
           st.st_ino == self->st_ino;
}

static int dir_index_in_path(const char *dir, const char *path_env)
{
    size_t dl = strlen(dir);
    int idx = 0;
    for (const char *p = path_env; p && *p; idx++) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == dl && strncmp(p, dir, n) == 0)
            return idx;
        if (!end)
            break;
        p = end + 1;
    }
    return -1;
}

/* A previous --divert without --prefix left us first on PATH with the real
 * CLI beside us: 1 (and says so). */
static int already_diverted(const struct install *in)
{
    char us[LZ_PATH_MAX], rp[LZ_PATH_MAX + 16];
    if (lz_path_search("docker", in->path_env, NULL, us, sizeof us) != 0 ||
        !is_us(us, &in->self))
        return 0;
    snprintf(rp, sizeof rp, "%s.real", us);
    if (access(rp, X_OK) != 0)
        return 0;
    lz_notice("already installed: %s -> %s, real CLI at %s", us, in->self_path, rp);
    return 1;
}

/* --divert: the real CLI at `link` moves to link.real; we take its place. */
static int divert_at(const struct install *in, const char *link)
{
    char moved[LZ_PATH_MAX + 16];
    snprintf(moved, sizeof moved, "%s.real", link);
    if (is_us(link, &in->self)) {
        if (access(moved, X_OK) == 0) {
            lz_notice("already installed: %s -> %s, real CLI at %s", link,
                      in->self_path, moved);
            return 0;
        }
        lz_die(1, "%s is lazydind but %s is missing; reinstall the docker CLI",
               link, moved);
    }
    if (access(moved, F_OK) == 0)
        lz_die(1, "%s already exists; remove it or install without --divert", moved);
    if (rename(link, moved) != 0)
        lz_die(1, "cannot move %s to %s: %s", link, moved, strerror(errno));
    if (symlink(in->self_path, link) != 0) {
        int e = errno;
        (void)rename(moved, link);
        lz_die(1, "cannot create %s: %s", link, strerror(e));
    }
    lz_notice("installed %s -> %s; the real CLI is now %s", link, in->self_path, moved);
    return 0;
}

static int install_divert(const struct install *in)
{
    char link[LZ_PATH_MAX + 16];
    if (in->prefix) {
        snprintf(link, sizeof link, "%s/docker", in->prefix);
        return divert_at(in, link);
    }
    if (already_diverted(in))
        return 0;
    if (!in->have_real)
        lz_die(1, "no docker CLI on PATH to divert; install docker-ce-cli "
                  "or docker.io first, or use --prefix");
    return divert_at(in, in->real);
}

/* The first PATH dir that precedes the real CLI's: /usr/local/bin when it
 * does. */
static void default_dir(const struct install *in, char *dir, size_t cap)
{
    int ri = -1;
    if (in->have_real) {
        char rd[LZ_PATH_MAX];
        lz_strlcpy(rd, in->real, sizeof rd);
        *strrchr(rd, '/') = '\0';
        ri = dir_index_in_path(rd, in->path_env);
    }
    int li = dir_index_in_path("/usr/local/bin", in->path_env);
    if (li < 0 || (ri >= 0 && li >= ri))
        lz_die(1, "/usr/local/bin does not come before the real docker CLI (%s) "
                  "on PATH; use --prefix DIR or --divert",
               in->have_real ? in->real : "none found");
    lz_strlcpy(dir, "/usr/local/bin", cap);
}

static int install_link(const struct install *in)
{
    char dir[LZ_PATH_MAX], link[LZ_PATH_MAX + 16];
    if (in->prefix)
        lz_strlcpy(dir, in->prefix, sizeof dir);
    else
        default_dir(in, dir, sizeof dir);
    snprintf(link, sizeof link, "%s/docker", dir);
    struct stat st;
    if (lstat(link, &st) == 0) {
        if (is_us(link, &in->self)) {
            lz_notice("already installed: %s -> %s", link, in->self_path);
            return 0;
        }
        lz_die(1, "%s exists and is not lazydind; use --divert to move it to "
                  "docker.real, or choose another --prefix", link);
    }
    if (symlink(in->self_path, link) != 0)
        lz_die(1, "cannot create %s: %s", link, strerror(errno));
    if (!in->have_real)
        lz_notice("warning: no real docker CLI found on PATH yet; install "
                  "docker-ce-cli or docker.io, or set LAZYDIND_DOCKER");
    lz_notice("installed %s -> %s", link, in->self_path);
    return 0;
}

/* Our binary, the real CLI on PATH, and with --divert --prefix DIR, the
 * regular file DIR/docker as the CLI to move. */
static void find_both(struct install *in)
{
    ssize_t sl = readlink("/proc/self/exe", in->self_path, sizeof in->self_path - 1);
    if (sl <= 0 || stat("/proc/self/exe", &in->self) != 0)
        lz_die(1, "cannot find my own binary through /proc/self/exe");
    in->self_path[sl] = '\0';
    in->path_env = getenv("PATH");
    in->have_real = lz_path_search("docker", in->path_env, &in->self, in->real,
                                   sizeof in->real) == 0;
    char link[LZ_PATH_MAX + 16];
    struct stat st;
    if (in->prefix && in->divert) {
        snprintf(link, sizeof link, "%s/docker", in->prefix);
        if (!is_us(link, &in->self) && lstat(link, &st) == 0 && S_ISREG(st.st_mode)) {
            snprintf(in->real, sizeof in->real, "%s", link);
            in->have_real = 1;
        }
    }
}

int lz_cmd_install(int argc, char **argv)
{
    struct install in = {0};
    struct lz_config cfg;
    for (int i = 2; i < argc; i++) {
        const char *v;
        if (strcmp(argv[i], "--divert") == 0)
            in.divert = 1;
        else if ((v = lz_cmd_value(argc, argv, &i, "--prefix")))
            in.prefix = v;
        else
            lz_cmd_unexpected("lazydind install [--prefix DIR] [--divert]", argv[i]);
    }
    lz_cmd_settings_or_die(&cfg, 0);
    if (in.prefix && in.prefix[0] != '/')
        lz_die(LZ_EXIT_USAGE, "--prefix '%s' is not an absolute directory", in.prefix);
    find_both(&in);
    return in.divert ? install_divert(&in) : install_link(&in);
}
