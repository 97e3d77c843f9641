/* calllist.c — This file contains the phone call list declared in
 * calllist.h: validation of entries, CSV import, the call queue, outcomes,
 * housekeeping with erasure, and the weekly statistics tables. */
#include "calllist.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callcheck.h"
#include "callstat.h"
#include "csvimp.h"
#include "hsa.h"
#include "pdate.h"

void calllist_cfg_default(struct calllist_cfg *c)
{
  c->day_from = 3;
  c->day_to = 7;
  c->max_attempts = 3;
  c->hour_from = 9 * 60;
  c->hour_to = 18 * 60;
  c->retention_days = 14;
}

/* "A-B" with A <= B, each in [lo, hi]; or "HH:MM-HH:MM" when clock. */
static int parse_range(const char *v, int clock, long lo, long hi, int *a,
                       int *b)
{
  char x[16], y[16];
  const char *dash = strchr(v, '-');
  long va, vb;
  if(!dash || (size_t)(dash - v) >= sizeof(x) || strlen(dash + 1) >= sizeof(y))
    return -1;
  memcpy(x, v, (size_t)(dash - v));
  x[dash - v] = '\0';
  pr_strlcpy(y, dash + 1, sizeof(y));
  if(clock) {
    long h1, m1, h2, m2;
    char hb[3] = {0}, mb[3] = {0};
    if(strlen(x) != 5 || x[2] != ':' || strlen(y) != 5 || y[2] != ':')
      return -1;
    memcpy(hb, x, 2); memcpy(mb, x + 3, 2);
    if(pr_parse_long(hb, 0, 24, &h1) || pr_parse_long(mb, 0, 59, &m1))
      return -1;
    memcpy(hb, y, 2); memcpy(mb, y + 3, 2);
    if(pr_parse_long(hb, 0, 24, &h2) || pr_parse_long(mb, 0, 59, &m2))
      return -1;
    va = h1 * 60 + m1;
    vb = h2 * 60 + m2;
  } else if(pr_parse_long(x, lo, hi, &va) || pr_parse_long(y, lo, hi, &vb)) {
    return -1;
  }
  if(va < lo || vb > hi || va >= vb + (clock ? 0 : 1))
    return -1;
  *a = (int)va;
  *b = (int)vb;
  return 0;
}

enum pr_rc calllist_cfg_set(struct calllist_cfg *c, const char *key,
                            const char *value, char *err)
{
  long v;
  int a, b;
  if(strcmp(key, "phone_days") == 0) {
    if(parse_range(value, 0, 0, 60, &a, &b)) {
      pr_seterr(err, "phone_days: expected FROM-TO days, e.g. 3-7");
      return PR_EINVAL;
    }
    c->day_from = a;
    c->day_to = b;
  } else if(strcmp(key, "phone_hours") == 0) {
    if(parse_range(value, 1, 0, 24 * 60, &a, &b)) {
      pr_seterr(err, "phone_hours: expected HH:MM-HH:MM, e.g. 09:00-18:00");
      return PR_EINVAL;
    }
    c->hour_from = a;
    c->hour_to = b;
  } else if(strcmp(key, "phone_max_attempts") == 0) {
    if(pr_parse_long(value, 1, 20, &v)) {
      pr_seterr(err, "phone_max_attempts: expected 1..20");
      return PR_EINVAL;
    }
    c->max_attempts = (int)v;
  } else if(strcmp(key, "phone_retention") == 0) {
    if(pr_parse_long(value, 0, 365, &v)) {
      pr_seterr(err, "phone_retention: expected 0..365 days");
      return PR_EINVAL;
    }
    c->retention_days = (int)v;
  } else {
    return PR_ENOTFOUND;
  }
  return PR_OK;
}

/* ---- schema --------------------------------------------------------- */

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS call_entry("
  " id INTEGER PRIMARY KEY,"
  " name TEXT NOT NULL, phone TEXT NOT NULL, pnr TEXT,"
  " discharge INTEGER NOT NULL,"
  " track TEXT NOT NULL, care TEXT NOT NULL, consent INTEGER NOT NULL,"
  " unit TEXT NOT NULL,"
  " attempts INTEGER NOT NULL DEFAULT 0, last_dispo TEXT,"
  " next_at INTEGER NOT NULL DEFAULT 0, final_dispo TEXT, closed_day INTEGER,"
  " sip_offered INTEGER NOT NULL DEFAULT -1,"
  " sip_accepted INTEGER NOT NULL DEFAULT -1);"
  "CREATE INDEX IF NOT EXISTS call_entry_pnr ON call_entry(pnr, discharge);"
  "CREATE INDEX IF NOT EXISTS call_entry_np ON call_entry(name, phone,"
  " discharge);"
  "CREATE TABLE IF NOT EXISTS call_stat("
  " week TEXT NOT NULL, unit TEXT NOT NULL, item TEXT NOT NULL,"
  " n INTEGER NOT NULL, PRIMARY KEY(week, unit, item));";

static enum pr_rc db_err(sqlite3 *db, const char *what, char *err)
{
  pr_seterr(err, "call list: %s: %s", what, sqlite3_errmsg(db));
  return PR_EDB;
}

static enum pr_rc init_cb(sqlite3 *db, void *ctx, char *err)
{
  (void)ctx;
  if(sqlite3_exec(db, "PRAGMA secure_delete=ON", NULL, NULL, NULL) !=
     SQLITE_OK || sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK)
    return db_err(db, "create tables", err);
  return PR_OK;
}

enum pr_rc calllist_init(struct store *s, char *err)
{
  return store_with_db(s, init_cb, NULL, err);
}

/* ---- small SQL helpers ---------------------------------------------- */

static enum pr_rc exec(sqlite3 *db, const char *sql, char *err)
{
  if(sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return db_err(db, sql, err);
  return PR_OK;
}

static void rollback(sqlite3 *db)
{
  if(!sqlite3_get_autocommit(db))
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}


#define ENTRY_COLS "id, name, phone, pnr, discharge, track, care, consent," \
  " unit, attempts, last_dispo, next_at, final_dispo, closed_day," \
  " sip_offered, sip_accepted"

static void col_text(sqlite3_stmt *st, int i, char *o, size_t cap)
{
  const unsigned char *t = sqlite3_column_text(st, i);
  pr_strlcpy(o, t ? (const char *)t : "", cap);
}

static void row_entry(sqlite3_stmt *st, struct calllist_entry *e)
{
  memset(e, 0, sizeof(*e));
  e->id = (long)sqlite3_column_int64(st, 0);
  col_text(st, 1, e->name, sizeof(e->name));
  col_text(st, 2, e->phone, sizeof(e->phone));
  col_text(st, 3, e->pnr, sizeof(e->pnr));
  e->discharge = (long)sqlite3_column_int64(st, 4);
  col_text(st, 5, e->track, sizeof(e->track));
  col_text(st, 6, e->care, sizeof(e->care));
  e->consent = sqlite3_column_int(st, 7);
  col_text(st, 8, e->unit, sizeof(e->unit));
  e->attempts = sqlite3_column_int(st, 9);
  e->last = dispo_from_code((const char *)sqlite3_column_text(st, 10));
  e->next_at = (time_t)sqlite3_column_int64(st, 11);
  e->final = dispo_from_code((const char *)sqlite3_column_text(st, 12));
  e->closed_day = sqlite3_column_type(st, 13) == SQLITE_NULL
                      ? -1 : (long)sqlite3_column_int64(st, 13);
  e->sip_offered = sqlite3_column_int(st, 14);
  e->sip_accepted = sqlite3_column_int(st, 15);
}

/* A match on the personnummer is preferred: it names the person. */
static const char dup_sql[] =
  "SELECT " ENTRY_COLS " FROM call_entry WHERE discharge = ?1 AND id != ?5"
  " AND ((?2 != '' AND pnr = ?2) OR (name = ?3 AND phone = ?4))"
  " ORDER BY (?2 != '' AND pnr = ?2) DESC, id LIMIT 1";

/* Does an entry with the same personnummer, or the same name + phone, and
 * the same discharge date exist (other than skip_id)?  st is dup_sql
 * prepared by the caller (NULL: prepared here).  1 yes (*old, may be NULL,
 * is that entry), 0 no, -1 error. */
static int is_duplicate_st(sqlite3 *db, sqlite3_stmt *st,
                           const struct calllist_entry *e, long skip_id,
                           struct calllist_entry *old)
{
  int r, own = !st;
  if(own && sqlite3_prepare_v2(db, dup_sql, -1, &st, NULL) != SQLITE_OK)
    return -1;
  sqlite3_reset(st);
  sqlite3_bind_int64(st, 1, e->discharge);
  sqlite3_bind_text(st, 2, e->pnr, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, e->name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, e->phone, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, skip_id);
  r = sqlite3_step(st);
  if(r == SQLITE_ROW && old)
    row_entry(st, old);
  if(own)
    sqlite3_finalize(st);
  else
    sqlite3_reset(st);
  return r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : -1;
}

static int is_duplicate(sqlite3 *db, const struct calllist_entry *e,
                        long skip_id)
{
  return is_duplicate_st(db, NULL, e, skip_id, NULL);
}

/* Which fields of a row taken as a duplicate differ from the entry kept:
 * "name, phone" (field names only, never their values); "" when none. */
static void dup_differences(const struct calllist_entry *row,
                            const struct calllist_entry *old, char *out,
                            size_t cap)
{
  const struct { int differs; const char *what; } f[] = {
    {strcmp(row->name, old->name) != 0, "name"},
    {strcmp(row->phone, old->phone) != 0, "phone"},
    {strcmp(row->pnr, old->pnr) != 0, "personnummer"},
    {strcmp(row->track, old->track) != 0, "track"},
    {strcmp(row->care, old->care) != 0, "care type"},
    {row->consent != old->consent, "consent"},
  };
  size_t used = 0;
  out[0] = '\0';
  for(size_t i = 0; i < PR_ARRAY_LEN(f); i++) {
    int w;
    if(!f[i].differs)
      continue;
    w = snprintf(out + used, cap - used, "%s%s", used ? ", " : "",
                 f[i].what);
    if(w < 0 || (size_t)w >= cap - used)
      break;
    used += (size_t)w;
  }
}

static int insert_entry(sqlite3_stmt *ins, const struct calllist_entry *e,
                        const char *unit)
{
  sqlite3_reset(ins);
  sqlite3_bind_text(ins, 1, e->name, -1, SQLITE_STATIC);
  sqlite3_bind_text(ins, 2, e->phone, -1, SQLITE_STATIC);
  if(e->pnr[0])
    sqlite3_bind_text(ins, 3, e->pnr, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(ins, 3);
  sqlite3_bind_int64(ins, 4, e->discharge);
  sqlite3_bind_text(ins, 5, e->track, -1, SQLITE_STATIC);
  sqlite3_bind_text(ins, 6, e->care, -1, SQLITE_STATIC);
  sqlite3_bind_int(ins, 7, e->consent);
  sqlite3_bind_text(ins, 8, unit, -1, SQLITE_STATIC);
  return sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
}

static const char insert_sql[] =
  "INSERT INTO call_entry(name, phone, pnr, discharge, track, care, consent,"
  " unit) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/* ---- import --------------------------------------------------------- */

static const char *const al_name[] = {"namn", "name", "patient",
  "patientnamn", "fullständigt namn", "full name", NULL};
static const char *const al_phone[] = {"telefon", "telefonnummer", "tel",
  "telnr", "mobil", "mobilnummer", "phone", "phone number", "telephone",
  "mobile", NULL};
static const char *const al_pnr[] = {"personnummer", "pnr", "personnr",
  "personal number", "personal identity number", "samordningsnummer",
  "person id", NULL};
static const char *const al_disch[] = {"utskrivningsdatum", "utskriven",
  "utskrivning", "utskrivningsdag", "datum för utskrivning",
  "discharge date", "discharged", "discharge", NULL};
static const char *const al_track[] = {"spår", "utskrivningsspår", "track",
  "discharge track", NULL};
static const char *const al_care[] = {"vårdtyp", "vårdform", "care type",
  "care", "type of care", NULL};
static const char *const al_consent[] = {"samtycke", "samtycker",
  "consent", NULL};

enum { COL_NAME, COL_PHONE, COL_PNR, COL_DISCH, COL_TRACK, COL_CARE,
       COL_CONSENT, COL_N };

static const struct csvimp_col import_cols[COL_N] = {
  {"namn/name", al_name, 1},
  {"telefon/phone", al_phone, 1},
  {"personnummer", al_pnr, 0},
  {"utskrivningsdatum/discharge date", al_disch, 1},
  {"spår/track", al_track, 1},
  {"vårdtyp/care type", al_care, 1},
  {"samtycke/consent", al_consent, 1},
};

struct import_ctx {
  const struct csvimp *csv;
  const char *unit;
  long today;
  int day_to;                 /* last day of the calling window */
  struct calllist_report *rep;
};

/* Append "line N: msg" to a list of at most CALLLIST_MAX_MSGS messages. */
static int add_msg(char (**msgs)[PR_ERR_LEN], int *n, long line,
                   const char *msg)
{
  if(*n >= CALLLIST_MAX_MSGS)
    return 0;
  if(!*msgs) {
    *msgs = pr_calloc(CALLLIST_MAX_MSGS, sizeof(**msgs));
    if(!*msgs)
      return -1;
  }
  snprintf((*msgs)[(*n)++], PR_ERR_LEN, "line %ld: %.220s", line, msg);
  return 0;
}

static int report_msg(struct calllist_report *rep, long line,
                      const char *msg)
{
  return add_msg(&rep->msgs, &rep->n_msgs, line, msg);
}

static enum pr_rc import_cb(sqlite3 *db, void *vctx, char *err)
{
  struct import_ctx *ic = vctx;
  struct calllist_report *rep = ic->rep;
  sqlite3_stmt *ins = NULL, *dupst = NULL;
  enum pr_rc rc = PR_EDB;
  int nrows = csvimp_rows(ic->csv);

  if(exec(db, "BEGIN IMMEDIATE", err))
    return PR_EDB;
  if(sqlite3_prepare_v2(db, insert_sql, -1, &ins, NULL) != SQLITE_OK ||
     sqlite3_prepare_v2(db, dup_sql, -1, &dupst, NULL) != SQLITE_OK) {
    rc = db_err(db, "import", err);
    goto out;
  }
  for(int r = 0; r < nrows; r++) {
    struct calllist_input in;
    struct calllist_entry e, old;
    char e2[PR_ERR_LEN];
    const char *rowerr = csvimp_row_error(ic->csv, r);
    enum pr_rc vrc;
    int dup;

    rep->rows++;
    if(rowerr) {
      rep->rejected++;
      if(report_msg(rep, csvimp_line(ic->csv, r), rowerr)) {
        rc = PR_ENOMEM;
        goto out;
      }
      continue;
    }
    in.name = csvimp_field(ic->csv, r, COL_NAME);
    in.phone = csvimp_field(ic->csv, r, COL_PHONE);
    in.pnr = csvimp_field(ic->csv, r, COL_PNR);
    in.discharge = csvimp_field(ic->csv, r, COL_DISCH);
    in.track = csvimp_field(ic->csv, r, COL_TRACK);
    in.care = csvimp_field(ic->csv, r, COL_CARE);
    in.consent = csvimp_field(ic->csv, r, COL_CONSENT);
    vrc = callcheck_entry(&in, ic->today, &e, e2);
    if(vrc == PR_OK && ic->today - e.discharge > ic->day_to) {
      snprintf(e2, sizeof(e2), "discharge date: day %ld after discharge, "
               "the calling window ended on day %d", ic->today - e.discharge,
               ic->day_to);
      vrc = PR_EINVAL;
    }
    if(vrc) {
      rep->rejected++;
      if(report_msg(rep, csvimp_line(ic->csv, r), e2)) {
        rc = PR_ENOMEM;
        goto out;
      }
      continue;
    }
    dup = is_duplicate_st(db, dupst, &e, -1, &old);
    if(dup < 0) {
      rc = db_err(db, "import", err);
      goto out;
    }
    if(dup) {
      char diff[96];
      rep->duplicates++;
      /* Same person and discharge, other details: the list keeps what it
       * has, and the coordinator is told where to look. */
      dup_differences(&e, &old, diff, sizeof(diff));
      if(diff[0]) {
        int w = snprintf(e2, sizeof(e2), "same %s and discharge date as "
                         "an entry already listed, but another %s; the "
                         "entry was kept as it is (calls fix corrects it)",
                         e.pnr[0] && strcmp(e.pnr, old.pnr) == 0
                             ? "personnummer" : "name and phone", diff);
        (void)w;                /* < 200 bytes: fits */
        rep->warned++;
        if(add_msg(&rep->warns, &rep->n_warns, csvimp_line(ic->csv, r),
                   e2)) {
          rc = PR_ENOMEM;
          goto out;
        }
      }
      continue;
    }
    if(insert_entry(ins, &e, ic->unit)) {
      rc = db_err(db, "import", err);
      goto out;
    }
    rep->added++;
  }
  rc = callstat_add(db, ic->today, ic->unit, "entries", rep->added, err);
  if(rc)
    goto out;
  rc = exec(db, "COMMIT", err);
out:
  sqlite3_finalize(ins);
  sqlite3_finalize(dupst);
  if(rc)
    rollback(db);
  return rc;
}

void calllist_report_free(struct calllist_report *r)
{
  if(!r)
    return;
  pr_free(r->msgs);
  pr_free(r->warns);
  memset(r, 0, sizeof(*r));
}

/* 1 (with err) when unit is not an HSA-id: caught before anything is
 * read or stored, not in the middle of an interview. */
static int unit_bad(const char *unit, char *err)
{
  if(hsa_valid(unit))
    return 0;
  pr_seterr(err, "unit \"%.40s\" is not an HSA-id (like %s)",
            unit ? unit : "", HSA_EXAMPLE);
  return 1;
}

static enum pr_rc import_csv(struct store *s, struct csvimp *csv,
                             const char *unit,
                             const struct calllist_cfg *cfg, time_t now,
                             struct calllist_report *rep, char *err)
{
  struct calllist_cfg def;
  struct import_ctx ic;
  if(!cfg) {
    calllist_cfg_default(&def);
    cfg = &def;
  }
  ic.csv = csv;
  ic.unit = unit;
  ic.today = pdate_local_today(now);
  ic.day_to = cfg->day_to;
  ic.rep = rep;
  enum pr_rc rc;
  pr_strlcpy(rep->encoding, csvimp_encoding(csv), sizeof(rep->encoding));
  rep->sep = csvimp_separator(csv);
  rc = store_with_db(s, import_cb, &ic, err);
  if(rc)
    calllist_report_free(rep);
  else
    pr_log(PR_LOG_INFO, "calls_import", "rows=%d added=%d duplicates=%d "
           "differing=%d rejected=%d", rep->rows, rep->added,
           rep->duplicates, rep->warned, rep->rejected);
  return rc;
}

enum pr_rc calllist_import_buffer(struct store *s, const char *name,
                                  const char *buf, size_t len,
                                  const char *unit,
                                  const struct calllist_cfg *cfg, time_t now,
                                  struct calllist_report *rep, char *err)
{
  struct csvimp *csv = NULL;
  enum pr_rc rc;
  memset(rep, 0, sizeof(*rep));
  if(unit_bad(unit, err))
    return PR_EINVAL;
  rc = csvimp_parse(name, buf, len, import_cols, COL_N, &csv, err);
  if(rc)
    return rc;
  rc = import_csv(s, csv, unit, cfg, now, rep, err);
  csvimp_free(csv);
  return rc;
}

enum pr_rc calllist_import_file(struct store *s, const char *path,
                                const char *unit,
                                const struct calllist_cfg *cfg, time_t now,
                                struct calllist_report *rep, char *err)
{
  struct csvimp *csv = NULL;
  enum pr_rc rc;
  memset(rep, 0, sizeof(*rep));
  if(unit_bad(unit, err))
    return PR_EINVAL;
  rc = csvimp_read_file(path, import_cols, COL_N, &csv, err);
  if(rc)
    return rc;
  rc = import_csv(s, csv, unit, cfg, now, rep, err);
  csvimp_free(csv);
  return rc;
}

/* ---- add / update / get --------------------------------------------- */

struct one_ctx {
  struct calllist_entry e;
  const char *unit;
  long id;
  long today;
};

static enum pr_rc add_cb(sqlite3 *db, void *vctx, char *err)
{
  struct one_ctx *oc = vctx;
  sqlite3_stmt *ins = NULL;
  enum pr_rc rc = PR_EDB;
  int dup;

  if(exec(db, "BEGIN IMMEDIATE", err))
    return PR_EDB;
  dup = is_duplicate(db, &oc->e, -1);
  if(dup) {
    if(dup < 0)
      rc = db_err(db, "add", err);
    else {
      pr_seterr(err, "the list already has this person with the same "
                "discharge date");
      rc = PR_ECONFLICT;
    }
    goto out;
  }
  if(sqlite3_prepare_v2(db, insert_sql, -1, &ins, NULL) != SQLITE_OK ||
     insert_entry(ins, &oc->e, oc->unit)) {
    rc = db_err(db, "add", err);
    goto out;
  }
  oc->id = (long)sqlite3_last_insert_rowid(db);
  rc = callstat_add(db, oc->today, oc->unit, "entries", 1, err);
  if(!rc)
    rc = exec(db, "COMMIT", err);
out:
  sqlite3_finalize(ins);
  if(rc)
    rollback(db);
  return rc;
}

enum pr_rc calllist_add(struct store *s, const struct calllist_input *in,
                        const char *unit, time_t now, long *id, char *err)
{
  struct one_ctx oc;
  enum pr_rc rc;
  memset(&oc, 0, sizeof(oc));
  *id = 0;
  if(unit_bad(unit, err))
    return PR_EINVAL;
  oc.today = pdate_local_today(now);
  oc.unit = unit;
  rc = callcheck_entry(in, oc.today, &oc.e, err);
  if(rc)
    return rc;
  rc = store_with_db(s, add_cb, &oc, err);
  if(!rc)
    *id = oc.id;
  return rc;
}

/* Load entry id into *e (PR_ENOTFOUND when absent). */
static enum pr_rc load_entry(sqlite3 *db, long id, struct calllist_entry *e,
                             char *err)
{
  sqlite3_stmt *st = NULL;
  enum pr_rc rc = PR_EDB;
  int r;
  if(sqlite3_prepare_v2(db, "SELECT " ENTRY_COLS " FROM call_entry WHERE"
                        " id = ?1", -1, &st, NULL) != SQLITE_OK)
    return db_err(db, "get", err);
  sqlite3_bind_int64(st, 1, id);
  r = sqlite3_step(st);
  if(r == SQLITE_ROW) {
    row_entry(st, e);
    rc = PR_OK;
  } else if(r == SQLITE_DONE) {
    pr_seterr(err, "call entry %ld does not exist", id);
    rc = PR_ENOTFOUND;
  } else {
    rc = db_err(db, "get", err);
  }
  sqlite3_finalize(st);
  return rc;
}

static enum pr_rc update_cb(sqlite3 *db, void *vctx, char *err)
{
  static const char sql[] =
    "UPDATE call_entry SET name = ?1, phone = ?2, pnr = ?3, discharge = ?4,"
    " track = ?5, care = ?6, consent = ?7 WHERE id = ?8";
  struct one_ctx *oc = vctx;
  sqlite3_stmt *st = NULL;
  enum pr_rc rc = PR_EDB;
  int dup;
  struct calllist_entry old;

  if(exec(db, "BEGIN IMMEDIATE", err))
    return PR_EDB;
  rc = load_entry(db, oc->id, &old, err);
  if(rc)
    goto out;
  rc = PR_EDB;
  dup = is_duplicate(db, &oc->e, oc->id);
  if(dup) {
    if(dup < 0)
      rc = db_err(db, "update", err);
    else {
      pr_seterr(err, "another entry has this person with the same "
                "discharge date");
      rc = PR_ECONFLICT;
    }
    goto out;
  }
  if(sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    rc = db_err(db, "update", err);
    goto out;
  }
  sqlite3_bind_text(st, 1, oc->e.name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, oc->e.phone, -1, SQLITE_STATIC);
  if(oc->e.pnr[0])
    sqlite3_bind_text(st, 3, oc->e.pnr, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(st, 3);
  sqlite3_bind_int64(st, 4, oc->e.discharge);
  sqlite3_bind_text(st, 5, oc->e.track, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, oc->e.care, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 7, oc->e.consent);
  sqlite3_bind_int64(st, 8, oc->id);
  if(sqlite3_step(st) != SQLITE_DONE) {
    rc = db_err(db, "update", err);
    goto out;
  }
  if(sqlite3_changes(db) != 1) {
    pr_seterr(err, "call entry %ld does not exist", oc->id);
    rc = PR_ENOTFOUND;
    goto out;
  }
  rc = exec(db, "COMMIT", err);
out:
  sqlite3_finalize(st);
  if(rc)
    rollback(db);
  return rc;
}

enum pr_rc calllist_update(struct store *s, long id,
                           const struct calllist_input *in, time_t now,
                           char *err)
{
  struct one_ctx oc;
  enum pr_rc rc;
  memset(&oc, 0, sizeof(oc));
  oc.today = pdate_local_today(now);
  oc.id = id;
  rc = callcheck_entry(in, oc.today, &oc.e, err);
  if(rc)
    return rc;
  return store_with_db(s, update_cb, &oc, err);
}

static enum pr_rc get_cb(sqlite3 *db, void *vctx, char *err)
{
  struct one_ctx *oc = vctx;
  return load_entry(db, oc->id, &oc->e, err);
}

enum pr_rc calllist_get(struct store *s, long id, struct calllist_entry *out,
                        char *err)
{
  struct one_ctx oc;
  enum pr_rc rc;
  memset(&oc, 0, sizeof(oc));
  memset(out, 0, sizeof(*out));
  oc.id = id;
  rc = store_with_db(s, get_cb, &oc, err);
  if(!rc)
    *out = oc.e;
  return rc;
}

/* ---- lists and the queue -------------------------------------------- */

struct list_ctx {
  const char *where;        /* "AND ..." or "" */
  const char *unit;         /* NULL: every unit */
  struct calllist_entry *v;
  int n;
};

static enum pr_rc list_cb(sqlite3 *db, void *vctx, char *err)
{
  struct list_ctx *lc = vctx;
  sqlite3_stmt *st = NULL;
  char sql[512];
  int cap = 0, r;
  enum pr_rc rc = PR_EDB;

  if(snprintf(sql, sizeof(sql), "SELECT " ENTRY_COLS " FROM call_entry"
              " WHERE (?1 IS NULL OR unit = ?1) %s ORDER BY id", lc->where)
     >= (int)sizeof(sql))
    return PR_EINTERNAL;
  if(sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    return db_err(db, "list", err);
  if(lc->unit)
    sqlite3_bind_text(st, 1, lc->unit, -1, SQLITE_STATIC);
  while((r = sqlite3_step(st)) == SQLITE_ROW) {
    if(lc->n == cap) {
      int ncap = cap ? cap * 2 : 32;
      struct calllist_entry *p = pr_realloc(lc->v, (size_t)ncap *
                                            sizeof(*p));
      if(!p) {
        rc = PR_ENOMEM;
        goto out;
      }
      lc->v = p;
      cap = ncap;
    }
    row_entry(st, &lc->v[lc->n++]);
  }
  if(r != SQLITE_DONE) {
    rc = db_err(db, "list", err);
    goto out;
  }
  rc = PR_OK;
out:
  sqlite3_finalize(st);
  return rc;
}

static enum pr_rc list_where(struct store *s, const char *where,
                             const char *unit, struct calllist_entry **out,
                             int *n, char *err)
{
  struct list_ctx lc = {where, unit, NULL, 0};
  enum pr_rc rc = store_with_db(s, list_cb, &lc, err);
  *out = NULL;
  *n = 0;
  if(rc) {
    pr_free(lc.v);
    return rc;
  }
  *out = lc.v;
  *n = lc.n;
  return PR_OK;
}

enum pr_rc calllist_all(struct store *s, struct calllist_entry **out,
                        int *n, char *err)
{
  return list_where(s, "", NULL, out, n, err);
}

enum pr_rc calllist_for_unit(struct store *s, const char *unit,
                             struct calllist_entry **out, int *n, char *err)
{
  return list_where(s, "", unit, out, n, err);
}

static int track_rank(const char *t)
{
  if(strcmp(t, "rod") == 0)
    return 0;
  if(strcmp(t, "gul") == 0)
    return 1;
  return 2;
}

/* A due call-back sorts before everything else, earliest first. */
static int queue_cmp(const void *a, const void *b)
{
  const struct calllist_entry *x = a, *y = b;
  int cx = x->last == DISPO_CALLBACK, cy = y->last == DISPO_CALLBACK;
  if(cx != cy)
    return cy - cx;
  if(cx && x->next_at != y->next_at)
    return x->next_at < y->next_at ? -1 : 1;
  if(track_rank(x->track) != track_rank(y->track))
    return track_rank(x->track) - track_rank(y->track);
  if(x->discharge != y->discharge)
    return x->discharge < y->discharge ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static int minute_of_day(time_t now)
{
  struct tm tm;
  if(!localtime_r(&now, &tm))
    return 0;
  return tm.tm_hour * 60 + tm.tm_min;
}

enum pr_rc calllist_queue(struct store *s, const struct calllist_cfg *cfg,
                          const char *unit, time_t now,
                          struct calllist_entry **out, int *n, int *closed,
                          char *err)
{
  struct calllist_entry *v = NULL;
  int nv = 0, k = 0, mod = minute_of_day(now);
  long today = pdate_local_today(now);
  enum pr_rc rc;

  *out = NULL;
  *n = 0;
  if(closed)
    *closed = 0;
  if(mod < cfg->hour_from || mod >= cfg->hour_to) {
    if(closed)
      *closed = 1;
    return PR_OK;
  }
  rc = list_where(s, "AND closed_day IS NULL AND consent = 1", unit, &v,
                  &nv, err);
  if(rc)
    return rc;
  for(int i = 0; i < nv; i++) {
    const struct calllist_entry *e = &v[i];
    long day = today - e->discharge;
    int ok;
    if(e->last == DISPO_CALLBACK)
      ok = e->next_at <= now;      /* agreed with the person: any day */
    else
      ok = day >= cfg->day_from && day <= cfg->day_to &&
           e->next_at <= now && e->attempts < cfg->max_attempts;
    if(ok)
      v[k++] = v[i];
  }
  if(k > 1)
    qsort(v, (size_t)k, sizeof(*v), queue_cmp);
  if(k == 0) {
    pr_free(v);
    v = NULL;
  }
  *out = v;
  *n = k;
  return PR_OK;
}

/* ---- outcomes ------------------------------------------------------- */

/* The closing day kept on an entry: the Monday of its week, as coarse as
 * the phone response's date (store_begin), so that neither the day nor
 * the order of closing within a week joins an entry to its answers.
 * Retention counts from it: personal data goes retention_days after that
 * Monday, which is never later than retention_days after the outcome. */
static long closing_day(long today)
{
  return pdate_monday(today);
}

struct rec_ctx {
  const struct calllist_cfg *cfg;
  long id;
  enum dispo d;
  time_t callback_at, now;
  enum dispo final;
  int offered, accepted;
};

static enum pr_rc record_cb(sqlite3 *db, void *vctx, char *err)
{
  static const char sql[] =
    "UPDATE call_entry SET attempts = attempts + 1, last_dispo = ?1,"
    " next_at = ?2, final_dispo = ?3, closed_day = ?4 WHERE id = ?5";
  struct rec_ctx *rc_ = vctx;
  struct calllist_entry e;
  sqlite3_stmt *st = NULL;
  long today = pdate_local_today(rc_->now);
  time_t next_at = 0;
  enum pr_rc rc = PR_EDB;

  if(exec(db, "BEGIN IMMEDIATE", err))
    return PR_EDB;
  rc = load_entry(db, rc_->id, &e, err);
  if(rc)
    goto out;
  if(e.closed_day >= 0) {
    pr_seterr(err, "call entry %ld already has its final outcome",
              rc_->id);
    rc = PR_EINVAL;
    goto out;
  }
  rc_->final = dispo_apply(rc_->d, e.attempts, rc_->cfg->max_attempts,
                           rc_->now, rc_->callback_at, &next_at);
  rc = PR_EDB;
  if(sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    rc = db_err(db, "record", err);
    goto out;
  }
  sqlite3_bind_text(st, 1, dispo_info(rc_->d)->code, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, (sqlite3_int64)next_at);
  if(rc_->final) {
    sqlite3_bind_text(st, 3, dispo_info(rc_->final)->code, -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, closing_day(today));
  }
  sqlite3_bind_int64(st, 5, rc_->id);
  if(sqlite3_step(st) != SQLITE_DONE) {
    rc = db_err(db, "record", err);
    goto out;
  }
  rc = callstat_add(db, today, e.unit, "attempts", 1, err);
  if(!rc && rc_->final)
    rc = callstat_add(db, today, e.unit, dispo_info(rc_->final)->code, 1, err);
  if(!rc)
    rc = exec(db, "COMMIT", err);
out:
  sqlite3_finalize(st);
  if(rc)
    rollback(db);
  return rc;
}

enum pr_rc calllist_record(struct store *s, const struct calllist_cfg *cfg,
                           long id, enum dispo d, time_t callback_at,
                           time_t now, enum dispo *final, char *err)
{
  struct rec_ctx c;
  enum pr_rc rc;
  if(final)
    *final = DISPO_NONE;
  if(!dispo_info(d) || d == DISPO_NOTREACHED) {
    pr_seterr(err, "not an outcome a call can have");
    return PR_EINVAL;
  }
  if(d == DISPO_CALLBACK && callback_at <= now) {
    pr_seterr(err, "the call-back time must be in the future");
    return PR_EINVAL;
  }
  memset(&c, 0, sizeof(c));
  c.cfg = cfg;
  c.id = id;
  c.d = d;
  c.callback_at = callback_at;
  c.now = now;
  rc = store_with_db(s, record_cb, &c, err);
  if(!rc) {
    pr_log(PR_LOG_INFO, "call_outcome", "entry=%ld outcome=%s final=%s", id,
           dispo_info(d)->code, c.final ? dispo_info(c.final)->code : "-");
    if(final)
      *final = c.final;
  }
  return rc;
}

static enum pr_rc sip_cb(sqlite3 *db, void *vctx, char *err)
{
  struct rec_ctx *c = vctx;
  struct calllist_entry e;
  sqlite3_stmt *st = NULL;
  long today = pdate_local_today(c->now);
  enum pr_rc rc;

  if(exec(db, "BEGIN IMMEDIATE", err))
    return PR_EDB;
  rc = load_entry(db, c->id, &e, err);
  if(rc)
    goto out;
  rc = PR_EDB;
  if(sqlite3_prepare_v2(db, "UPDATE call_entry SET sip_offered = ?1,"
                        " sip_accepted = ?2 WHERE id = ?3", -1, &st,
                        NULL) != SQLITE_OK) {
    rc = db_err(db, "sip", err);
    goto out;
  }
  sqlite3_bind_int(st, 1, c->offered);
  sqlite3_bind_int(st, 2, c->accepted);
  sqlite3_bind_int64(st, 3, c->id);
  if(sqlite3_step(st) != SQLITE_DONE) {
    rc = db_err(db, "sip", err);
    goto out;
  }
  /* Count the change only, so correcting the answer does not count twice. */
  rc = callstat_add(db, today, e.unit, "sip_offered",
                (c->offered == 1) - (e.sip_offered == 1), err);
  if(!rc)
    rc = callstat_add(db, today, e.unit, "sip_accepted",
                  (c->accepted == 1) - (e.sip_accepted == 1), err);
  if(!rc)
    rc = exec(db, "COMMIT", err);
out:
  sqlite3_finalize(st);
  if(rc)
    rollback(db);
  return rc;
}

enum pr_rc calllist_set_sip(struct store *s, long id, int offered,
                            int accepted, time_t now, char *err)
{
  struct rec_ctx c;
  if(offered < 0 || offered > 1 || accepted < 0 || accepted > 1 ||
     (accepted && !offered)) {
    pr_seterr(err, "SIP: accepted needs offered; values are 0 or 1");
    return PR_EINVAL;
  }
  memset(&c, 0, sizeof(c));
  c.id = id;
  c.now = now;
  c.offered = offered;
  c.accepted = accepted;
  return store_with_db(s, sip_cb, &c, err);
}

/* ---- housekeeping and erasure --------------------------------------- */

struct hk_ctx {
  const struct calllist_cfg *cfg;
  time_t now;
  long id;          /* erase: this id */
  int closed, erased;
};

/* After deleting personal data: copy the WAL into the main file and cut
 * the WAL to zero bytes, so no old page with a name survives in it; with
 * secure_delete the freed space in the main file is already zeroed. */
static enum pr_rc wipe_wal(sqlite3 *db, char *err)
{
  int logn = 0, ckpt = 0;
  if(sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &logn,
                               &ckpt) != SQLITE_OK)
    return db_err(db, "checkpoint", err);
  return PR_OK;
}

static enum pr_rc housekeep_cb(sqlite3 *db, void *vctx, char *err)
{
  struct hk_ctx *h = vctx;
  long today = pdate_local_today(h->now);
  sqlite3_stmt *st = NULL;
  enum pr_rc rc = PR_EDB;
  int r;

  if(exec(db, "PRAGMA secure_delete=ON", err) ||
     exec(db, "BEGIN IMMEDIATE", err))
    return PR_EDB;
  /* 1. Window passed without a final outcome: not reached (with consent)
   * or simply closed (no consent: never called, no outcome counted).  A
   * call-back agreed for later keeps the entry open until a day after. */
  if(sqlite3_prepare_v2(db, "SELECT id, unit, consent FROM call_entry"
                        " WHERE closed_day IS NULL AND discharge + ?1 < ?2"
                        " AND NOT (last_dispo = 'callback' AND"
                        " next_at > ?3)", -1, &st, NULL) != SQLITE_OK)
    goto dberr;
  sqlite3_bind_int(st, 1, h->cfg->day_to);
  sqlite3_bind_int64(st, 2, today);
  sqlite3_bind_int64(st, 3, (sqlite3_int64)h->now - 86400);
  while((r = sqlite3_step(st)) == SQLITE_ROW) {
    long id = (long)sqlite3_column_int64(st, 0);
    char unit[STORE_UNIT_LEN], upd[160];
    int consent = sqlite3_column_int(st, 2);
    col_text(st, 1, unit, sizeof(unit));
    snprintf(upd, sizeof(upd), "UPDATE call_entry SET closed_day = %ld%s"
             " WHERE id = %ld", closing_day(today),
             consent ? ", final_dispo = 'notreached'" : "", id);
    if(exec(db, upd, err))
      goto out;
    if(consent && callstat_add(db, today, unit, "notreached", 1, err))
      goto out;
    h->closed++;
  }
  if(r != SQLITE_DONE)
    goto dberr;
  sqlite3_finalize(st);
  st = NULL;
  /* 2. Erase personal data after the retention period. */
  if(sqlite3_prepare_v2(db, "DELETE FROM call_entry WHERE closed_day IS NOT"
                        " NULL AND closed_day + ?1 <= ?2", -1, &st,
                        NULL) != SQLITE_OK)
    goto dberr;
  sqlite3_bind_int(st, 1, h->cfg->retention_days);
  sqlite3_bind_int64(st, 2, today);
  if(sqlite3_step(st) != SQLITE_DONE)
    goto dberr;
  h->erased = sqlite3_changes(db);
  sqlite3_finalize(st);
  st = NULL;
  if(exec(db, "COMMIT", err))
    goto out;
  rc = h->erased ? wipe_wal(db, err) : PR_OK;
  goto out;
dberr:
  rc = db_err(db, "housekeeping", err);
out:
  sqlite3_finalize(st);
  if(rc)
    rollback(db);
  return rc;
}

enum pr_rc calllist_housekeep(struct store *s, const struct calllist_cfg *cfg,
                              time_t now, int *closed, int *erased,
                              char *err)
{
  struct hk_ctx h;
  enum pr_rc rc;
  memset(&h, 0, sizeof(h));
  h.cfg = cfg;
  h.now = now;
  rc = store_with_db(s, housekeep_cb, &h, err);
  if(closed)
    *closed = rc ? 0 : h.closed;
  if(erased)
    *erased = rc ? 0 : h.erased;
  if(!rc && (h.closed || h.erased))
    pr_log(PR_LOG_INFO, "calls_housekeep", "closed=%d erased=%d", h.closed,
           h.erased);
  return rc;
}

static enum pr_rc erase_cb(sqlite3 *db, void *vctx, char *err)
{
  struct hk_ctx *h = vctx;
  sqlite3_stmt *st = NULL;
  enum pr_rc rc = PR_EDB;
  if(exec(db, "PRAGMA secure_delete=ON", err))
    return PR_EDB;
  if(sqlite3_prepare_v2(db, "DELETE FROM call_entry WHERE id = ?1", -1, &st,
                        NULL) != SQLITE_OK)
    return db_err(db, "erase", err);
  sqlite3_bind_int64(st, 1, h->id);
  if(sqlite3_step(st) != SQLITE_DONE) {
    rc = db_err(db, "erase", err);
  } else if(sqlite3_changes(db) != 1) {
    pr_seterr(err, "call entry %ld does not exist", h->id);
    rc = PR_ENOTFOUND;
  } else {
    rc = wipe_wal(db, err);
  }
  sqlite3_finalize(st);
  return rc;
}

enum pr_rc calllist_erase(struct store *s, long id, char *err)
{
  struct hk_ctx h;
  enum pr_rc rc;
  memset(&h, 0, sizeof(h));
  h.id = id;
  rc = store_with_db(s, erase_cb, &h, err);
  if(!rc)
    pr_log(PR_LOG_INFO, "calls_erase", "entry=%ld", id);
  return rc;
}
