/* lettersend.c — This file contains the SMTP sender and the outbox drain
 * (lettersend.h). */
#include "lettersend.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "letterdb.h"

long lettersend_backoff(const struct letterconf *lc, long attempts)
{
  long d = lc->retry_base;
  long k;
  for(k = 1; k < attempts && d < lc->retry_max; k++)
    d = d > lc->retry_max / 2 ? lc->retry_max : d * 2;
  return d > lc->retry_max ? lc->retry_max : d;
}

struct reader {
  const char *p;
  size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nitems, void *ud)
{
  struct reader *r = ud;
  size_t n = size * nitems;
  if(n > r->left)
    n = r->left;
  memcpy(buf, r->p, n);
  r->p += n;
  r->left -= n;
  return n;
}

static enum pr_rc map_curl(CURLcode cc)
{
  switch(cc) {
  case CURLE_OK: return PR_OK;
  case CURLE_LOGIN_DENIED: return PR_EAUTH;
  case CURLE_USE_SSL_FAILED:
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
    return PR_ETLS;
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_COULDNT_CONNECT:
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_GOT_NOTHING:
    return PR_ENET;
  default:
    return PR_EPROTO;
  }
}

enum pr_rc lettersend_one(const struct letterconf *lc, const char *to,
                          const char *msg, size_t len, char *err)
{
  CURL *c = curl_easy_init();
  struct curl_slist *rcpt = NULL;
  struct reader rd = { msg, len };
  char from[300], rto[300], ebuf[CURL_ERROR_SIZE] = "";
  CURLcode cc;
  long code = 0;

  if(!c)
    return PR_ENOMEM;
  snprintf(from, sizeof(from), "<%s>", lc->smtp_from);
  snprintf(rto, sizeof(rto), "<%s>", to);
  rcpt = curl_slist_append(NULL, rto);
  if(!rcpt) {
    curl_easy_cleanup(c);
    return PR_ENOMEM;
  }
  curl_easy_setopt(c, CURLOPT_URL, lc->smtp_url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
  curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if(lc->smtp_ca[0])
    curl_easy_setopt(c, CURLOPT_CAINFO, lc->smtp_ca);
  if(lc->smtp_user[0]) {
    curl_easy_setopt(c, CURLOPT_USERNAME, lc->smtp_user);
    curl_easy_setopt(c, CURLOPT_PASSWORD, lc->smtp_password);
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt(c, CURLOPT_READDATA, &rd);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, lc->smtp_timeout);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
                   lc->smtp_timeout < 15 ? lc->smtp_timeout : 15L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
  cc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(c);
  if(cc != CURLE_OK)
    pr_seterr(err, "smtp: %s%s%s (svar %ld)", curl_easy_strerror(cc),
              ebuf[0] ? ": " : "", ebuf, code);
  return map_curl(cc);
}

enum pr_rc lettersend_drain(struct aggdb *db, const struct letterconf *lc,
                            long long now, int max,
                            struct lettersend_stats *st, char *err)
{
  struct letterdb_msg m;
  char why[PR_ERR_LEN], detail[512];
  enum pr_rc rc;
  int found = 0, k, unc = 0;

  memset(st, 0, sizeof(*st));
  if((rc = letterdb_expire(db, now, lc->sending_stale, &unc, err)) != PR_OK)
    return rc;
  st->uncertain = unc;
  if(unc > 0) {
    snprintf(detail, sizeof(detail), "uncertain=%d (avbrutna under sändning;"
             " se rost-agg letters list)", unc);
    if(audit_log(db, (time_t)now, "letters", "letter-uncertain", detail,
                 NULL) != PR_OK)
      pr_log(PR_LOG_ERROR, "audit_failed", "what=letter-uncertain");
    pr_log(PR_LOG_WARN, "letters_uncertain", "count=%d", unc);
  }
  for(k = 0; k < max; k++) {
    enum pr_rc src;
    if((rc = letterdb_claim(db, now, &m, &found, err)) != PR_OK || !found)
      return rc;
    why[0] = '\0';
    src = lettersend_one(lc, m.recipient, m.message, strlen(m.message), why);
    pr_free(m.message);
    m.message = NULL;
    if(src == PR_OK) {
      st->sent++;
      rc = letterdb_sent(db, m.id, now, err);
      snprintf(detail, sizeof(detail), "id=%s to=%s", m.id, m.recipient);
      if(rc == PR_OK)
        rc = audit_log(db, (time_t)now, "letters", "letter-sent", detail,
                       err);
      pr_log(PR_LOG_INFO, "letter_sent", "kind=%s", m.kind);
      if(rc != PR_OK)
        return rc;
      continue;
    }
    {
      long attempts = m.attempts + 1;
      int give_up = attempts >= lc->max_attempts;
      long long next = now + lettersend_backoff(lc, attempts);
      if(give_up)
        st->gave_up++;
      else
        st->failed++;
      rc = letterdb_retry(db, m.id, next, give_up, why, err);
      if(snprintf(detail, sizeof(detail), "id=%.200s to=%.127s attempt=%ld "
                  "%s %.120s", m.id, m.recipient, attempts,
                  give_up ? "gave-up" : "retry-later", why) < 0)
        detail[0] = '\0';
      if(rc == PR_OK)
        rc = audit_log(db, (time_t)now, "letters", "letter-failed", detail,
                       err);
      pr_log(PR_LOG_WARN, "letter_failed", "attempt=%ld why=\"%s\"", attempts,
             why);
      if(rc != PR_OK)
        return rc;
      /* The server is unreachable or refuses us: the others would fail the
       * same way; they wait for the next run. */
      if(src == PR_ENET || src == PR_ETLS || src == PR_EAUTH)
        return PR_OK;
    }
  }
  return PR_OK;
}
