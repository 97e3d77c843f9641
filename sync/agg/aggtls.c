/* aggtls.c — This file contains the check of the certificate, key and TLS
 * priority before the server listens (aggtls.h). */
#include "aggtls.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#define MAX_CHAIN 16

static int holds_key(const gnutls_datum_t *d)
{
  gnutls_x509_privkey_t k;
  int ok;
  if(gnutls_x509_privkey_init(&k) != GNUTLS_E_SUCCESS)
    return 0;
  ok = gnutls_x509_privkey_import2(k, d, GNUTLS_X509_FMT_PEM, NULL,
                                   GNUTLS_PKCS_PLAIN) == GNUTLS_E_SUCCESS;
  gnutls_x509_privkey_deinit(k);
  return ok;
}

/* Number of certificates in d (0 when none parse). */
static int count_certs(const gnutls_datum_t *d, time_t *expires)
{
  gnutls_x509_crt_t crts[MAX_CHAIN];
  unsigned n = MAX_CHAIN, i;
  int rc = gnutls_x509_crt_list_import(crts, &n, d, GNUTLS_X509_FMT_PEM,
                                       GNUTLS_X509_CRT_LIST_IMPORT_FAIL_IF_EXCEED);
  if(rc < 0)
    return 0;
  if(expires && n > 0)
    *expires = gnutls_x509_crt_get_expiration_time(crts[0]);
  for(i = 0; i < n; i++)
    gnutls_x509_crt_deinit(crts[i]);
  return (int)n;
}

enum pr_rc aggtls_check(const char *cert_path, const char *cert_pem,
                        const char *key_path, const char *key_pem,
                        const char *priority, char *err)
{
  gnutls_datum_t cd, kd;
  gnutls_certificate_credentials_t cred = NULL;
  gnutls_priority_t prio = NULL;
  const char *where = NULL;
  time_t expires = 0;
  int rc;

  cd.data = (unsigned char *)(uintptr_t)cert_pem;
  cd.size = (unsigned)strlen(cert_pem);
  kd.data = (unsigned char *)(uintptr_t)key_pem;
  kd.size = (unsigned)strlen(key_pem);
  if(count_certs(&cd, &expires) == 0) {
    if(holds_key(&cd))
      pr_seterr(err, "certificate file %s holds a private key, not a "
                "certificate: are cert and key (--cert/--key) swapped?",
                cert_path);
    else
      pr_seterr(err, "certificate file %s: no X.509 certificate in it "
                "(PEM \"BEGIN CERTIFICATE\")", cert_path);
    return PR_EINVAL;
  }
  if(!holds_key(&kd)) {
    if(count_certs(&kd, NULL) > 0)
      pr_seterr(err, "key file %s holds a certificate, not a private key: "
                "are cert and key (--cert/--key) swapped?", key_path);
    else
      pr_seterr(err, "key file %s: no unencrypted private key in it (PEM "
                "\"BEGIN PRIVATE KEY\"; a passphrase is not supported)",
                key_path);
    return PR_EINVAL;
  }
  if(gnutls_certificate_allocate_credentials(&cred) != GNUTLS_E_SUCCESS) {
    pr_seterr(err, "GnuTLS: cannot allocate credentials");
    return PR_ENOMEM;
  }
  rc = gnutls_certificate_set_x509_key_mem2(cred, &cd, &kd,
                                            GNUTLS_X509_FMT_PEM, NULL, 0);
  gnutls_certificate_free_credentials(cred);
  if(rc == GNUTLS_E_CERTIFICATE_KEY_MISMATCH) {
    pr_seterr(err, "key file %s does not belong to the certificate in %s",
              key_path, cert_path);
    return PR_EINVAL;
  }
  if(rc < 0) {
    pr_seterr(err, "certificate %s with key %s: %s", cert_path, key_path,
              gnutls_strerror(rc));
    return PR_EINVAL;
  }
  rc = gnutls_priority_init(&prio, priority, &where);
  if(rc != GNUTLS_E_SUCCESS) {
    pr_seterr(err, "tls_priority \"%s\" does not parse%s%.40s%s", priority,
              where ? " at \"" : "", where ? where : "", where ? "\"" : "");
    return PR_EINVAL;
  }
  gnutls_priority_deinit(prio);
  if(expires > 0 && expires < (time_t)pr_now())
    pr_log(PR_LOG_WARN, "tls_cert_expired", "cert=%s", cert_path);
  return PR_OK;
}
