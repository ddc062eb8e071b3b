/* The /proc and /etc text that `lazydind doctor` and detection parse (the
 * pod decides what is in them): /proc/self/status, uid_map, mountinfo
 * (pod/parse_proc.h, parse_mounts.h, cgroup.h), /etc/passwd and
 * /etc/subuid (parse_ids.h), /proc/filesystems, sysctl values, capability
 * masks and AppArmor labels (parse_security.h). The first byte picks the
 * parser. */
#include "fuzz.h"
#include "pod/detect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned which = fz_take_byte(&data, &size);
    char *text = fz_str(data, size);
    if (!text)
        return 0;
    switch (which % 8) {
    case 0: {
        struct lz_status st;
        (void)lz_parse_status(text, &st);
        char caps[512];
        lz_caps_format(st.cap_eff, caps, sizeof caps);
        FZ_ASSERT(strlen(caps) < sizeof caps);
        (void)lz_caps_all((int)(which / 8));
        break;
    }
    case 1: {
        struct lz_idmap m;
        if (lz_parse_idmap(text, &m) == 0) {
            FZ_ASSERT(m.n >= 0 && m.n <= LZ_IDMAP_MAX);
            (void)lz_idmap_is_initial(&m);
            (void)lz_idmap_outside(&m, 0);
            (void)lz_idmap_outside(&m, 1000);
            (void)lz_idmap_covers(&m, 0, 65536);
            (void)lz_idmap_covers(&m, 4294967295UL, 1);
        }
        struct lz_sysbox sb;
        lz_detect_sysbox(text, &m, &sb);
        break;
    }
    case 2: {
        const char *cur = text;
        struct lz_mount m;
        int n = 0;
        while (lz_mountinfo_next(&cur, &m) == 1 && n < 100000) {
            FZ_ASSERT(strlen(m.point) < sizeof m.point && strlen(m.root) < sizeof m.root &&
                      strlen(m.fstype) < sizeof m.fstype && strlen(m.opts) < sizeof m.opts &&
                      strlen(m.source) < sizeof m.source &&
                      strlen(m.super_opts) < sizeof m.super_opts);
            (void)lz_mount_ro(&m);
            n++;
        }
        (void)lz_mount_at(text, "/var/lib/docker", &m);
        (void)lz_mount_holding(text, "/var/lib/docker", &m);
        (void)lz_mount_holding(text, "/", &m);
        char list[256];
        (void)lz_proc_overmounts(text, list, sizeof list);
        FZ_ASSERT(strlen(list) < sizeof list);
        enum lz_cg_layout l = lz_cgroup_layout(text);
        (void)lz_cg_layout_name(l);
        (void)lz_cgroup_mounts_rw(text, l);
        break;
    }
    case 3: {
        char name[64], home[64];
        unsigned long uid;
        long gid = -2;
        if (lz_passwd_by_uid(text, which / 8, name, sizeof name, home, sizeof home, &gid) == 1)
            FZ_ASSERT(strlen(name) < sizeof name && strlen(home) < sizeof home && gid >= -1);
        /* the same text as /etc/subuid */
        if (lz_passwd_first_with_subid(text, text, &uid, name, sizeof name) == 1)
            FZ_ASSERT(strlen(name) < sizeof name);
        break;
    }
    case 4: {
        unsigned long start, count;
        (void)lz_subid_find(text, "agent", 1000, &start, &count);
        (void)lz_subid_find(text, "", 0, &start, &count);
        break;
    }
    case 5:
        (void)lz_fs_listed(text, "overlay");
        (void)lz_fs_listed(text, "");
        (void)lz_text_nonblank(text);
        (void)lz_count_lines(text);
        break;
    case 6:
        (void)lz_parse_long(text, -1);
        break;
    default:
        (void)lz_apparmor_confined(text);
        break;
    }
    free(text);
    return 0;
}
