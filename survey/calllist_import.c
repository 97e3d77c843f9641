/* calllist_import.c — This file contains how entries come into the call
 * list (calllist.h): a CSV list imported in one transaction (columns by
 * Swedish or English header, bad rows reported by line, duplicates kept
 * out with a warning naming the fields that differ), one entry typed by
 * hand, and corrections.  What is typed is checked by callcheck.c. */
#include "calllist.h"

#include <stdio.h>
#include <string.h>

#include "callcheck.h"
#include "calllist_db.h"
#include "callstat.h"
#include "csvimp.h"
#include "hsa.h"
#include "pdate.h"

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
  sqlite3_stmt *dupst = NULL;
  enum pr_rc rc;
  int nrows = csvimp_rows(ic->csv);

  if((rc = calllist_db_begin(db, err)) != PR_OK)
    return rc;
  if((rc = calllist_db_dup_prepare(db, &dupst, err)) != PR_OK)
    goto out;
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
    dup = calllist_db_duplicate(db, dupst, &e, -1, &old);
    if(dup < 0) {
      rc = calllist_db_err(db, "import", err);
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
    if((rc = calllist_db_insert(db, &e, ic->unit, err)) != PR_OK)
      goto out;
    rep->added++;
  }
  rc = callstat_add(db, ic->today, ic->unit, "entries", rep->added, err);
out:
  sqlite3_finalize(dupst);
  return calllist_db_end(db, rc, err);
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

/* The rest of an import once the file was read into *csv (rc: how that
 * went; *csv is taken by pointer because C leaves the order in which the
 * caller's arguments are evaluated open). */
static enum pr_rc import_parsed(struct store *s, enum pr_rc rc,
                                struct csvimp **csv, const char *unit,
                                const struct calllist_cfg *cfg, time_t now,
                                struct calllist_report *rep, char *err)
{
  if(rc == PR_OK)
    rc = import_csv(s, *csv, unit, cfg, now, rep, err);
  csvimp_free(*csv);
  *csv = NULL;
  return rc;
}

enum pr_rc calllist_import_buffer(struct store *s, const char *name,
                                  const char *buf, size_t len,
                                  const char *unit,
                                  const struct calllist_cfg *cfg, time_t now,
                                  struct calllist_report *rep, char *err)
{
  struct csvimp *csv = NULL;
  memset(rep, 0, sizeof(*rep));
  if(unit_bad(unit, err))
    return PR_EINVAL;
  return import_parsed(s, csvimp_parse(name, buf, len, import_cols, COL_N,
                                       &csv, err),
                       &csv, unit, cfg, now, rep, err);
}

enum pr_rc calllist_import_file(struct store *s, const char *path,
                                const char *unit,
                                const struct calllist_cfg *cfg, time_t now,
                                struct calllist_report *rep, char *err)
{
  struct csvimp *csv = NULL;
  memset(rep, 0, sizeof(*rep));
  if(unit_bad(unit, err))
    return PR_EINVAL;
  return import_parsed(s, csvimp_read_file(path, import_cols, COL_N, &csv,
                                           err),
                       &csv, unit, cfg, now, rep, err);
}

/* ---- by hand: add and correct ---------------------------------------- */

struct one_ctx {
  struct calllist_entry e;
  const char *unit;
  long id;
  long today;
};

static enum pr_rc add_cb(sqlite3 *db, void *vctx, char *err)
{
  struct one_ctx *oc = vctx;
  enum pr_rc rc = calllist_db_begin(db, err);

  if(rc != PR_OK)
    return rc;
  rc = calllist_db_unique(db, &oc->e, -1, "add", "the list already has this "
                          "person with the same discharge date", err);
  if(rc == PR_OK)
    rc = calllist_db_insert(db, &oc->e, oc->unit, err);
  if(rc == PR_OK) {
    oc->id = (long)sqlite3_last_insert_rowid(db);
    rc = callstat_add(db, oc->today, oc->unit, "entries", 1, err);
  }
  return calllist_db_end(db, rc, err);
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

static enum pr_rc update_cb(sqlite3 *db, void *vctx, char *err)
{
  struct one_ctx *oc = vctx;
  struct calllist_entry old;
  enum pr_rc rc = calllist_db_begin(db, err);
  int changed = 0;

  if(rc != PR_OK)
    return rc;
  rc = calllist_db_load(db, oc->id, &old, err);
  if(rc == PR_OK)
    rc = calllist_db_unique(db, &oc->e, oc->id, "update", "another entry "
                            "has this person with the same discharge date",
                            err);
  if(rc == PR_OK)
    rc = calllist_db_run(db, "update", &changed, err,
                         "UPDATE call_entry SET name = ?1, phone = ?2,"
                         " pnr = ?3, discharge = ?4, track = ?5, care = ?6,"
                         " consent = ?7 WHERE id = ?8", "ttnlttil",
                         oc->e.name, oc->e.phone, oc->e.pnr,
                         oc->e.discharge, oc->e.track, oc->e.care,
                         oc->e.consent, oc->id);
  if(rc == PR_OK && changed != 1) {
    pr_seterr(err, "call entry %ld does not exist", oc->id);
    rc = PR_ENOTFOUND;
  }
  return calllist_db_end(db, rc, err);
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
