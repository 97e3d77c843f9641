/* samvweb_int.h — what the collaboration follow-up's two page modules
 * share (samvweb.c: helpers, landing page, compilation; samvform.c: the
 * meeting form): the meeting types, who is asking, CSRF, page frame.
 * Internal to those two files. */
#ifndef SAMVWEB_INT_H
#define SAMVWEB_INT_H

#include "aggsrv.h"
#include "auth.h"
#include "dashbuf.h"
#include "qset.h"

#define SAMVWEB_MAX_TYPES 16
#define SAMVWEB_CSP "default-src 'none'; style-src 'unsafe-inline'; " \
                    "img-src 'self' data:; form-action 'self'; " \
                    "frame-ancestors 'none'"

/* The published meeting forms (sets whose questions are all "meeting"),
 * borrowed from the server's set cache. */
struct samvweb_types {
  const struct qset *set[SAMVWEB_MAX_TYPES];
  int n;
};
enum pr_rc samvweb_meeting_types(struct agg_server *s,
                                 struct samvweb_types *t, char *err) PR_MUST;
const struct qset *samvweb_find_type(const struct samvweb_types *t,
                                     const char *id);
/* A given version of a set, or NULL. */
const struct qset *samvweb_set_version(struct agg_server *s, const char *id,
                                       int version);
/* The CSRF value of a session id. */
void samvweb_csrf_of(const char *session, char out[AUTH_TOKEN_LEN]);
/* Answer status (403/400) with msg and write "denied" to the audit log. */
void samvweb_deny(struct agg_server *s, struct agg_resp *rs,
                  const struct auth_principal *p, const char *route,
                  int status, const char *msg);
/* Signed in (session; an API token only when tok_ok)?  0, or -1 after
 * answering (303 to /login for pages, else 401). */
int samvweb_who(struct agg_server *s, struct agg_req *rq, struct agg_resp *rs,
                struct auth_principal *p, int page, int tok_ok);
/* A unit account naming another unit= is refused (403); 0 / -1. */
int samvweb_unit_arg_ok(struct agg_server *s, struct agg_req *rq,
                        struct agg_resp *rs, const struct auth_principal *p,
                        const char *route);
/* "2025" -> 2025 (2000..2100); empty: the follow-up year of today. */
int samvweb_parse_year(const char *v, int *out);
int samvweb_this_year(void);
/* The year= argument and the meeting types; 0, or -1 after answering (400
 * for a bad year, 503/500 for the database). */
int samvweb_year_and_types(struct agg_server *s, struct agg_req *rq,
                           struct agg_resp *rs, int *year,
                           struct samvweb_types *t);
/* The page frame: head, header with menu and sign-out, <main>. */
void samvweb_page_head(struct dashbuf *b, const char *title,
                       const struct auth_principal *p);
/* Close <main>, answer status with the page, CSP, no-store. */
void samvweb_page_send(struct agg_resp *rs, struct dashbuf *b, int status);
void samvweb_hidden(struct dashbuf *b, const char *name, const char *value);
/* csrf, type and year as hidden inputs. */
void samvweb_hidden_common(struct dashbuf *b, const char *csrf,
                           const char *type, int year);

#endif
