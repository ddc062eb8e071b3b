/* Text from /proc and /etc that the supervisor parses as root:
 * /proc/net/unix (idle detection), /etc/group (the socket's group),
 * /proc/self/cgroup (cgroup v2 nesting), /proc/net/ip_tables_names. The
 * first byte picks the parser. */
#include "fuzz.h"
#include "config/config.h"
#include "daemon/listen.h"
#include "daemon/prepare.h"
#include "pod/cgroup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned which = fz_take_byte(&data, &size);
    char *text = fz_str(data, size);
    if (!text)
        return 0;
    switch (which % 4) {
    case 0: {
        int n = lz_count_unix_conns(text, "/var/run/docker.sock");
        FZ_ASSERT(n >= 0 && (size_t)n <= strlen(text));
        (void)lz_count_unix_conns(text, "");
        break;
    }
    case 1: {
        long gid = lz_group_gid(text, "docker");
        FZ_ASSERT(gid >= -1);
        (void)lz_group_gid(text, "");
        break;
    }
    case 2: {
        int r = lz_cgroup_needs_nesting(1, text);
        FZ_ASSERT(r == 0 || r == 1);
        FZ_ASSERT(lz_cgroup_needs_nesting(0, text) == 0);
        break;
    }
    default: {
        enum lz_iptables c = lz_iptables_choose((enum lz_iptables)(which / 4 % 4),
                                                text, (int)(which / 16 % 3) - 1,
                                                (int)(which / 48 % 3) - 1);
        FZ_ASSERT(c == LZ_IPT_AUTO || c == LZ_IPT_NFT || c == LZ_IPT_LEGACY ||
                  c == LZ_IPT_OFF);
        break;
    }
    }
    free(text);
    return 0;
}
