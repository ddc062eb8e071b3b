/* shimwork: lazydind's own work on the shim's warm path, step by step, in a
 * fresh process (page faults and cold caches included, as in the shim).
 * Linked with lazydind's objects; runs the shim's steps (src/cli/shim.h) in
 * its order, but never execs:
 *
 *   shimwork [DOCKER-ARGS ...]        (argv[0] is passed as the shim's)
 *
 * Prints two lines, ns on CLOCK_MONOTONIC and minor page faults:
 *   steps SETTINGS FIND_CLI NEEDS_DAEMON BRING_UP TOTAL UP
 *   faults START SETTINGS FIND_CLI NEEDS_DAEMON BRING_UP
 * where UP is lz_up_name() of the bring-up ("-" when the command needs no
 * daemon), TOTAL runs from main() to the end of the last step, and START is
 * the faults before main() (the exec and libc's start-up). */
#define _GNU_SOURCE
#include "cli/shim.h"

#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

int main(int argc, char **argv)
{
    static struct lz_shim s;
    char err[1024];
    long long t[5];
    long f[5];
    const char *up = "-";
    f[0] = faults();
    t[0] = now_ns();
    if (lz_shim_settings(&s, err, sizeof err) != 0) {
        fprintf(stderr, "shimwork: %s\n", err);
        return 2;
    }
    t[1] = now_ns();
    f[1] = faults();
    if (lz_shim_find_cli(&s, "docker", err, sizeof err) != 0) {
        fprintf(stderr, "shimwork: %s\n", err);
        return 2;
    }
    t[2] = now_ns();
    f[2] = faults();
    int need = lz_shim_needs_daemon(&s, argc, argv);
    t[3] = now_ns();
    f[3] = faults();
    if (need)
        up = lz_up_name(lz_shim_bring_up(&s, err, sizeof err));
    t[4] = now_ns();
    f[4] = faults();
    printf("steps %lld %lld %lld %lld %lld %s\n", t[1] - t[0], t[2] - t[1],
           t[3] - t[2], t[4] - t[3], t[4] - t[0], up);
    printf("faults %ld %ld %ld %ld %ld\n", f[0], f[1] - f[0], f[2] - f[1], f[3] - f[2],
           f[4] - f[3]);
    return 0;
}
