#define _GNU_SOURCE
#include "daemon/prepare.h"
#include "daemon/contain.h"
#include "config/daemonconf.h"
#include "base/cleanup.h"
#include "base/findcli.h"
#include "base/fs.h"
#include "base/util.h"
#include "daemon/logfile.h"
#include "pod/cgroup.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>


static int write_file(const char *path, const char *text)
{
    LZ_AUTOFD fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -1;
    return lz_write_all(fd, text, strlen(text)); /* the close keeps errno */
}

/* Moves every process listed in procs into target's cgroup.procs.
 * Processes fork while we move them: go round until a round finds no
 * process it has not moved already. */
static int move_all(const char *procs, const char *target, char *err, size_t errlen)
{
    static char buf[65536];
    static long seen[4096];
    size_t nseen = 0;
    for (int round = 0; round < 50; round++) {
        ssize_t n = lz_read_file_at(AT_FDCWD, procs, buf, sizeof buf);
        if (n < 0) {
            snprintf(err, errlen, "cannot read %s: %s", procs, strerror(errno));
            return -1;
        }
        int fresh = 0;
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
            if (!isdigit((unsigned char)line[0]))
                continue;
            long pid = strtol(line, NULL, 10);
            int known = 0;
            for (size_t i = 0; i < nseen && !known; i++)
                known = seen[i] == pid;
            if (known)
                continue;
            fresh++;
            if (nseen < sizeof seen / sizeof seen[0])
                seen[nseen++] = pid;
            char text[32];
            snprintf(text, sizeof text, "%ld\n", pid);
            /* a process that exited meanwhile is fine (ESRCH) */
            if (write_file(target, text) != 0 && errno != ESRCH) {
                snprintf(err, errlen, "cannot move pid %ld into %s: %s", pid,
                         target, strerror(errno));
                return -1;
            }
        }
        if (fresh == 0)
            break;
    }
    return 0;
}

/* Enables every controller of root/cgroup.controllers in
 * root/cgroup.subtree_control. */
static int enable_controllers(const char *root, char *err, size_t errlen)
{
    char path[LZ_PATH_MAX + 64], buf[65536];
    snprintf(path, sizeof path, "%s/cgroup.controllers", root);
    ssize_t n = lz_read_file_at(AT_FDCWD, path, buf, sizeof buf);
    if (n < 0) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    char enable[4096] = "";
    size_t o = 0;
    for (char *c = strtok(buf, " \n"); c; c = strtok(NULL, " \n")) {
        int w = snprintf(enable + o, sizeof enable - o, "%s+%s", o ? " " : "", c);
        if (w < 0 || (size_t)w >= sizeof enable - o)
            break;
        o += (size_t)w;
    }
    if (o == 0)
        return 0;
    snprintf(path, sizeof path, "%s/cgroup.subtree_control", root);
    if (write_file(path, enable) != 0) {
        snprintf(err, errlen, "cannot enable controllers (%s) in %s: %s", enable,
                 path, strerror(errno));
        return -1;
    }
    return 0;
}

int lz_cgroup_nest(const char *root, char *err, size_t errlen)
{
    char procs[LZ_PATH_MAX + 64], initdir[LZ_PATH_MAX + 16], target[LZ_PATH_MAX + 32];
    snprintf(initdir, sizeof initdir, "%s/init", root);
    if (mkdir(initdir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", initdir, strerror(errno));
        return -1;
    }
    snprintf(procs, sizeof procs, "%s/cgroup.procs", root);
    snprintf(target, sizeof target, "%s/cgroup.procs", initdir);
    if (move_all(procs, target, err, errlen) != 0)
        return -1;
    return enable_controllers(root, err, errlen);
}

enum lz_iptables lz_iptables_choose(enum lz_iptables wanted,
                                    const char *ip_tables_names, int nft_ok,
                                    int legacy_ok)
{
    if (wanted != LZ_IPT_AUTO)
        return wanted;
    int legacy_in_use = 0;
    for (const char *p = ip_tables_names ? ip_tables_names : ""; *p; p++)
        if (!isspace((unsigned char)*p))
            legacy_in_use = 1;
    /* the node's rules are legacy: nft rules would be invisible to it and
     * its rules to us (what the official dind image checks too) */
    if (legacy_in_use && legacy_ok == 1)
        return LZ_IPT_LEGACY;
    if (nft_ok == 1)
        return LZ_IPT_NFT;
    if (legacy_ok == 1)
        return LZ_IPT_LEGACY;
    if (nft_ok < 0 && legacy_ok < 0)
        return LZ_IPT_AUTO; /* no variants installed: the system's own iptables */
    return LZ_IPT_OFF;
}

/* Runs `bin -w 5 -nL` quietly; 1 when it exits 0, 0 otherwise. Waits on a
 * pidfd, so the answer is taken the moment the probe exits. */
static int probe(const char *bin)
{
    pid_t pid = fork();
    if (pid < 0)
        return 0;
    if (pid == 0) {
        lz_reset_signals();
        int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (nul >= 0) {
            dup2(nul, 0);
            dup2(nul, 1);
            dup2(nul, 2);
        }
        char *argv[] = {(char *)bin, "-w", "5", "-nL", NULL};
        execv(bin, argv);
        _exit(127);
    }
    int status;
    LZ_AUTOFD pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd >= 0) {
        struct pollfd p = {.fd = pidfd, .events = POLLIN};
        int r = poll(&p, 1, 10000);
        if (r <= 0)
            kill(pid, SIGKILL);
    } else {
        /* no pidfd (kernel < 5.3): bounded polling */
        for (int i = 0; i < 10000 && waitpid(pid, &status, WNOHANG) == 0; i++)
            usleep(1000);
        kill(pid, SIGKILL);
    }
    if (waitpid(pid, &status, 0) != pid)
        return 0;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static const char *const ipt_tools[] = {
    "iptables", "iptables-save", "iptables-restore",
    "ip6tables", "ip6tables-save", "ip6tables-restore", NULL,
};

/* LAZYDIND_IPTABLES=auto: probes only what can decide, legacy first where
 * the node has legacy tables (names), else nft first; the other only if
 * that fails. *_ok: 1 works, 0 does not, -1 not tried. */
static void probe_variants(const char *names, const char *nft, const char *legacy,
                           int *nft_ok, int *legacy_ok)
{
    int legacy_first = lz_iptables_choose(LZ_IPT_AUTO, names, 1, 1) == LZ_IPT_LEGACY;
    if (legacy_first && legacy)
        *legacy_ok = probe(legacy);
    if (nft && *legacy_ok != 1)
        *nft_ok = probe(nft);
    if (legacy && *legacy_ok == -1 && *nft_ok != 1)
        *legacy_ok = probe(legacy);
}

/* dir/iptables etc. as symlinks to the variant's tools found on pe
 * (iptables-save -> iptables-legacy-save, ip6tables -> ip6tables-legacy).
 * 0, or -1 with a note. */
static int link_variant(const char *dir, const char *variant, const char *pe,
                        char *note, size_t notelen)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(note, notelen, "iptables: cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    for (int i = 0; ipt_tools[i]; i++) {
        char name[64], target[LZ_PATH_MAX], link[LZ_PATH_MAX + 32];
        const char *dash = strchr(ipt_tools[i], '-');
        if (dash)
            snprintf(name, sizeof name, "%.*s-%s%s", (int)(dash - ipt_tools[i]),
                     ipt_tools[i], variant, dash);
        else
            snprintf(name, sizeof name, "%s-%s", ipt_tools[i], variant);
        if (lz_path_search(name, pe, NULL, target, sizeof target) != 0)
            continue;
        snprintf(link, sizeof link, "%s/%s", dir, ipt_tools[i]);
        (void)unlink(link);
        if (symlink(target, link) != 0) {
            snprintf(note, notelen, "iptables: cannot link %s: %s", link, strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* The note for a backend that is not linked: off, or the system default. */
static void unlinked_note(const struct lz_config *cfg, enum lz_iptables use,
                          char *note, size_t notelen)
{
    if (use == LZ_IPT_AUTO)
        snprintf(note, notelen, "iptables: the system default");
    else if (cfg->iptables == LZ_IPT_OFF)
        snprintf(note, notelen, "iptables: off (LAZYDIND_IPTABLES=off); "
                                "dockerd runs with --iptables=false");
    else
        snprintf(note, notelen,
                 "iptables: neither iptables-nft nor iptables-legacy works "
                 "here; dockerd runs with --iptables=false (containers get "
                 "no NAT or port publishing; give the pod NET_ADMIN)");
}

int lz_iptables_prepare(const struct lz_config *cfg, char *bindir,
                        size_t bindirlen, int *off, char *note, size_t notelen)
{
    const char *pe = getenv("PATH");
    if (!pe || !*pe)
        pe = LZ_DEFAULT_PATH;
    char nft[LZ_PATH_MAX], legacy[LZ_PATH_MAX];
    int have_nft = lz_path_search("iptables-nft", pe, NULL, nft, sizeof nft) == 0;
    int have_legacy = lz_path_search("iptables-legacy", pe, NULL, legacy, sizeof legacy) == 0;
    bindir[0] = '\0';
    *off = 0;
    note[0] = '\0';
    int nft_ok = -1, legacy_ok = -1;
    char names[4096] = "";
    (void)lz_read_file_at(AT_FDCWD, "/proc/net/ip_tables_names", names, sizeof names);
    if (cfg->iptables == LZ_IPT_AUTO)
        probe_variants(names, have_nft ? nft : NULL, have_legacy ? legacy : NULL,
                       &nft_ok, &legacy_ok);
    enum lz_iptables use = lz_iptables_choose(cfg->iptables, names, nft_ok, legacy_ok);
    if (use == LZ_IPT_OFF || use == LZ_IPT_AUTO) {
        *off = use == LZ_IPT_OFF;
        unlinked_note(cfg, use, note, notelen);
        return 0;
    }
    const char *variant = use == LZ_IPT_NFT ? "nft" : "legacy";
    if ((use == LZ_IPT_NFT && !have_nft) || (use == LZ_IPT_LEGACY && !have_legacy)) {
        snprintf(note, notelen,
                 "iptables: LAZYDIND_IPTABLES=%s but iptables-%s is not "
                 "installed; using the system default", variant, variant);
        return 0;
    }
    char dir[LZ_PATH_MAX];
    snprintf(dir, sizeof dir, "%s/iptables-%s", cfg->run_dir, variant);
    if (link_variant(dir, variant, pe, note, notelen) != 0)
        return -1;
    lz_strlcpy(bindir, dir, bindirlen);
    snprintf(note, notelen, "iptables: using the %s backend%s", variant,
             cfg->iptables == LZ_IPT_AUTO
                 ? (use == LZ_IPT_LEGACY && names[0] ? " (the node has legacy rules)"
                                                     : " (auto)")
                 : "");
    return 0;
}

/* 1 when Sysbox runs this container: it provides nested cgroups itself. */
static int under_sysbox(void)
{
    static char mi[1 << 16];
    return lz_read_file_at(AT_FDCWD, "/proc/self/mountinfo", mi, sizeof mi) > 0 &&
           strstr(mi, " sysboxfs ") != NULL;
}

void lz_prepare_pod(const struct lz_config *cfg, int logfd, char *bindir,
                    size_t bindirlen, int *ipt_off)
{
    char err[1024], cg[4096] = "";
    (void)lz_read_file_at(AT_FDCWD, "/proc/self/cgroup", cg, sizeof cg);
    int v2 = strcmp(lz_fs_of("/sys/fs/cgroup"), "cgroup2") == 0;
    if (!cfg->rootless && !under_sysbox()) {
        /* containment: dockerd's containers inside the pod's own cgroup */
        static struct lz_contain c;
        if (lz_contain_prepare(&c) == 0) {
            lz_dconf_set_cgroup_parent(c.parent);
            lz_log_line(logfd, "%s", c.note);
        } else {
            lz_dconf_set_cgroup_parent(NULL);
            lz_log_line(logfd, "containment does not hold: %s", c.note);
            /* dockerd needs at least the old nesting at a namespace root */
            if (lz_cgroup_needs_nesting(v2, cg)) {
                if (lz_cgroup_nest("/sys/fs/cgroup", err, sizeof err) == 0)
                    lz_log_line(logfd, "cgroup v2: moved this container's processes to "
                                       "/init and enabled its controllers for dockerd");
                else
                    lz_log_line(logfd, "cgroup v2 nesting failed: %s", err);
            }
        }
    }
    if (cfg->rootless)
        return; /* rootlesskit's own network namespace: its iptables */
    char note[512];
    (void)lz_iptables_prepare(cfg, bindir, bindirlen, ipt_off, note, sizeof note);
    if (note[0])
        lz_log_line(logfd, "%s", note);
}
