/* letterdb.c — This file contains the letters' tables (letterdb.h).  Ids
 * are natural keys made by the composer, so "queue once" and "alert once"
 * are PRIMARY KEY conflicts, and each state change is one committed
 * UPDATE guarded by the state it leaves. */
#include "letterdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indicq.h"

static const struct aggdb_step letter_steps[] = {
  {1,
   "CREATE TABLE IF NOT EXISTS letter_recipients ("
   " unit TEXT NOT NULL, email TEXT NOT NULL, role TEXT NOT NULL,"
   " added_at BIGINT NOT NULL, PRIMARY KEY (unit, email));"
   "CREATE TABLE IF NOT EXISTS letter_outbox ("
   " id TEXT PRIMARY KEY, kind TEXT NOT NULL, recipient TEXT NOT NULL,"
   " subject TEXT NOT NULL, message TEXT NOT NULL, state TEXT NOT NULL,"
   " attempts BIGINT NOT NULL, next_at BIGINT NOT NULL,"
   " created_at BIGINT NOT NULL, claimed_at BIGINT, sent_at BIGINT,"
   " last_error TEXT NOT NULL);"
   "CREATE INDEX IF NOT EXISTS letter_outbox_due ON letter_outbox"
   " (state, next_at);"
   "CREATE TABLE IF NOT EXISTS letter_alerts ("
   " unit TEXT NOT NULL, indicator TEXT NOT NULL, period TEXT NOT NULL,"
   " rule TEXT NOT NULL, raised_at BIGINT NOT NULL, detail TEXT NOT NULL,"
   " PRIMARY KEY (unit, indicator, period));",
   NULL, NULL},
};

enum pr_rc letterdb_migrate(struct aggdb *db, char *err)
{
  return aggdb_migrate(db, "letters", letter_steps,
                       (int)PR_ARRAY_LEN(letter_steps), err);
}

int letterdb_valid_email(const char *s)
{
  const char *at;
  size_t i, n;

  if(!s || !*s)
    return 0;
  n = strlen(s);
  if(n >= LETTERDB_EMAIL_LEN)
    return 0;
  for(i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if(ch <= ' ' || ch >= 127 || strchr("\"<>(),;:\\[]", ch))
      return 0;
  }
  at = strchr(s, '@');
  return at && at != s && at[1] && !strchr(at + 1, '@') &&
         strchr(at + 1, '.') && at[n - (size_t)(at - s) - 1] != '.';
}

enum pr_rc letterdb_recipient_add(struct aggdb *db, const char *unit,
                                  const char *email, const char *role,
                                  char *err)
{
  struct aggdb_param p[4];
  enum pr_rc rc;

  if(!unit)
    unit = "";
  if(!letterdb_valid_email(email)) {
    pr_seterr(err, "e-postadressen \"%.80s\" ser inte giltig ut",
              email ? email : "");
    return PR_EINVAL;
  }
  if(!role || (!*unit && strcmp(role, "region") != 0) ||
     (*unit && strcmp(role, "kvalitet") != 0 &&
      strcmp(role, "verksamhetschef") != 0)) {
    pr_seterr(err, "roll: en enhet har \"kvalitet\" eller "
              "\"verksamhetschef\", regionen \"region\"");
    return PR_EINVAL;
  }
  if(*unit && (rc = indicq_check_names(db, NULL, unit, err)) != PR_OK)
    return rc;
  p[0] = AGGDB_TEXT(unit);
  p[1] = AGGDB_TEXT(email);
  p[2] = AGGDB_TEXT(role);
  p[3] = AGGDB_INT((long long)pr_now());
  return aggdb_exec1(db, "INSERT INTO letter_recipients (unit, email, role,"
                     " added_at) VALUES ($1, $2, $3, $4) ON CONFLICT (unit,"
                     " email) DO UPDATE SET role = excluded.role", p, 4, NULL,
                     err);
}

enum pr_rc letterdb_recipient_remove(struct aggdb *db, const char *unit,
                                     const char *email, char *err)
{
  struct aggdb_param p[2];
  long changes = 0;
  enum pr_rc rc;

  p[0] = AGGDB_TEXT(unit ? unit : "");
  p[1] = AGGDB_TEXT(email ? email : "");
  rc = aggdb_exec1(db, "DELETE FROM letter_recipients WHERE unit = $1 AND"
                   " email = $2", p, 2, &changes, err);
  if(rc == PR_OK && changes == 0) {
    pr_seterr(err, "ingen mottagare %.80s för %s", email ? email : "",
              unit && *unit ? unit : "regionen");
    return PR_ENOTFOUND;
  }
  return rc;
}

struct rcpt_acc {
  struct letterdb_recipient *v;
  int n, cap, failed;
};

static int rcpt_row(void *ctx, int ncol, const char *const *vals,
                    const int *isnull)
{
  struct rcpt_acc *a = ctx;
  if(PR_GROW(a->v, a->n, a->cap, 16) != 0) {
    a->failed = 1;
    return 1;
  }
  memset(&a->v[a->n], 0, sizeof(a->v[0]));
  pr_strlcpy(a->v[a->n].unit, vals[0], sizeof(a->v[0].unit));
  pr_strlcpy(a->v[a->n].email, vals[1], sizeof(a->v[0].email));
  pr_strlcpy(a->v[a->n].role, vals[2], sizeof(a->v[0].role));
  a->n++;
  return 0;
}

enum pr_rc letterdb_recipients(struct aggdb *db,
                               struct letterdb_recipient **out, int *n,
                               char *err)
{
  struct rcpt_acc a = { NULL, 0, 0, 0 };
  enum pr_rc rc;

  *out = NULL;
  *n = 0;
  rc = aggdb_query1(db, "SELECT unit, email, role FROM letter_recipients"
                    " ORDER BY unit, email", NULL, 0, rcpt_row, &a, err);
  if(rc == PR_OK && a.failed)
    rc = PR_ENOMEM;
  if(rc != PR_OK) {
    pr_free(a.v);
    return rc;
  }
  *out = a.v;
  *n = a.n;
  return PR_OK;
}

enum pr_rc letterdb_enqueue(struct aggdb *db, const struct letterdb_new *msgs,
                            int n, int *fresh, const char *alert_unit,
                            const char *alert_indicator,
                            const char *alert_period, const char *alert_rule,
                            const char *alert_detail, long long now,
                            int *added, char *err)
{
  struct aggdb_conn *c = NULL;
  struct aggdb_param p[7];
  enum pr_rc rc;
  long ch = 0;
  int i;

  *added = 0;
  for(i = 0; fresh && i < n; i++)
    fresh[i] = 0;
  if((rc = aggdb_acquire(db, &c, err)) != PR_OK)
    return rc;
  if((rc = aggdb_begin(c, err)) != PR_OK)
    goto out;
  if(alert_unit) {
    p[0] = AGGDB_TEXT(alert_unit);
    p[1] = AGGDB_TEXT(alert_indicator);
    p[2] = AGGDB_TEXT(alert_period);
    p[3] = AGGDB_TEXT(alert_rule);
    p[4] = AGGDB_INT(now);
    p[5] = AGGDB_TEXT(alert_detail ? alert_detail : "");
    rc = aggdb_exec(c, "INSERT INTO letter_alerts (unit, indicator, period,"
                    " rule, raised_at, detail) VALUES ($1, $2, $3, $4, $5, $6)"
                    " ON CONFLICT (unit, indicator, period) DO NOTHING", p, 6,
                    &ch, err);
    if(rc != PR_OK || ch == 0)
      goto out;                    /* raised before: nothing to queue */
  }
  for(i = 0; i < n; i++) {
    p[0] = AGGDB_TEXT(msgs[i].id);
    p[1] = AGGDB_TEXT(msgs[i].kind);
    p[2] = AGGDB_TEXT(msgs[i].recipient);
    p[3] = AGGDB_TEXT(msgs[i].subject);
    p[4] = AGGDB_TEXT(msgs[i].message);
    p[5] = AGGDB_INT(now);
    ch = 0;
    rc = aggdb_exec(c, "INSERT INTO letter_outbox (id, kind, recipient,"
                    " subject, message, state, attempts, next_at, created_at,"
                    " last_error) VALUES ($1, $2, $3, $4, $5, 'pending', 0,"
                    " $6, $6, '') ON CONFLICT (id) DO NOTHING", p, 6, &ch, err);
    if(rc != PR_OK)
      goto out;
    *added += (int)ch;
    if(fresh)
      fresh[i] = ch > 0;
  }
  rc = aggdb_commit(c, err);
out:
  if(rc != PR_OK)
    *added = 0;
  for(i = 0; fresh && rc != PR_OK && i < n; i++)
    fresh[i] = 0;
  aggdb_rollback(c);
  aggdb_release(c);
  return rc;
}

enum pr_rc letterdb_queued(struct aggdb *db, const char *id, int *found,
                           char *err)
{
  struct aggdb_conn *c = NULL;
  struct aggdb_param p[1] = { AGGDB_TEXT(id) };
  long long v = 0;
  enum pr_rc rc;

  *found = 0;
  if((rc = aggdb_acquire(db, &c, err)) != PR_OK)
    return rc;
  rc = aggdb_query_long(c, "SELECT 1 FROM letter_outbox WHERE id = $1", p, 1,
                        &v, found, err);
  aggdb_release(c);
  return rc;
}

enum pr_rc letterdb_alert_raised(struct aggdb *db, const char *unit,
                                 const char *indicator, const char *period,
                                 int *found, char *err)
{
  struct aggdb_conn *c = NULL;
  struct aggdb_param p[3];
  long long v = 0;
  enum pr_rc rc;

  *found = 0;
  p[0] = AGGDB_TEXT(unit);
  p[1] = AGGDB_TEXT(indicator);
  p[2] = AGGDB_TEXT(period);
  if((rc = aggdb_acquire(db, &c, err)) != PR_OK)
    return rc;
  rc = aggdb_query_long(c, "SELECT 1 FROM letter_alerts WHERE unit = $1 AND"
                        " indicator = $2 AND period = $3", p, 3, &v, found,
                        err);
  aggdb_release(c);
  return rc;
}

#define MSG_COLS "id, kind, recipient, subject, state, attempts, next_at," \
                 " created_at, COALESCE(sent_at, 0), last_error"

static void fill_msg(struct letterdb_msg *m, const char *const *vals)
{
  long x;
  memset(m, 0, sizeof(*m));
  pr_strlcpy(m->id, vals[0], sizeof(m->id));
  pr_strlcpy(m->kind, vals[1], sizeof(m->kind));
  pr_strlcpy(m->recipient, vals[2], sizeof(m->recipient));
  pr_strlcpy(m->subject, vals[3], sizeof(m->subject));
  pr_strlcpy(m->state, vals[4], sizeof(m->state));
  m->attempts = pr_parse_long(vals[5], 0, 1000000, &x) == 0 ? x : 0;
  m->next_at = strtoll(vals[6], NULL, 10);
  m->created_at = strtoll(vals[7], NULL, 10);
  m->sent_at = strtoll(vals[8], NULL, 10);
  pr_strlcpy(m->last_error, vals[9], sizeof(m->last_error));
}

struct one_msg {
  struct letterdb_msg *m;
  int found, failed;
};

static int claim_row(void *ctx, int ncol, const char *const *vals,
                     const int *isnull)
{
  struct one_msg *o = ctx;
  fill_msg(o->m, vals);
  o->m->message = pr_strdup(vals[10]);
  if(!o->m->message)
    o->failed = 1;
  o->found = 1;
  return 1;
}

enum pr_rc letterdb_claim(struct aggdb *db, long long now,
                          struct letterdb_msg *out, int *found, char *err)
{
  struct aggdb_conn *c = NULL;
  struct aggdb_param p[2];
  struct one_msg o = { out, 0, 0 };
  enum pr_rc rc;
  long ch = 0;
  int tries;

  *found = 0;
  memset(out, 0, sizeof(*out));
  if((rc = aggdb_acquire(db, &c, err)) != PR_OK)
    return rc;
  /* Another process (serve and the timer) may claim the same row between
   * our SELECT and UPDATE; the guarded UPDATE tells, and we look again. */
  for(tries = 0; tries < 50; tries++) {
    o.found = 0;
    p[0] = AGGDB_INT(now);
    rc = aggdb_query(c, "SELECT " MSG_COLS ", message FROM letter_outbox"
                     " WHERE state = 'pending' AND next_at <= $1"
                     " ORDER BY next_at, id LIMIT 1", p, 1, claim_row, &o, err);
    if(rc == PR_OK && o.failed)
      rc = PR_ENOMEM;
    if(rc != PR_OK || !o.found)
      break;
    p[0] = AGGDB_TEXT(out->id);
    p[1] = AGGDB_INT(now);
    rc = aggdb_exec(c, "UPDATE letter_outbox SET state = 'sending',"
                    " claimed_at = $2 WHERE id = $1 AND state = 'pending'",
                    p, 2, &ch, err);
    if(rc != PR_OK)
      break;
    if(ch == 1) {
      pr_strlcpy(out->state, "sending", sizeof(out->state));
      *found = 1;
      break;
    }
    pr_free(out->message);
    out->message = NULL;
  }
  aggdb_release(c);
  if(rc != PR_OK || !*found) {
    pr_free(out->message);
    out->message = NULL;
    *found = 0;
  }
  return rc;
}

enum pr_rc letterdb_sent(struct aggdb *db, const char *id, long long now,
                         char *err)
{
  struct aggdb_param p[2] = { AGGDB_TEXT(id), AGGDB_INT(now) };
  return aggdb_exec1(db, "UPDATE letter_outbox SET state = 'sent',"
                     " sent_at = $2, attempts = attempts + 1, last_error = ''"
                     " WHERE id = $1 AND state = 'sending'", p, 2, NULL, err);
}

enum pr_rc letterdb_retry(struct aggdb *db, const char *id, long long next_at,
                          int give_up, const char *why, char *err)
{
  struct aggdb_param p[4];
  char w[256];

  pr_strlcpy(w, why ? why : "", sizeof(w));
  p[0] = AGGDB_TEXT(id);
  p[1] = AGGDB_INT(next_at);
  p[2] = AGGDB_TEXT(give_up ? "failed" : "pending");
  p[3] = AGGDB_TEXT(w);
  return aggdb_exec1(db, "UPDATE letter_outbox SET state = $3, next_at = $2,"
                     " attempts = attempts + 1, last_error = $4"
                     " WHERE id = $1 AND state = 'sending'", p, 4, NULL, err);
}

enum pr_rc letterdb_expire(struct aggdb *db, long long now, long stale,
                           int *n, char *err)
{
  struct aggdb_param p[1] = { AGGDB_INT(now - stale) };
  long ch = 0;
  enum pr_rc rc = aggdb_exec1(db, "UPDATE letter_outbox SET state ="
                              " 'uncertain', last_error = 'avbrutet under"
                              " sändning: kanske levererat' WHERE state ="
                              " 'sending' AND claimed_at < $1", p, 1, &ch, err);
  *n = rc == PR_OK ? (int)ch : 0;
  return rc;
}

enum pr_rc letterdb_resend(struct aggdb *db, const char *id, long long now,
                           char *err)
{
  struct aggdb_param p[2] = { AGGDB_TEXT(id), AGGDB_INT(now) };
  long ch = 0;
  enum pr_rc rc = aggdb_exec1(db, "UPDATE letter_outbox SET state ="
                              " 'pending', next_at = $2 WHERE id = $1 AND"
                              " state IN ('uncertain', 'failed')", p, 2, &ch,
                              err);
  if(rc == PR_OK && ch == 0) {
    pr_seterr(err, "inget osäkert eller misslyckat brev med id %.120s", id);
    return PR_ENOTFOUND;
  }
  return rc;
}

struct list_ctx {
  letterdb_row_fn fn;
  void *ctx;
};

static int list_row(void *ctx, int ncol, const char *const *vals,
                    const int *isnull)
{
  struct list_ctx *l = ctx;
  struct letterdb_msg m;
  fill_msg(&m, vals);
  return l->fn(l->ctx, &m);
}

enum pr_rc letterdb_list(struct aggdb *db, int max, letterdb_row_fn fn,
                         void *ctx, char *err)
{
  struct list_ctx l = { fn, ctx };
  struct aggdb_param p[1] = { AGGDB_INT(max) };
  return aggdb_query1(db, "SELECT " MSG_COLS " FROM letter_outbox ORDER BY"
                      " created_at DESC, id LIMIT $1", p, 1, list_row, &l, err);
}
