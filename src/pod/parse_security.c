/* Capability masks and AppArmor labels (parse_security.h). */
#define _GNU_SOURCE
#include "pod/parse_security.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const cap_names[] = {
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
    "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE",
    "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
    "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
    "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
    "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL",
    "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
    "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
};

uint64_t lz_caps_all(int cap_last_cap)
{
    if (cap_last_cap < 0)
        return 0;
    if (cap_last_cap >= 63)
        return UINT64_MAX;
    return (UINT64_C(1) << (cap_last_cap + 1)) - 1;
}

const char *lz_cap_name(int bit)
{
    static char buf[16];
    if (bit >= 0 && (size_t)bit < sizeof cap_names / sizeof cap_names[0])
        return cap_names[bit];
    snprintf(buf, sizeof buf, "cap%d", bit);
    return buf;
}

void lz_caps_format(uint64_t mask, char *out, size_t outlen)
{
    size_t o = 0;
    if (outlen == 0)
        return;
    out[0] = '\0';
    for (int b = 0; b < 64; b++) {
        if (!(mask & LZ_CAP_BIT(b)))
            continue;
        char item[40];
        int w = snprintf(item, sizeof item, "%s%s", o ? ", " : "", lz_cap_name(b));
        /* whole names only; "..." when the rest does not fit */
        if (w < 0 || (size_t)w + 5 >= outlen - o) {
            if (o + 4 < outlen)
                memcpy(out + o, o ? ", ..." : "...", o ? 6 : 4);
            else if (outlen > 4)
                memcpy(out + outlen - 4, "...", 4);
            return;
        }
        memcpy(out + o, item, (size_t)w + 1);
        o += (size_t)w;
    }
}

/* ---------------------------------------------------------------- AppArmor */

int lz_apparmor_confined(const char *label)
{
    if (!label)
        return 0;
    while (isspace((unsigned char)*label))
        label++;
    if (*label == '\0' || strncmp(label, "unconfined", 10) == 0)
        return 0;
    /* "profile (complain)" logs, it does not refuse */
    return strstr(label, "(complain)") == NULL;
}
