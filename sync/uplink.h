/* uplink.h — one HTTPS request to the aggregator with libcurl, with the
 * kiosk's transport rules: https only, TLS 1.2 minimum set explicitly, the
 * configured CA file, optional public-key pins (current and backup key),
 * connect/low-speed/total timeouts, no redirects, a hard cap on the reply
 * body, the Retry-After header.  It knows nothing of the protocol's JSON. */
#ifndef UPLINK_H
#define UPLINK_H

#include <stddef.h>

#include "pr.h"

struct uplink;

struct uplink_opts {
  const char *ca_file;        /* PEM bundle; NULL = system store */
  const char *pins;           /* "sha256//A=;sha256//B=" or NULL */
  long connect_timeout_ms;    /* > 0 */
  long timeout_ms;            /* whole request, > 0 */
  long low_speed_bytes;       /* abort when slower than this ... */
  long low_speed_time_s;      /* ... for this many seconds */
  size_t max_reply;           /* bytes of reply body accepted */
  int pin_only;               /* 1: no CA or host name check — the pins
                                 alone decide (a kiosk enrolled by code
                                 trusts the key it was given); with no
                                 pins, anything (only to read the key) */
  int certinfo;               /* 1: note the server's key pin of each
                                 request (uplink_peer_pin) */
};

/* Sees every byte the client hands to TLS (headers and body), for the test
 * that proves nothing identifying leaves; NULL to disable. */
typedef void (*uplink_tap_fn)(const char *data, size_t len, void *ctx);

struct uplink_reply {
  long status;                /* HTTP status, 0 when none arrived */
  char *body;                 /* owned, NUL-terminated; may be NULL */
  size_t len;
  long retry_after;           /* seconds; -1 when absent or unparsable */
  char content_type[64];
};

/* *out is the caller's (uplink_close); NULL on failure (PR_ENOMEM). The
 * strings in opts are copied. */
enum pr_rc uplink_open(const struct uplink_opts *opts, struct uplink **out)
    PR_MUST;
void uplink_close(struct uplink *u);               /* NULL-safe */
void uplink_set_tap(struct uplink *u, uplink_tap_fn fn, void *ctx);

/* Polled during a transfer (about once a second and on progress); when it
 * returns non-zero the request ends at once with PR_ENET ("aborted").  For
 * a quick shutdown of the sync thread.  NULL to disable. */
typedef int (*uplink_abort_fn)(void *ctx);
void uplink_set_abort(struct uplink *u, uplink_abort_fn fn, void *ctx);

/* Perform method ("GET"/"POST") on url with "Authorization: Bearer token"
 * (token may be NULL) and, for POST, the JSON body.  PR_OK means an HTTP
 * reply arrived whole (any status; the caller judges it); reply is then
 * filled and the caller frees it with uplink_reply_free.  Failures:
 * PR_ETLS (certificate, pin, handshake), PR_ENET (refused, timeout, cut,
 * slow), PR_ELIMIT (reply body over max_reply), PR_EINVAL (not an https
 * URL); err says which and reply is left empty. */
enum pr_rc uplink_request(struct uplink *u, const char *method,
                          const char *url, const char *token,
                          const char *body, size_t len,
                          struct uplink_reply *reply, char *err) PR_MUST;
void uplink_reply_free(struct uplink_reply *r);    /* NULL-safe */

/* With opts.certinfo: the key pin ("sha256//...", enrolcode.h) of the
 * server of the last request that completed a handshake, borrowed; ""
 * when none. */
const char *uplink_peer_pin(const struct uplink *u);

#endif
