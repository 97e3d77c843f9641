/* lettercmd.c — This file contains the letters' rost-agg commands
 * (lettercmd.h).  They open the database named by --config / --db like
 * the other commands; every change of recipients is in the audit log as
 * "cli:<login name>". */
#include "cli.h"
#include "lettercmd.h"

#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aggcli.h"
#include "aggconf.h"
#include "audit.h"
#include "letterchart.h"
#include "letterconf.h"
#include "letterdb.h"
#include "lettermake.h"
#include "lettersend.h"

enum { L_CONFIG = 256, L_DB, L_SET, L_UNIT, L_ROLE, L_DRY, L_MAX };

static const struct option opts[] = {
  {"config", required_argument, NULL, L_CONFIG},
  {"db", required_argument, NULL, L_DB},
  {"set", required_argument, NULL, L_SET},
  {"unit", required_argument, NULL, L_UNIT},
  {"role", required_argument, NULL, L_ROLE},
  {"dry-run", no_argument, NULL, L_DRY},
  {"max", required_argument, NULL, L_MAX},
  {NULL, 0, NULL, 0},
};

struct args {
  struct aggconf conf;
  const char *unit, *role;
  int dry;
  long max;
};

/* Options into a (the config file first, so flags override it); returns
 * optind or -1 after printing why. */
static int parse(int argc, char **argv, struct args *a, const char *usage)
{
  char err[PR_ERR_LEN];
  int c;

  memset(a, 0, sizeof(*a));
  a->max = 500;
  if(aggcli_begin(argc, argv, opts, usage, &a->conf) != 0)
    return -1;
  while((c = aggcli_getopt(argc, argv, "", opts, usage)) != -1) {
    enum pr_rc rc = PR_OK;
    switch(c) {
    case L_CONFIG: break;
    case L_DB: rc = aggconf_set(&a->conf, "db", optarg, err); break;
    case L_SET: rc = aggconf_set_kv(&a->conf, optarg, err); break;
    case L_UNIT: a->unit = optarg; break;
    case L_ROLE: a->role = optarg; break;
    case L_DRY: a->dry = 1; break;
    case L_MAX:
      if(pr_parse_long(optarg, 1, 100000, &a->max) != 0) {
        fprintf(stderr, "rost-agg: --max vill ha ett antal\n");
        return -1;
      }
      break;
    default:
      return -1;
    }
    if(rc != PR_OK) {
      fprintf(stderr, "rost-agg: %s\n", err);
      return -1;
    }
  }
  return optind;
}

static void who(char *out, size_t cap)
{
  const char *login = getenv("USER");
  snprintf(out, cap, "cli:%.60s", login && *login ? login : "?");
}

static int usage_recipients(void)
{
  fprintf(stderr, "Användning:\n"
          "  rost-agg recipients add E-POST --unit HSA-ID --role "
          "kvalitet|verksamhetschef\n"
          "  rost-agg recipients add E-POST          (hela regionen)\n"
          "  rost-agg recipients remove E-POST [--unit HSA-ID]\n"
          "  rost-agg recipients list\n"
          "  (och [--config F|--db URL])\n");
  return 2;
}

int lettercmd_recipients(int argc, char **argv)
{
  struct args a;
  struct aggdb *db;
  struct letterdb_recipient *v = NULL;
  char err[PR_ERR_LEN] = "", w[80], detail[300];
  int ix = parse(argc, argv, &a, LETTERCMD_RECIPIENTS_USAGE), n = 0, i, rc = 1;
  const char *sub;
  enum pr_rc r;

  if(ix < 0 || ix >= argc)
    return usage_recipients();
  sub = argv[ix];
  if(!strcmp(sub, "list")) {
    if(ix + 1 != argc)
      return usage_recipients();
  }
  else if(!strcmp(sub, "add") || !strcmp(sub, "remove")) {
    if(ix + 2 != argc)
      return usage_recipients();
  }
  else
    return usage_recipients();
  if(!(db = aggcli_open_db(&a.conf)))
    return 1;
  who(w, sizeof(w));
  if(!strcmp(sub, "list")) {
    if(letterdb_recipients(db, &v, &n, err) != PR_OK) {
      fprintf(stderr, "rost-agg recipients: %s\n", err);
      goto out;
    }
    printf("%-22s %-16s %s\n", "ENHET", "ROLL", "E-POST");
    for(i = 0; i < n; i++)
      printf("%-22s %-16s %s\n", v[i].unit[0] ? v[i].unit : "(regionen)",
             v[i].role, v[i].email);
    printf("%d mottagare.\n", n);
    rc = 0;
    goto out;
  }
  if(!strcmp(sub, "add"))
    r = letterdb_recipient_add(db, a.unit ? a.unit : "", argv[ix + 1],
                               a.unit ? (a.role ? a.role : "") : "region",
                               err);
  else
    r = letterdb_recipient_remove(db, a.unit ? a.unit : "", argv[ix + 1],
                                  err);
  if(r != PR_OK) {
    fprintf(stderr, "rost-agg recipients: %s\n", err);
    rc = r == PR_EINVAL || r == PR_ENOTFOUND ? 2 : 1;
    goto out;
  }
  snprintf(detail, sizeof(detail), "unit=%s email=%s role=%s",
           a.unit ? a.unit : "", argv[ix + 1], a.role ? a.role : "region");
  if(audit_log(db, pr_now(), w, !strcmp(sub, "add") ? "recipient-add"
                                                    : "recipient-remove",
               detail, err) != PR_OK) {
    fprintf(stderr, "rost-agg recipients: granskningsloggen: %s\n", err);
    goto out;
  }
  printf(!strcmp(sub, "add") ? "Mottagaren %s är sparad.\n"
                             : "Mottagaren %s är borttagen.\n", argv[ix + 1]);
  rc = 0;
out:
  pr_free(v);
  aggdb_close(db);
  return rc;
}

static void show(void *ctx, const struct letterdb_new *m, const char *text)
{
  printf("=== Skulle skicka (%s) till %s\n    Ämne: %s\n    Id: %s\n%s\n",
         m->kind, m->recipient, m->subject, m->id, text);
}

static int list_row(void *ctx, const struct letterdb_msg *m)
{
  char when[40] = "-";
  time_t t = (time_t)(m->sent_at ? m->sent_at : m->next_at);
  struct tm tm;
  if(gmtime_r(&t, &tm))
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
  printf("%-10s %-3ld %-16s %-32s %s%s%s\n", m->state, m->attempts, when,
         m->recipient, m->id, m->last_error[0] ? "  — " : "", m->last_error);
  return 0;
}

int lettercmd_letters(int argc, char **argv)
{
  struct args a;
  struct letterconf lc;
  struct aggdb *db = NULL;
  struct lettermake_stats ms;
  struct lettersend_stats ss;
  char err[PR_ERR_LEN] = "";
  int ix = parse(argc, argv, &a, LETTERCMD_LETTERS_USAGE), rc = 1;
  const char *sub = "run";
  long long now = (long long)pr_now();

  if(ix < 0)
    return 2;
  if(ix < argc)
    sub = argv[ix];
  if((strcmp(sub, "run") && strcmp(sub, "list") && strcmp(sub, "resend")) ||
     (!strcmp(sub, "resend") ? ix + 2 != argc : ix + 1 < argc)) {
    fprintf(stderr, "Användning:\n"
            "  rost-agg letters [run] [--dry-run] [--max N]   (skriv det som "
            "är dags, skicka utkorgen)\n"
            "  rost-agg letters list        (utkorgen)\n"
            "  rost-agg letters resend ID   (ett osäkert eller misslyckat brev"
            " igen)\n  (och [--config F|--db URL] [--set NYCKEL=VÄRDE])\n");
    return 2;
  }
  if(letterconf_load(&a.conf, !a.dry && !strcmp(sub, "run"), &lc, err) !=
     PR_OK) {
    fprintf(stderr, "rost-agg letters: %s\n", err);
    return 2;
  }
  if(!(db = aggcli_open_db(&a.conf)))
    return 1;
  if(!strcmp(sub, "list")) {
    printf("%-10s %-3s %-16s %-32s %s\n", "LÄGE", "FÖRS", "TID (UTC)",
           "TILL", "ID");
    if(letterdb_list(db, 200, list_row, NULL, err) != PR_OK) {
      fprintf(stderr, "rost-agg letters: %s\n", err);
      goto out;
    }
    rc = 0;
    goto out;
  }
  if(!strcmp(sub, "resend")) {
    enum pr_rc r = letterdb_resend(db, argv[ix + 1], now, err);
    char w[80], d[300];
    if(r != PR_OK) {
      fprintf(stderr, "rost-agg letters: %s\n", err);
      rc = r == PR_ENOTFOUND ? 2 : 1;
      goto out;
    }
    who(w, sizeof(w));
    snprintf(d, sizeof(d), "id=%s", argv[ix + 1]);
    if(audit_log(db, (time_t)now, w, "letter-resend", d, err) != PR_OK) {
      fprintf(stderr, "rost-agg letters: %s\n", err);
      goto out;
    }
    printf("Brevet skickas vid nästa körning.\n");
    rc = 0;
    goto out;
  }
  if(lettermake_run(db, &a.conf, &lc, now, a.dry, show, NULL, &ms, err) !=
     PR_OK) {
    fprintf(stderr, "rost-agg letters: %s\n", err);
    goto out;
  }
  if(a.dry) {
    char w[80], d[120];
    /* The dry run printed figures: a pull like `report`. */
    who(w, sizeof(w));
    snprintf(d, sizeof(d), "dry-run letters=%d alerts=%d messages=%d",
             ms.letters, ms.alerts, ms.queued);
    if(audit_log(db, (time_t)now, w, "letters-dry-run", d, err) != PR_OK) {
      fprintf(stderr, "rost-agg letters: granskningsloggen: %s\n", err);
      goto out;
    }
    printf("Torrkörning: %d brev och %d larm skulle läggas i utkorgen "
           "(%d meddelanden). Inget skickades.\n", ms.letters, ms.alerts,
           ms.queued);
    printf("Redan i utkorgen:\n");
    if(letterdb_list(db, 200, list_row, NULL, err) != PR_OK)
      goto out;
    rc = 0;
    goto out;
  }
  if(curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    fprintf(stderr, "rost-agg letters: libcurl kunde inte starta\n");
    goto out;
  }
  if(lettersend_drain(db, &lc, now, (int)a.max, &ss, err) != PR_OK) {
    fprintf(stderr, "rost-agg letters: %s\n", err);
    curl_global_cleanup();
    goto out;
  }
  curl_global_cleanup();
  printf("%d brev och %d larm lagda i utkorgen (%d meddelanden); %d skickade,"
         " %d försöks igen senare, %d gavs upp, %d osäkra.\n", ms.letters,
         ms.alerts, ms.queued, ss.sent, ss.failed, ss.gave_up, ss.uncertain);
  rc = ss.failed || ss.gave_up ? 3 : 0;
out:
  letterchart_shutdown();
  aggdb_close(db);
  return rc;
}
