/* Containment of dockerd and the inner containers inside the pod's own
 * cgroup (docs/containment.md). */
#define _GNU_SOURCE
#include "daemon/contain.h"
#include "pod/cglimit.h"
#include "base/fs.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define MOVE_ROUNDS 100 /* joiners retried (envbox tries 100 times too) */

static char mountinfo[1 << 18];

static int write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -1;
    int rc = lz_write_all(fd, text, strlen(text));
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

static int64_t read_limit(const char *dir, int v2)
{
    char path[LZ_CG_MAX + 32], buf[64];
    snprintf(path, sizeof path, "%s/%s", dir, v2 ? "memory.max" : "memory.limit_in_bytes");
    if (lz_read_file_at(AT_FDCWD, path, buf, sizeof buf) <= 0)
        return 0;
    int64_t v = lz_cg_parse_limit(buf);
    return v > 0 ? v : 0;
}

/* The tightest memory limit on dir and its parents up to the mount point
 * (what the pod sees of its ancestors binds it too). */
static int64_t walk_limit(const char *dir, const char *mount_point, int v2)
{
    char d[LZ_CG_MAX];
    int64_t best = 0;
    if (lz_strlcpy(d, dir, sizeof d) != 0)
        return 0;
    size_t mp = strlen(mount_point);
    for (;;) {
        int64_t v = read_limit(d, v2);
        if (v > 0 && (best == 0 || v < best))
            best = v;
        char *slash = strrchr(d, '/');
        if (strlen(d) <= mp || !slash || (size_t)(slash - d) < mp)
            break;
        *slash = '\0';
    }
    return best;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int lz_contain_probe(struct lz_contain *c)
{
    char cg[4096] = "", self[LZ_CG_MAX], dir[LZ_CG_MAX], rel[LZ_CG_MAX];
    memset(c, 0, sizeof *c);
    c->v2 = strcmp(lz_fs_of("/sys/fs/cgroup"), "cgroup2") == 0;
    const char *ctl = "memory";
    if (lz_read_file_at(AT_FDCWD, "/proc/self/cgroup", cg, sizeof cg) <= 0 ||
        !lz_cg_self_path(cg, c->v2, ctl, self, sizeof self)) {
        snprintf(c->note, sizeof c->note, "no %s cgroup in /proc/self/cgroup",
                 c->v2 ? "cgroup v2" : "memory");
        return -1;
    }
    if (lz_read_file_at(AT_FDCWD, "/proc/self/mountinfo", mountinfo, sizeof mountinfo) <= 0)
        mountinfo[0] = '\0';
    if (!lz_cg_locate(mountinfo, c->v2, ctl, self, dir, sizeof dir, rel, sizeof rel)) {
        snprintf(c->note, sizeof c->note, "this pod's cgroup %s is not under any cgroup "
                 "mount at /sys/fs/cgroup it can see", self);
        return -1;
    }
    /* undo our own nesting: <pod>/init or <pod>/lazydind/daemon */
    char parent[LZ_CG_MAX + 16];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    if (slash)
        strcpy(slash, "/lazydind");
    lz_cg_pod_path(self, slash && is_dir(parent), c->pod_cg, sizeof c->pod_cg);
    if (!lz_cg_locate(mountinfo, c->v2, ctl, c->pod_cg, c->pod_dir, sizeof c->pod_dir,
                      rel, sizeof rel)) {
        snprintf(c->note, sizeof c->note, "the pod's cgroup %s is not visible", c->pod_cg);
        return -1;
    }
    /* the mount point: pod_dir less rel */
    char mp[LZ_CG_MAX];
    snprintf(mp, sizeof mp, "%s", c->pod_dir);
    if (strcmp(rel, "/") != 0)
        mp[strlen(mp) - strlen(rel)] = '\0';
    c->pod_limit = walk_limit(c->pod_dir, mp, c->v2);
    c->containers_limit = lz_cg_containers_limit(c->pod_limit);
    snprintf(c->parent, sizeof c->parent, "%s/lazydind/containers",
             strcmp(rel, "/") == 0 ? "" : rel);
    return 0;
}

/* Moves every process listed in from/cgroup.procs to to/cgroup.procs, over
 * rounds until one finds none (processes fork and join meanwhile). Returns
 * how many were moved, -1 on an error (in err). */
static int move_all(const char *from, const char *to, char *err, size_t errlen)
{
    char src[LZ_CG_MAX + 16], dst[LZ_CG_MAX + 16];
    static char buf[65536];
    snprintf(src, sizeof src, "%s/cgroup.procs", from);
    snprintf(dst, sizeof dst, "%s/cgroup.procs", to);
    int moved = 0;
    for (int round = 0; round < MOVE_ROUNDS; round++) {
        if (lz_read_file_at(AT_FDCWD, src, buf, sizeof buf) < 0) {
            snprintf(err, errlen, "cannot read %s: %s", src, strerror(errno));
            return -1;
        }
        int fresh = 0;
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
            long pid = strtol(line, NULL, 10);
            if (pid <= 0) /* 0: a process of another pid namespace */
                continue;
            char text[32];
            snprintf(text, sizeof text, "%ld\n", pid);
            if (write_text(dst, text) == 0)
                fresh++;
            else if (errno != ESRCH) {
                snprintf(err, errlen, "cannot move pid %ld into %s: %s", pid, dst,
                         strerror(errno));
                return -1;
            }
        }
        moved += fresh;
        if (fresh == 0)
            return moved;
    }
    snprintf(err, errlen, "processes kept joining %s for %d rounds", from, MOVE_ROUNDS);
    return -1;
}

/* Enables in dir/cgroup.subtree_control every controller of
 * dir/cgroup.controllers, one by one. Returns 0 when memory (if available)
 * is enabled; -1 with errno of the failed memory write (EBUSY: a process
 * sits in dir). */
static int enable_controllers(const char *dir, char *err, size_t errlen)
{
    char path[LZ_CG_MAX + 32], buf[512];
    snprintf(path, sizeof path, "%s/cgroup.controllers", dir);
    if (lz_read_file_at(AT_FDCWD, path, buf, sizeof buf) < 0) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof path, "%s/cgroup.subtree_control", dir);
    int rc = 0;
    for (char *c = strtok(buf, " \n"); c; c = strtok(NULL, " \n")) {
        char w[64];
        snprintf(w, sizeof w, "+%s", c);
        if (write_text(path, w) != 0 && strcmp(c, "memory") == 0) {
            int e = errno;
            snprintf(err, errlen, "cannot enable memory in %s: %s", path, strerror(e));
            errno = e;
            rc = -1;
        }
    }
    return rc;
}

static int mkdir_ok(const char *path, char *err, size_t errlen)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return 0;
    snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
    return -1;
}

/* set_limit: writes LIMIT bytes to DIR/FILE; nothing when LIMIT is 0 (no
 * limit known). */
static int set_limit(const char *dir, const char *file, long long limit, char *err, size_t errlen)
{
    if (limit <= 0)
        return 0;
    char path[LZ_CG_MAX + 64], v[32];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    snprintf(v, sizeof v, "%lld", limit);
    if (write_text(path, v) != 0) {
        snprintf(err, errlen, "cannot set %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int prepare_v2(struct lz_contain *c, char *err, size_t errlen)
{
    char init[LZ_CG_MAX + 16], lz[LZ_CG_MAX + 16], daemon[LZ_CG_MAX + 32],
        ctrs[LZ_CG_MAX + 32], path[LZ_CG_MAX + 64];
    const char *d = c->pod_dir;
    snprintf(path, sizeof path, "%s/cgroup.type", d);
    if (access(path, F_OK) != 0) {
        snprintf(err, errlen, "%s is the root of the node's cgroup tree, not a pod's "
                 "cgroup: lazydind leaves it alone", d);
        return -1;
    }
    snprintf(init, sizeof init, "%s/init", d);
    snprintf(lz, sizeof lz, "%s/lazydind", d);
    snprintf(daemon, sizeof daemon, "%s/lazydind/daemon", d);
    snprintf(ctrs, sizeof ctrs, "%s/lazydind/containers", d);
    if (mkdir_ok(init, err, errlen) || mkdir_ok(lz, err, errlen) ||
        mkdir_ok(daemon, err, errlen))
        return -1;
    /* this process first, then everyone else in the pod's cgroup: its own
     * processes cannot stay there once controllers are enabled for children
     * (v2's no-internal-processes rule) */
    char me[32];
    snprintf(me, sizeof me, "%d\n", (int)getpid());
    snprintf(path, sizeof path, "%s/cgroup.procs", daemon);
    if (write_text(path, me) != 0) {
        snprintf(err, errlen, "cannot move the supervisor into %s: %s", daemon,
                 strerror(errno));
        return -1;
    }
    int round;
    for (round = 0; round < MOVE_ROUNDS; round++) {
        if (move_all(d, init, err, errlen) < 0)
            return -1;
        if (enable_controllers(d, err, errlen) == 0)
            break;
        if (errno != EBUSY)
            return -1;
        /* someone joined between the move and the write: again */
    }
    if (round == MOVE_ROUNDS)
        return -1;
    if (enable_controllers(lz, err, errlen) != 0)
        return -1;
    if (mkdir_ok(ctrs, err, errlen) || enable_controllers(ctrs, err, errlen) != 0)
        return -1;
    return set_limit(ctrs, "memory.max", c->containers_limit, err, errlen);
}

static int prepare_v1(struct lz_contain *c, char *err, size_t errlen)
{
    char cg[4096] = "", lz[LZ_CG_MAX + 16], ctrs[LZ_CG_MAX + 32];
    if (strcmp(c->pod_cg, "/") == 0) {
        snprintf(err, errlen, "this process is in the root memory cgroup, not a pod's: "
                 "lazydind leaves it alone");
        return -1;
    }
    /* the containers' parent is one path for every hierarchy: each must
     * show the pod at the same place */
    (void)lz_read_file_at(AT_FDCWD, "/proc/self/cgroup", cg, sizeof cg);
    static const char *const others[] = {"cpu", "pids", "blkio", "cpuset", "devices"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        char self[LZ_CG_MAX], dir[LZ_CG_MAX], rel[LZ_CG_MAX];
        if (!lz_cg_self_path(cg, 0, others[i], self, sizeof self) ||
            !lz_cg_locate(mountinfo, 0, others[i], self, dir, sizeof dir, rel, sizeof rel))
            continue;
        if (strcmp(self, c->pod_cg) != 0) {
            snprintf(err, errlen, "the pod is at %s in the memory hierarchy but at %s in "
                     "%s: one cgroup-parent cannot hold both", c->pod_cg, self, others[i]);
            return -1;
        }
    }
    snprintf(lz, sizeof lz, "%s/lazydind", c->pod_dir);
    snprintf(ctrs, sizeof ctrs, "%s/lazydind/containers", c->pod_dir);
    if (mkdir_ok(lz, err, errlen) || mkdir_ok(ctrs, err, errlen))
        return -1;
    return set_limit(ctrs, "memory.limit_in_bytes", c->containers_limit, err, errlen);
}

int lz_contain_prepare(struct lz_contain *c)
{
    if (lz_contain_probe(c) != 0)
        return -1;
    char err[sizeof c->note - 64], path[LZ_CG_MAX + 32];
    snprintf(path, sizeof path, "%s/cgroup.procs", c->pod_dir);
    if (access(path, W_OK) != 0) {
        snprintf(c->note, sizeof c->note, "the pod's cgroup %s is not writable (%s): "
                 "inner containers go where dockerd's defaults put them", c->pod_cg,
                 strerror(errno));
        return -1;
    }
    if ((c->v2 ? prepare_v2(c, err, sizeof err) : prepare_v1(c, err, sizeof err)) != 0) {
        snprintf(c->note, sizeof c->note, "containment failed: %s", err);
        return -1;
    }
    char lim[32] = "no limit", pod[32] = "no limit";
    if (c->containers_limit > 0)
        lz_cg_human(c->containers_limit, lim, sizeof lim);
    if (c->pod_limit > 0)
        lz_cg_human(c->pod_limit, pod, sizeof pod);
    snprintf(c->note, sizeof c->note, "cgroup %s: containers under %s (memory %s, the "
             "pod's %s)%s", c->v2 ? "v2" : "v1", c->parent, lim, pod,
             c->v2 ? "; the pod's processes in init, lazydind's in lazydind/daemon" : "");
    c->held = 1;
    return 0;
}

void lz_contain_cgroup_of(int pid, char *out, size_t cap)
{
    char path[64], cg[4096] = "";
    out[0] = '\0';
    snprintf(path, sizeof path, "/proc/%d/cgroup", pid);
    if (lz_read_file_at(AT_FDCWD, path, cg, sizeof cg) <= 0)
        return;
    int v2 = strcmp(lz_fs_of("/sys/fs/cgroup"), "cgroup2") == 0;
    if (!lz_cg_self_path(cg, v2, "memory", out, cap))
        out[0] = '\0';
}

/* Bytes of a normalized tmpfs size option ("1048576" or "N%" of RAM), 0
 * when unknown. */
static int64_t tmpfs_bytes(const char *opt)
{
    size_t n = strlen(opt);
    if (n == 0)
        return 0;
    if (opt[n - 1] == '%') {
        char buf[4096];
        if (lz_read_file_at(AT_FDCWD, "/proc/meminfo", buf, sizeof buf) <= 0)
            return 0;
        const char *m = strstr(buf, "MemTotal:");
        if (!m)
            return 0;
        long long kb = strtoll(m + 9, NULL, 10);
        return (int64_t)(kb * 1024 / 100 * strtoll(opt, NULL, 10));
    }
    return (int64_t)strtoll(opt, NULL, 10);
}

int lz_tmpfs_size_warning(const struct lz_config *cfg, char *out, size_t cap)
{
    struct lz_contain c;
    if (!cfg->tmpfs_size[0] || cfg->tmpfs == LZ_TMPFS_NEVER || lz_contain_probe(&c) != 0 ||
        c.pod_limit <= 0)
        return 0;
    int64_t b = tmpfs_bytes(cfg->tmpfs_size);
    if (b <= c.pod_limit)
        return 0;
    char h[32], l[32];
    lz_cg_human(b, h, sizeof h);
    lz_cg_human(c.pod_limit, l, sizeof l);
    snprintf(out, cap, "warning: LAZYDIND_TMPFS_SIZE=%s (%s) is above the pod's memory "
             "limit %s: a data-root that fills up past the limit gets processes of the pod "
             "OOM-killed instead of 'no space left on device'; leave it unset (half the "
             "limit) or use a volume for the data-root", cfg->tmpfs_size, h, l);
    return 1;
}

void lz_tmpfs_size_choose(struct lz_config *cfg, char *why, size_t cap)
{
    char w[640];
    if (cfg->tmpfs_size[0]) {
        if (lz_tmpfs_size_warning(cfg, w, sizeof w))
            snprintf(why, cap, "size=%s (LAZYDIND_TMPFS_SIZE); %s", cfg->tmpfs_size, w);
        else
            snprintf(why, cap, "size=%s (LAZYDIND_TMPFS_SIZE)", cfg->tmpfs_size);
        return;
    }
    struct lz_contain c;
    if (lz_contain_probe(&c) == 0 && c.pod_limit > 0) {
        int64_t b = lz_cg_tmpfs_default(c.pod_limit);
        char h[32], l[32];
        lz_cg_human(b, h, sizeof h);
        lz_cg_human(c.pod_limit, l, sizeof l);
        snprintf(cfg->tmpfs_size, sizeof cfg->tmpfs_size, "%lld", (long long)b);
        snprintf(why, cap, "size %s, half the pod's memory limit %s "
                 "(LAZYDIND_TMPFS_SIZE sets another)", h, l);
        return;
    }
    snprintf(why, cap, "the kernel's default size, half of RAM (the pod has no memory "
             "limit; LAZYDIND_TMPFS_SIZE sets one)");
}

/* What the notice says, once the data-root is known to be a tmpfs at least
 * 90% full (the rare case: kept out of the warm path's way). */
static void full_notice(const struct lz_config *cfg, int64_t used, int64_t size)
{
    char u[32], t[32], why[160] = "";
    lz_cg_human(used, u, sizeof u);
    lz_cg_human(size, t, sizeof t);
    struct lz_contain c;
    if (cfg->tmpfs_size[0])
        snprintf(why, sizeof why, "LAZYDIND_TMPFS_SIZE=%s", cfg->tmpfs_size);
    else if (lz_contain_probe(&c) == 0 && c.pod_limit > 0) {
        char l[32];
        lz_cg_human(c.pod_limit, l, sizeof l);
        snprintf(why, sizeof why, "half the pod's memory limit %s", l);
    } else
        snprintf(why, sizeof why, "the kernel's default, half of RAM");
    lz_notice("the data-root %s is %lld%% full (%s of %s, in memory: %s); writes to it fail "
              "with 'no space left on device': free space with docker system prune, or give "
              "the data-root a volume, or set LAZYDIND_TMPFS_SIZE", cfg->data_root,
              (long long)(used * 100 / size), u, t, why);
}

int lz_dataroot_full(const struct statfs *sf, int64_t *used, int64_t *size)
{
    if (sf->f_blocks == 0 || strcmp(lz_fs_name((long)sf->f_type), "tmpfs") != 0)
        return 0;
    /* statvfs's fragment size: f_frsize when the kernel gives one */
    int64_t unit = sf->f_frsize ? (int64_t)sf->f_frsize : (int64_t)sf->f_bsize;
    *size = (int64_t)sf->f_blocks * unit;
    *used = *size - (int64_t)sf->f_bfree * unit;
    return *used * 10 >= *size * 9;
}

void lz_dataroot_full_notice(const struct lz_config *cfg)
{
    /* one statfs tells both what the data-root is and how full */
    struct statfs sf;
    int64_t used, size;
    if (statfs(cfg->data_root, &sf) == 0 && lz_dataroot_full(&sf, &used, &size))
        full_notice(cfg, used, size);
}
