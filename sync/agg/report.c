/* report.c — This file contains the rost-agg commands of the aggregates
 * module (report.h).  They open the database named by --config / --db like
 * agg's own commands, and every report is written to the audit log as
 * "cli:<login name>" before it is printed. */
#include "report.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "aggcli.h"
#include "aggconf.h"
#include "audit.h"
#include "auth.h"
#include "cli.h"
#include "dash.h"
#include "dashroutes.h"
#include "pdate.h"

enum { R_CONFIG = 256, R_DB, R_UNIT, R_IND, R_PERIOD, R_SPAN, R_FROM, R_TO,
       R_MODE, R_TRACK, R_CARE, R_ROLE, R_GOAL, R_SET, R_VERSION };

static const struct option report_opts[] = {
  {"config", required_argument, NULL, R_CONFIG},
  {"db", required_argument, NULL, R_DB},
  {"unit", required_argument, NULL, R_UNIT},
  {"indicator", required_argument, NULL, R_IND},
  {"period", required_argument, NULL, R_PERIOD},
  {"span", required_argument, NULL, R_SPAN},
  {"from", required_argument, NULL, R_FROM},
  {"to", required_argument, NULL, R_TO},
  {"mode", required_argument, NULL, R_MODE},
  {"track", required_argument, NULL, R_TRACK},
  {"care", required_argument, NULL, R_CARE},
  {"role", required_argument, NULL, R_ROLE},
  {"goal", required_argument, NULL, R_GOAL},
  {"set", required_argument, NULL, R_SET},
  {"version", required_argument, NULL, R_VERSION},
  {NULL, 0, NULL, 0},
};

#define N_ARGS 16
struct args {
  struct aggconf conf;
  const char *name[N_ARGS];
  const char *val[N_ARGS];
  int n;
  const char *role;
};

static const char *args_get(void *ctx, const char *name)
{
  const struct args *a = ctx;
  int i;
  for(i = a->n - 1; i >= 0; i--)
    if(strcmp(a->name[i], name) == 0)
      return a->val[i];
  return NULL;
}

/* Parse options into a, refusing any that usage does not name; returns
 * optind or -1 after printing why. */
static int parse(int argc, char **argv, const char *usage, struct args *a)
{
  int c;

  memset(a, 0, sizeof(*a));
  if(aggcli_begin(argc, argv, report_opts, usage, &a->conf) != 0)
    return -1;
  while((c = aggcli_getopt(argc, argv, "", report_opts, usage)) != -1) {
    const char *key = NULL;
    char err[PR_ERR_LEN];
    switch(c) {
    case R_CONFIG: break;
    case R_DB:
      if(aggconf_set(&a->conf, "db", optarg, err) != PR_OK) {
        fprintf(stderr, "rost-agg: %s\n", err);
        return -1;
      }
      break;
    case R_ROLE: a->role = optarg; break;
    case R_UNIT: key = "unit"; break;
    case R_IND: key = "indicator"; break;
    case R_PERIOD: key = "period"; break;
    case R_SPAN: key = "span"; break;
    case R_FROM: key = "from"; break;
    case R_TO: key = "to"; break;
    case R_MODE: key = "mode"; break;
    case R_TRACK: key = "track"; break;
    case R_CARE: key = "care"; break;
    case R_GOAL: key = "goal"; break;
    case R_SET: key = "set"; break;
    case R_VERSION: key = "version"; break;
    default:
      return -1;
    }
    if(key && a->n < N_ARGS) {
      a->name[a->n] = key;
      a->val[a->n++] = optarg;
    }
  }
  return optind;
}

static void print_cell(FILE *f, const struct indicq_cell *c, int threshold,
                       int with_ci)
{
  char buf[48];
  if(c->mark != SUPP_SHOW) {
    snprintf(buf, sizeof(buf), "visas inte (skydd, tröskel %d)", threshold);
    fprintf(f, with_ci ? "  %-33s" : "  %-16s", buf);
    return;
  }
  if(!c->s.valid) {
    char dk[16];
    if(c->dk_hidden)
      snprintf(dk, sizeof(dk), "dolt");
    else
      snprintf(dk, sizeof(dk), "%ld", c->s.dk);
    if(with_ci)
      fprintf(f, "  %6s  %9s  %6d  %6s", "-", "", 0, dk);
    else
      fprintf(f, "  %6s  %8d", "-", 0);
    return;
  }
  if(with_ci) {
    snprintf(buf, sizeof(buf), "%.0f-%.0f %%", c->s.lo * 100.0,
             c->s.hi * 100.0);
    char dk[16];
    if(c->dk_hidden)
      snprintf(dk, sizeof(dk), "dolt");
    else
      snprintf(dk, sizeof(dk), "%ld", c->s.dk);
    fprintf(f, "  %4.0f %%  %9s  %6ld  %6s", c->s.share * 100.0, buf, c->s.n,
            dk);
  }
  else
    fprintf(f, "  %4.0f %%  %8ld", c->s.share * 100.0, c->s.n);
}

void report_print(FILE *f, const struct indicq_result *r)
{
  int nb = indicq_n_buckets(r), nu = indicq_n_units(r), i;
  int u = r->focus >= 0 ? r->focus : nu;
  char from[11], to[11];

  pdate_format(r->f.from, from);
  pdate_format(r->f.to, to);
  fprintf(f, "%s - %s, %s till %s (%s)\n", dash_indicator_name(r->f.indicator),
          r->f.unit[0] ? r->f.unit : "hela regionen", from, to,
          indic_period_name(r->f.period));
  fprintf(f, "%-14s  %6s  %9s  %6s  %6s  %6s  %8s\n", "Period", "Andel",
          "95 % KI", "n", "Vet ej", "Region", "n region");
  for(i = 0; i <= nb; i++) {
    struct indicq_cell c = indicq_cell(r, i, u);
    struct indicq_cell rc = indicq_cell(r, i, nu);
    fprintf(f, "%-14s", i < nb ? r->labels[i] : "Hela perioden");
    print_cell(f, &c, r->f.threshold, 1);
    print_cell(f, &rc, r->f.threshold, 0);
    fputc('\n', f);
  }
  fprintf(f, "Mål %.0f %%. Andel positiva utan \"vet ej\"; 95 %% "
             "Wilson-intervall; grupper under %d svar visas inte.\n",
          r->f.goal * 100.0, r->f.threshold);
  for(i = 0; i < r->n_excluded; i++)
    fprintf(f, "Räknas inte in (annan definition): %s\n", r->excluded[i]);
}

int report_cmd_report(int argc, char **argv)
{
  struct args a;
  struct indicq_filter f;
  struct indicq_result *r = NULL;
  struct aggdb *db;
  char err[PR_ERR_LEN] = "", who[80], detail[300], from[11], to[11];
  const char *login = getenv("USER");
  int rc = 1;

  if(parse(argc, argv, REPORT_USAGE, &a) < 0 || !args_get(&a, "indicator")) {
    fprintf(stderr, "Användning: rost-agg " REPORT_USAGE "\n");
    return 2;
  }
  indicq_filter_default(&f);
  if(indicq_filter_parse(&f, args_get, &a, err) != PR_OK) {
    fprintf(stderr, "rost-agg report: %s\n", err);
    return 2;
  }
  dash_conf_filter(&a.conf, &f);
  if(args_get(&a, "goal") &&
     indicq_filter_parse(&f, args_get, &a, err) != PR_OK)
    return 2;
  if(!(db = aggcli_open_db(&a.conf)))
    return 1;
  {
    enum pr_rc nrc = indicq_check_names(db, f.indicator, f.unit, err);
    if(nrc == PR_ENOTFOUND) {
      fprintf(stderr, "rost-agg report: %s\n", err);
      rc = 2;
      goto out;
    }
    if(nrc != PR_OK) {
      fprintf(stderr, "rost-agg report: %s\n", err);
      goto out;
    }
  }
  if(indicq_run(db, &f, &r, err) != PR_OK) {
    fprintf(stderr, "rost-agg report: %s\n", err);
    goto out;
  }
  snprintf(who, sizeof(who), "cli:%.60s", login && *login ? login : "?");
  pdate_format(f.from, from);
  pdate_format(f.to, to);
  snprintf(detail, sizeof(detail), "indicator=%s unit=%s from=%s to=%s",
           f.indicator, f.unit, from, to);
  if(audit_log(db, pr_now(), who, "report", detail, err) != PR_OK) {
    fprintf(stderr, "rost-agg report: kunde inte skriva granskningsloggen: "
                    "%s\n", err);
    goto out;
  }
  report_print(stdout, r);
  rc = 0;
out:
  indicq_free(r);
  aggdb_close(db);
  return rc;
}

/* One line from stdin without echo when it is a terminal. */
static int read_password(char *buf, size_t cap)
{
  struct termios old, quiet;
  int tty = isatty(STDIN_FILENO), ok;
  size_t n;
  if(tty) {
    fprintf(stderr, "Lösenord: ");
    tcgetattr(STDIN_FILENO, &old);
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  ok = fgets(buf, (int)cap, stdin) != NULL;
  if(tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    fputc('\n', stderr);
  }
  if(!ok)
    return -1;
  n = strlen(buf);
  while(n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
    buf[--n] = '\0';
  return 0;
}

/* `user add NAME --role R [--unit U]` / `token add NAME --role R [--unit U]` */
static int add_cmd(int argc, char **argv, int token)
{
  struct args a;
  enum auth_role role;
  struct aggdb *db;
  char err[PR_ERR_LEN] = "", pw[1100], tok[AUTH_TOKEN_LEN];
  const char *unit;
  int ix, rc = 1;
  enum pr_rc r;

  ix = parse(argc, argv, token ? TOKEN_USAGE : USER_USAGE, &a);
  if(ix < 0 || ix + 2 != argc || strcmp(argv[ix], "add") != 0 || !a.role ||
     auth_role_parse(a.role, &role) != 0) {
    fprintf(stderr, "Användning: rost-agg %s\n",
            token ? TOKEN_USAGE : USER_USAGE);
    return 2;
  }
  unit = args_get(&a, "unit");
  if(!token && read_password(pw, sizeof(pw)) != 0) {
    fprintf(stderr, "rost-agg user: inget lösenord\n");
    return 2;
  }
  if(!(db = aggcli_open_db(&a.conf)))
    return 1;
  if(token)
    r = auth_token_add(db, argv[ix + 1], role, unit, tok, err);
  else
    r = auth_user_add(db, argv[ix + 1], role, unit, pw, err);
  memset(pw, 0, sizeof(pw));
  if(r != PR_OK) {
    fprintf(stderr, "rost-agg %s: %s\n", token ? "token" : "user", err);
    goto out;
  }
  if(token)
    printf("%s\n", tok);   /* shown once; only its hash is kept */
  else
    printf("Kontot %s (%s) är sparat.\n", argv[ix + 1], auth_role_name(role));
  rc = 0;
out:
  aggdb_close(db);
  return rc;
}

int report_cmd_user(int argc, char **argv) { return add_cmd(argc, argv, 0); }
int report_cmd_token(int argc, char **argv) { return add_cmd(argc, argv, 1); }
