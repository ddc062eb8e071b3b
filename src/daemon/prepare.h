/* What a pod needs before dockerd starts, beyond storage: cgroup v2 nesting
 * and the iptables backend. Decisions are pure functions; the actions take
 * the paths they work on so that tests can point them at a scratch tree. */
#ifndef LAZYDIND_PREPARE_H
#define LAZYDIND_PREPARE_H

#include <stddef.h>
#include "config/config.h"

/* Moves every process of the cgroup at root into root/init (retrying for
 * processes forked meanwhile), then enables every available controller in
 * root/cgroup.subtree_control. Without it dockerd fails with "device or
 * resource busy". 0, or -1 with a message. */
int lz_cgroup_nest(const char *root, char *err, size_t errlen);

/* The iptables backend to use. ip_tables_names: the text of
 * /proc/net/ip_tables_names (non-empty means the node uses legacy tables);
 * nft_ok / legacy_ok: whether `iptables-nft -nL` / `iptables-legacy -nL`
 * work here (-1 when not tried: binary absent). */
enum lz_iptables lz_iptables_choose(enum lz_iptables wanted,
                                    const char *ip_tables_names, int nft_ok,
                                    int legacy_ok);

/* Prepares the chosen backend: a directory of iptables/ip6tables(-save,
 * -restore) symlinks to the chosen variant under run_dir, to be put first in
 * dockerd's PATH (written to bindir), or "" when the system default is to
 * be used. *off is set when no backend works (dockerd then runs with
 * --iptables=false). note receives a line for the log. */
int lz_iptables_prepare(const struct lz_config *cfg, char *bindir,
                        size_t bindirlen, int *off, char *note, size_t notelen);

/* Once per supervisor, before its first dockerd: cgroup v2 nesting (only
 * where the container's processes sit in the root of their own cgroup
 * namespace, never under Sysbox, never rootless) and, rootful, the iptables
 * backend (lz_iptables_prepare: bindir, *ipt_off). Problems are logged to
 * logfd; dockerd's own error says the rest. */
void lz_prepare_pod(const struct lz_config *cfg, int logfd, char *bindir,
                    size_t bindirlen, int *ipt_off);

#endif
