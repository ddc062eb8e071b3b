/* What this pod allows: privileged, Sysbox, rootless-capable, or none of
 * them; storage, cgroups and iptables. Every detector is a pure function
 * over the text of a /proc, /sys or /etc file (unit-tested on recorded
 * fixtures), one file per concern:
 *   parse_security.h  capability masks and names, AppArmor labels
 *   parse_proc.h      /proc/self/status, uid_map, sysctls, /proc/filesystems
 *   parse_mounts.h    /proc/self/mountinfo: mounts, a masked /proc, Sysbox
 *   parse_ids.h       /etc/passwd, /etc/subuid and /etc/subgid
 *   cgroup.h          the cgroup layout and whether it must be nested
 * and lz_detect_gather() (gather.h, with the probes of probe.h) reads the
 * live system (or a recorded tree) into struct lz_facts, without forking
 * and without writing anything. This header includes them all. */
#ifndef LAZYDIND_DETECT_H
#define LAZYDIND_DETECT_H

#include "pod/cgroup.h"
#include "pod/gather.h"
#include "pod/parse_ids.h"
#include "pod/parse_mounts.h"
#include "pod/parse_proc.h"
#include "pod/parse_security.h"
#include "pod/probe.h"

#endif
