/* Users and their subordinate ids, from the text of /etc/passwd,
 * /etc/subuid and /etc/subgid (no NSS: the files themselves). Pure
 * functions. */
#ifndef LAZYDIND_POD_PARSE_IDS_H
#define LAZYDIND_POD_PARSE_IDS_H

#include <stddef.h>

/* The /etc/passwd entry of uid: name, home and primary gid (each may be
 * NULL). 1 found, 0 not. */
int lz_passwd_by_uid(const char *passwd, unsigned long uid, char *name,
                     size_t namelen, char *home, size_t homelen, long *gid);
/* The first entry of /etc/passwd with uid >= 1000 (and < 65534) that has a
 * range in subuid_text: for advice when running as root. 1 found, 0 not. */
int lz_passwd_first_with_subid(const char *passwd, const char *subuid_text,
                               unsigned long *uid, char *name, size_t namelen);
/* The subordinate range of a user in /etc/subuid or /etc/subgid text
 * ("name:start:count" or "uid:start:count"); with several lines the largest
 * range. 1 found, 0 not. */
int lz_subid_find(const char *text, const char *name, unsigned long uid,
                  unsigned long *start, unsigned long *count);

#endif
