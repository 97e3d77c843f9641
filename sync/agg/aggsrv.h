/* aggsrv.h — the aggregator's HTTPS server: libmicrohttpd + GnuTLS (TLS 1.2
 * or newer only), explicit connection/body/batch limits, a route table
 * (aggroutes.c) that other modules extend with one line each, Prometheus
 * metrics and graceful shutdown.  Handlers get a request view and fill a
 * response; they never see libmicrohttpd.  It knows nothing of indicators. */
#ifndef AGGSRV_H
#define AGGSRV_H

#include <stddef.h>
#include <jansson.h>

#include "aggconf.h"
#include "aggdb.h"

struct agg_server;
struct agg_req;
struct aggsets_cache;

#define AGG_RESP_MAX_HEADERS 6

/* What a handler answers.  body is owned by the response (pr_malloc'd) and
 * freed by the server; set it with the agg_resp_* helpers. */
struct agg_resp {
  int status;
  const char *ctype;                  /* static string */
  char *body;
  size_t len;
  int n_headers;
  char hname[AGG_RESP_MAX_HEADERS][40];
  char hval[AGG_RESP_MAX_HEADERS][256];
};

typedef void (*agg_handler_fn)(struct agg_server *s, struct agg_req *rq,
                               struct agg_resp *rs);

enum agg_auth {
  AGG_AUTH_NONE = 0,    /* the handler decides (public, or its own login) */
  AGG_AUTH_DEVICE       /* a valid, unrevoked device token is required;
                           401 is answered before the handler runs */
};

struct agg_route {
  const char *method;   /* "GET", "POST", ... */
  const char *path;     /* exact path, or a prefix when it ends in '*' */
  const char *label;    /* route label in /metrics (no ids in it) */
  agg_handler_fn fn;
  enum agg_auth auth;
};

/* The route table and the schema components, in aggroutes.c. */
extern const struct agg_route agg_routes[];
extern const int agg_n_routes;
struct agg_component {
  const char *name;
  enum pr_rc (*migrate)(struct aggdb *db, char *err);
};
extern const struct agg_component agg_components[];
extern const int agg_n_components;

/* --- request view (all strings borrowed for the handler's duration) --- */
const char *agg_req_method(const struct agg_req *rq);
const char *agg_req_path(const struct agg_req *rq);
/* Query-string argument, header, cookie: NULL when absent. */
const char *agg_req_arg(const struct agg_req *rq, const char *name);
const char *agg_req_header(const struct agg_req *rq, const char *name);
const char *agg_req_cookie(const struct agg_req *rq, const char *name);
/* Body bytes (not NUL-terminated... but a NUL follows them). */
const char *agg_req_body(const struct agg_req *rq, size_t *len);
/* Client IPv4/IPv6 address as text ("127.0.0.1"). */
const char *agg_req_peer(const struct agg_req *rq);
/* The authenticated device (AGG_AUTH_DEVICE routes), else NULL. */
const char *agg_req_device_id(const struct agg_req *rq);
const char *agg_req_device_unit(const struct agg_req *rq);
/* The device row as the token check read it (borrowed), else NULL. */
struct aggdev;
const struct aggdev *agg_req_device(const struct agg_req *rq);

/* --- response helpers --- */
/* Serialize j (reference stolen) as the body, Content-Type JSON. */
void agg_resp_json(struct agg_resp *rs, int status, json_t *j);
/* Copy text as the body. */
void agg_resp_text(struct agg_resp *rs, int status, const char *ctype,
                   const char *text);
/* Take ownership of a pr_malloc'd buffer as the body. */
void agg_resp_take(struct agg_resp *rs, int status, const char *ctype,
                   char *body, size_t len);
/* {"error": code, "message": msg}. */
void agg_resp_error(struct agg_resp *rs, int status, const char *code,
                    const char *msg);
/* Add a header (ignored past AGG_RESP_MAX_HEADERS or when too long). */
void agg_resp_header(struct agg_resp *rs, const char *name,
                     const char *value);
/* 503 + Retry-After for a PR_EBUSY (unavailable) or PR_EFULL database;
 * 500 otherwise. */
void agg_resp_db_error(struct agg_server *s, struct agg_resp *rs,
                       enum pr_rc rc);

/* --- server --- */
struct aggdb *agg_server_db(struct agg_server *s);
const struct aggconf *agg_server_conf(struct agg_server *s);
struct aggsets_cache *agg_server_sets(struct agg_server *s);
/* The key pin of the certificate served ("sha256//..."), borrowed. */
const char *agg_server_pin(struct agg_server *s);
struct ingestq;
/* The group-commit queue all uploads go through (ingestq.h). */
struct ingestq *agg_server_ingestq(struct agg_server *s);

/* Open the database, migrate, seed sets, start listening.  *out is the
 * caller's (agg_server_stop); NULL on failure with err saying what. */
enum pr_rc agg_server_start(const struct aggconf *conf, struct agg_server **out,
                            char *err) PR_MUST;
/* The port actually bound (useful with port 0 in tests). */
int agg_server_port(const struct agg_server *s);
/* Stop accepting, let requests in flight finish (up to `grace` seconds),
 * close the database, free everything.  NULL-safe. */
void agg_server_stop(struct agg_server *s, int grace);

/* Add to the ingest counters shown in /metrics. */
void agg_server_add_tally(struct agg_server *s, long stored, long duplicates,
                          long rejected);

/* Prometheus text of the current metrics; *out is the caller's (pr_free). */
enum pr_rc agg_server_metrics(struct agg_server *s, char **out, size_t *len,
                              char *err) PR_MUST;

#endif
