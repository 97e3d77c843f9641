/* wire.h — the client side of the sync protocol's bodies (sync/PROTOCOL.md):
 * build the upload request from anonymised records and decode, strictly,
 * the server's per-uuid results, the list of current question sets and
 * error bodies.  No network, no store: bytes in, structs out. */
#ifndef WIRE_H
#define WIRE_H

#include <jansson.h>
#include <stddef.h>

#include "pr.h"
#include "qset.h"

#define WIRE_PROTOCOL 1
#define WIRE_UUID_LEN 37
#define WIRE_REASON_LEN 160

enum wire_status { WIRE_STORED = 1, WIRE_DUPLICATE, WIRE_REJECTED };

struct wire_result {
  char uuid[WIRE_UUID_LEN];
  enum wire_status status;
  char reason[WIRE_REASON_LEN];  /* "" unless rejected */
};

struct wire_set {
  char id[QSET_ID_LEN];
  int version;
  char sha256[65];               /* lower-case hex, "" when not given */
};

/* The request body {"protocol":1,"responses":records} as a compact JSON
 * string.  records (a JSON array of anon_response objects) is borrowed.
 * *out is the caller's (pr_free; jansson allocates through pr_malloc);
 * NULL on failure (PR_ENOMEM). */
enum pr_rc wire_request(json_t *records, char **out, size_t *len) PR_MUST;

/* Decode an upload reply.  It must be a JSON object with "protocol": 1 and
 * "results": an array of {uuid, status[, reason]} with status one of
 * stored/duplicate/rejected.  Anything else (HTML, truncated JSON, wrong
 * types, an unknown status) is PR_EPROTO with err saying what; extra
 * members are tolerated.  *out is an array of *n, the caller's (pr_free);
 * NULL on failure. */
enum pr_rc wire_parse_results(const char *body, size_t len,
                              struct wire_result **out, int *n,
                              char *err) PR_MUST;

/* Decode GET /api/v1/sets: {"sets": [{"id", "version", "sha256"}]}.  Ids
 * must be safe file-name parts ([a-z0-9_-]); versions >= 1.  PR_EPROTO on
 * any deviation.  *out is an array of *n, the caller's (pr_free). */
enum pr_rc wire_parse_sets(const char *body, size_t len, struct wire_set **out,
                           int *n, char *err) PR_MUST;

/* The "message" (or "error") of an error body {"error","message"}, copied
 * into buf, printable ASCII only; "" when the body is not of that shape. */
void wire_error_text(const char *body, size_t len, char *buf, size_t cap);

#endif
