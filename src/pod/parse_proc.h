/* What /proc tells about this process and its kernel, from the recorded
 * text of the files: /proc/self/status, /proc/self/uid_map, sysctl values
 * (/proc/sys/...), /proc/filesystems and /proc/net/ip_tables_names. Pure
 * functions, fed with recorded fixtures in the unit tests. */
#ifndef LAZYDIND_POD_PARSE_PROC_H
#define LAZYDIND_POD_PARSE_PROC_H

#include <stddef.h>
#include <stdint.h>

/* ---- /proc/self/status ---- */
struct lz_status {
    uint64_t cap_eff, cap_prm, cap_bnd;
    int seccomp;        /* 0 none, 1 strict, 2 filter; -1 when not shown */
    int no_new_privs;   /* 0/1; -1 when not shown */
    long uid, euid, gid, egid; /* -1 when not shown */
};
/* Parses the lines it knows; 0 when CapEff and Uid were found, else -1. */
int lz_parse_status(const char *text, struct lz_status *st);

/* ---- user namespaces: /proc/self/uid_map ---- */
#define LZ_IDMAP_MAX 16
struct lz_idmap {
    int n;
    struct lz_idrange {
        unsigned long inside, outside, count;
    } r[LZ_IDMAP_MAX];
};
/* 0, or -1 when no line parses. */
int lz_parse_idmap(const char *text, struct lz_idmap *m);
/* 1 for the initial user namespace ("0 0 4294967295"). */
int lz_idmap_is_initial(const struct lz_idmap *m);
/* The host id that id `inside` maps to, or -1 when it is not mapped. */
long lz_idmap_outside(const struct lz_idmap *m, unsigned long inside);
/* 1 when every id of [start, start+count) is mapped (inside ids). */
int lz_idmap_covers(const struct lz_idmap *m, unsigned long start, unsigned long count);

/* ---- sysctl values, /proc/filesystems, /proc/net ---- */
/* A number from a sysctl file, or dflt when text is NULL or not a number. */
long lz_parse_long(const char *text, long dflt);
/* 1 when /proc/filesystems lists fs (e.g. "overlay"). */
int lz_fs_listed(const char *proc_filesystems, const char *fs);
/* 1 when text has anything but whitespace (e.g. /proc/net/ip_tables_names:
 * the node has legacy iptables tables loaded). */
int lz_text_nonblank(const char *text);

#endif
