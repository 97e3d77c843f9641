/* callscmd.c — This file contains "rostctl calls", the staff command for
 * the phone call list declared in callscmd.h. */
#include "callstat.h"
#include "callscmd.h"

#include <stdio.h>
#include <string.h>

#include "calllist.h"
#include "cli.h"
#include "conffile.h"
#include "hsa.h"
#include "pdate.h"
#include "textcol.h"
#include "vocab.h"

static const char usage_text[] = CALLSCMD_ARGS;

static int usage(const char *msg)
{
  return cli_usage("calls", usage_text, "%s", msg);
}

/* Open for a subcommand: list and stats only read (they work while the
 * kiosk or rost-phone runs); import may create a store in an existing
 * directory; add, fix and erase write to an existing one. */
static int open_store(const char *path, enum store_mode mode,
                      struct store **out)
{
  char err[PR_ERR_LEN] = "";
  int rc = cli_open_store_mode("calls", path, mode, out);
  if(rc != CLI_OK || mode == STORE_READ)
    return rc;
  if(calllist_init(*out, err) != PR_OK) {
    fprintf(stderr, "rostctl calls: %s\n", err);
    store_close(*out);
    *out = NULL;
    return CLI_FAIL;
  }
  return CLI_OK;
}

/* --unit is checked before the store is opened: a bad id would otherwise
 * only show when the first interview is saved. */
static int unit_usage(const char *unit)
{
  char msg[160];
  snprintf(msg, sizeof(msg), "--unit \"%.40s\" is not an HSA-id (like "
           HSA_EXAMPLE ")", unit);
  return usage(msg);
}

static int cmd_import(struct store *s, const struct calllist_cfg *cfg,
                      const char *unit, const char *file)
{
  struct calllist_report rep;
  char err[PR_ERR_LEN] = "";
  enum pr_rc rc = calllist_import_file(s, file, unit, cfg, pr_now(), &rep, err);
  if(rc) {
    fprintf(stderr, "rostctl calls import: %s\n", err);
    return CLI_FAIL;
  }
  printf("%d row(s) read (%s, separator '%c'): %d added, %d already in the "
         "list, %d rejected\n", rep.rows, rep.encoding, rep.sep, rep.added,
         rep.duplicates, rep.rejected);
  for(int i = 0; i < rep.n_warns; i++)
    printf("  warning %s\n", rep.warns[i]);
  if(rep.warned > rep.n_warns)
    printf("  ... and %d more warnings\n", rep.warned - rep.n_warns);
  for(int i = 0; i < rep.n_msgs; i++)
    printf("  rejected %s\n", rep.msgs[i]);
  if(rep.rejected > rep.n_msgs)
    printf("  ... and %d more\n", rep.rejected - rep.n_msgs);
  rc = rep.rejected ? PR_EINVAL : PR_OK;
  calllist_report_free(&rep);
  return rc ? CLI_FAIL : CLI_OK;
}

/* The cells of one entry as a coordinator reads them: one line each,
 * röd/grön, ja/nej. */
enum { COL_ID, COL_TRACK, COL_CARE, COL_DISCH, COL_DAY, COL_PNR, COL_PHONE,
       COL_NAME, COL_CONSENT, COL_ATTEMPTS, COL_STATUS, COL_N };
static const char *const col_head[COL_N] = {"id", "track", "care",
  "discharged", "day", "personnummer", "phone", "name", "consent",
  "attempts", "status"};
#define CELL_LEN (CALLLIST_NAME_LEN * 2 + 8)

static void entry_cells(const struct calllist_entry *e, long today,
                        char cell[COL_N][CELL_LEN])
{
  snprintf(cell[COL_ID], CELL_LEN, "%ld", e->id);
  pr_strlcpy(cell[COL_TRACK], vocab_track_label(e->track), CELL_LEN);
  pr_strlcpy(cell[COL_CARE], vocab_care_label(e->care), CELL_LEN);
  pdate_format(e->discharge, cell[COL_DISCH]);
  snprintf(cell[COL_DAY], CELL_LEN, "%ld", today - e->discharge);
  pr_strlcpy(cell[COL_PNR], e->pnr[0] ? e->pnr : "-", CELL_LEN);
  pr_strlcpy(cell[COL_PHONE], e->phone, CELL_LEN);
  pr_strlcpy(cell[COL_NAME], e->name, CELL_LEN);
  pr_strlcpy(cell[COL_CONSENT], e->consent ? "ja" : "nej", CELL_LEN);
  snprintf(cell[COL_ATTEMPTS], CELL_LEN, "%d", e->attempts);
  if(e->final)
    snprintf(cell[COL_STATUS], CELL_LEN, "final:%s",
             dispo_info(e->final)->code);
  else if(e->closed_day >= 0)
    pr_strlcpy(cell[COL_STATUS], "closed", CELL_LEN);
  else if(e->last)
    snprintf(cell[COL_STATUS], CELL_LEN, "last:%s",
             dispo_info(e->last)->code);
  else
    pr_strlcpy(cell[COL_STATUS], "new", CELL_LEN);
}

/* --csv yes: one header line, then one record per entry, every field
 * quoted (a name's line break stays inside its quotes). */
static void print_csv(const struct calllist_entry *v, int n, long today)
{
  char cell[COL_N][CELL_LEN];
  for(int c = 0; c < COL_N; c++)
    printf("%s%s", c ? ";" : "", col_head[c]);
  fputs("\r\n", stdout);
  for(int i = 0; i < n; i++) {
    entry_cells(&v[i], today, cell);
    for(int c = 0; c < COL_N; c++) {
      if(c)
        fputc(';', stdout);
      textcol_csv_field(stdout, cell[c]);
    }
    fputs("\r\n", stdout);
  }
}

/* A table: one row per entry whatever its name holds, columns aligned by
 * the width a terminal gives the text (å, ä, ö are one column each). */
static void print_table(const struct calllist_entry *v, int n, long today)
{
  char cell[COL_N][CELL_LEN], clean[CELL_LEN];
  size_t width[COL_N];
  for(int c = 0; c < COL_N; c++)
    width[c] = textcol_width(col_head[c]);
  for(int i = 0; i < n; i++) {
    entry_cells(&v[i], today, cell);
    for(int c = 0; c < COL_N; c++) {
      size_t w;
      textcol_clean(cell[c], clean, sizeof(clean));
      if((w = textcol_width(clean)) > width[c])
        width[c] = w;
    }
  }
  for(int c = 0; c < COL_N; c++)
    textcol_pad(stdout, col_head[c], c + 1 < COL_N ? width[c] + 2 : 0);
  fputc('\n', stdout);
  for(int i = 0; i < n; i++) {
    entry_cells(&v[i], today, cell);
    for(int c = 0; c < COL_N; c++) {
      textcol_clean(cell[c], clean, sizeof(clean));
      textcol_pad(stdout, clean, c + 1 < COL_N ? width[c] + 2 : 0);
    }
    fputc('\n', stdout);
  }
}

static int cmd_list(struct store *s, const struct calllist_cfg *cfg,
                    const char *unit, int all, int csv)
{
  struct calllist_entry *v = NULL;
  int n = 0, closed = 0;
  char err[PR_ERR_LEN] = "";
  enum pr_rc rc;
  time_t now = pr_now();
  rc = all ? calllist_for_unit(s, unit, &v, &n, err)
           : calllist_queue(s, cfg, unit, now, &v, &n, &closed, err);
  if(rc) {
    fprintf(stderr, "rostctl calls list: %s\n", err);
    return CLI_FAIL;
  }
  if(csv) {
    print_csv(v, n, pdate_local_today(now));
    pr_free(v);
    return CLI_OK;
  }
  if(closed)
    printf("outside calling hours (%02d:%02d-%02d:%02d)\n",
           cfg->hour_from / 60, cfg->hour_from % 60, cfg->hour_to / 60,
           cfg->hour_to % 60);
  if(n > 0)
    print_table(v, n, pdate_local_today(now));
  printf("%d entr%s\n", n, n == 1 ? "y" : "ies");
  pr_free(v);
  return CLI_OK;
}

static int cmd_stats(struct store *s)
{
  struct dispo_week *w = NULL;
  int n = 0;
  char err[PR_ERR_LEN] = "";
  if(callstat_weeks(s, &w, &n, err)) {
    fprintf(stderr, "rostctl calls stats: %s\n", err);
    return CLI_FAIL;
  }
  printf("week;unit;entries;attempts;reached;completed;partial;refused;"
         "not_reached;wrong_number;not_eligible;rr1;coop1;sip_offered;"
         "sip_accepted\n");
  for(int i = 0; i < n; i++) {
    const struct dispo_week *x = &w[i];
    double rr1 = dispo_week_rr1(x), coop1 = dispo_week_coop1(x);
    char a[16] = "", b[16] = "";
    long ne = x->outcome[DISPO_DECEASED] + x->outcome[DISPO_READMITTED] +
              x->outcome[DISPO_LANGUAGE] + x->outcome[DISPO_UNABLE];
    if(rr1 >= 0)
      snprintf(a, sizeof(a), "%.2f", rr1);
    if(coop1 >= 0)
      snprintf(b, sizeof(b), "%.2f", coop1);
    printf("%s;%s;%ld;%ld;%ld;%ld;%ld;%ld;%ld;%ld;%ld;%s;%s;%ld;%ld\n",
           x->week, x->unit, x->entries, x->attempts, dispo_week_reached(x),
           dispo_week_completed(x), x->outcome[DISPO_PARTIAL],
           x->outcome[DISPO_REFUSED], x->outcome[DISPO_NOTREACHED],
           x->outcome[DISPO_WRONGNUMBER], ne, a, b, x->sip_offered,
           x->sip_accepted);
  }
  pr_free(w);
  return CLI_OK;
}

int callscmd(int argc, char **argv)
{
  static const char *const opts[] = {"--store", "--unit", "--all",
    "--name", "--phone", "--pnr", "--discharge", "--track", "--care",
    "--consent", "--expired", "--retention", "--days", "--hours",
    "--attempts", "--config", "--csv"};
  enum { O_STORE, O_UNIT, O_ALL, O_NAME, O_PHONE, O_PNR, O_DISCH, O_TRACK,
         O_CARE, O_CONSENT, O_EXPIRED, O_RETENTION, O_DAYS, O_HOURS,
         O_ATTEMPTS, O_CONFIG, O_CSV, O_N };
  static const char *const cfg_keys[] = {"phone_retention", "phone_days",
    "phone_hours", "phone_max_attempts"};
  struct calllist_cfg cfg;
  const char *vals[O_N] = {NULL};
  const char *pos[2] = {NULL};
  const char *sub;
  struct store *s = NULL;
  char err[PR_ERR_LEN] = "", conf_store[4096];
  int n_pos = 0, rc;

  if(argc < 2)
    return usage("which: import, list, add, erase or stats?");
  sub = argv[1];
  rc = cli_parse(argc - 1, argv + 1, usage_text, O_N, opts, vals, pos, 2,
                 &n_pos);
  if(rc != CLI_OK)
    return rc;
  calllist_cfg_default(&cfg);
  if(vals[O_CONFIG]) {
    /* The kiosk's own config: its store and phone_* settings, so that
     * erasure from a timer keeps the retention the kiosk keeps.  Options
     * given on the command line win. */
    char v[128];
    int r = vals[O_STORE] ? 1 : conffile_get(vals[O_CONFIG], "store",
                                               conf_store,
                                               sizeof(conf_store));
    if(r < 0 || (r == 1 && !vals[O_STORE] && !conf_store[0]))
      return cli_usage("calls", usage_text, "cannot read a store path from "
                       "%s", vals[O_CONFIG]);
    if(r == 0)
      return cli_usage("calls", usage_text, "%s has no \"store = PATH\"; "
                       "give --store", vals[O_CONFIG]);
    if(!vals[O_STORE])
      vals[O_STORE] = conf_store;
    for(size_t i = 0; i < PR_ARRAY_LEN(cfg_keys); i++) {
      if(vals[O_RETENTION + i])
        continue;
      r = conffile_get(vals[O_CONFIG], cfg_keys[i], v, sizeof(v));
      if(r < 0 || (r == 1 && v[0] &&
                   calllist_cfg_set(&cfg, cfg_keys[i], v, err) != PR_OK))
        return cli_usage("calls", usage_text, "%s: %s", vals[O_CONFIG],
                         r < 0 ? "cannot be read" : err);
    }
  }
  if(!vals[O_STORE])
    return usage("--store (or --config with \"store = PATH\") is required");
  if(vals[O_UNIT] && !hsa_valid(vals[O_UNIT]))
    return unit_usage(vals[O_UNIT]);
  for(size_t i = 0; i < PR_ARRAY_LEN(cfg_keys); i++) {
    const char *v = vals[O_RETENTION + i];
    if(v && calllist_cfg_set(&cfg, cfg_keys[i], v, err) != PR_OK)
      return usage(err);
  }
  if(strcmp(sub, "import") == 0) {
    if(n_pos != 1 || !vals[O_UNIT])
      return usage("import needs --unit and one FILE");
    rc = open_store(vals[O_STORE], STORE_CREATE, &s);
    if(rc == CLI_OK)
      rc = cmd_import(s, &cfg, vals[O_UNIT], pos[0]);
  } else if(strcmp(sub, "list") == 0) {
    rc = open_store(vals[O_STORE], STORE_READ, &s);
    if(rc == CLI_OK)
      rc = cmd_list(s, &cfg, vals[O_UNIT], vals[O_ALL] != NULL,
                    vals[O_CSV] != NULL);
  } else if(strcmp(sub, "add") == 0) {
    struct calllist_input in = {vals[O_NAME], vals[O_PHONE], vals[O_PNR],
      vals[O_DISCH], vals[O_TRACK], vals[O_CARE], vals[O_CONSENT]};
    long id = 0;
    if(!vals[O_UNIT])
      return usage("add needs --unit");
    rc = open_store(vals[O_STORE], STORE_WRITE, &s);
    if(rc == CLI_OK && calllist_add(s, &in, vals[O_UNIT], pr_now(), &id,
                                    err)) {
      fprintf(stderr, "rostctl calls add: %s\n", err);
      rc = CLI_FAIL;
    } else if(rc == CLI_OK) {
      printf("added entry %ld\n", id);
    }
  } else if(strcmp(sub, "fix") == 0) {
    struct calllist_entry e;
    struct calllist_input in;
    char d[11];
    long id = 0;
    if(n_pos != 1 || pr_parse_long(pos[0], 1, 1L << 40, &id))
      return usage("fix needs the entry ID (see calls list --all)");
    rc = open_store(vals[O_STORE], STORE_WRITE, &s);
    if(rc == CLI_OK && calllist_get(s, id, &e, err)) {
      fprintf(stderr, "rostctl calls fix: %s\n", err);
      rc = CLI_FAIL;
    } else if(rc == CLI_OK) {
      /* Start from what is stored; replace what was given. */
      pdate_format(e.discharge, d);
      in.name = vals[O_NAME] ? vals[O_NAME] : e.name;
      in.phone = vals[O_PHONE] ? vals[O_PHONE] : e.phone;
      in.pnr = vals[O_PNR] ? vals[O_PNR] : e.pnr;
      in.discharge = vals[O_DISCH] ? vals[O_DISCH] : d;
      in.track = vals[O_TRACK] ? vals[O_TRACK] : e.track;
      in.care = vals[O_CARE] ? vals[O_CARE] : e.care;
      in.consent = vals[O_CONSENT] ? vals[O_CONSENT]
                                   : (e.consent ? "ja" : "nej");
      if(calllist_update(s, id, &in, pr_now(), err)) {
        fprintf(stderr, "rostctl calls fix: %s\n", err);
        rc = CLI_FAIL;
      } else {
        printf("entry %ld corrected\n", id);
      }
    }
  } else if(strcmp(sub, "erase") == 0) {
    long id = 0;
    if((n_pos == 1) == (vals[O_EXPIRED] != NULL))
      return usage("erase needs either an entry ID or --expired yes");
    if(n_pos == 1 && pr_parse_long(pos[0], 1, 1L << 40, &id))
      return usage("the entry ID is a number (see calls list --all)");
    rc = open_store(vals[O_STORE], STORE_WRITE, &s);
    if(rc == CLI_OK && n_pos == 1) {
      if(calllist_erase(s, id, err)) {
        fprintf(stderr, "rostctl calls erase: %s\n", err);
        rc = CLI_FAIL;
      } else {
        printf("entry %ld erased\n", id);
      }
    } else if(rc == CLI_OK) {
      int closed = 0, erased = 0;
      if(calllist_housekeep(s, &cfg, pr_now(), &closed, &erased, err)) {
        fprintf(stderr, "rostctl calls erase: %s\n", err);
        rc = CLI_FAIL;
      } else {
        printf("%d entr%s closed (window over), %d erased (retention %d "
               "days)\n", closed, closed == 1 ? "y" : "ies", erased,
               cfg.retention_days);
      }
    }
  } else if(strcmp(sub, "stats") == 0) {
    rc = open_store(vals[O_STORE], STORE_READ, &s);
    if(rc == CLI_OK)
      rc = cmd_stats(s);
  } else {
    return cli_usage("calls", usage_text, "unknown subcommand \"%s\"", sub);
  }
  store_close(s);
  return rc;
}
