/* Unit tests for doctor.h (report.h, evaluate.h, manifest.h, render.h,
 * preflight.h): the recorded pods (fixture.h) gathered, judged and shown. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "pod/doctor.h"
#include "base/util.h"

/* ----------------------------------------------- gather + evaluate, whole */

struct pod {
    struct lz_facts f;
    struct lz_config cfg;
    struct lz_report r;
};

/* Gathers fixture NAME, with the live-only probes set as that pod had
 * them (probes.txt), and evaluates it for mode (auto from the recorded
 * uid). */
static void load(struct pod *p, const char *name, enum lz_mode mode)
{
    char root[1200];
    memset(&p->cfg, 0, sizeof p->cfg);
    p->cfg.mode = mode;
    p->cfg.tmpfs = LZ_TMPFS_AUTO;
    strcpy(p->cfg.data_root, "/var/lib/docker");
    strcpy(p->cfg.dockerd, "dockerd");
    strcpy(p->cfg.daemon_json, "/nonexistent/daemon.json");
    fx_root(name, root, sizeof root);
    lz_detect_gather(&p->f, &p->cfg, root);
    /* the recorded tree has no binaries or devices: as in the test bed */
    struct lz_bin b = {.found = 1, .setuid_root = 0};
    strcpy(b.path, "/usr/bin/x");
    p->f.dockerd = p->f.rootlesskit = p->f.slirp4netns = p->f.fuse_overlayfs = b;
    p->f.iptables = p->f.iptables_nft = p->f.iptables_legacy = b;
    b.setuid_root = 1;
    p->f.newuidmap = p->f.newgidmap = b;
    p->f.rootless_script = 1;
    p->f.xdg_ok = p->f.euid != 0;
    p->f.fuse_errno = p->f.tun_errno = ENOENT;
    p->cfg.rootless = mode == LZ_MODE_ROOTLESS || (mode == LZ_MODE_AUTO && p->f.euid != 0);
    lz_doctor_evaluate(&p->f, &p->cfg, &p->r);
}

static void reeval(struct pod *p)
{
    lz_doctor_evaluate(&p->f, &p->cfg, &p->r);
}

static const struct lz_check *chk(const struct pod *p, const char *id, enum lz_target t)
{
    for (int i = 0; i < p->r.nchecks; i++)
        if (strcmp(p->r.checks[i].id, id) == 0 && p->r.checks[i].target == t)
            return &p->r.checks[i];
    fail_msg("no check %s for %d", id, t);
    return NULL;
}

static void dump(const struct pod *p)
{
    lz_doctor_print(&p->r, &p->f, stderr);
}

#define POD_IS(p, want)                                               \
    do {                                                              \
        if ((p)->r.pod != (want)) {                                   \
            dump(p);                                                  \
            fail_msg("pod is %s, want %s", lz_pod_name((p)->r.pod),   \
                     lz_pod_name(want));                              \
        }                                                             \
    } while (0)

static void test_eval_priv(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "priv", LZ_MODE_AUTO);
    POD_IS(&p, LZ_POD_PRIVILEGED);
    assert_true(p.r.selected_ok);
    assert_false(p.r.rootless);
    assert_int_equal(chk(&p, "capabilities", LZ_FOR_ROOTFUL)->level, LZ_LVL_WARN);
    assert_non_null(strstr(chk(&p, "capabilities", LZ_FOR_ROOTFUL)->msg, "SYS_RESOURCE"));
    const struct lz_check *st = chk(&p, "storage", LZ_FOR_ROOTFUL);
    assert_int_equal(st->level, LZ_LVL_OK);
    assert_non_null(strstr(st->msg, "overlay-on-overlay handled by tmpfs"));
    assert_true(p.r.opt[0].works);
    assert_false(p.r.opt[1].works);
    assert_false(p.r.opt[2].works); /* root */
    char msg[2048];
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), 0);
    assert_string_equal(msg, "");
    /* LAZYDIND_TMPFS=never on overlay: a warning, not a failure */
    p.cfg.tmpfs = LZ_TMPFS_NEVER;
    reeval(&p);
    assert_int_equal(chk(&p, "storage", LZ_FOR_ROOTFUL)->level, LZ_LVL_WARN);
    assert_true(p.r.selected_ok);
    /* but LAZYDIND_MODE=rootless as root cannot work */
    p.cfg.tmpfs = LZ_TMPFS_AUTO;
    p.cfg.mode = LZ_MODE_ROOTLESS;
    p.cfg.rootless = 1;
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "rootless"));
    assert_non_null(strstr(msg, "runAsUser"));
    lz_facts_free(&p.f);
}

static void test_eval_default(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "default", LZ_MODE_AUTO);
    POD_IS(&p, LZ_POD_UNPRIVILEGED);
    assert_false(p.r.selected_ok);
    assert_int_equal(chk(&p, "capabilities", LZ_FOR_ROOTFUL)->level, LZ_LVL_FAIL);
    assert_non_null(strstr(chk(&p, "capabilities", LZ_FOR_ROOTFUL)->msg, "NET_ADMIN, SYS_ADMIN"));
    assert_int_equal(chk(&p, "seccomp", LZ_FOR_ROOTFUL)->level, LZ_LVL_FAIL);
    assert_int_equal(chk(&p, "cgroups", LZ_FOR_ROOTFUL)->level, LZ_LVL_FAIL);
    /* rootless, as the image's agent: what is missing */
    assert_string_equal(p.r.rl_user, "agent");
    assert_int_equal(p.r.rl_uid, 1000);
    assert_int_equal(chk(&p, "user", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_int_equal(chk(&p, "proc", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_int_equal(chk(&p, "tun", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_int_equal(chk(&p, "fuse", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_int_equal(chk(&p, "subids", LZ_FOR_ROOTLESS)->level, LZ_LVL_OK);
    assert_int_equal(chk(&p, "capabilities", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    /* every option says what to add */
    for (int i = 0; i < 3; i++) {
        assert_false(p.r.opt[i].works);
        assert_true(p.r.opt[i].nlines > 0);
    }
    int priv = 0, rc = 0, proc = 0, tun = 0, hu = 0;
    for (int j = 0; j < p.r.opt[0].nlines; j++)
        priv |= strstr(p.r.opt[0].lines[j], "privileged: true") != NULL;
    for (int j = 0; j < p.r.opt[1].nlines; j++)
        rc |= strstr(p.r.opt[1].lines[j], "runtimeClassName: sysbox-runc") != NULL;
    for (int j = 0; j < p.r.opt[2].nlines; j++) {
        proc |= strstr(p.r.opt[2].lines[j], "procMount: Unmasked") != NULL;
        tun |= strstr(p.r.opt[2].lines[j], "path: /dev/net/tun, type: CharDevice") != NULL;
        hu |= strstr(p.r.opt[2].lines[j], "hostUsers: false") != NULL;
    }
    assert_true(priv && rc && proc && tun && hu);
    char msg[4096];
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "this pod cannot run rootful dockerd (it is unprivileged)"));
    assert_non_null(strstr(msg, "SYS_ADMIN"));
    assert_non_null(strstr(msg, "privileged: true"));
    assert_non_null(strstr(msg, "runtimeClassName: sysbox-runc"));
    assert_null(strchr(msg + strlen(msg) - 1, '\n'));
    /* a tiny buffer: truncated, terminated, still -1 */
    char tiny[32];
    assert_int_equal(lz_preflight_text(&p.r, tiny, sizeof tiny), -1);
    assert_true(strlen(tiny) < sizeof tiny);
    lz_facts_free(&p.f);
}

/* The rootless fixture as in the test bed (both devices opened,
 * XDG_RUNTIME_DIR usable): rootless dockerd works there. */
static void load_rootless(struct pod *p)
{
    load(p, "rootless", LZ_MODE_AUTO);
    p->f.fuse_errno = p->f.tun_errno = 0;
    reeval(p);
    assert_true(p->r.selected_ok);
}

static void test_eval_rootless(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "rootless", LZ_MODE_AUTO);
    /* as in the test bed: both devices opened, XDG_RUNTIME_DIR usable */
    p.f.fuse_errno = p.f.tun_errno = 0;
    reeval(&p);
    POD_IS(&p, LZ_POD_ROOTLESS);
    assert_true(p.r.rootless);
    assert_true(p.r.selected_ok);
    assert_true(p.r.opt[2].works);
    assert_string_equal(p.r.rl_user, "agent");
    assert_int_equal(chk(&p, "user", LZ_FOR_ROOTFUL)->level, LZ_LVL_FAIL);
    /* the data-root under /home/agent is on the pod's overlay */
    assert_string_equal(p.f.rl_data_root_fs, "overlay");
    char msg[4096];
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), 0);

    /* one requirement at a time */
    p.f.tun_errno = ENOENT;
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_int_equal(chk(&p, "tun", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "/dev/net/tun"));
    assert_null(strstr(msg, "/dev/fuse"));
    p.f.tun_errno = EACCES;
    reeval(&p);
    assert_non_null(strstr(chk(&p, "tun", LZ_FOR_ROOTLESS)->msg, "mode"));
    p.f.tun_errno = EPERM;
    reeval(&p);
    assert_non_null(strstr(chk(&p, "tun", LZ_FOR_ROOTLESS)->msg, "device cgroup"));
    assert_non_null(strstr(p.r.opt[2].note, "device plugin"));
    p.f.tun_errno = 0;

    p.f.fuse_errno = ENOENT;
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_int_equal(chk(&p, "fuse", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_non_null(strstr(chk(&p, "fuse", LZ_FOR_ROOTLESS)->fix, "LAZYDIND_STORAGE_DRIVER=vfs"));
    /* with a storage driver chosen, /dev/fuse is not needed */
    p.f.storage_driver_set = 1;
    reeval(&p);
    assert_true(p.r.selected_ok);
    assert_int_equal(chk(&p, "fuse", LZ_FOR_ROOTLESS)->level, LZ_LVL_INFO);
    p.f.storage_driver_set = 0;
    /* nor on a data-root that is not overlay */
    strcpy(p.f.rl_data_root_fs, "ext4");
    reeval(&p);
    assert_true(p.r.selected_ok);
    strcpy(p.f.rl_data_root_fs, "overlay");
    p.f.fuse_errno = 0;
    lz_facts_free(&p.f);
}

/* one requirement at a time: subordinate ids, privilege escalation, the
 * runtime dir, user namespaces, AppArmor */
static void test_eval_rootless_limits(void **state)
{
    (void)state;
    static struct pod p;
    load_rootless(&p);

    p.f.subuid_found = 0;
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_int_equal(chk(&p, "subids", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_non_null(strstr(chk(&p, "subids", LZ_FOR_ROOTLESS)->msg, "/etc/subuid"));
    assert_non_null(strstr(chk(&p, "subids", LZ_FOR_ROOTLESS)->fix, "agent:100000:65536"));
    p.f.subuid_found = 1;

    p.f.st.no_new_privs = 1;
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_non_null(strstr(chk(&p, "no-new-privileges", LZ_FOR_ROOTLESS)->fix,
                           "allowPrivilegeEscalation: true"));
    p.f.st.no_new_privs = 0;

    p.f.xdg_ok = 0;
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_int_equal(chk(&p, "xdg-runtime-dir", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    p.f.xdg_ok = 1;

    p.f.max_user_namespaces = 0;
    reeval(&p);
    assert_false(p.r.selected_ok);
    p.f.max_user_namespaces = 100;
    p.f.apparmor_restrict_userns = 1;
    reeval(&p);
    assert_false(p.r.selected_ok);
    p.f.apparmor_restrict_userns = -1;

    snprintf(p.f.apparmor, sizeof p.f.apparmor, "docker-default (enforce)");
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_int_equal(chk(&p, "apparmor", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    p.f.apparmor[0] = '\0';
    lz_facts_free(&p.f);
}

/* one requirement at a time: what newuidmap needs */
static void test_eval_rootless_newuidmap(void **state)
{
    (void)state;
    static struct pod p;
    load_rootless(&p);

    /* drop ALL, add SYS_ADMIN and NET_ADMIN: newuidmap cannot open uid_map */
    uint64_t bnd = p.f.st.cap_bnd;
    p.f.st.cap_bnd = LZ_CAP_BIT(LZ_CAP_SYS_ADMIN) | LZ_CAP_BIT(LZ_CAP_NET_ADMIN);
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_non_null(strstr(chk(&p, "capabilities", LZ_FOR_ROOTLESS)->msg,
                           "lacks DAC_OVERRIDE, SETGID, SETUID"));
    assert_non_null(strstr(chk(&p, "capabilities", LZ_FOR_ROOTLESS)->msg, "open of uid_map"));
    int addl = 0;
    for (int j = 0; j < p.r.opt[2].nlines; j++)
        addl |= strstr(p.r.opt[2].lines[j], "capabilities: {add: [DAC_OVERRIDE, SETGID, SETUID]}") != NULL;
    assert_true(addl);
    p.f.st.cap_bnd = bnd;

    /* runAsGroup 0 for agent (passwd gid 1000): newuidmap refuses */
    p.f.st.gid = 0;
    reeval(&p);
    assert_false(p.r.selected_ok);
    assert_non_null(strstr(chk(&p, "gid", LZ_FOR_ROOTLESS)->msg, "owned by a different user"));
    int rg = 0;
    for (int j = 0; j < p.r.opt[2].nlines; j++)
        rg |= strstr(p.r.opt[2].lines[j], "runAsGroup: 1000") != NULL;
    assert_true(rg);
    p.f.st.gid = 1000;
    reeval(&p);
    assert_true(p.r.selected_ok);

    p.f.newuidmap.setuid_root = 0;
    reeval(&p);
    assert_false(p.r.selected_ok);
    p.f.newuidmap.file_caps = 1;
    reeval(&p);
    assert_true(p.r.selected_ok);
    lz_facts_free(&p.f);
}

static void test_eval_rootless_masked(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "rootless-masked", LZ_MODE_AUTO);
    p.f.fuse_errno = p.f.tun_errno = 0;
    reeval(&p);
    POD_IS(&p, LZ_POD_UNPRIVILEGED);
    assert_false(p.r.selected_ok);
    const struct lz_check *c = chk(&p, "proc", LZ_FOR_ROOTLESS);
    assert_int_equal(c->level, LZ_LVL_FAIL);
    assert_non_null(strstr(c->msg, "mount proc"));
    assert_non_null(strstr(c->fix, "procMount: Unmasked"));
    int proc = 0, hu = 0;
    for (int j = 0; j < p.r.opt[2].nlines; j++) {
        proc |= strstr(p.r.opt[2].lines[j], "procMount: Unmasked") != NULL;
        hu |= strstr(p.r.opt[2].lines[j], "hostUsers: false") != NULL;
    }
    assert_true(proc && hu);
    char msg[4096];
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "this pod cannot run rootless dockerd"));
    assert_non_null(strstr(msg, "/proc is masked"));
    lz_facts_free(&p.f);
}

static void test_eval_user1000(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "user1000", LZ_MODE_AUTO);
    POD_IS(&p, LZ_POD_UNPRIVILEGED);
    assert_true(p.r.rootless);
    assert_int_equal(chk(&p, "capabilities", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    assert_int_equal(chk(&p, "seccomp", LZ_FOR_ROOTLESS)->level, LZ_LVL_FAIL);
    int cap = 0, sec = 0, runas = 0;
    for (int j = 0; j < p.r.opt[2].nlines; j++) {
        cap |= strstr(p.r.opt[2].lines[j], "capabilities: {add: [SYS_ADMIN]}") != NULL;
        sec |= strstr(p.r.opt[2].lines[j], "seccompProfile: {type: Unconfined}") != NULL;
        runas |= strstr(p.r.opt[2].lines[j], "runAsUser") != NULL;
    }
    assert_true(cap && sec && !runas);
    /* LAZYDIND_MODE=rootful as uid 1000: the privileged option adds runAsUser: 0 */
    p.cfg.mode = LZ_MODE_ROOTFUL;
    p.cfg.rootless = 0;
    reeval(&p);
    assert_false(p.r.rootless);
    assert_int_equal(chk(&p, "user", LZ_FOR_ROOTFUL)->level, LZ_LVL_FAIL);
    int r0 = 0;
    for (int j = 0; j < p.r.opt[0].nlines; j++)
        r0 |= strstr(p.r.opt[0].lines[j], "runAsUser: 0") != NULL;
    assert_true(r0);
    lz_facts_free(&p.f);
}

/* Sysbox (the recorded sysbox-k8s pod, uid_map 0-65535): the usual
 * 100000:65536 lies outside its user namespace, and doctor proposes
 * ranges that fit, around the user's own uid. */
static void test_eval_sysbox_subids(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "sysbox-k8s", LZ_MODE_AUTO);
    p.f.subid_uid = 1000;
    strcpy(p.f.subid_user, "agent");
    p.f.subuid_found = p.f.subgid_found = p.f.subid_files_read = 1;
    p.f.subuid_start = p.f.subgid_start = 100000;
    p.f.subuid_count = p.f.subgid_count = 65536;
    reeval(&p);
    const struct lz_check *c = chk(&p, "subids", LZ_FOR_ROOTLESS);
    assert_int_equal(c->level, LZ_LVL_FAIL);
    assert_non_null(strstr(c->msg, "100000-165535 lies outside this pod's user namespace"));
    assert_non_null(strstr(c->fix, ":1:999 "));
    assert_non_null(strstr(c->fix, ":1001:64535"));
    /* the ranges it proposes pass, with no warning about 64535 < 65536 */
    p.f.subuid_start = p.f.subgid_start = 1001;
    p.f.subuid_count = p.f.subgid_count = 64535;
    reeval(&p);
    assert_int_equal(chk(&p, "subids", LZ_FOR_ROOTLESS)->level, LZ_LVL_OK);
    /* no range at all: the fix is the ranges that fit, not 100000:65536 */
    p.f.subuid_found = 0;
    reeval(&p);
    c = chk(&p, "subids", LZ_FOR_ROOTLESS);
    assert_int_equal(c->level, LZ_LVL_FAIL);
    assert_non_null(strstr(c->fix, ":1001:64535"));
    assert_null(strstr(c->fix, "100000"));
    lz_facts_free(&p.f);
}

static void test_eval_sysbox(void **state)
{
    (void)state;
    static struct pod p;
    static const char *const names[] = {"sysbox-docker", "sysbox-k8s"};
    for (int i = 0; i < 2; i++) {
        load(&p, names[i], LZ_MODE_AUTO);
        POD_IS(&p, LZ_POD_SYSBOX);
        assert_true(p.r.selected_ok);
        assert_true(p.r.opt[1].works);
        assert_false(p.r.opt[0].works);
        /* Sysbox's own seccomp filter and masked paths are fine */
        assert_int_equal(chk(&p, "seccomp", LZ_FOR_ROOTFUL)->level, LZ_LVL_OK);
        assert_int_equal(chk(&p, "capabilities", LZ_FOR_ROOTFUL)->level, LZ_LVL_OK);
        assert_int_equal(chk(&p, "cgroups", LZ_FOR_ROOTFUL)->level, LZ_LVL_OK);
        const struct lz_check *st = chk(&p, "storage", LZ_FOR_ROOTFUL);
        assert_non_null(strstr(st->msg, "Sysbox's own mount"));
        assert_string_equal(p.f.data_root_fs, "ext4");
        lz_facts_free(&p.f);
    }
}

static void test_eval_cgroup2(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "cgroup2-priv", LZ_MODE_AUTO);
    POD_IS(&p, LZ_POD_PRIVILEGED);
    assert_int_equal(p.f.cg_layout, LZ_CG_V2);
    assert_true(p.f.cg_at_ns_root);
    assert_int_equal(p.f.cg_root_procs, 3);
    const struct lz_check *c = chk(&p, "cgroups", LZ_FOR_ROOTFUL);
    assert_int_equal(c->level, LZ_LVL_OK);
    assert_non_null(strstr(c->msg, "init/"));
    assert_non_null(strstr(c->msg, "cpuset cpu io memory"));
    assert_true(p.f.ipt_legacy_tables);
    assert_non_null(strstr(chk(&p, "iptables", LZ_FOR_ALL)->msg, "legacy"));
    /* subtree_control not writable: cannot nest */
    p.f.cg_subtree_writable = 0;
    reeval(&p);
    assert_int_equal(chk(&p, "cgroups", LZ_FOR_ROOTFUL)->level, LZ_LVL_FAIL);
    assert_false(p.r.selected_ok);
    lz_facts_free(&p.f);
}

/* the preflight gathers one mode's facts: only its checks, no verdict on
 * the other mode */
static void test_scope(void **state)
{
    (void)state;
    static struct pod p;
    char root[1200], msg[4096];
    load(&p, "default", LZ_MODE_AUTO);
    lz_facts_free(&p.f);
    fx_root("default", root, sizeof root);
    lz_detect_gather_for(&p.f, &p.cfg, root, LZ_SCOPE_ROOTFUL);
    assert_int_equal(p.f.scope, LZ_SCOPE_ROOTFUL);
    assert_false(p.f.rootlesskit.found);
    assert_string_equal(p.f.rl_data_root_fs, "");
    p.f.dockerd.found = 1;
    reeval(&p);
    for (int i = 0; i < p.r.nchecks; i++)
        assert_int_equal(p.r.checks[i].target, LZ_FOR_ROOTFUL);
    assert_false(p.r.selected_ok);
    assert_false(p.r.opt[2].works);
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "this pod cannot run rootful dockerd:\n"));
    assert_non_null(strstr(msg, "capabilities: CapEff lacks NET_ADMIN, SYS_ADMIN"));
    lz_facts_free(&p.f);
    /* the rootless pod, rootless facts only: ok */
    fx_root("rootless", root, sizeof root);
    lz_detect_gather_for(&p.f, &p.cfg, root, LZ_SCOPE_ROOTLESS);
    struct lz_bin b = {.found = 1, .setuid_root = 1};
    p.f.rootlesskit = p.f.slirp4netns = p.f.fuse_overlayfs = p.f.newuidmap = p.f.newgidmap = b;
    p.f.rootless_script = p.f.xdg_ok = 1;
    p.f.fuse_errno = p.f.tun_errno = 0;
    p.cfg.rootless = 1;
    reeval(&p);
    assert_true(p.r.selected_ok);
    assert_false(p.r.opt[0].works); /* not checked, so not claimed */
    assert_int_equal(lz_preflight_text(&p.r, msg, sizeof msg), 0);
    lz_facts_free(&p.f);
}

static void test_json(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "default", LZ_MODE_AUTO);
    json_t *j = lz_doctor_json(&p.r, &p.f);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "pod")), "unprivileged");
    json_t *mode = json_object_get(j, "mode");
    assert_string_equal(json_string_value(json_object_get(mode, "selected")), "rootful");
    assert_true(json_is_false(json_object_get(mode, "ok")));
    json_t *checks = json_object_get(j, "checks");
    assert_true(json_array_size(checks) > 10);
    json_t *c0 = json_array_get(checks, 0);
    assert_non_null(json_object_get(c0, "status"));
    json_t *rl = json_object_get(json_object_get(j, "options"), "rootless");
    assert_true(json_is_false(json_object_get(rl, "works")));
    assert_true(json_array_size(json_object_get(rl, "manifest")) > 3);
    json_decref(j);
    lz_facts_free(&p.f);
}

/* gather on the live system never crashes and fills the basics */
static void test_gather_live(void **state)
{
    (void)state;
    struct lz_facts f;
    struct lz_config cfg;
    memset(&cfg, 0, sizeof cfg);
    strcpy(cfg.data_root, "/var/lib/docker");
    strcpy(cfg.dockerd, "dockerd");
    strcpy(cfg.daemon_json, "/nonexistent");
    int64_t t0 = lz_now_ms();
    lz_detect_gather(&f, &cfg, NULL);
    int64_t dt = lz_now_ms() - t0;
    assert_true(f.status_read);
    assert_true(f.mountinfo[0] != '\0');
    assert_true(dt < 200);
    static struct lz_report r;
    lz_doctor_evaluate(&f, &cfg, &r);
    assert_true(r.nchecks > 10);
    lz_facts_free(&f);
    char msg[256];
    (void)lz_preflight(&cfg, msg, sizeof msg);
}


/* ------------------------------------------------------------ the report */

static void test_report(void **state)
{
    (void)state;
    static struct lz_report r;
    memset(&r, 0, sizeof r);
    assert_string_equal(lz_level_name(LZ_LVL_OK), "ok");
    assert_string_equal(lz_level_name(LZ_LVL_INFO), "info");
    assert_string_equal(lz_level_name(LZ_LVL_WARN), "warn");
    assert_string_equal(lz_level_name(LZ_LVL_FAIL), "fail");
    assert_string_equal(lz_pod_name(LZ_POD_PRIVILEGED), "privileged");
    assert_string_equal(lz_pod_name(LZ_POD_SYSBOX), "sysbox");
    assert_string_equal(lz_pod_name(LZ_POD_ROOTLESS), "rootless-capable");
    assert_string_equal(lz_pod_name(LZ_POD_UNPRIVILEGED), "unprivileged");
    assert_string_equal(lz_target_name(LZ_FOR_ROOTFUL), "rootful");
    assert_string_equal(lz_target_name(LZ_FOR_ROOTLESS), "rootless");
    assert_string_equal(lz_target_name(LZ_FOR_ALL), "all");
    /* a check: its message formatted, no fix is "" */
    struct lz_check *c = lz_report_add(&r, "user", LZ_FOR_ROOTFUL, LZ_LVL_OK, NULL,
                                       "runs as uid %d", 0);
    assert_int_equal(r.nchecks, 1);
    assert_string_equal(c->msg, "runs as uid 0");
    assert_string_equal(c->fix, "");
    assert_false(lz_report_has_fail(&r, LZ_FOR_ROOTFUL));
    lz_report_add(&r, "tun", LZ_FOR_ROOTLESS, LZ_LVL_FAIL, "mount it", "absent");
    assert_true(lz_report_has_fail(&r, LZ_FOR_ROOTLESS));
    assert_false(lz_report_has_fail(&r, LZ_FOR_ROOTFUL));
    assert_true(lz_report_failed(&r, "tun", LZ_FOR_ROOTLESS));
    assert_false(lz_report_failed(&r, "tun", LZ_FOR_ROOTFUL));
    assert_false(lz_report_failed(&r, "user", LZ_FOR_ROOTFUL));
    assert_string_equal(lz_report_find(&r, "tun", LZ_FOR_ROOTLESS)->fix, "mount it");
    assert_null(lz_report_find(&r, "nothing", LZ_FOR_ROOTLESS));
    /* a failing check for both counts for either way */
    lz_report_add(&r, "iptables", LZ_FOR_ALL, LZ_LVL_FAIL, NULL, "x");
    assert_true(lz_report_has_fail(&r, LZ_FOR_ROOTFUL));
    assert_null(lz_report_find(&r, "iptables", LZ_FOR_ROOTFUL)); /* exactly that target */
    /* past LZ_MAX_CHECKS the report stays as it is, the caller's pointer valid */
    while (r.nchecks < LZ_MAX_CHECKS)
        lz_report_add(&r, "filler", LZ_FOR_ROOTFUL, LZ_LVL_OK, NULL, "%d", r.nchecks);
    c = lz_report_add(&r, "late", LZ_FOR_ROOTFUL, LZ_LVL_FAIL, "f", "dropped");
    assert_non_null(c);
    assert_string_equal(c->msg, "dropped");
    assert_int_equal(r.nchecks, LZ_MAX_CHECKS);
    assert_null(lz_report_find(&r, "late", LZ_FOR_ROOTFUL));
}

/* The preflight text names a fix once, even for several checks, and puts
 * each failing check of the selected mode on its line. */
static void test_preflight_text(void **state)
{
    (void)state;
    static struct lz_report r;
    char msg[1024];
    memset(&r, 0, sizeof r);
    r.selected_ok = 1;
    memset(msg, 'x', sizeof msg);
    assert_int_equal(lz_preflight_text(&r, msg, sizeof msg), 0);
    assert_string_equal(msg, "");
    r.selected_ok = 0;
    r.scope = LZ_SCOPE_ROOTFUL;
    r.pod = LZ_POD_UNPRIVILEGED;
    lz_report_add(&r, "capabilities", LZ_FOR_ROOTFUL, LZ_LVL_FAIL, "privileged: true", "caps");
    lz_report_add(&r, "cgroups", LZ_FOR_ROOTFUL, LZ_LVL_FAIL, "privileged: true", "ro");
    lz_report_add(&r, "tun", LZ_FOR_ROOTLESS, LZ_LVL_FAIL, "mount it", "absent");
    lz_report_add(&r, "storage", LZ_FOR_ROOTFUL, LZ_LVL_WARN, "a volume", "slow");
    assert_int_equal(lz_preflight_text(&r, msg, sizeof msg), -1);
    assert_string_equal(msg, "this pod cannot run rootful dockerd:\n"
                             "  capabilities: caps\n"
                             "    fix: privileged: true\n"
                             "  cgroups: ro\n"
                             "or: securityContext privileged: true, runtimeClassName: "
                             "sysbox-runc, or rootless mode as a non-root user");
    /* the other way that works, and the pod named when everything was checked */
    r.scope = LZ_SCOPE_ALL;
    r.opt[2].works = 1;
    r.opt[2].name = "rootless";
    assert_int_equal(lz_preflight_text(&r, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "this pod cannot run rootful dockerd (it is unprivileged):\n"));
    assert_non_null(strstr(msg, "\nrootless dockerd would work here: LAZYDIND_MODE=rootless"));
    /* no room at all: nothing written, still -1 */
    msg[0] = 'x';
    assert_int_equal(lz_preflight_text(&r, msg, 0), -1);
    assert_int_equal(msg[0], 'x');
}

/* The text report: the verdicts first, one section per way, the options
 * with their manifest lines. */
static void test_print(void **state)
{
    (void)state;
    static struct pod p;
    load(&p, "default", LZ_MODE_AUTO);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    lz_doctor_print(&p.r, &p.f, out);
    assert_int_equal(fclose(out), 0);
    assert_true(strncmp(text, "pod:   unprivileged (uid 0; rootful fails: ", 43) == 0);
    assert_non_null(strstr(text, "\nmode:  rootful (LAZYDIND_MODE=auto, root): cannot work here\n"));
    assert_non_null(strstr(text, "\n\ndockerd as root (privileged or Sysbox):\n"));
    assert_non_null(strstr(text, "\n\nrootless dockerd (as agent, uid 1000):\n"));
    assert_non_null(strstr(text, "\n\nboth:\n"));
    assert_non_null(strstr(text, "\n  fail  seccomp             a seccomp filter is active"));
    assert_non_null(strstr(text, "\n        " "                    fix: securityContext: "));
    assert_non_null(strstr(text, "\n\noptions:\n  privileged  no:  needs the lines below\n"
                                 "      spec:\n"));
    assert_non_null(strstr(text, "\n  rootless    no:  needs the lines below"));
    const char *last = "\n\nthe selected mode (rootful) cannot work here; see the fails above\n";
    assert_true(len > strlen(last));
    assert_string_equal(text + len - strlen(last), last);
    free(text);
    lz_facts_free(&p.f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_priv),
        cmocka_unit_test(test_eval_default),
        cmocka_unit_test(test_eval_rootless),
        cmocka_unit_test(test_eval_rootless_limits),
        cmocka_unit_test(test_eval_rootless_newuidmap),
        cmocka_unit_test(test_eval_rootless_masked),
        cmocka_unit_test(test_eval_user1000),
        cmocka_unit_test(test_eval_sysbox),
        cmocka_unit_test(test_eval_sysbox_subids),
        cmocka_unit_test(test_eval_cgroup2),
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_gather_live),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_preflight_text),
        cmocka_unit_test(test_print),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
