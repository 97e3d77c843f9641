/* lettersend.h — sending the outbox over SMTP with libcurl: STARTTLS
 * required on smtp:// (CURLUSESSL_ALL) or TLS from the start on smtps://,
 * TLS 1.2 at least, the server's certificate checked (smtp_ca or the
 * system store), AUTH with smtp_user / the password file, one timeout for
 * the whole send.  A failed send goes back to the outbox with exponential
 * backoff (letters_retry_base * 2^attempts, capped at letters_retry_max),
 * kept in the database so retries survive a restart.
 *
 * Never twice: a message is claimed (state "sending", committed) before
 * the SMTP session starts and marked "sent" (committed) as soon as the
 * server accepted it.  The one window is a crash (or a lost database)
 * after the server accepted and before "sent" is committed: that row
 * stays "sending" and, once older than letters_sending_stale, becomes
 * "uncertain" — listed by `rost-agg letters list`, resent only by
 * `rost-agg letters resend ID`.  A crash before or during the SMTP
 * session leaves the same state: we cannot tell the two apart, so we err
 * on the side of at most once. */
#ifndef LETTERSEND_H
#define LETTERSEND_H

#include "aggdb.h"
#include "letterconf.h"

/* Seconds to wait after `attempts` failed attempts (attempts >= 1). */
long lettersend_backoff(const struct letterconf *lc, long attempts);

/* Send one message (MIME text) to one recipient.  PR_ENET (connect,
 * timeout, refused), PR_ETLS (handshake, certificate, no STARTTLS),
 * PR_EAUTH (login refused), PR_EPROTO (the server refused the message);
 * err says what curl said. */
enum pr_rc lettersend_one(const struct letterconf *lc, const char *to,
                          const char *msg, size_t len, char *err) PR_MUST;

struct lettersend_stats {
  int sent, failed, gave_up, uncertain;
};

/* Send every message due at now, at most max.  Each outcome is in the
 * audit log ("letter-sent", "letter-failed").  Stops at the first failure
 * to reach the server (the rest wait for the next run) and returns PR_OK;
 * a database error is returned. */
enum pr_rc lettersend_drain(struct aggdb *db, const struct letterconf *lc,
                            long long now, int max,
                            struct lettersend_stats *st, char *err) PR_MUST;

#endif
