/* This file contains the aggregator's HTTPS server on libmicrohttpd with
 * GnuTLS: TLS 1.2+ only, a thread per connection (or a pool), explicit
 * connection timeout, connection limits, a whole-request deadline (the idle timeout
 * alone does not stop a slow drip), a body limit answered with 413 before
 * the body is read, device-token checks before the body is read, route
 * dispatch through agg_routes[] and a graceful stop.  Request view and
 * response helpers: aggreq.c; metrics: aggmetrics.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "aggdev.h"
#include "aggschema.h"
#include "aggsets.h"
#include "aggsrv_int.h"
#include "aggtls.h"
#include "aggwatch.h"
#include "ingestq.h"

static double mono_now(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- server accessors ---- */

struct aggdb *agg_server_db(struct agg_server *s) { return s->db; }
const struct aggconf *agg_server_conf(struct agg_server *s)
{
  return &s->conf;
}
struct aggsets_cache *agg_server_sets(struct agg_server *s)
{
  return s->sets;
}
struct ingestq *agg_server_ingestq(struct agg_server *s) { return s->q; }
int agg_server_port(const struct agg_server *s) { return s->port; }
const char *agg_server_pin(struct agg_server *s) { return s->pin; }

/* ---- dispatch ---- */

static const struct agg_route *find_route(const char *method, const char *path,
                                          int *path_known)
{
  int i;

  *path_known = 0;
  for(i = 0; i < agg_n_routes; i++) {
    const struct agg_route *r = &agg_routes[i];
    size_t n = strlen(r->path);
    int match;

    if(n && r->path[n - 1] == '*')
      match = !strncmp(path, r->path, n - 1);
    else
      match = !strcmp(path, r->path);
    if(!match)
      continue;
    *path_known = 1;
    if(!strcmp(method, r->method))
      return r;
  }
  return NULL;
}

/* The watchdog slot of the connection (NULL when not watched). */
static struct aggwatch_slot *conn_slot(struct MHD_Connection *conn)
{
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

  return ci ? ci->socket_context : NULL;
}

static enum MHD_Result send_resp(struct agg_server *s, struct agg_req *rq,
                                 struct agg_resp *rs, const char *label)
{
  struct MHD_Response *r;
  enum MHD_Result ret;
  int i;

  r = MHD_create_response_from_buffer(rs->len, rs->body ? rs->body : (void *)"",
                                      MHD_RESPMEM_MUST_COPY);
  if(!r) {
    aggsrv_resp_reset(rs);
    return MHD_NO;
  }
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                          rs->ctype ? rs->ctype : "text/plain; charset=utf-8");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "Strict-Transport-Security",
                          "max-age=31536000");
  for(i = 0; i < rs->n_headers; i++)
    MHD_add_response_header(r, rs->hname[i], rs->hval[i]);
  ret = MHD_queue_response(rq->conn, (unsigned)rs->status, r);
  MHD_destroy_response(r);
  rq->responded = 1;
  aggwatch_busy(s->watch, conn_slot(rq->conn));   /* the reply is on its way */
  aggsrv_count_request(s, label, rs->status);
  pr_log(rs->status >= 500 ? PR_LOG_WARN : PR_LOG_INFO, "http_request",
         "method=%s route=%s status=%d ms=%.1f bytes_in=%zu peer=%s%s%s",
         rq->method, label, rs->status, (mono_now() - rq->started) * 1000.0,
         rq->len, rq->peer, rq->has_dev ? " device=" : "",
         rq->has_dev ? rq->dev.id : "");
  aggsrv_resp_reset(rs);
  return ret;
}

static enum MHD_Result refuse(struct agg_server *s, struct agg_req *rq,
                              int status, const char *code, const char *msg,
                              int retry_after)
{
  struct agg_resp rs;
  char ra[16];

  memset(&rs, 0, sizeof(rs));
  agg_resp_error(&rs, status, code, msg);
  if(retry_after) {
    snprintf(ra, sizeof(ra), "%d", s->conf.retry_after);
    agg_resp_header(&rs, "Retry-After", ra);
  }
  if(status == 401)
    agg_resp_header(&rs, "WWW-Authenticate", "Bearer");
  return send_resp(s, rq, &rs, rq->route ? rq->route->label : "none");
}

/* Check the bearer token of an AGG_AUTH_DEVICE route.  0 ok, or an HTTP
 * status already decided (401, 503). */
static int check_device(struct agg_server *s, struct agg_req *rq,
                        const char **msg)
{
  const char *h = agg_req_header(rq, MHD_HTTP_HEADER_AUTHORIZATION);
  struct aggdb_conn *c = NULL;
  char err[PR_ERR_LEN] = "";
  enum pr_rc rc;

  if(!h || strncmp(h, "Bearer ", 7)) {
    *msg = "missing bearer token";
    return 401;
  }
  rc = aggdb_acquire(s->db, &c, err);
  if(rc == PR_OK)
    rc = aggdev_auth(c, h + 7, &rq->dev, err);
  aggdb_release(c);
  if(rc == PR_EAUTH) {
    pr_log(PR_LOG_WARN, "auth_refused", "peer=%s why=\"%s\"", rq->peer, err);
    *msg = "unknown or revoked token";
    return 401;
  }
  if(rc != PR_OK) {
    pr_log(PR_LOG_ERROR, "db_error", "during=auth rc=%s",
           pr_strerror(rc));
    *msg = "database unavailable";
    return rc == PR_EBUSY ? 503 : 500;
  }
  rq->has_dev = 1;
  return 0;
}

/* Take one of the device's in-flight slots: 0, or -1 when it already has
 * conf.device_inflight requests open (a kiosk syncs one batch at a time;
 * many more means a runaway client or a copied token). */
static int device_enter(struct agg_server *s, const char *id)
{
  int i, ret = 0, free_i = -1;

  pthread_mutex_lock(&s->mu);
  for(i = 0; i < s->n_devs; i++) {
    if(s->devs[i].n && !strcmp(s->devs[i].id, id))
      break;
    if(!s->devs[i].n && free_i < 0)
      free_i = i;
  }
  if(i < s->n_devs) {
    if(s->devs[i].n >= s->conf.device_inflight)
      ret = -1;
    else
      s->devs[i].n++;
  } else if(free_i >= 0) {
    pr_strlcpy(s->devs[free_i].id, id, sizeof(s->devs[0].id));
    s->devs[free_i].n = 1;
  } else {
    ret = -1;                 /* more devices than connections: cannot be */
  }
  pthread_mutex_unlock(&s->mu);
  return ret;
}

static void device_leave(struct agg_server *s, const char *id)
{
  int i;

  pthread_mutex_lock(&s->mu);
  for(i = 0; i < s->n_devs; i++)
    if(s->devs[i].n && !strcmp(s->devs[i].id, id)) {
      s->devs[i].n--;
      break;
    }
  pthread_mutex_unlock(&s->mu);
}

static void peer_text(struct MHD_Connection *conn, char *out, size_t cap)
{
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  const struct sockaddr *sa = ci ? ci->client_addr : NULL;

  pr_strlcpy(out, "?", cap);
  if(sa && sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
              out, (socklen_t)cap);
  else if(sa && sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6,
              &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
              (socklen_t)cap);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
  struct agg_server *s = cls;
  struct agg_req *rq = *con_cls;

  if(!rq) {
    const char *cl;
    int known = 0, st;
    const char *msg = NULL;
    long clen = 0;

    rq = pr_calloc(1, sizeof(*rq));
    if(!rq)
      return MHD_NO;
    *con_cls = rq;
    rq->conn = conn;
    rq->method = method;
    rq->path = url;
    rq->started = mono_now();
    peer_text(conn, rq->peer, sizeof(rq->peer));
    pthread_mutex_lock(&s->mu);
    s->inflight++;
    pthread_mutex_unlock(&s->mu);
    rq->counted = 1;
    rq->route = find_route(method, url, &known);
    if(!rq->route)
      return known ? refuse(s, rq, 405, "method", "method not allowed", 0)
                   : refuse(s, rq, 404, "not_found", "no such resource", 0);
    cl = agg_req_header(rq, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if(cl && (pr_parse_long(cl, 0, 1L << 40, &clen) != 0 ||
              clen > s->conf.max_body))
      return refuse(s, rq, 413, "too_large", "request body over the limit; "
                    "send smaller batches", 1);
    if(rq->route->auth == AGG_AUTH_DEVICE &&
       (st = check_device(s, rq, &msg)) != 0)
      return refuse(s, rq, st, st == 401 ? "unauthorized" : "unavailable",
                    msg, st == 503);
    if(rq->has_dev) {
      if(device_enter(s, rq->dev.id) != 0) {
        pr_log(PR_LOG_WARN, "device_busy", "device=%s peer=%s", rq->dev.id,
               rq->peer);
        return refuse(s, rq, 429, "too_many", "this device already has "
                      "requests in flight; one batch at a time", 1);
      }
      rq->dev_counted = 1;
    }
    return MHD_YES;
  }
  if(rq->responded) {
    /* A refusal is queued; swallow whatever body is still coming. */
    *upload_size = 0;
    return MHD_YES;
  }
  if(*upload_size) {
    size_t n = *upload_size;

    if(mono_now() - rq->started > s->conf.request_deadline) {
      pr_log(PR_LOG_WARN, "request_deadline", "peer=%s route=%s bytes=%zu",
             rq->peer, rq->route->label, rq->len);
      aggsrv_count_request(s, rq->route->label, 408);
      return MHD_NO;                    /* cut the connection */
    }
    if(rq->len + n > (size_t)s->conf.max_body) {
      *upload_size = 0;
      return refuse(s, rq, 413, "too_large", "request body over the limit; "
                    "send smaller batches", 1);
    }
    if(rq->len + n + 1 > rq->cap) {
      size_t nc = rq->cap ? rq->cap : 16384;
      char *nb;
      while(nc < rq->len + n + 1)
        nc *= 2;
      if(nc > (size_t)s->conf.max_body + 1)
        nc = (size_t)s->conf.max_body + 1;
      nb = pr_realloc(rq->body, nc);
      if(!nb)
        return MHD_NO;
      rq->body = nb;
      rq->cap = nc;
    }
    memcpy(rq->body + rq->len, upload, n);
    rq->len += n;
    rq->body[rq->len] = '\0';
    *upload_size = 0;
    return MHD_YES;
  }
  {
    struct agg_resp rs;

    /* The request is complete: handling it (waiting for the group commit
     * included) is not the client's slowness. */
    aggwatch_busy(s->watch, conn_slot(conn));
    memset(&rs, 0, sizeof(rs));
    rs.status = 500;
    rq->route->fn(s, rq, &rs);
    return send_resp(s, rq, &rs, rq->route->label);
  }
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **con_cls, enum MHD_RequestTerminationCode toe)
{
  struct agg_server *s = cls;
  struct agg_req *rq = *con_cls;

  if(!rq)
    return;
  if(toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED && rq->route) {
    pr_log(PR_LOG_WARN, "connection_timeout", "peer=%s route=%s bytes=%zu",
           rq->peer, rq->route->label, rq->len);
    aggsrv_count_request(s, rq->route->label, 408);
  }
  if(rq->counted) {
    pthread_mutex_lock(&s->mu);
    s->inflight--;
    pthread_mutex_unlock(&s->mu);
  }
  if(rq->dev_counted)
    device_leave(s, rq->dev.id);
  aggwatch_idle(s->watch, conn_slot(conn));       /* next request's clock */
  pr_free(rq->body);
  pr_free(rq);
  *con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn,
                          void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
  struct agg_server *s = cls;

  if(toe == MHD_CONNECTION_NOTIFY_STARTED) {
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    *socket_context = ci ? aggwatch_add(s->watch, ci->connect_fd) : NULL;
  } else if(toe == MHD_CONNECTION_NOTIFY_CLOSED) {
    aggwatch_remove(s->watch, *socket_context);
    *socket_context = NULL;
  }
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
    PR_PRINTF(2, 0);
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
  char line[512];
  size_t n;

  vsnprintf(line, sizeof(line), fmt, ap);
  n = strlen(line);
  while(n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
    line[--n] = '\0';
  for(size_t i = 0; i < n; i++)
    if(line[i] == '\n' || line[i] == '"')
      line[i] = ' ';
  pr_log(PR_LOG_WARN, "mhd", "msg=\"%s\"", line);
}

static enum pr_rc read_pem(const char *path, char **out, char *err)
{
  FILE *f;
  char *buf;
  size_t n;

  *out = NULL;
  if(!path[0]) {
    pr_seterr(err, "no certificate or key file configured (cert = / key =)");
    return PR_EINVAL;
  }
  f = fopen(path, "rb");
  if(!f) {
    pr_seterr(err, "%s: cannot open: %s", path, strerror(errno));
    return PR_EIO;
  }
  buf = pr_malloc(256 * 1024 + 1);
  if(!buf) {
    fclose(f);
    return PR_ENOMEM;
  }
  n = fread(buf, 1, 256 * 1024, f);
  fclose(f);
  buf[n] = '\0';
  if(!strstr(buf, "-----BEGIN ")) {
    pr_seterr(err, "%s: not a PEM file", path);
    pr_free(buf);
    return PR_EINVAL;
  }
  *out = buf;
  return PR_OK;
}

void agg_server_stop(struct agg_server *s, int grace)
{
  double until;
  int left = 0;

  if(!s)
    return;
  if(s->d) {
    /* Stop accepting, let requests in flight finish and send replies. */
    MHD_quiesce_daemon(s->d);
    until = mono_now() + grace;
    for(;;) {
      pthread_mutex_lock(&s->mu);
      left = s->inflight;
      pthread_mutex_unlock(&s->mu);
      if(left == 0 || mono_now() > until)
        break;
      usleep(20000);
    }
    MHD_stop_daemon(s->d);
    pr_log(PR_LOG_INFO, "server_stopped", "unfinished=%d", left);
  }
  ingestq_free(s->q);          /* after MHD: no request can submit now */
  aggwatch_free(s->watch);     /* after MHD: every connection is closed */
  pr_free(s->devs);
  aggsets_cache_free(s->sets);
  aggdb_close(s->db);
  if(s->key_pem) {
    memset(s->key_pem, 0, strlen(s->key_pem));
    pr_free(s->key_pem);
  }
  pr_free(s->cert_pem);
  pthread_mutex_destroy(&s->mu);
  pr_free(s);
}

enum pr_rc agg_server_start(const struct aggconf *conf, struct agg_server **out,
                            char *err)
{
  enum pr_rc rc = PR_ENOMEM;
  struct agg_server *s = NULL;
  struct sockaddr_in sa;
  const union MHD_DaemonInfo *di;
  int n_new = 0;
  char sub[PR_ERR_LEN];

  *out = NULL;
  s = pr_calloc(1, sizeof(*s));
  if(!s)
    return PR_ENOMEM;
  if(pthread_mutex_init(&s->mu, NULL)) {
    pr_free(s);
    return PR_EINTERNAL;
  }
  s->conf = *conf;
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)conf->port);
  if(inet_pton(AF_INET, conf->listen_addr, &sa.sin_addr) != 1) {
    pr_seterr(err, "listen: \"%s\" is not an IPv4 address", conf->listen_addr);
    rc = PR_EINVAL;
    goto out;
  }
  if((rc = read_pem(conf->cert, &s->cert_pem, err)) != PR_OK ||
     (rc = read_pem(conf->key, &s->key_pem, err)) != PR_OK ||
     (rc = aggtls_check(conf->cert, s->cert_pem, conf->key, s->key_pem,
                        conf->tls_priority, err)) != PR_OK ||
     (rc = enrolcode_pin_from_pem(s->cert_pem, s->pin, err)) != PR_OK)
    goto out;
  rc = aggdb_open(conf->db, &s->db, sub);
  if(rc != PR_OK) {
    pr_seterr(err, "database: %s", sub);
    goto out;
  }
  rc = aggschema_migrate_all(s->db, sub);
  if(rc != PR_OK) {
    pr_seterr(err, "database schema: %s", sub);
    goto out;
  }
  if(conf->sets_dir[0] && access(conf->sets_dir, R_OK) == 0) {
    rc = aggsets_seed_dir(s->db, conf->sets_dir, &n_new, sub);
    if(rc != PR_OK) {
      pr_seterr(err, "seeding sets: %s", sub);
      goto out;
    }
  }
  rc = aggsets_cache_new(&s->sets);
  if(rc != PR_OK)
    goto out;
  rc = ingestq_new(s->db, s->sets, &s->q);
  if(rc != PR_OK)
    goto out;
  rc = aggwatch_new(conf->request_deadline, &s->watch);
  if(rc != PR_OK)
    goto out;
  s->devs = pr_calloc((size_t)conf->conn_limit, sizeof(*s->devs));
  if(!s->devs) {
    rc = PR_ENOMEM;
    goto out;
  }
  s->n_devs = conf->conn_limit;
  /* Uploads block in the group commit, so by default every connection has
   * its own thread (a blocked handler in MHD's pool would stall every other
   * connection of that pool thread, TLS handshakes included).  threads > 0
   * selects a pool on epoll instead, for read-mostly deployments. */
  if(conf->threads == 0)
    s->d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
        MHD_USE_POLL | MHD_USE_TLS | MHD_USE_ITC | MHD_USE_ERROR_LOG,
        (uint16_t)conf->port, NULL, NULL, on_request, s,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_HTTPS_MEM_CERT, s->cert_pem,
        MHD_OPTION_HTTPS_MEM_KEY, s->key_pem,
        MHD_OPTION_HTTPS_PRIORITIES, conf->tls_priority,
        MHD_OPTION_THREAD_STACK_SIZE, (size_t)(256 * 1024),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)conf->conn_timeout,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)conf->conn_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)conf->per_ip_limit,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024U,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_END);
  else
    s->d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TLS | MHD_USE_ITC |
        MHD_USE_ERROR_LOG,
        (uint16_t)conf->port, NULL, NULL, on_request, s,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_HTTPS_MEM_CERT, s->cert_pem,
        MHD_OPTION_HTTPS_MEM_KEY, s->key_pem,
        MHD_OPTION_HTTPS_PRIORITIES, conf->tls_priority,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)conf->threads,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)conf->conn_timeout,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)conf->conn_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)conf->per_ip_limit,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024U,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_END);
  if(!s->d) {
    /* The TLS material was checked above: ask the socket layer why. */
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1, e = 0;
    if(fd >= 0) {
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
      if(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
        e = errno;
      close(fd);
    }
    if(e)
      pr_seterr(err, "cannot listen on %s:%d: %s", conf->listen_addr,
                conf->port, strerror(e));
    else
      pr_seterr(err, "cannot listen on %s:%d over TLS (libmicrohttpd refused"
                " to start; see its log line above)", conf->listen_addr,
                conf->port);
    rc = PR_ENET;
    goto out;
  }
  di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
  s->port = di ? di->port : conf->port;
  pr_log(PR_LOG_INFO, "server_started", "listen=%s:%d db=%s threads=%d "
         "timeout=%d max_body=%ld max_batch=%d sets_seeded=%d",
         conf->listen_addr, s->port, aggdb_driver_name(s->db), conf->threads,
         conf->conn_timeout, conf->max_body, conf->max_batch, n_new);
  *out = s;
  s = NULL;
  rc = PR_OK;
out:
  agg_server_stop(s, 0);
  return rc;
}
