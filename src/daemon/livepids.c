/* Finding our supervisor and dockerd: the state's pids when they live, else
 * dockerd's pid file, dockerd's parent or a scan of /proc. */
#define _GNU_SOURCE
#include "daemon/livepids.h"
#include "base/state.h"
#include "base/util.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int lz_cmdline_is_supervisor(const char *cmdline, size_t n)
{
    /* argv: lazydind\0supervise\0... */
    size_t a0 = strnlen(cmdline, n);
    return a0 + 10 <= n && strcmp(cmdline + a0 + 1, "supervise") == 0;
}

/* dockerd's parent when that is lazydind; 0 otherwise. */
static int parent_supervisor(int dockerd)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", dockerd);
    if (lz_read_file_at(AT_FDCWD, path, buf, sizeof buf) <= 0)
        return 0;
    const char *rp = strrchr(buf, ')');
    int ppid = 0;
    if (rp && sscanf(rp + 1, " %*c %d", &ppid) == 1 && lz_pid_is(ppid, "lazydind"))
        return ppid;
    return 0;
}

/* 1 when pid is a `lazydind supervise` of our uid (not us). */
static int is_our_supervisor(int pid)
{
    char path[64], buf[512];
    struct stat st;
    if (pid <= 0 || pid == (int)getpid() || !lz_pid_is(pid, "lazydind"))
        return 0;
    snprintf(path, sizeof path, "/proc/%d", pid);
    if (stat(path, &st) != 0 || st.st_uid != geteuid())
        return 0;
    snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
    ssize_t n = lz_read_file_at(AT_FDCWD, path, buf, sizeof buf);
    return n > 0 && lz_cmdline_is_supervisor(buf, (size_t)n);
}

/* Our supervisor when the state does not name it (the runtime dir was
 * deleted under it): dockerd's parent, else the one `lazydind supervise`
 * process of our uid. 0 when none. */
static int find_supervisor(int dockerd)
{
    int found = dockerd > 0 ? parent_supervisor(dockerd) : 0;
    if (found)
        return found;
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL)
        if (is_our_supervisor(atoi(e->d_name)))
            found = atoi(e->d_name);
    closedir(d);
    return found;
}

int lz_live_pids(const struct lz_config *cfg, int dirfd, int *sup, int *dockerd)
{
    struct lz_state st;
    const char *comm = cfg->rootless ? "rootlesskit" : "dockerd";
    *sup = *dockerd = 0;
    (void)lz_state_load(dirfd, &st);
    if (lz_pid_is(st.supervisor_pid, "lazydind"))
        *sup = st.supervisor_pid;
    if (lz_pid_is(st.dockerd_pid, comm)) {
        *dockerd = st.dockerd_pid;
    } else if (!cfg->rootless) {
        char pf[32];
        if (lz_read_file_at(AT_FDCWD, "/var/run/docker.pid", pf, sizeof pf) > 0 &&
            lz_pid_is(atoi(pf), "dockerd"))
            *dockerd = atoi(pf);
    }
    if (!*sup)
        *sup = find_supervisor(*dockerd);
    return 0;
}
