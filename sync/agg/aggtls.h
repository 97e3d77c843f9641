/* aggtls.h — checks the aggregator's TLS material before it listens, so a
 * mistake is named instead of "cannot listen": the certificate file must
 * hold a certificate, the key file a private key (each is told apart from
 * the other: swapped --cert/--key), the key must belong to the
 * certificate, and the TLS priority string must parse.  GnuTLS only; no
 * sockets, no files (the caller reads them). */
#ifndef AGGTLS_H
#define AGGTLS_H

#include "pr.h"

/* cert_pem / key_pem are the files' contents (NUL-terminated), the paths
 * only go into the message.  PR_OK, or PR_EINVAL with err naming the file
 * or setting that is wrong.  An expired certificate is logged, not
 * refused (the kiosks will refuse it and say so). */
enum pr_rc aggtls_check(const char *cert_path, const char *cert_pem,
                        const char *key_path, const char *key_pem,
                        const char *priority, char *err) PR_MUST;

#endif
