/* Spawning dockerd with the socket it is handed (spawn.h). */
#define _GNU_SOURCE
#include "daemon/spawn.h"
#include "config/cacerts.h"
#include "daemon/pidfile.h"
#include "base/findcli.h"
#include "base/util.h"
#include "daemon/logfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int lz_dockerd_find(const char *dockerd, char *path, size_t cap, char *err,
                    size_t errlen)
{
    if (strchr(dockerd, '/')) {
        lz_strlcpy(path, dockerd, cap);
        if (access(path, X_OK) != 0) {
            snprintf(err, errlen, "LAZYDIND_DOCKERD=%s is not executable: %s",
                     path, strerror(errno));
            return -1;
        }
        return 0;
    }
    const char *pe = getenv("PATH");
    if (lz_path_search(dockerd, pe && *pe ? pe : LZ_DEFAULT_PATH, NULL, path, cap) != 0) {
        snprintf(err, errlen,
                 "%s not found on PATH; install the Docker engine (docker.io "
                 "or docker-ce) or set LAZYDIND_DOCKERD", dockerd);
        return -1;
    }
    return 0;
}

char **lz_dockerd_argv(const char *path, const char *config_file, int argc,
                       char **args)
{
    char **argv = calloc((size_t)argc + 4, sizeof *argv);
    if (!argv)
        return NULL;
    int n = 0;
    argv[n++] = (char *)path;
    argv[n++] = "--config-file";
    argv[n++] = (char *)config_file;
    for (int i = 0; i < argc; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return argv;
}

/* In the child: stdin /dev/null, stdout and stderr the log, the listening
 * socket on fd 3 (every other fd of ours is O_CLOEXEC). */
static int child_fds(const struct lz_dockerd_child *c)
{
    int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (nul < 0 || dup2(nul, 0) < 0 || dup2(c->logfd, 1) < 0 || dup2(c->logfd, 2) < 0)
        return -1;
    if (c->lfd == 3)
        return fcntl(3, F_SETFD, 0);
    return dup2(c->lfd, 3) < 0 ? -1 : 0;
}

/* In the child: sd_listen_fds' and sd_notify's variables, PATH (the chosen
 * iptables backend first) and the proxies' exceptions. (--iptables=false,
 * when no backend works, is in the generated config: a flag would clash
 * with a daemon.json key.) */
static void child_env(const struct lz_dockerd_child *c)
{
    char pidbuf[32];
    snprintf(pidbuf, sizeof pidbuf, "%d", (int)getpid());
    setenv("LISTEN_PID", pidbuf, 1);
    setenv("LISTEN_FDS", "1", 1);
    unsetenv("LISTEN_FDNAMES");
    setenv("NOTIFY_SOCKET", c->notify_path, 1);
    const char *pe = getenv("PATH");
    if (!pe || !*pe)
        pe = LZ_DEFAULT_PATH;
    if (c->ipt_bindir[0]) {
        char *np = malloc(strlen(c->ipt_bindir) + strlen(pe) + 2);
        if (np) {
            sprintf(np, "%s:%s", c->ipt_bindir, pe);
            setenv("PATH", np, 1);
        }
    } else {
        setenv("PATH", pe, 1);
    }
    if (c->no_proxy[0]) {
        setenv("NO_PROXY", c->no_proxy, 1);
        setenv("no_proxy", c->no_proxy, 1);
    }
    if (c->cert_dir && c->cert_dir[0])
        setenv("SSL_CERT_DIR", c->cert_dir, 1);
    /* the oldest API version dockerd serves (LAZYDIND_MIN_API_VERSION) */
    if (c->min_api)
        setenv("DOCKER_MIN_API_VERSION", c->min_api, 1);
}

pid_t lz_dockerd_spawn(const struct lz_dockerd_child *c)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    lz_reset_signals();
    if (child_fds(c) != 0)
        _exit(126);
    child_env(c);
    execv(c->argv[0], c->argv);
    dprintf(2, "lazydind: cannot run %s: %s\n", c->argv[0], strerror(errno));
    _exit(127);
}

void lz_dockerd_clean_pidfile(int logfd)
{
    char buf[32];
    if (lz_read_file_at(AT_FDCWD, LZ_DOCKER_PIDFILE, buf, sizeof buf) > 0) {
        int pid = atoi(buf);
        if (!lz_pid_is(pid, "dockerd") && unlink(LZ_DOCKER_PIDFILE) == 0)
            lz_log_line(logfd, "removed stale %s (pid %d is not a running dockerd)",
                        LZ_DOCKER_PIDFILE, pid);
    }
    /* dockerd takes a live pid in containerd's file for its containerd and
     * waits 15 s for it: after a restart that pid may be anything */
    char why[LZ_PATH_MAX + 256];
    if (lz_pidfile_clear_stale(LZ_CONTAINERD_PIDFILE, "containerd", why, sizeof why) > 0)
        lz_log_line(logfd, "removed stale %s (%s)", LZ_CONTAINERD_PIDFILE, why);
}

int lz_dockerd_ca_certs(const struct lz_config *cfg, char *cert_dir, size_t cap,
                        char *err, size_t errlen)
{
    char dir[LZ_PATH_MAX + 16];
    cert_dir[0] = '\0';
    if (!cfg->ca_certs || !*cfg->ca_certs)
        return 0;
    snprintf(dir, sizeof dir, "%s/ca-certs", cfg->run_dir);
    if (lz_cacerts_install(cfg, dir, err, errlen) != 0)
        return -1;
    lz_cacerts_cert_dir(dir, cert_dir, cap);
    return 0;
}
