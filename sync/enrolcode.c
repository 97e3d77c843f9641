/* This file contains the enrolment code and the key pin (enrolcode.h).
 * The check characters are a keyed BLAKE2b of the secret over the pin:
 * without the secret nobody can make a key whose pin passes, and a kiosk
 * that reaches another server sees the mismatch before sending anything. */
#include <stdint.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <sodium.h>

#include "enrolcode.h"

#define ALPHA_N ((unsigned)(sizeof(ENROLCODE_ALPHABET) - 1))

void enrolcode_check(const char *secret, const char *pin,
                     char out[ENROLCODE_CHECK])
{
  unsigned char h[8];
  crypto_generichash_state st;
  unsigned long long v = 0;
  int i;

  crypto_generichash_init(&st, (const unsigned char *)"patientrost-enrol1",
                          18, sizeof(h));
  crypto_generichash_update(&st, (const unsigned char *)secret,
                            ENROLCODE_SECRET);
  crypto_generichash_update(&st, (const unsigned char *)pin, strlen(pin));
  crypto_generichash_final(&st, h, sizeof(h));
  for(i = 0; i < 8; i++)
    v = (v << 8) | h[i];
  for(i = 0; i < ENROLCODE_CHECK; i++) {
    out[i] = ENROLCODE_ALPHABET[v % ALPHA_N];
    v /= ALPHA_N;
  }
}

void enrolcode_new(const char *pin, char out[ENROLCODE_LEN + 1])
{
  int i;

  for(i = 0; i < ENROLCODE_SECRET; i++)
    out[i] = ENROLCODE_ALPHABET[randombytes_uniform(ALPHA_N)];
  enrolcode_check(out, pin, out + ENROLCODE_SECRET);
  out[ENROLCODE_LEN] = '\0';
}

enum pr_rc enrolcode_normalise(const char *typed,
                               char out[ENROLCODE_LEN + 1], char *err)
{
  size_t n = 0;
  const unsigned char *p;

  out[0] = '\0';
  if(!typed) {
    pr_seterr(err, "ingen kod angiven");
    return PR_EINVAL;
  }
  for(p = (const unsigned char *)typed; *p; p++) {
    int c = *p;
    if(c == ' ' || c == '-' || c == '.' || c == '_' || c == '\t')
      continue;
    if(c >= 'a' && c <= 'z')
      c -= 'a' - 'A';
    if(c == '0' || c == 'O' || c == '1' || c == 'I' || c == 'L') {
      pr_seterr(err, "tecknet \"%c\" finns aldrig i en kod (koder har "
                "inga 0, O, 1, I eller L) — läs koden igen", *p);
      return PR_EINVAL;
    }
    if(c > 0x7f || !strchr(ENROLCODE_ALPHABET, c)) {
      pr_seterr(err, "koden får bara ha bokstäver och siffror "
                "(XXXX-XXXX-XXXX)");
      return PR_EINVAL;
    }
    if(n == ENROLCODE_LEN) {
      pr_seterr(err, "koden är för lång: den har %d tecken (XXXX-XXXX-XXXX)",
                ENROLCODE_LEN);
      return PR_EINVAL;
    }
    out[n++] = (char)c;
  }
  if(n != ENROLCODE_LEN) {
    pr_seterr(err, "koden är för kort: %zu av %d tecken", n, ENROLCODE_LEN);
    out[0] = '\0';
    return PR_EINVAL;
  }
  out[n] = '\0';
  return PR_OK;
}

int enrolcode_matches_pin(const char *code, const char *pin)
{
  char chk[ENROLCODE_CHECK];

  if(!code || strlen(code) != ENROLCODE_LEN || !pin)
    return 0;
  enrolcode_check(code, pin, chk);
  return sodium_memcmp(chk, code + ENROLCODE_SECRET, ENROLCODE_CHECK) == 0;
}

void enrolcode_format(const char *code, char out[ENROLCODE_SHOWN + 1])
{
  int i, o = 0;

  for(i = 0; i < ENROLCODE_LEN && code[i]; i++) {
    if(i && i % 4 == 0)
      out[o++] = '-';
    out[o++] = code[i];
  }
  out[o] = '\0';
}

enum pr_rc enrolcode_pin_from_pem(const char *pem, char out[ENROLCODE_PIN_LEN],
                                  char *err)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_pubkey_t key = NULL;
  gnutls_datum_t in, der = { NULL, 0 };
  unsigned char h[crypto_hash_sha256_BYTES];
  enum pr_rc rc = PR_EINVAL;

  out[0] = '\0';
  in.data = (unsigned char *)(uintptr_t)pem;
  in.size = pem ? (unsigned)strlen(pem) : 0;
  if(gnutls_x509_crt_init(&crt) < 0 || gnutls_pubkey_init(&key) < 0) {
    rc = PR_ENOMEM;
    goto out;
  }
  if(!pem || gnutls_x509_crt_import(crt, &in, GNUTLS_X509_FMT_PEM) < 0) {
    pr_seterr(err, "no certificate in the PEM text");
    goto out;
  }
  if(gnutls_pubkey_import_x509(key, crt, 0) < 0 ||
     gnutls_pubkey_export2(key, GNUTLS_X509_FMT_DER, &der) < 0) {
    pr_seterr(err, "cannot read the certificate's public key");
    goto out;
  }
  crypto_hash_sha256(h, der.data, der.size);
  memcpy(out, "sha256//", 8);
  sodium_bin2base64(out + 8, ENROLCODE_PIN_LEN - 8, h, sizeof(h),
                    sodium_base64_VARIANT_ORIGINAL);
  rc = PR_OK;
out:
  gnutls_free(der.data);
  gnutls_pubkey_deinit(key);
  gnutls_x509_crt_deinit(crt);
  return rc;
}

void enrolcode_pin_grouped(const char *pin, char *out, size_t cap)
{
  const char *b = strncmp(pin, "sha256//", 8) ? pin : pin + 8;
  size_t o = 0, i;

  if(!cap)
    return;
  for(i = 0; b[i] && o + 2 < cap; i++) {
    if(i && i % 4 == 0)
      out[o++] = ' ';
    out[o++] = b[i];
  }
  out[o] = '\0';
}
