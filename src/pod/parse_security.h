/* What the pod's security settings are, from their recorded text:
 * capability masks (the Cap* lines of /proc/self/status) and their names,
 * and AppArmor labels (/proc/self/attr/current). Pure functions. */
#ifndef LAZYDIND_POD_PARSE_SECURITY_H
#define LAZYDIND_POD_PARSE_SECURITY_H

#include <stddef.h>
#include <stdint.h>

/* ---- capabilities (linux/capability.h numbers) ---- */
#define LZ_CAP_BIT(n) (UINT64_C(1) << (n))
#define LZ_CAP_SETUID 7
#define LZ_CAP_SETGID 6
#define LZ_CAP_NET_ADMIN 12
#define LZ_CAP_SYS_ADMIN 21
#define LZ_CAP_SYS_RESOURCE 24
/* Docker's default set for a container (moby's oci/caps DefaultCapabilities:
 * CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
 * NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP, i.e. the
 * CapEff 00000000a80425fb of a default `docker run`). A process cannot give
 * a container a capability it lacks, so rootful dockerd needs all of them. */
#define LZ_CAPS_DOCKER_DEFAULT UINT64_C(0x00000000a80425fb)
/* Rootful dockerd: the default set, plus SYS_ADMIN (mounts: overlay, tmpfs,
 * the containers' /proc; namespaces; pivot_root) and NET_ADMIN (the bridge,
 * veth pairs, iptables). Everything else (SYS_RESOURCE for oom_score_adj,
 * SYS_MODULE for modprobe, ...) dockerd tolerates missing. */
#define LZ_CAPS_ROOTFUL \
    (LZ_CAPS_DOCKER_DEFAULT | LZ_CAP_BIT(LZ_CAP_SYS_ADMIN) | LZ_CAP_BIT(LZ_CAP_NET_ADMIN))
/* Rootless: what the *bounding* set must hold for the user (whose CapEff is
 * empty), all for the set-user-ID newuidmap/newgidmap, which run as root
 * over a user namespace the user owns (measured, with --cap-drop ALL and
 * adding back): DAC_OVERRIDE to open /proc/PID/uid_map, which the user owns
 * ("open of uid_map failed: Permission denied"), SYS_ADMIN to write a
 * multi-range map ("write to uid_map failed: Operation not permitted"),
 * SETUID and SETGID. NET_ADMIN is not needed (measured). */
#define LZ_CAP_DAC_OVERRIDE 1
#define LZ_CAPS_ROOTLESS_BND                                                  \
    (LZ_CAP_BIT(LZ_CAP_SYS_ADMIN) | LZ_CAP_BIT(LZ_CAP_SETUID) |               \
     LZ_CAP_BIT(LZ_CAP_SETGID) | LZ_CAP_BIT(LZ_CAP_DAC_OVERRIDE))

/* Every capability up to cap_last_cap (/proc/sys/kernel/cap_last_cap). */
uint64_t lz_caps_all(int cap_last_cap);
/* "SYS_ADMIN", or "cap42" for a bit without a name here. */
const char *lz_cap_name(int bit);
/* The names of the bits of mask, ", "-separated, into out. */
void lz_caps_format(uint64_t mask, char *out, size_t outlen);

/* An AppArmor label (/proc/self/attr/current): 1 when a profile confines
 * us ("docker-default (enforce)"), 0 for "unconfined", empty or NULL. */
int lz_apparmor_confined(const char *label);

#endif
