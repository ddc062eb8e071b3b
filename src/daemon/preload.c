/* Preloading image archives: see preload.h and docs/preload.md.
 *
 * preload.json: {"state": "pending|loading|done", "loader_pid": N,
 * "archives": [{"path", "state": "pending|loading|loaded|failed",
 * "refs": [...] or null (not known before loading), "error", "ms"}]}. */
#define _GNU_SOURCE
#include "daemon/preload.h"
#include "base/unixsock.h"
#include "base/cleanup.h"
#include "base/rundir.h"
#include "base/util.h"
#include "config/preload.h"
#include "daemon/logfile.h"
#include "pod/imagearchive.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define STATE_FILE "preload.json"
#define ANSWER_MAX (16 << 20)

static json_t *g_plan; /* the supervisor's plan, handed to the loader */
static int g_begun;

/* ------------------------------------------------------------ the record -- */

static void save(int dirfd, json_t *rec)
{
    LZ_AUTOFD fd = openat(dirfd, STATE_FILE ".tmp",
                          O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0 || json_dumpfd(rec, fd, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0)
        return;
    (void)renameat(dirfd, STATE_FILE ".tmp", dirfd, STATE_FILE);
}

json_t *lz_preload_load(int dirfd)
{
    if (dirfd < 0)
        return NULL;
    LZ_AUTOFD fd = openat(dirfd, STATE_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return NULL;
    return json_loadfd(fd, 0, NULL);
}

static const char *str(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* ----------------------------------------------------------- the plan -- */

static void add_archive(json_t *list, const char *path)
{
    json_t *a = json_object();
    json_object_set_new(a, "path", json_string(path));
    json_object_set_new(a, "state", json_string("pending"));
    LZ_AUTOFD fd = open(path, O_RDONLY | O_CLOEXEC);
    json_t *refs = fd >= 0 ? lz_archive_refs(fd) : NULL;
    json_object_set_new(a, "refs", refs ? refs : json_null());
    json_object_set_new(a, "error", json_null());
    json_array_append_new(list, a);
}

static void add_failed(json_t *list, const char *path, const char *why)
{
    add_archive(list, path);
    json_t *a = json_array_get(list, json_array_size(list) - 1);
    json_object_set_new(a, "state", json_string("failed"));
    json_object_set_new(a, "error", json_string(why));
}

/* A directory: its files in name order (hidden ones skipped); an OCI
 * layout directory is refused (dockerd loads tars). */
static void add_dir(json_t *list, const char *dir)
{
    struct dirent **names;
    char p[LZ_PATH_MAX + 256];
    int n = scandir(dir, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, names[i]->d_name);
        if (names[i]->d_name[0] != '.' && stat(p, &st) == 0) {
            if (S_ISREG(st.st_mode))
                add_archive(list, p);
            else if (S_ISDIR(st.st_mode))
                add_failed(list, p, "a directory, not an archive: for an OCI "
                           "layout, give its tar (tar -C DIR -cf DIR.tar .)");
        }
        free(names[i]);
    }
    if (n >= 0)
        free(names);
}

static int add_path(const char *path, void *arg)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        add_dir(arg, path);
    else
        add_archive(arg, path);
    return 0;
}

void lz_preload_plan(const struct lz_config *cfg, int dirfd, int logfd)
{
    if (!cfg->preload || g_plan)
        return;
    json_t *list = json_array();
    (void)lz_preload_each(cfg->preload, add_path, list);
    g_plan = json_object();
    json_object_set_new(g_plan, "state", json_string("pending"));
    json_object_set_new(g_plan, "loader_pid", json_integer(0));
    json_object_set_new(g_plan, "archives", list);
    save(dirfd, g_plan);
    lz_log_line(logfd, "preload: %zu archive(s) from %s, loaded once dockerd is ready",
                json_array_size(list), cfg->preload);
}

/* ----------------------------------------------------------- the loader -- */

/* Sends the request and the archive; 0, or -1 (the answer may still say
 * why: dockerd answers a broken archive before reading all of it). */
static int send_archive(int sock, int fd, off_t size)
{
    char head[256];
    int n = snprintf(head, sizeof head,
                     "POST /images/load?quiet=1 HTTP/1.1\r\nHost: docker\r\n"
                     "Content-Type: application/x-tar\r\nContent-Length: %lld\r\n"
                     "Connection: close\r\n\r\n", (long long)size);
    if (lz_send_all(sock, head, (size_t)n) != 0)
        return -1;
    off_t off = 0;
    while (off < size) {
        ssize_t w = sendfile(sock, fd, &off, (size_t)(size - off));
        if (w == 0 || (w < 0 && errno != EINTR))
            return -1; /* the file shrank, or dockerd stopped reading */
    }
    /* no shutdown(SHUT_WR): Content-Length ends the body, and the Go HTTP
     * server of dockerd 28 takes a half-closed connection for a client that
     * left and cancels the load ("context canceled") */
    return 0;
}

/* Reads the HTTP answer; its status code with the body in *body (de-chunked),
 * or -1. */
static int read_answer(int sock, char **body, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    ssize_t r;
    while (buf && (r = read(sock, buf + n, cap - n)) > 0) {
        n += (size_t)r;
        if (n == cap && cap < ANSWER_MAX) {
            char *b = realloc(buf, cap * 2 + 1);
            if (!b)
                break;
            buf = b, cap *= 2;
        }
    }
    if (!buf)
        return -1;
    buf[n] = '\0';
    char *end = strstr(buf, "\r\n\r\n");
    int code = 0;
    if (!end || sscanf(buf, "HTTP/1.%*d %d", &code) != 1) {
        free(buf);
        return -1;
    }
    *end = '\0';
    int chunked = strcasestr(buf, "transfer-encoding: chunked") != NULL;
    size_t blen = n - (size_t)(end + 4 - buf);
    memmove(buf, end + 4, blen + 1);
    if (chunked) {
        long l = lz_dechunk(buf, blen);
        blen = l < 0 ? 0 : (size_t)l;
        buf[blen] = '\0';
    }
    *body = buf;
    *len = blen;
    return code;
}

/* Loads one archive: 0 with what it held in refs, or -1 with why in err. */
static int load_one(const char *socket_path, const char *path, json_t *refs,
                    char *err, size_t errlen)
{
    LZ_AUTOFD fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot read it: %s", strerror(errno));
        return -1;
    }
    LZ_AUTOFD sock = lz_unix_connect(socket_path);
    if (sock < 0) {
        snprintf(err, errlen, "cannot reach dockerd at %s: %s", socket_path,
                 strerror(errno));
        return -1;
    }
    int sent = send_archive(sock, fd, st.st_size);
    LZ_AUTOFREE char *body = NULL;
    size_t len = 0;
    int code = read_answer(sock, &body, &len);
    if (code < 0) {
        snprintf(err, errlen, "%s", sent == 0 ? "dockerd gave no answer"
                                              : "dockerd closed the connection");
        return -1;
    }
    return lz_load_answer(code, body, len, refs, err, errlen);
}

static void run_one(const struct lz_config *cfg, int dirfd, int logfd, json_t *a)
{
    const char *path = str(a, "path");
    char err[1024] = "";
    json_object_set_new(a, "state", json_string("loading"));
    save(dirfd, g_plan);
    int64_t t0 = lz_now_ms();
    json_t *refs = json_array();
    int rc = load_one(cfg->socket_path, path, refs, err, sizeof err);
    int64_t ms = lz_now_ms() - t0;
    json_object_set_new(a, "ms", json_integer(ms));
    if (rc == 0) {
        json_object_set_new(a, "state", json_string("loaded"));
        json_object_set_new(a, "refs", refs);
        char *r = json_dumps(refs, JSON_COMPACT);
        lz_log_line(logfd, "preload: loaded %s in %lld ms: %s", path, (long long)ms,
                    r ? r : "");
        free(r);
    } else {
        json_decref(refs);
        json_object_set_new(a, "state", json_string("failed"));
        json_object_set_new(a, "error", json_string(err));
        lz_log_line(logfd, "preload: skipped %s: %s", path, err);
    }
    save(dirfd, g_plan);
}

/* Keeps only the fds the loader uses: a pipe to the starter or the
 * listening socket must not outlive the supervisor in it. */
static void close_others(int dirfd, int logfd)
{
    long max = sysconf(_SC_OPEN_MAX);
    for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
        if (fd != dirfd && fd != logfd)
            (void)close(fd);
}

static void loader(const struct lz_config *cfg, int dirfd, int logfd)
{
    close_others(dirfd, logfd);
    sigset_t none;
    sigemptyset(&none);
    (void)sigprocmask(SIG_SETMASK, &none, NULL); /* the supervisor blocks them */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGCHLD, SIG_DFL);
    (void)prctl(PR_SET_PDEATHSIG, SIGTERM);
    json_object_set_new(g_plan, "state", json_string("loading"));
    json_object_set_new(g_plan, "loader_pid", json_integer(getpid()));
    save(dirfd, g_plan);
    int64_t t0 = lz_now_ms();
    size_t i, ok = 0, bad = 0;
    json_t *a;
    json_array_foreach(json_object_get(g_plan, "archives"), i, a) {
        if (strcmp(str(a, "state"), "pending") == 0)
            run_one(cfg, dirfd, logfd, a);
        if (strcmp(str(a, "state"), "loaded") == 0)
            ok++;
        else
            bad++;
    }
    json_object_set_new(g_plan, "state", json_string("done"));
    save(dirfd, g_plan);
    lz_log_line(logfd, "preload: done in %lld ms: %zu loaded, %zu failed",
                (long long)(lz_now_ms() - t0), ok, bad);
}

void lz_preload_begin(const struct lz_config *cfg, int dirfd, int logfd)
{
    if (!g_plan || g_begun)
        return;
    g_begun = 1;
    pid_t pid = fork();
    if (pid < 0) {
        lz_log_line(logfd, "preload: cannot fork the loader: %s", strerror(errno));
        return;
    }
    if (pid == 0) {
        loader(cfg, dirfd, logfd);
        _exit(0);
    }
    lz_log_line(logfd, "preload: loader pid %d", (int)pid);
}

/* -------------------------------------------------------------- status -- */

void lz_preload_print(const json_t *rec)
{
    json_t *list = json_object_get(rec, "archives");
    size_t i, n = json_array_size(list), loaded = 0, failed = 0;
    json_t *a;
    json_array_foreach(list, i, a) {
        loaded += strcmp(str(a, "state"), "loaded") == 0;
        failed += strcmp(str(a, "state"), "failed") == 0;
    }
    printf("preload:       %s, %zu of %zu loaded, %zu failed\n", str(rec, "state"),
           loaded, n, failed);
    json_array_foreach(list, i, a) {
        char *r = json_dumps(json_object_get(a, "refs"), JSON_COMPACT | JSON_ENCODE_ANY);
        printf("  %-8s %s %s%s%s\n", str(a, "state"), str(a, "path"), r ? r : "",
               *str(a, "error") ? ": " : "", str(a, "error"));
        free(r);
    }
}

/* ------------------------------------------------------------- waiting -- */

/* The first archive that holds image, or may, and is not loaded yet. */
static const json_t *awaited(const json_t *rec, const char *image)
{
    size_t i, j;
    json_t *a, *r;
    json_array_foreach(json_object_get(rec, "archives"), i, a) {
        const char *st = str(a, "state");
        if (strcmp(st, "pending") != 0 && strcmp(st, "loading") != 0)
            continue;
        json_t *refs = json_object_get(a, "refs");
        if (!json_is_array(refs))
            return a;
        json_array_foreach(refs, j, r)
            if (lz_ref_same(json_string_value(r), image))
                return a;
    }
    return NULL;
}

static int loader_gone(const json_t *rec)
{
    json_int_t pid = json_integer_value(json_object_get(rec, "loader_pid"));
    return pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

void lz_preload_wait(const struct lz_config *cfg, const char *image, int64_t t0)
{
    char err[256];
    LZ_AUTOFD dfd = lz_rundir_open(cfg->run_dir, 0, err, sizeof err);
    int64_t waited = lz_now_ms();
    char path[LZ_PATH_MAX] = "";
    for (;;) {
        LZ_AUTOJSON rec = lz_preload_load(dfd);
        const json_t *a = rec ? awaited(rec, image) : NULL;
        if (!a || loader_gone(rec))
            break;
        if (!path[0]) {
            snprintf(path, sizeof path, "%s", str(a, "path"));
            lz_notice("waiting for %s to load (preload)", path);
        }
        if (lz_now_ms() - t0 > cfg->start_timeout_ms) {
            lz_notice("%s is still loading after %lld ms; going on without it",
                      path, (long long)(lz_now_ms() - waited));
            return;
        }
        usleep(50 * 1000);
    }
    if (path[0])
        lz_notice("preload: waited %lld ms for %s", (long long)(lz_now_ms() - waited),
                  image);
}
