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

static const char usage_text[] =
  "import --store PATH --unit HSA-ID FILE.csv [--days 3-7]\n"
  "       | list --store PATH [--unit HSA-ID] [--all yes] [--days 3-7]"
  " [--hours 09:00-18:00] [--attempts 3]\n"
  "       | add --store PATH --unit HSA-ID --name N --phone P [--pnr X]"
  " --discharge YYYY-MM-DD --track gron|gul|rod --care somatisk|psykiatrisk"
  " --consent ja|nej\n"
  "       | fix --store PATH ID [--name N] [--phone P] [--pnr X]"
  " [--discharge D] [--track T] [--care C] [--consent ja|nej]\n"
  "       | erase --store PATH (ID | --expired yes) [--retention 14]"
  " [--days 3-7]\n"
  "       | stats --store PATH\n"
  "       (each also takes --config KIOSK.CONF: the kiosk's store and"
  " phone_* settings, for options not given)";

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

static void print_entry(const struct calllist_entry *e, time_t now)
{
  char d[11], st[48];
  long today = pdate_local_today(now);
  pdate_format(e->discharge, d);
  if(e->final)
    snprintf(st, sizeof(st), "final:%s", dispo_info(e->final)->code);
  else if(e->closed_day >= 0)
    snprintf(st, sizeof(st), "closed");
  else if(e->last)
    snprintf(st, sizeof(st), "last:%s", dispo_info(e->last)->code);
  else
    snprintf(st, sizeof(st), "new");
  printf("%5ld  %-4s %-11s %s (day %ld)  %-13s %-13s %-30s consent=%s "
         "attempts=%d %s\n", e->id, e->track, e->care, d, today - e->discharge,
         e->pnr[0] ? e->pnr : "-", e->phone, e->name,
         e->consent ? "ja" : "nej", e->attempts, st);
}

static int cmd_list(struct store *s, const struct calllist_cfg *cfg,
                    const char *unit, int all)
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
  if(closed)
    printf("outside calling hours (%02d:%02d-%02d:%02d)\n",
           cfg->hour_from / 60, cfg->hour_from % 60, cfg->hour_to / 60,
           cfg->hour_to % 60);
  for(int i = 0; i < n; i++)
    print_entry(&v[i], now);
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
    "--attempts", "--config"};
  enum { O_STORE, O_UNIT, O_ALL, O_NAME, O_PHONE, O_PNR, O_DISCH, O_TRACK,
         O_CARE, O_CONSENT, O_EXPIRED, O_RETENTION, O_DAYS, O_HOURS,
         O_ATTEMPTS, O_CONFIG, O_N };
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
      rc = cmd_list(s, &cfg, vals[O_UNIT], vals[O_ALL] != NULL);
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
