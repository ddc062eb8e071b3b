/* lztimer: time commands from inside a pod, one fork/exec per call.
 *
 *   lztimer seq [-n N] [-w W] [-r SEED] [-e ERRFILE] SPEC [:: SPEC ...]
 *       Runs the SPECs interleaved, A B C A B C ..., W unrecorded warm-up
 *       rounds then N recorded ones. With -r, each round runs them in its
 *       own random order (seeded: runs repeat), so that no SPEC always
 *       follows the same one: what a call costs depends by tens of µs on
 *       what ran just before it (caches, the page allocator).
 *   lztimer par [-n N] [-e ERRFILE] SPEC
 *       Forks N copies of SPEC, holds them at a gate until all exist, then
 *       releases them at once and waits for every one.
 *
 * SPEC is  LABEL [-a ARGV0] [NAME=VALUE ...] /ABS/PATH [ARG ...]
 * (NAME=VALUE are added to the child's environment; ARGV0 defaults to PATH).
 * Children get stdin and stdout on /dev/null, stderr on /dev/null or appended
 * to ERRFILE.
 *
 * Output, one line per recorded call (times on CLOCK_MONOTONIC, ns):
 *   LABEL INDEX START_NS END_NS DURATION_NS STATUS MAXRSS_KB
 * STATUS is the exit code, or 128+N when killed by signal N. MAXRSS_KB is
 * wait4()'s ru_maxrss, which covers the child before and after its exec. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct spec {
    const char *label;
    const char *path;
    char **argv;  /* argv[0] = ARGV0 */
    char **env;   /* NAME=VALUE added to the environment */
    int nenv;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void usage(void)
{
    fputs("usage: lztimer seq [-n N] [-w W] [-r SEED] [-e ERRFILE] SPEC [:: SPEC ...]\n"
          "       lztimer par [-n N] [-e ERRFILE] SPEC\n"
          "SPEC:  LABEL [-a ARGV0] [NAME=VALUE ...] /ABS/PATH [ARG ...]\n",
          stderr);
    exit(2);
}

/* Parses argv[i..] up to "::" or the end into s; returns the index after. */
static int parse_spec(int argc, char **argv, int i, struct spec *s)
{
    memset(s, 0, sizeof *s);
    if (i >= argc)
        usage();
    s->label = argv[i++];
    const char *argv0 = NULL;
    if (i + 1 < argc && strcmp(argv[i], "-a") == 0) {
        argv0 = argv[i + 1];
        i += 2;
    }
    s->env = calloc((size_t)argc, sizeof *s->env);
    while (i < argc && argv[i][0] != '/' && strchr(argv[i], '='))
        s->env[s->nenv++] = argv[i++];
    if (i >= argc || argv[i][0] != '/')
        usage();
    s->path = argv[i];
    int start = i;
    while (i < argc && strcmp(argv[i], "::") != 0)
        i++;
    int n = i - start;
    s->argv = calloc((size_t)n + 1, sizeof *s->argv);
    for (int k = 0; k < n; k++)
        s->argv[k] = argv[start + k];
    if (argv0)
        s->argv[0] = (char *)argv0;
    if (i < argc)
        i++; /* skip "::" */
    return i;
}

static const char *errfile;

/* In the child: stdio, environment, exec. gate_fd >= 0: wait for EOF first. */
static void child(const struct spec *s, int gate_fd)
{
    int nul = open("/dev/null", O_RDWR);
    int err = errfile ? open(errfile, O_WRONLY | O_APPEND | O_CREAT, 0644) : nul;
    if (nul < 0 || err < 0)
        _exit(125);
    dup2(nul, 0);
    dup2(nul, 1);
    dup2(err, 2);
    if (nul > 2)
        close(nul);
    if (err > 2 && err != nul)
        close(err);
    for (int k = 0; k < s->nenv; k++)
        putenv(s->env[k]);
    if (gate_fd >= 0) {
        char c;
        while (read(gate_fd, &c, 1) < 0 && errno == EINTR)
            ;
        close(gate_fd);
    }
    execv(s->path, s->argv);
    _exit(127);
}

/* Fisher-Yates, from random(). */
static void shuffle(int *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)(random() % (i + 1));
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

static int decode(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 255;
}

static void run_one(const struct spec *s, int idx, int record)
{
    struct rusage ru;
    int status;
    int64_t t0 = now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        perror("lztimer: fork");
        exit(1);
    }
    if (pid == 0)
        child(s, -1);
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("lztimer: wait4");
            exit(1);
        }
    }
    int64_t t1 = now_ns();
    if (record)
        printf("%s %d %lld %lld %lld %d %ld\n", s->label, idx, (long long)t0,
               (long long)t1, (long long)(t1 - t0), decode(status), ru.ru_maxrss);
}

static int opt_int(const char *v)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < 0 || n > 1000000)
        usage();
    return (int)n;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        usage();
    const char *mode = argv[1];
    int n = 30, warm = 0, i = 2;
    long seed = -1;
    while (i < argc && argv[i][0] == '-' && argv[i][1] && !argv[i][2]) {
        if (i + 1 >= argc)
            usage();
        switch (argv[i][1]) {
        case 'n': n = opt_int(argv[i + 1]); break;
        case 'w': warm = opt_int(argv[i + 1]); break;
        case 'r': seed = opt_int(argv[i + 1]); break;
        case 'e': errfile = argv[i + 1]; break;
        default: usage();
        }
        i += 2;
    }
    struct spec specs[16];
    int ns = 0;
    while (i < argc) {
        if (ns == 16)
            usage();
        i = parse_spec(argc, argv, i, &specs[ns++]);
    }
    if (ns == 0)
        usage();
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);

    if (strcmp(mode, "seq") == 0) {
        for (int r = 0; r < warm; r++)
            for (int k = 0; k < ns; k++)
                run_one(&specs[k], -1, 0);
        int order[16];
        for (int k = 0; k < ns; k++)
            order[k] = k;
        if (seed >= 0)
            srandom((unsigned)seed);
        for (int r = 0; r < n; r++) {
            if (seed >= 0)
                shuffle(order, ns);
            for (int k = 0; k < ns; k++)
                run_one(&specs[order[k]], r, 1);
        }
        fflush(stdout);
        return 0;
    }
    if (strcmp(mode, "par") != 0 || ns != 1)
        usage();

    /* par: all children wait on the gate pipe; closing its write end
     * releases them together. */
    const struct spec *s = &specs[0];
    int gate[2];
    if (pipe(gate) != 0) {
        perror("lztimer: pipe");
        return 1;
    }
    pid_t *pids = calloc((size_t)n, sizeof *pids);
    int64_t *end = calloc((size_t)n, sizeof *end);
    int *st = calloc((size_t)n, sizeof *st);
    long *rss = calloc((size_t)n, sizeof *rss);
    for (int k = 0; k < n; k++) {
        pids[k] = fork();
        if (pids[k] < 0) {
            perror("lztimer: fork");
            return 1;
        }
        if (pids[k] == 0) {
            close(gate[1]);
            child(s, gate[0]);
        }
    }
    close(gate[0]);
    int64_t t0 = now_ns();
    close(gate[1]);
    for (int left = n; left > 0;) {
        struct rusage ru;
        int status;
        pid_t w = wait4(-1, &status, 0, &ru);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            perror("lztimer: wait4");
            return 1;
        }
        int64_t t = now_ns();
        for (int k = 0; k < n; k++) {
            if (pids[k] == w) {
                end[k] = t;
                st[k] = decode(status);
                rss[k] = ru.ru_maxrss;
                left--;
                break;
            }
        }
    }
    for (int k = 0; k < n; k++)
        printf("%s %d %lld %lld %lld %d %ld\n", s->label, k, (long long)t0,
               (long long)end[k], (long long)(end[k] - t0), st[k], rss[k]);
    fflush(stdout);
    return 0;
}
