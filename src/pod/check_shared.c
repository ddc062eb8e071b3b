/* Doctor's checks for both ways (check_shared.h). */
#define _GNU_SOURCE
#include "pod/check_shared.h"

#include <string.h>

static const enum lz_target T = LZ_FOR_ALL;

/* Which iptables programs the image has, and which tables the node uses. */
static void check_iptables(const struct lz_facts *f, struct lz_report *r)
{
    char bins[128] = "";
    if (f->iptables_nft.found)
        strcat(bins, "iptables-nft");
    if (f->iptables_legacy.found)
        strcat(strcat(bins, bins[0] ? ", " : ""), "iptables-legacy");
    if (f->iptables.found && !bins[0])
        strcat(bins, "iptables");
    const char *use = !f->ipt_names_read ? "backend in use unknown (ip_tables_names unreadable)"
                      : f->ipt_legacy_tables ? "the node has legacy tables: legacy"
                                             : "no legacy tables on the node: nft";
    if (!bins[0])
        lz_report_add(r, "iptables", T, LZ_LVL_WARN, "image: install iptables",
                      "no iptables installed: dockerd runs with iptables off (no NAT, no "
                      "published ports); %s", use);
    else
        lz_report_add(r, "iptables", T, LZ_LVL_OK, NULL, "%s; installed: %s", use, bins);
}

static void check_overlay(const struct lz_facts *f, struct lz_report *r)
{
    if (!f->filesystems_read)
        lz_report_add(r, "overlay", T, LZ_LVL_INFO, NULL, "/proc/filesystems not readable");
    else if (f->overlay_listed)
        lz_report_add(r, "overlay", T, LZ_LVL_OK, NULL, "the kernel has overlayfs");
    else
        lz_report_add(r, "overlay", T, LZ_LVL_WARN, "on the node: modprobe overlay",
                      "/proc/filesystems does not list overlay (module not loaded?): overlay2 "
                      "cannot work until the node loads it");
}

static void check_userns(const struct lz_facts *f, struct lz_report *r)
{
    if (f->sysbox.detected)
        lz_report_add(r, "sysbox", T, LZ_LVL_INFO, NULL,
                      "Sysbox: %d sysboxfs mounts, root is host uid %ld%s", f->sysbox.sysboxfs,
                      f->sysbox.root_host_uid,
                      f->sysbox.docker_mount ? ", /var/lib/docker mounted by Sysbox" : "");
    else if (f->uid_map_read && !lz_idmap_is_initial(&f->uid_map))
        lz_report_add(r, "userns", T, LZ_LVL_INFO, NULL,
                      "the pod has its own user namespace (root is host uid %ld)",
                      lz_idmap_outside(&f->uid_map, 0));
}

/* Only when extra CAs are configured: an expired one fails every TLS
 * connection it should have made work. */
static void check_ca_certs(const struct lz_facts *f, struct lz_report *r)
{
    if (f->ca_certs < 0)
        lz_report_add(r, "ca-certs", T, LZ_LVL_FAIL, "fix LAZYDIND_CA_CERTS",
                      "%s", f->ca_error);
    else if (f->ca_expired)
        lz_report_add(r, "ca-certs", T, LZ_LVL_WARN,
                      "replace the expired certificate (or drop it from LAZYDIND_CA_CERTS)",
                      "%d of %d extra CA certificates expired, first %s: TLS through "
                      "what it signs fails", f->ca_expired, f->ca_certs,
                      f->ca_expired_subject);
    else if (f->ca_certs > 0)
        lz_report_add(r, "ca-certs", T, LZ_LVL_OK, NULL,
                      "dockerd trusts %d extra CA certificates", f->ca_certs);
}

void lz_check_shared(const struct lz_facts *f, struct lz_report *r)
{
    check_ca_certs(f, r);
    check_iptables(f, r);
    check_overlay(f, r);
    check_userns(f, r);
}
