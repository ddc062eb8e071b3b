/* The values of dockerd's settings as lazydind takes them (the syntax of
 * their LAZYDIND_* variables and lazydind.conf keys): pure functions from
 * text to the JSON value of the daemon.json key of the same name. Each row
 * of the settings table (config.c) that is a dockerd setting names its
 * function; lz_dconf_value (config.h) finds it by key.
 *
 * Each returns a new reference, or NULL with what is wrong and how to fix
 * it in why (text that follows "VARIABLE='value' "). text is not NULL. */
#ifndef LAZYDIND_DVALUE_H
#define LAZYDIND_DVALUE_H

#include <jansson.h>
#include <stddef.h>

typedef json_t *lz_dvalue_fn(const char *text, char *why, size_t whylen);

/* http(s)://host[:port] URLs without credentials or path, comma-separated */
lz_dvalue_fn lz_dvalue_registry_mirrors;
/* host[:port] or CIDRs, comma-separated */
lz_dvalue_fn lz_dvalue_insecure_registries;
/* one of overlay2, fuse-overlayfs, btrfs, zfs, vfs, devicemapper */
lz_dvalue_fn lz_dvalue_storage_driver;
/* 576..9216 (a JSON integer) */
lz_dvalue_fn lz_dvalue_mtu;
/* the bridge's own address a.b.c.d/8..30 */
lz_dvalue_fn lz_dvalue_bip;
/* BASE/LEN[:SIZE], comma-separated (objects {"base", "size"}) */
lz_dvalue_fn lz_dvalue_address_pools;
/* at most 3 IP addresses, comma-separated */
lz_dvalue_fn lz_dvalue_dns;
/* one of debug, info, warn, error, fatal */
lz_dvalue_fn lz_dvalue_log_level;

#endif
