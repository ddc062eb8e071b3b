/* faults: the page faults of one command, counted by the kernel, not timed.
 *
 *   faults -n N [NAME=VALUE ...] /ABS/PATH [ARG ...]
 *
 * Runs the command N times (argv[0] is the path's last component, so the
 * shim sees "docker"), each in a fresh process, stdin/stdout/stderr on
 * /dev/null, and prints the median of wait4()'s ru_minflt and ru_majflt:
 *   minflt MEDIAN majflt MEDIAN n N
 * ru_minflt covers the child before and after its exec, so the shim in
 * front of a static no-op, minus the no-op behind execfloor, is the shim's
 * own faults beyond one bare exec: a count that load does not change. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int n = 0, i = 1;
    if (argc > 3 && strcmp(argv[1], "-n") == 0) {
        n = atoi(argv[2]);
        i = 3;
    }
    if (n <= 0 || n > 100000 || i >= argc) {
        fputs("usage: faults -n N [NAME=VALUE ...] /ABS/PATH [ARG ...]\n", stderr);
        return 2;
    }
    int first = i;
    while (i < argc && argv[i][0] != '/' && strchr(argv[i], '='))
        i++;
    if (i >= argc)
        return 2;
    const char *path = argv[i];
    const char *base = strrchr(path, '/') + 1;
    long *minf = calloc((size_t)n, sizeof *minf), *majf = calloc((size_t)n, sizeof *majf);
    if (!minf || !majf)
        return 1;
    for (int k = 0; k < n; k++) {
        pid_t pid = fork();
        if (pid < 0)
            return 1;
        if (pid == 0) {
            int fd = open("/dev/null", O_RDWR);
            dup2(fd, 0), dup2(fd, 1), dup2(fd, 2);
            for (int e = first; e < i; e++)
                putenv(argv[e]);
            argv[i] = (char *)base;
            execv(path, argv + i);
            _exit(127);
        }
        int st;
        struct rusage ru;
        if (wait4(pid, &st, 0, &ru) != pid)
            return 1;
        minf[k] = ru.ru_minflt;
        majf[k] = ru.ru_majflt;
    }
    qsort(minf, (size_t)n, sizeof *minf, cmp);
    qsort(majf, (size_t)n, sizeof *majf, cmp);
    printf("minflt %ld majflt %ld n %d\n", minf[n / 2], majf[n / 2], n);
    return 0;
}
