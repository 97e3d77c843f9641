/* uplink.c — This file contains the libcurl transport declared in
 * uplink.h.  One easy handle is kept per uplink so consecutive requests of
 * a sync round reuse the TLS connection. */
#include "uplink.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "enrolcode.h"

struct uplink {
  CURL *h;
  char *ca_file, *pins;
  struct uplink_opts o;
  uplink_tap_fn tap;
  void *tap_ctx;
  uplink_abort_fn abort_fn;
  void *abort_ctx;
  char peer_pin[ENROLCODE_PIN_LEN];
};

/* Reply accumulation with the body cap. */
struct sink {
  char *buf;
  size_t len, cap, max;
  int over;
  long retry_after;
};

void uplink_close(struct uplink *u)
{
  if(!u)
    return;
  if(u->h)
    curl_easy_cleanup(u->h);
  pr_free(u->ca_file);
  pr_free(u->pins);
  pr_free(u);
}

enum pr_rc uplink_open(const struct uplink_opts *opts, struct uplink **out)
{
  enum pr_rc rc = PR_ENOMEM;
  struct uplink *u = NULL;

  *out = NULL;
  u = pr_calloc(1, sizeof(*u));
  if(!u)
    goto out;
  u->o = *opts;
  if(opts->ca_file && *opts->ca_file &&
     !(u->ca_file = pr_strdup(opts->ca_file)))
    goto out;
  if(opts->pins && *opts->pins && !(u->pins = pr_strdup(opts->pins)))
    goto out;
  u->o.ca_file = u->ca_file;
  u->o.pins = u->pins;
  /* Thread-safe since curl 7.84; repeated calls are counted. */
  if(curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    goto out;
  u->h = curl_easy_init();
  if(!u->h)
    goto out;
  *out = u;
  u = NULL;
  rc = PR_OK;
out:
  uplink_close(u);
  return rc;
}

void uplink_set_tap(struct uplink *u, uplink_tap_fn fn, void *ctx)
{
  u->tap = fn;
  u->tap_ctx = ctx;
}

void uplink_set_abort(struct uplink *u, uplink_abort_fn fn, void *ctx)
{
  u->abort_fn = fn;
  u->abort_ctx = ctx;
}

static int on_progress(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut,
                       curl_off_t un)
{
  struct uplink *u = ctx;
  (void)dt;
  (void)dn;
  (void)ut;
  (void)un;
  return u->abort_fn && u->abort_fn(u->abort_ctx) ? 1 : 0;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ctx)
{
  struct sink *s = ctx;
  size_t n = size * nmemb;
  if(s->len + n > s->max) {
    s->over = 1;
    return 0;   /* aborts the transfer: CURLE_WRITE_ERROR */
  }
  if(s->len + n + 1 > s->cap) {
    size_t nc = s->cap ? s->cap : 4096;
    char *nb;
    while(nc < s->len + n + 1)
      nc *= 2;
    nb = pr_realloc(s->buf, nc);
    if(!nb)
      return 0;
    s->buf = nb;
    s->cap = nc;
  }
  memcpy(s->buf + s->len, p, n);
  s->len += n;
  s->buf[s->len] = '\0';
  return n;
}

/* Retry-After: delta-seconds or an HTTP date. */
static size_t on_header(char *p, size_t size, size_t nmemb, void *ctx)
{
  struct sink *s = ctx;
  size_t n = size * nmemb;
  static const char name[] = "retry-after:";
  char val[64];
  size_t k, vl;
  long v;

  if(n < sizeof(name) - 1 || strncasecmp(p, name, sizeof(name) - 1) != 0)
    return n;
  k = sizeof(name) - 1;
  while(k < n && (p[k] == ' ' || p[k] == '\t'))
    k++;
  vl = n - k;
  while(vl > 0 && (p[k + vl - 1] == '\r' || p[k + vl - 1] == '\n' ||
                   p[k + vl - 1] == ' '))
    vl--;
  if(vl == 0 || vl >= sizeof(val))
    return n;
  memcpy(val, p + k, vl);
  val[vl] = '\0';
  if(pr_parse_long(val, 0, 10L * 365 * 24 * 3600, &v) == 0) {
    s->retry_after = v;
  } else {
    time_t t = curl_getdate(val, NULL);
    time_t now = pr_now();
    if(t != (time_t)-1)
      s->retry_after = t > now ? (long)(t - now) : 0;
  }
  return n;
}

static int on_debug(CURL *h, curl_infotype type, char *data, size_t size,
                    void *ctx)
{
  struct uplink *u = ctx;
  (void)h;
  if(u->tap && (type == CURLINFO_HEADER_OUT || type == CURLINFO_DATA_OUT))
    u->tap(data, size, u->tap_ctx);
  return 0;
}

static enum pr_rc classify(CURLcode c)
{
  switch(c) {
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CIPHER:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
  case CURLE_SSL_INVALIDCERTSTATUS:
  case CURLE_SSL_ISSUER_ERROR:
  case CURLE_SSL_ENGINE_INITFAILED:
  case CURLE_USE_SSL_FAILED:
    return PR_ETLS;
  default:
    return PR_ENET;
  }
}

/* The key pin of the server's own certificate (the first of the chain)
 * from curl's certificate info, into u->peer_pin ("" when none). */
static void note_peer_pin(struct uplink *u)
{
  struct curl_certinfo *ci = NULL;
  struct curl_slist *l;

  u->peer_pin[0] = '\0';
  if(curl_easy_getinfo(u->h, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci ||
     ci->num_of_certs < 1)
    return;
  for(l = ci->certinfo[0]; l; l = l->next)
    if(!strncmp(l->data, "Cert:", 5)) {
      if(enrolcode_pin_from_pem(l->data + 5, u->peer_pin, NULL) != PR_OK)
        u->peer_pin[0] = '\0';
      return;
    }
}

const char *uplink_peer_pin(const struct uplink *u)
{
  return u->peer_pin;
}

enum pr_rc uplink_request(struct uplink *u, const char *method,
                          const char *url, const char *token,
                          const char *body, size_t len,
                          struct uplink_reply *reply, char *err)
{
  enum pr_rc rc = PR_ENOMEM;
  struct curl_slist *hdr = NULL, *nh;
  struct sink s = {.max = u->o.max_reply, .retry_after = -1};
  char auth[600];
  char *ct = NULL;
  CURLcode c;
  CURL *h = u->h;
  int post = strcmp(method, "POST") == 0;

  memset(reply, 0, sizeof(*reply));
  reply->retry_after = -1;
  if(strncmp(url, "https://", 8) != 0) {
    pr_seterr(err, "sync URL must start with https://");
    return PR_EINVAL;
  }
  curl_easy_reset(h);
  if(token) {
    int w = snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
    if(w < 0 || (size_t)w >= sizeof(auth)) {
      pr_seterr(err, "device token is too long");
      return PR_EINVAL;
    }
    if(!(nh = curl_slist_append(hdr, auth)))
      goto out;
    hdr = nh;
  }
  if(post) {
    if(!(nh = curl_slist_append(hdr, "Content-Type: application/json")))
      goto out;
    hdr = nh;
  }
  /* No "Expect: 100-continue" round trip for large batches. */
  if(!(nh = curl_slist_append(hdr, "Expect:")))
    goto out;
  hdr = nh;
  if(!(nh = curl_slist_append(hdr, "Accept: application/json")))
    goto out;
  hdr = nh;

  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, u->o.pin_only ? 0L : 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, u->o.pin_only ? 0L : 2L);
  if(u->o.certinfo)
    curl_easy_setopt(h, CURLOPT_CERTINFO, 1L);
  if(u->o.ca_file)
    curl_easy_setopt(h, CURLOPT_CAINFO, u->o.ca_file);
  if(u->o.pins)
    curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, u->o.pins);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, u->o.connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, u->o.timeout_ms);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, u->o.low_speed_bytes);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, u->o.low_speed_time_s);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "patientrost-kiosk/1");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &s);
  if(u->tap) {
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, u);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
  }
  if(u->abort_fn) {
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, u);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  }
  if(post) {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
  } else {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  }

  c = curl_easy_perform(h);
  if(u->o.certinfo)
    note_peer_pin(u);
  if(s.over) {
    rc = PR_ELIMIT;
    pr_seterr(err, "reply body over %zu bytes", u->o.max_reply);
    goto out;
  }
  if(c != CURLE_OK) {
    rc = classify(c);
    pr_seterr(err, "%s", curl_easy_strerror(c));
    goto out;
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply->status);
  if(curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
    pr_strlcpy(reply->content_type, ct, sizeof(reply->content_type));
  reply->body = s.buf;
  reply->len = s.len;
  reply->retry_after = s.retry_after;
  s.buf = NULL;
  rc = PR_OK;
out:
  /* The handle keeps pointers to these until the next reset. */
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
  curl_slist_free_all(hdr);
  pr_free(s.buf);
  return rc;
}

void uplink_reply_free(struct uplink_reply *r)
{
  if(!r)
    return;
  pr_free(r->body);
  r->body = NULL;
  r->len = 0;
}
