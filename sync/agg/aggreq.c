/* This file contains the request view handlers read (path, arguments,
 * headers, cookies, body, authenticated device) and the helpers they fill
 * responses with.  Handlers never see libmicrohttpd. */
#include <stdio.h>
#include <string.h>

#include "aggsrv_int.h"

/* ---- request view ---- */

const char *agg_req_method(const struct agg_req *rq) { return rq->method; }
const char *agg_req_path(const struct agg_req *rq) { return rq->path; }

const char *agg_req_arg(const struct agg_req *rq, const char *name)
{
  return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *agg_req_header(const struct agg_req *rq, const char *name)
{
  return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *agg_req_cookie(const struct agg_req *rq, const char *name)
{
  return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, name);
}

const char *agg_req_body(const struct agg_req *rq, size_t *len)
{
  *len = rq->len;
  return rq->body ? rq->body : "";
}

const char *agg_req_peer(const struct agg_req *rq) { return rq->peer; }

const char *agg_req_device_id(const struct agg_req *rq)
{
  return rq->has_dev ? rq->dev.id : NULL;
}

const char *agg_req_device_unit(const struct agg_req *rq)
{
  return rq->has_dev ? rq->dev.unit : NULL;
}

const struct aggdev *agg_req_device(const struct agg_req *rq)
{
  return rq->has_dev ? &rq->dev : NULL;
}


/* ---- response helpers ---- */

void aggsrv_resp_reset(struct agg_resp *rs)
{
  pr_free(rs->body);
  rs->body = NULL;
  rs->len = 0;
}

void agg_resp_take(struct agg_resp *rs, int status, const char *ctype,
                   char *body, size_t len)
{
  aggsrv_resp_reset(rs);
  rs->status = status;
  rs->ctype = ctype;
  rs->body = body;
  rs->len = body ? len : 0;
}

void agg_resp_text(struct agg_resp *rs, int status, const char *ctype,
                   const char *text)
{
  char *b = pr_strdup(text);

  if(!b) {
    agg_resp_take(rs, 500, "text/plain; charset=utf-8", NULL, 0);
    return;
  }
  agg_resp_take(rs, status, ctype, b, strlen(b));
}

void agg_resp_json(struct agg_resp *rs, int status, json_t *j)
{
  char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

  json_decref(j);
  if(!s) {
    agg_resp_take(rs, 500, "text/plain; charset=utf-8", NULL, 0);
    return;
  }
  agg_resp_take(rs, status, "application/json", s, strlen(s));
}

void agg_resp_error(struct agg_resp *rs, int status, const char *code,
                    const char *msg)
{
  json_t *j = json_pack("{s:s, s:s}", "error", code, "message", msg);

  if(!j)      /* msg not UTF-8: never echo such bytes */
    j = json_pack("{s:s, s:s}", "error", code, "message", code);
  agg_resp_json(rs, status, j);
}

void agg_resp_header(struct agg_resp *rs, const char *name, const char *value)
{
  if(rs->n_headers >= AGG_RESP_MAX_HEADERS)
    return;
  if(pr_strlcpy(rs->hname[rs->n_headers], name, sizeof(rs->hname[0])) ||
     pr_strlcpy(rs->hval[rs->n_headers], value, sizeof(rs->hval[0])))
    return;
  rs->n_headers++;
}

void agg_resp_db_error(struct agg_server *s, struct agg_resp *rs,
                       enum pr_rc rc)
{
  char ra[16];

  /* Locked, lost or full: the client keeps its data and retries later. */
  if(rc == PR_EBUSY || rc == PR_EFULL) {
    snprintf(ra, sizeof(ra), "%d", s->conf.retry_after);
    agg_resp_error(rs, 503, "unavailable", "database unavailable; retry "
                   "later");
    agg_resp_header(rs, "Retry-After", ra);
  } else {
    agg_resp_error(rs, 500, "internal", "internal error");
  }
}
