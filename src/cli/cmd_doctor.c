/* `lazydind doctor [--json]`: what this pod allows, each check with
 * ok/warn/fail, and for privileged, Sysbox and rootless whether it works
 * here and the manifest lines that would make it work (pod/doctor.h). */
#define _GNU_SOURCE
#include "pod/doctor.h"
#include "base/util.h"
#include "config/config.h"
#include "base/findcli.h"
#include "base/rundir.h"
#include "pod/dockerd.h"
#include "pod/doctor_engine.h"
#include "pod/report.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

static const char doctor_usage[] =
    "usage: lazydind doctor [--json]\n\n"
    "What this pod allows, each check with ok/warn/fail, and for\n"
    "privileged, Sysbox and rootless whether it works here and the\n"
    "manifest lines that would make it work. Exit 0 when the selected\n"
    "mode (LAZYDIND_MODE) can work, 1 when it cannot.\n";

/* The arguments: -1 to go on (*as_json set), else the exit status to end
 * with (0 after the usage for --help, 2 after the error for anything
 * else). */
static int parse_args(int argc, char **argv, int *as_json)
{
    *as_json = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            *as_json = 1;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("%s", doctor_usage);
            return 0;
        } else {
            lz_error("doctor: unknown argument '%s'; usage: lazydind doctor [--json]", argv[i]);
            return LZ_EXIT_USAGE;
        }
    }
    return -1;
}

static void print_json(const struct lz_report *r, const struct lz_facts *f)
{
    json_t *j = lz_doctor_json(r, f);
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (s)
        printf("%s\n", s);
    free(s);
    json_decref(j);
}

/* The real docker CLI, found as the shim finds it (base/findcli.h) from the
 * first `docker` on PATH: LAZYDIND_DOCKER, docker.real beside it, the next
 * docker that is not it. Without a shim on PATH, that docker itself. */
static void real_cli(const struct lz_config *cfg, char *out, size_t cap)
{
    const char *pe = getenv("PATH");
    char shim[LZ_PATH_MAX], err[512], res[PATH_MAX];
    struct stat self;
    if (!pe || !*pe)
        pe = LZ_DEFAULT_PATH;
    out[0] = '\0';
    if (lz_path_search("docker", pe, NULL, shim, sizeof shim) != 0 || stat(shim, &self) != 0) {
        if (cfg->docker)
            lz_strlcpy(out, cfg->docker, cap);
        return;
    }
    if (lz_find_real_cli(&self, cfg->docker, shim, pe, out, cap, err, sizeof err) == 0)
        return;
    const char *base = realpath(shim, res) ? strrchr(res, '/') : NULL;
    if (!base || strcmp(base + 1, "lazydind") != 0)
        lz_strlcpy(out, shim, cap);
}

/* The engine's checks (pod/doctor_engine.c): dockerd's version (cached in
 * the runtime dir when that is readable) and the real CLI's API version
 * (the CLI asked about itself; no daemon is contacted). */
static void doctor_engine(const struct lz_config *cfg, struct lz_report *r)
{
    struct lz_engine engine;
    char dockerd[LZ_PATH_MAX], cli[LZ_PATH_MAX] = "", api[64] = "", e2[256];
    int dfd = lz_rundir_open(cfg->run_dir, 0, e2, sizeof e2);
    lz_engine_probe(cfg, dfd, &engine, dockerd, sizeof dockerd);
    if (dfd >= 0)
        close(dfd);
    real_cli(cfg, cli, sizeof cli);
    if (cli[0] && lz_cli_api_version(cli, api, sizeof api) != 0)
        api[0] = '\0';
    struct lz_engine_facts ef = {
        .engine = &engine, .dockerd = dockerd, .cli = cli, .cli_api = api,
        .min_api = cfg->min_api_version,
    };
    struct lz_engine_check ec[2];
    int n = lz_doctor_engine_checks(&ef, ec);
    for (int i = 0; i < n; i++)
        lz_report_add(r, ec[i].id, LZ_FOR_ALL, (enum lz_level)ec[i].level,
                      ec[i].fix[0] ? ec[i].fix : NULL, "%s", ec[i].msg);
}

int lz_cmd_doctor(int argc, char **argv)
{
    int as_json;
    int end = parse_args(argc, argv, &as_json);
    if (end >= 0)
        return end;
    struct lz_config cfg;
    char err[1024];
    if (lz_config_load(&cfg, err, sizeof err) != 0) {
        lz_error("%s", err);
        return LZ_EXIT_USAGE;
    }
    struct lz_facts f;
    struct lz_report *r = malloc(sizeof *r);
    if (!r) {
        lz_error("out of memory");
        return 1;
    }
    lz_detect_gather(&f, &cfg, NULL);
    lz_doctor_evaluate(&f, &cfg, r);
    doctor_engine(&cfg, r);
    if (as_json)
        print_json(r, &f);
    else
        lz_doctor_print(r, &f, stdout);
    int rc = r->selected_ok ? 0 : 1;
    lz_facts_free(&f);
    free(r);
    return rc;
}
