/* The three ways and their manifest lines (manifest.h). */
#define _GNU_SOURCE
#include "pod/manifest.h"
#include "pod/parse_security.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends a manifest line to o (dropped past LZ_MAX_LINES). */
static void line(struct lz_option *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(struct lz_option *o, const char *fmt, ...)
{
    if (o->nlines >= LZ_MAX_LINES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->lines[o->nlines++], sizeof o->lines[0], fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------- privileged */

static void option_privileged(const struct lz_facts *f, const struct lz_report *r,
                              int rootful_ok, struct lz_option *p)
{
    const int sysbox = f->sysbox.detected;
    p->name = "privileged";
    p->works = !sysbox && rootful_ok;
    if (sysbox) {
        snprintf(p->verdict, sizeof p->verdict, "not with Sysbox (it runs this pod)");
        return;
    }
    if (p->works) {
        snprintf(p->verdict, sizeof p->verdict, "this pod is privileged enough");
        return;
    }
    int image = lz_report_failed(r, "dockerd", LZ_FOR_ROOTFUL);
    snprintf(p->verdict, sizeof p->verdict, "needs %sthe lines below",
             image ? "dockerd in the image and " : "");
    line(p, "spec:");
    line(p, "  containers:");
    line(p, "  - securityContext:");
    line(p, "      privileged: true");
    if (f->euid != 0)
        line(p, "      runAsUser: 0");
    line(p, "# namespace label: pod-security.kubernetes.io/enforce: privileged");
}

/* -------------------------------------------------------------- Sysbox */

/* The runtime class, the user namespace it needs, and root. */
static void sysbox_lines(const struct lz_facts *f, struct lz_option *s)
{
    line(s, "spec:");
    line(s, "  runtimeClassName: sysbox-runc");
    line(s, "  hostUsers: false   # Kubernetes >= 1.30 with containerd >= 2.0.5");
    if (f->euid != 0) {
        line(s, "  containers:");
        line(s, "  - securityContext:");
        line(s, "      runAsUser: 0");
    }
    line(s, "# on CRI-O instead of hostUsers: metadata.annotations:");
    line(s, "#   io.kubernetes.cri-o.userns-mode: \"auto:size=65536\"");
}

static void option_sysbox(const struct lz_facts *f, int rootful_ok, struct lz_option *s)
{
    const int sysbox = f->sysbox.detected;
    s->name = "sysbox";
    s->works = sysbox && rootful_ok;
    if (s->works) {
        snprintf(s->verdict, sizeof s->verdict, "this pod runs under Sysbox");
    } else if (sysbox) {
        snprintf(s->verdict, sizeof s->verdict, "runs under Sysbox, but see the rootful checks");
        if (f->euid != 0) {
            line(s, "spec:");
            line(s, "  containers:");
            line(s, "  - securityContext:");
            line(s, "      runAsUser: 0");
        }
    } else {
        snprintf(s->verdict, sizeof s->verdict,
                 "needs Sysbox on the node and the lines below");
        sysbox_lines(f, s);
        snprintf(s->note, sizeof s->note,
                 "install Sysbox on the node (sysbox-deploy-k8s: label the node "
                 "sysbox-install=yes and apply sysbox-install.yaml); no privileged "
                 "securityContext and no Pod Security exemption are needed");
    }
}

/* ------------------------------------------------------------ rootless */

/* Which failing rootless checks a manifest line fixes. A device the device
 * cgroup refuses (EPERM) needs more than a volume: it goes to the note. */
struct rl_needs {
    int runas, ape, cap, gid, sec, aa, proc, fuse, tun;
};

static void rl_needs_of(const struct lz_facts *f, const struct lz_report *r,
                        struct rl_needs *n)
{
    const enum lz_target t = LZ_FOR_ROOTLESS;
    n->runas = lz_report_failed(r, "user", t);
    n->ape = lz_report_failed(r, "no-new-privileges", t);
    n->cap = lz_report_failed(r, "capabilities", t);
    n->gid = lz_report_failed(r, "gid", t);
    n->sec = lz_report_failed(r, "seccomp", t);
    n->aa = lz_report_failed(r, "apparmor", t);
    n->proc = lz_report_failed(r, "proc", t);
    n->fuse = lz_report_failed(r, "fuse", t) && f->fuse_errno != EPERM;
    n->tun = lz_report_failed(r, "tun", t) && f->tun_errno != EPERM;
}

static int rl_needs_manifest(const struct rl_needs *n)
{
    return n->runas || n->gid || n->ape || n->cap || n->sec || n->aa || n->proc || n->fuse ||
           n->tun;
}

/* 1 when the fix of a failing rootless check is not a manifest line: the
 * image, the node, the environment, or a device the device cgroup refuses. */
static int rl_fix_is_note(const struct lz_facts *f, const struct lz_check *c)
{
    return strncmp(c->fix, "image:", 6) == 0 || strncmp(c->fix, "on the node:", 12) == 0 ||
           strncmp(c->fix, "env:", 4) == 0 ||
           (strcmp(c->id, "tun") == 0 && f->tun_errno == EPERM) ||
           (strcmp(c->id, "fuse") == 0 && f->fuse_errno == EPERM);
}

/* What the manifest cannot fix, "id: fix; ..." (whole items only). */
static void rl_note(const struct lz_facts *f, const struct lz_report *r, char *note,
                    size_t notelen)
{
    size_t n = 0;
    note[0] = '\0';
    for (int i = 0; i < r->nchecks; i++) {
        const struct lz_check *c = &r->checks[i];
        if (c->target != LZ_FOR_ROOTLESS || c->level != LZ_LVL_FAIL || !rl_fix_is_note(f, c))
            continue;
        int w = snprintf(note + n, notelen - n, "%s%s: %s", n ? "; " : "", c->id, c->fix);
        if (w < 0 || (size_t)w >= notelen - n)
            break;
        n += (size_t)w;
    }
}

/* The container's securityContext. */
static void rl_security_lines(const struct lz_facts *f, const struct lz_report *r,
                              const struct rl_needs *n, struct lz_option *l)
{
    line(l, "  - securityContext:");
    long pw_gid = f->euid != 0 ? f->pw_gid : f->subid_pw_gid;
    if (n->runas)
        line(l, "      runAsUser: %lu", r->rl_uid);
    if ((n->runas || n->gid) && pw_gid >= 0)
        line(l, "      runAsGroup: %ld     # the user's group in /etc/passwd", pw_gid);
    if (n->ape)
        line(l, "      allowPrivilegeEscalation: true");
    if (n->cap) {
        char names[160];
        lz_caps_format(LZ_CAPS_ROOTLESS_BND & ~f->st.cap_bnd, names, sizeof names);
        line(l, "      capabilities: {add: [%s]}", names);
    }
    if (n->sec)
        line(l, "      seccompProfile: {type: Unconfined}");
    if (n->aa)
        line(l, "      appArmorProfile: {type: Unconfined}");
    if (n->proc)
        line(l, "      procMount: Unmasked");
}

/* /dev/fuse and /dev/net/tun as hostPath volumes. */
static void rl_device_lines(const struct rl_needs *n, struct lz_option *l)
{
    if (!n->fuse && !n->tun)
        return;
    line(l, "    volumeMounts:");
    if (n->fuse)
        line(l, "    - {name: dev-fuse, mountPath: /dev/fuse}");
    if (n->tun)
        line(l, "    - {name: dev-net-tun, mountPath: /dev/net/tun}");
    line(l, "  volumes:");
    if (n->fuse)
        line(l, "  - {name: dev-fuse, hostPath: {path: /dev/fuse, type: CharDevice}}");
    if (n->tun)
        line(l, "  - {name: dev-net-tun, hostPath: {path: /dev/net/tun, type: CharDevice}}");
}

static void rl_lines(const struct lz_facts *f, const struct lz_report *r,
                     const struct rl_needs *n, struct lz_option *l)
{
    line(l, "spec:");
    if (n->proc)
        line(l, "  hostUsers: false       # procMount: Unmasked requires it");
    line(l, "  containers:");
    rl_security_lines(f, r, n, l);
    rl_device_lines(n, l);
    if (n->cap || n->sec || n->aa || n->proc || n->fuse || n->tun)
        line(l, "# namespace label: pod-security.kubernetes.io/enforce: privileged");
}

static void option_rootless(const struct lz_facts *f, const struct lz_report *r,
                            struct lz_option *l)
{
    l->name = "rootless";
    l->works = (r->scope & LZ_SCOPE_ROOTLESS) && f->euid != 0 &&
               !lz_report_has_fail(r, LZ_FOR_ROOTLESS);
    if (!(r->scope & LZ_SCOPE_ROOTLESS)) {
        snprintf(l->verdict, sizeof l->verdict, "not checked");
        return;
    }
    if (l->works) {
        snprintf(l->verdict, sizeof l->verdict, "as %s (uid %lu)",
                 f->user[0] ? f->user : "this user", f->euid);
        return;
    }
    struct rl_needs n;
    rl_needs_of(f, r, &n);
    const int manifest = rl_needs_manifest(&n);
    char note[512];
    rl_note(f, r, note, sizeof note);
    snprintf(l->note, sizeof l->note, "%s", note);
    snprintf(l->verdict, sizeof l->verdict, "needs %s%s%s",
             manifest ? "the lines below" : "", manifest && note[0] ? " and " : "",
             note[0] ? "the changes noted" : "");
    if (manifest)
        rl_lines(f, r, &n, l);
}

void lz_manifest_options(const struct lz_facts *f, struct lz_report *r)
{
    const int rootful_ok = (r->scope & LZ_SCOPE_ROOTFUL) && !lz_report_has_fail(r, LZ_FOR_ROOTFUL);
    option_privileged(f, r, rootful_ok, &r->opt[0]);
    option_sysbox(f, rootful_ok, &r->opt[1]);
    option_rootless(f, r, &r->opt[2]);
}
