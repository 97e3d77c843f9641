/* wire.c — This file contains the encoding of upload requests and the
 * strict decoding of the aggregator's replies declared in wire.h.  Every
 * reply is bytes from the network: nothing is trusted, every member is
 * type-checked and length-checked before use. */
#include "wire.h"

#include <string.h>

#include "uuid.h"

enum pr_rc wire_request(json_t *records, char **out, size_t *len)
{
  json_t *o = NULL;
  enum pr_rc rc = PR_ENOMEM;

  *out = NULL;
  *len = 0;
  o = json_pack("{s:i, s:O}", "protocol", WIRE_PROTOCOL, "responses",
                records);
  if(!o)
    goto out;
  *out = json_dumps(o, JSON_COMPACT);
  if(!*out)
    goto out;
  *len = strlen(*out);
  rc = PR_OK;
out:
  json_decref(o);
  return rc;
}

static json_t *load(const char *body, size_t len, char *err)
{
  json_error_t je;
  json_t *j;
  if(!body || len == 0) {
    pr_seterr(err, "empty reply body");
    return NULL;
  }
  j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
  if(!j) {
    pr_seterr(err, "reply is not JSON (line %d: %.80s)", je.line, je.text);
    return NULL;
  }
  if(!json_is_object(j)) {
    pr_seterr(err, "reply is not a JSON object");
    json_decref(j);
    return NULL;
  }
  return j;
}


/* Printable ASCII copy: a reason from the server goes to logs and the
 * staff menu, never raw bytes. */
static void copy_printable(char *dst, size_t cap, const char *src)
{
  size_t o = 0;
  for(size_t i = 0; src[i] && o + 1 < cap; i++) {
    unsigned char c = (unsigned char)src[i];
    dst[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
  }
  dst[o] = '\0';
}

/* The array member key of reply j (what names the reply in messages),
 * at most max long, and room for as many size-byte items, zeroed, in *out
 * (the caller's, pr_free; at least one item).  PR_EPROTO with err, or
 * PR_ENOMEM; *arr, *out and *cnt are set only on PR_OK. */
static enum pr_rc reply_array(json_t *j, const char *key, size_t max,
                              size_t size, const char *what, json_t **arr,
                              void **out, size_t *cnt, char *err)
{
  json_t *a = json_object_get(j, key);
  size_t k;
  void *r;

  if(!json_is_array(a)) {
    pr_seterr(err, "%s: \"%s\" is not an array", what, key);
    return PR_EPROTO;
  }
  k = json_array_size(a);
  if(k > max) {
    pr_seterr(err, "%s: too many %s (%zu)", what, key, k);
    return PR_EPROTO;
  }
  r = pr_calloc(k ? k : 1, size);
  if(!r)
    return PR_ENOMEM;
  *arr = a;
  *out = r;
  *cnt = k;
  return PR_OK;
}

enum pr_rc wire_parse_results(const char *body, size_t len,
                              struct wire_result **out, int *n, char *err)
{
  enum pr_rc rc = PR_EPROTO;
  json_t *j = NULL, *res, *v;
  struct wire_result *r = NULL;
  void *mem = NULL;
  size_t i, cnt;

  *out = NULL;
  *n = 0;
  j = load(body, len, err);
  if(!j)
    goto out;
  v = json_object_get(j, "protocol");
  if(!json_is_integer(v) || json_integer_value(v) != WIRE_PROTOCOL) {
    pr_seterr(err, "reply: \"protocol\" is not %d", WIRE_PROTOCOL);
    goto out;
  }
  rc = reply_array(j, "results", 100000, sizeof(*r), "reply", &res, &mem,
                   &cnt, err);
  if(rc != PR_OK)
    goto out;
  r = mem;
  rc = PR_EPROTO;
  json_array_foreach(res, i, v) {
    json_t *u = json_object_get(v, "uuid"), *s = json_object_get(v, "status");
    json_t *why = json_object_get(v, "reason");
    const char *st;
    if(!json_is_object(v) || !json_is_string(u) || !json_is_string(s) ||
       (why && !json_is_string(why) && !json_is_null(why))) {
      pr_seterr(err, "reply: result %zu has wrong types", i);
      goto out;
    }
    if(!uuid_is_v4(json_string_value(u))) {
      pr_seterr(err, "reply: result %zu: uuid is malformed", i);
      goto out;
    }
    pr_strlcpy(r[i].uuid, json_string_value(u), sizeof(r[i].uuid));
    st = json_string_value(s);
    if(strcmp(st, "stored") == 0) {
      r[i].status = WIRE_STORED;
    } else if(strcmp(st, "duplicate") == 0) {
      r[i].status = WIRE_DUPLICATE;
    } else if(strcmp(st, "rejected") == 0) {
      r[i].status = WIRE_REJECTED;
      copy_printable(r[i].reason, sizeof(r[i].reason),
                     json_is_string(why) ? json_string_value(why) : "");
    } else {
      pr_seterr(err, "reply: result %zu: unknown status", i);
      goto out;
    }
  }
  *out = r;
  *n = (int)cnt;
  r = NULL;
  rc = PR_OK;
out:
  pr_free(r);
  json_decref(j);
  return rc;
}

enum pr_rc wire_parse_sets(const char *body, size_t len, struct wire_set **out,
                           int *n, char *err)
{
  enum pr_rc rc = PR_EPROTO;
  json_t *j = NULL, *arr, *v;
  struct wire_set *r = NULL;
  void *mem = NULL;
  size_t i, cnt;

  *out = NULL;
  *n = 0;
  j = load(body, len, err);
  if(!j)
    goto out;
  rc = reply_array(j, "sets", 1000, sizeof(*r), "sets reply", &arr, &mem,
                   &cnt, err);
  if(rc != PR_OK)
    goto out;
  r = mem;
  rc = PR_EPROTO;
  json_array_foreach(arr, i, v) {
    json_t *id = json_object_get(v, "id"), *ver = json_object_get(v, "version");
    json_t *sha = json_object_get(v, "sha256");
    if(!json_is_object(v) || !json_is_string(id) || !json_is_integer(ver) ||
       !qset_valid_id(json_string_value(id), QSET_ID_LEN) || json_integer_value(ver) < 1 ||
       json_integer_value(ver) > 1000000) {
      pr_seterr(err, "sets reply: set %zu: bad id or version", i);
      goto out;
    }
    pr_strlcpy(r[i].id, json_string_value(id), sizeof(r[i].id));
    r[i].version = (int)json_integer_value(ver);
    if(json_is_string(sha)) {
      const char *h = json_string_value(sha);
      size_t k;
      for(k = 0; h[k] && k < 64; k++)
        if(!((h[k] >= '0' && h[k] <= '9') || (h[k] >= 'a' && h[k] <= 'f')))
          break;
      if(k != 64 || h[64]) {
        pr_seterr(err, "sets reply: set %zu: sha256 is not 64 hex digits", i);
        goto out;
      }
      memcpy(r[i].sha256, h, 65);
    }
  }
  *out = r;
  *n = (int)cnt;
  r = NULL;
  rc = PR_OK;
out:
  pr_free(r);
  json_decref(j);
  return rc;
}

void wire_error_text(const char *body, size_t len, char *buf, size_t cap)
{
  json_t *j, *m;
  if(cap == 0)
    return;
  buf[0] = '\0';
  if(!body || len == 0)
    return;
  j = json_loadb(body, len, 0, NULL);
  if(!json_is_object(j)) {
    json_decref(j);
    return;
  }
  m = json_object_get(j, "message");
  if(!json_is_string(m))
    m = json_object_get(j, "error");
  if(json_is_string(m))
    copy_printable(buf, cap, json_string_value(m));
  json_decref(j);
}
