/* Extra CA certificates for dockerd (LAZYDIND_CA_CERTS / ca-certs, by
 * default KubeOpenCode's CUSTOM_CA_CERT_PATH): PEM files, or directories of
 * them, that dockerd (and so its BuildKit) trusts on top of the system's
 * roots for registries, mirrors and proxies. The image's trust store is
 * never changed: the supervisor copies the certificates into the runtime
 * dir and points dockerd's SSL_CERT_DIR at the system's directories plus
 * that copy. */
#ifndef LAZYDIND_CACERTS_H
#define LAZYDIND_CACERTS_H

#include "base/cert.h"
#include "config/config.h"

#include <stddef.h>

/* Called for each certificate of each file, in order. */
typedef void lz_cacert_fn(const char *file, const struct lz_cert_info *info, void *arg);

/* Reads every file the setting names (a directory: its regular files, not
 * those starting with '.', such as a ConfigMap's ..data). Each must be
 * readable, hold at least one CERTIFICATE block and only valid ones, and,
 * as root, be a file no one else can change (lz_file_trusted). fn may be
 * NULL. Returns the number of certificates (0 when the setting is unset),
 * or -1 with "LAZYDIND_CA_CERTS='...' ..." (or the source that set it) and
 * the fix in err. */
int lz_cacerts_scan(const struct lz_config *cfg, lz_cacert_fn *fn, void *arg,
                    char *err, size_t errlen);

/* Copies the certificates into dir (created 0700 under the runtime dir;
 * earlier copies removed), one file per source file. 0, or -1 with err. */
int lz_cacerts_install(const struct lz_config *cfg, const char *dir, char *err,
                       size_t errlen);

/* The SSL_CERT_DIR value that adds dir to the directories Go reads by
 * default (or to the one the environment already names). */
void lz_cacerts_cert_dir(const char *dir, char *out, size_t outlen);

#endif
