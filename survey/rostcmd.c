/* rostcmd.c — This file contains the survey core's rostctl subcommands
 * (validate, sets, counts, export, check, set-pin).  They print for a
 * person on stdout, put problems on stderr, and return CLI_* exit codes.
 * Commands that only read open the store read-only; the export's free
 * text is scrubbed.  The PIN is read from stdin or a no-echo prompt,
 * never from argv. */
#include "rostcmd.h"

#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "hsa.h"
#include "pdate.h"
#include "pin.h"
#include "qset.h"
#include "scrub.h"
#include "store.h"
#include "textcol.h"
#include "vocab.h"

#ifndef PR_ASSETS_DIR
#define PR_ASSETS_DIR "assets"
#endif

const char *rostcmd_sets_dir(void)
{
  const char *e = getenv("PATIENTROST_SETS");
  return e && *e ? e : PR_ASSETS_DIR "/surveys";
}

static void mode_names(unsigned m, char *out, size_t cap)
{
  /* A meeting set never has another mode (the validator refuses it). */
  if(m & QSET_MODE_MEETING) {
    snprintf(out, cap, "meeting");
    return;
  }
  snprintf(out, cap, "%s%s%s", (m & QSET_MODE_KIOSK) ? "kiosk" : "",
           (m & QSET_MODE_KIOSK) && (m & QSET_MODE_PHONE) ? "+" : "",
           (m & QSET_MODE_PHONE) ? "phone" : "");
}

static unsigned set_modes(const struct qset *s)
{
  unsigned m = 0;
  for(int i = 0; i < s->n_questions; i++)
    m |= s->questions[i].modes;
  return m;
}

static void print_set_line(const struct qset *s)
{
  char langs[64] = "", modes[16];
  size_t used = 0;
  for(int i = 0; i < s->n_langs && used < sizeof(langs) - 4; i++) {
    int w = snprintf(langs + used, sizeof(langs) - used, "%s%s", i ? "," : "",
                     s->langs[i]);
    if(w < 0)
      break;
    used += (size_t)w;
  }
  mode_names(set_modes(s), modes, sizeof(modes));
  printf("%-24s v%-3d %-11s %-9s %2d questions  %s\n", s->id, s->version,
         modes, langs, s->n_questions, qset_text(&s->title, "sv"));
}

int rostcmd_validate(int argc, char **argv)
{
  int bad = 0;
  if(argc < 2)
    return cli_usage(argv[0], VALIDATE_ARGS, "name at least one set file");
  for(int i = 1; i < argc; i++) {
    char err[PR_ERR_LEN] = "";
    struct qset *s = NULL;
    if(qset_load_file(argv[i], &s, err) != PR_OK) {
      fprintf(stderr, "BROKEN %s\n", err);
      bad++;
      continue;
    }
    printf("OK     %s: ", argv[i]);
    print_set_line(s);
    qset_free(s);
  }
  return bad ? CLI_FAIL : CLI_OK;
}

int rostcmd_sets(int argc, char **argv)
{
  const char *pos[1] = {NULL};
  int n_pos = 0, n = 0, rc;
  struct qset **sets = NULL;
  char err[PR_ERR_LEN] = "";

  rc = cli_parse(argc, argv, SETS_ARGS, 0, NULL, NULL, pos, 1, &n_pos);
  if(rc != CLI_OK)
    return rc;
  const char *dir = n_pos ? pos[0] : rostcmd_sets_dir();
  if(qset_load_dir(dir, &sets, &n, err) != PR_OK) {
    fprintf(stderr, "rostctl sets: %s\n", err);
    return CLI_FAIL;
  }
  if(n == 0)
    printf("no question sets in %s\n", dir);
  for(int i = 0; i < n; i++)
    print_set_line(sets[i]);
  qset_free_all(sets, n);
  return CLI_OK;
}

/* ---- show ------------------------------------------------------------ */

/* Print a set the way a patient or an interviewer meets it, so staff can
 * proof-read every language before a rollout. */
int rostcmd_show(int argc, char **argv)
{
  static const char *const opts[] = {"--lang", "--easy", "--sets"};
  const char *vals[3] = {"sv", "no", NULL};
  const char *pos[1] = {NULL};
  int n_pos = 0, rc, n = 0, easy;
  struct qset **sets = NULL;
  struct qset *one = NULL;
  const struct qset *s = NULL;
  char err[PR_ERR_LEN] = "";

  rc = cli_parse(argc, argv, SHOW_ARGS, 3, opts, vals, pos, 1, &n_pos);
  if(rc != CLI_OK)
    return rc;
  if(n_pos != 1)
    return cli_usage(argv[0], SHOW_ARGS, "name a set file or a set id");
  if(strcmp(vals[1], "yes") != 0 && strcmp(vals[1], "no") != 0)
    return cli_usage(argv[0], SHOW_ARGS, "--easy is yes or no");
  easy = strcmp(vals[1], "yes") == 0;
  if(strchr(pos[0], '/') || strstr(pos[0], ".json")) {
    if(qset_load_file(pos[0], &one, err) != PR_OK) {
      fprintf(stderr, "rostctl show: %s\n", err);
      return CLI_FAIL;
    }
    s = one;
  }
  else {
    if(qset_load_dir(vals[2] ? vals[2] : rostcmd_sets_dir(), &sets, &n,
                     err) != PR_OK) {
      fprintf(stderr, "rostctl show: %s\n", err);
      return CLI_FAIL;
    }
    s = qset_pick(sets, n, pos[0], 0);
    if(!s) {
      fprintf(stderr, "rostctl show: no set \"%s\" (see rostctl sets)\n",
              pos[0]);
      rc = CLI_FAIL;
      goto out;
    }
  }
  if(!qset_has_lang(s, vals[0])) {
    fprintf(stderr, "rostctl show: set %s does not carry language \"%s\"\n",
            s->id, vals[0]);
    rc = CLI_FAIL;
    goto out;
  }
  const char *l = vals[0];
  printf("%s (%s v%d, %s)\n", qset_text(&s->title, l), s->id, s->version,
         qset_text(&s->lang_names, l));
  if(s->intro.n)
    printf("%s\n", qset_text(&s->intro, l));
  for(int i = 0; i < s->n_questions; i++) {
    const struct qset_question *q = &s->questions[i];
    const struct qset_scale *sc = qset_question_scale(s, i);
    char modes[16];
    mode_names(q->modes, modes, sizeof(modes));
    printf("\n%d. %s%s\n", i + 1, qset_question_text(q, l, easy),
           q->optional ? "  (frivillig)" : "");
    printf("   [%s; %s%s%s]\n", q->id, modes, q->indicator[0] ? "; indikator "
           : "; fritext", q->indicator);
    if(q->cond.op != QSET_COND_NONE) {
      const struct qset_scale *cs = qset_question_scale(s, q->cond.on);
      printf("   visas bara om %s %s:", s->questions[q->cond.on].id,
             q->cond.op == QSET_COND_IN ? "är" : "inte är");
      for(int k = 0; cs && k < cs->n_options; k++)
        if(q->cond.values & (1u << k))
          printf(" %s", cs->options[k].code);
      printf("\n");
    }
    if(q->script.n && (q->modes & QSET_MODE_PHONE))
      printf("   manus: %s\n", qset_text(&q->script, "sv"));
    for(int k = 0; sc && k < sc->n_options; k++) {
      enum qset_value v = qset_classify(s, i, k);
      printf("   %c %s\n", v == QSET_POSITIVE ? '+' : v == QSET_NEGATIVE ?
             '-' : '?', qset_text(&sc->options[k].label, l));
    }
  }
  printf("\n+ positivt   - negativt   ? räknas för sig (vet ej)\n");
  rc = CLI_OK;
out:
  qset_free(one);
  qset_free_all(sets, n);
  return rc;
}

/* ---- counts ---------------------------------------------------------- */

struct count_row {
  char period[12];            /* "2026-W05", "2026-03", "2026-K1", "2026"
                                 with --period, else "" */
  char set_id[QSET_ID_LEN];
  int version;
  char indicator[QSET_ID_LEN];
  long pos, neg, dk, unknown;
};

struct count_ctx {
  struct qset **sets;
  int n_sets;
  struct count_row *rows;
  int n_rows, cap_rows;
  long responses[3];          /* by status */
  long no_set;                /* answers of sets not on this machine */
  int oom;
  /* The aggregator's filters (same names and words): 0 / "" = all. */
  unsigned mode;
  const char *track, *care, *unit;
  long from, to;              /* inclusive day numbers */
  char period;                /* 'w', 'm', 'q', 'y' or 0 (one row for the
                                 whole span) */
};

/* The label of the --period bucket day falls in, as the aggregator
 * names its buckets. */
static void period_label(char period, long day, char out[12])
{
  char tmp[32] = "";
  int y, m, d;
  pdate_ymd(day, &y, &m, &d);
  if(period == 'w')
    pdate_format_week(day, tmp);
  else if(period == 'm')
    pdate_format_month(day, tmp);
  else if(period == 'q')
    snprintf(tmp, sizeof(tmp), "%04d-K%d", y, (m - 1) / 3 + 1);
  else if(period == 'y')
    snprintf(tmp, sizeof(tmp), "%04d", y);
  pr_strlcpy(out, tmp, 12);
}

/* The set a response was answered on; if that version is not on this
 * machine any more, the newest version of the same set (option codes and
 * indicators are kept stable across versions). */
static const struct qset *find_set(struct count_ctx *c, const char *id,
                                   int version)
{
  const struct qset *s = qset_pick(c->sets, c->n_sets, id, version);
  return s ? s : qset_pick(c->sets, c->n_sets, id, 0);
}

static struct count_row *row_for(struct count_ctx *c, const char *period,
                                 const char *set_id, int version,
                                 const char *ind)
{
  for(int i = 0; i < c->n_rows; i++) {
    struct count_row *r = &c->rows[i];
    if(r->version == version && strcmp(r->set_id, set_id) == 0 &&
       strcmp(r->indicator, ind) == 0 && strcmp(r->period, period) == 0)
      return r;
  }
  if(c->n_rows == c->cap_rows) {
    int ncap = c->cap_rows ? c->cap_rows * 2 : 16;
    struct count_row *nr = pr_realloc(c->rows, (size_t)ncap * sizeof(*nr));
    if(!nr)
      return NULL;
    c->rows = nr;
    c->cap_rows = ncap;
  }
  struct count_row *r = &c->rows[c->n_rows++];
  memset(r, 0, sizeof(*r));
  pr_strlcpy(r->period, period, sizeof(r->period));
  pr_strlcpy(r->set_id, set_id, sizeof(r->set_id));
  r->version = version;
  pr_strlcpy(r->indicator, ind, sizeof(r->indicator));
  return r;
}

/* --period rows: by period, then set, version, indicator. */
static int cmp_count_row(const void *a, const void *b)
{
  const struct count_row *x = a, *y = b;
  int d = strcmp(x->period, y->period);
  if(!d)
    d = strcmp(x->set_id, y->set_id);
  if(!d)
    d = x->version - y->version;
  return d ? d : strcmp(x->indicator, y->indicator);
}

/* 1 when r is in the filter's cut. */
static int count_wanted(const struct count_ctx *c,
                        const struct store_response *r)
{
  long day;
  if(c->mode && r->mode != c->mode)
    return 0;
  if((c->track && strcmp(r->track, c->track) != 0) ||
     (c->care && strcmp(r->care, c->care) != 0) ||
     (c->unit && strcmp(r->unit, c->unit) != 0))
    return 0;
  if(pdate_parse(r->date, &day) != 0)
    return 0;
  return day >= c->from && day <= c->to;
}

static int count_visit(const struct store_response *r, void *ctx)
{
  struct count_ctx *c = ctx;
  const struct qset *s = find_set(c, r->set_id, r->set_version);
  if(!count_wanted(c, r))
    return 0;
  if((unsigned)r->status < 3)
    c->responses[r->status]++;
  for(int i = 0; i < r->n_answers; i++) {
    const struct store_answer *a = &r->answers[i];
    int qi;
    if(!a->option[0])
      continue;                      /* free text: no indicator */
    if(!s) {
      c->no_set++;
      continue;
    }
    qi = qset_find_question(s, a->question);
    if(qi < 0 || !s->questions[qi].indicator[0]) {
      c->no_set++;
      continue;
    }
    char per[12] = "";
    long day;
    if(c->period && pdate_parse(r->date, &day) == 0)
      period_label(c->period, day, per);
    struct count_row *row = row_for(c, per, r->set_id, r->set_version,
                                    s->questions[qi].indicator);
    if(!row) {
      c->oom = 1;
      return 1;
    }
    int opt = qset_option_index(qset_question_scale(s, qi), a->option);
    if(opt < 0)
      row->unknown++;
    else
      switch(qset_classify(s, qi, opt)) {
      case QSET_POSITIVE: row->pos++; break;
      case QSET_NEGATIVE: row->neg++; break;
      case QSET_DONTKNOW: row->dk++; break;
      }
  }
  return 0;
}

/* Parse the aggregator's filter options into c; CLI_OK or CLI_USAGE. */
static int counts_filter(const char *const *vals, struct count_ctx *c)
{
  long f, t;
  c->from = LONG_MIN;
  c->to = LONG_MAX;
  if(vals[0]) {
    if(!strcmp(vals[0], "kiosk"))
      c->mode = QSET_MODE_KIOSK;
    else if(!strcmp(vals[0], "phone"))
      c->mode = QSET_MODE_PHONE;
    else
      return cli_usage("counts", COUNTS_ARGS, "--mode: kiosk or phone");
  }
  if(vals[1] && !(c->track = vocab_track(vals[1])))
    return cli_usage("counts", COUNTS_ARGS, "--track: " VOCAB_TRACK_WORDS);
  if(vals[2] && !(c->care = vocab_care(vals[2])))
    return cli_usage("counts", COUNTS_ARGS, "--care: " VOCAB_CARE_WORDS);
  if(vals[3]) {
    if(!hsa_valid(vals[3]))
      return cli_usage("counts", COUNTS_ARGS, "--unit: not an HSA-id (like "
                       HSA_EXAMPLE ")");
    c->unit = vals[3];
  }
  if(vals[4] && pdate_parse_span(vals[4], &c->from, &c->to) != 0)
    return cli_usage("counts", COUNTS_ARGS, "--span: use 2026, 2026-K1, "
                     "2026-03, 2026-W05, a date, or FROM..TO");
  if(vals[5]) {
    if(pdate_parse_span(vals[5], &c->from, &t) != 0)
      return cli_usage("counts", COUNTS_ARGS, "--from: not a date "
                       "(YYYY-MM-DD)");
  }
  if(vals[6]) {
    if(pdate_parse_span(vals[6], &f, &c->to) != 0)
      return cli_usage("counts", COUNTS_ARGS, "--to: not a date "
                       "(YYYY-MM-DD)");
  }
  if(c->from > c->to)
    return cli_usage("counts", COUNTS_ARGS, "--from/--to: start after end");
  if(vals[7]) {
    static const struct { const char *name; char p; } periods[] = {
      {"week", 'w'}, {"vecka", 'w'}, {"month", 'm'}, {"manad", 'm'},
      {"månad", 'm'}, {"quarter", 'q'}, {"kvartal", 'q'}, {"year", 'y'},
      {"ar", 'y'}, {"år", 'y'}, {"range", 0}, {"intervall", 0}};
    size_t i;
    for(i = 0; i < PR_ARRAY_LEN(periods); i++)
      if(strcmp(vals[7], periods[i].name) == 0)
        break;
    if(i == PR_ARRAY_LEN(periods))
      return cli_usage("counts", COUNTS_ARGS, "--period: week, month, "
                       "quarter, year or range");
    c->period = periods[i].p;
  }
  return CLI_OK;
}

int rostcmd_counts(int argc, char **argv)
{
  static const char *const opts[] = {"--store", "--sets", "--mode",
    "--track", "--care", "--unit", "--span", "--from", "--to", "--period"};
  const char *vals[PR_ARRAY_LEN(opts)] = {NULL};
  int n_pos = 0, rc;
  struct store *st = NULL;
  struct count_ctx c;
  char err[PR_ERR_LEN] = "";

  memset(&c, 0, sizeof(c));
  rc = cli_parse(argc, argv, COUNTS_ARGS, (int)PR_ARRAY_LEN(opts), opts, vals,
                 NULL, 0, &n_pos);
  if(rc != CLI_OK)
    return rc;
  if(!vals[0])
    return cli_usage(argv[0], COUNTS_ARGS, "--store is required");
  if((rc = counts_filter(vals + 2, &c)) != CLI_OK)
    return rc;
  if(qset_load_dir(vals[1] ? vals[1] : rostcmd_sets_dir(), &c.sets,
                   &c.n_sets, err) != PR_OK) {
    fprintf(stderr, "rostctl counts: %s\n", err);
    return CLI_FAIL;
  }
  rc = cli_open_store_mode(argv[0], vals[0], STORE_READ, &st);
  if(rc != CLI_OK)
    goto out;
  if(store_foreach(st, count_visit, &c, err) != PR_OK || c.oom) {
    fprintf(stderr, "rostctl counts: %s\n", c.oom ? "out of memory" : err);
    rc = CLI_FAIL;
    goto out;
  }
  printf("responses: %ld complete, %ld abandoned, %ld in progress\n",
         c.responses[STORE_COMPLETE], c.responses[STORE_ABANDONED],
         c.responses[STORE_IN_PROGRESS]);
  if(c.n_rows > 1 && c.period)
    qsort(c.rows, (size_t)c.n_rows, sizeof(*c.rows), cmp_count_row);
  if(c.n_rows == 0)
    printf("no answers yet\n");
  else
    printf("%s%-24s %-4s %-20s %8s %8s %8s %7s\n", c.period ? "period    "
           : "", "set", "ver", "indicator", "positive", "negative",
           "vet ej", "share+");
  for(int i = 0; i < c.n_rows; i++) {
    struct count_row *r = &c.rows[i];
    long base = r->pos + r->neg;
    char share[16] = "-";
    if(base > 0)
      snprintf(share, sizeof(share), "%ld %%", (r->pos * 100 + base / 2) /
               base);
    if(c.period)
      printf("%-9s ", r->period);
    printf("%-24s v%-3d %-20s %8ld %8ld %8ld %7s\n", r->set_id, r->version,
           r->indicator, r->pos, r->neg, r->dk, share);
    if(r->unknown)
      printf("  (%ld answers with an option the set does not know)\n",
             r->unknown);
  }
  if(c.no_set)
    printf("(%ld answers belong to sets or questions not in the sets "
           "directory)\n", c.no_set);
  printf("share+ = positive / (positive + negative); \"vet ej\" is counted "
         "on its own.\n");
  rc = CLI_OK;
out:
  store_close(st);
  qset_free_all(c.sets, c.n_sets);
  pr_free(c.rows);
  return rc;
}

/* ---- export ---------------------------------------------------------- */

static const char *status_name(enum store_status s)
{
  switch(s) {
  case STORE_IN_PROGRESS: return "pagaende";
  case STORE_COMPLETE: return "klar";
  case STORE_ABANDONED: return "avbruten";
  }
  return "?";
}

struct export_ctx {
  FILE *f;
  long scrubbed;        /* identifiers replaced in free text */
  int oom;
};

/* One CSV line per answer.  Free text goes through the scrubber first:
 * the file leaves the machine (Excel, e-mail), so it gets no more than
 * the sync sends — never a phone number or personnummer a patient or a
 * coordinator typed. */
static int export_visit(const struct store_response *r, void *vctx)
{
  struct export_ctx *x = vctx;
  FILE *f = x->f;
  char ver[16], proxy[4];
  snprintf(ver, sizeof(ver), "%d", r->set_version);
  snprintf(proxy, sizeof(proxy), "%d", r->proxy ? 1 : 0);
  for(int i = 0; i < r->n_answers; i++) {
    struct scrub_stats ss;
    char *clean = NULL;
    if(r->answers[i].text) {
      if(scrub_text(r->answers[i].text, &clean, &ss) != PR_OK) {
        x->oom = 1;           /* never write the text unscrubbed */
        return 1;
      }
      for(int k = 0; k < SCRUB_N_KINDS; k++)
        x->scrubbed += ss.n[k];
    }
    const char *cols[] = {
      r->uuid, r->set_id, ver, r->unit,
      r->mode == QSET_MODE_PHONE ? "telefon" : "kiosk", r->lang, proxy,
      status_name(r->status), r->date, vocab_track_label(r->track),
      vocab_care_label(r->care),
      r->answers[i].question, r->answers[i].option, clean ? clean : ""};
    for(size_t k = 0; k < PR_ARRAY_LEN(cols); k++) {
      if(k)
        fputc(';', f);
      textcol_csv_field(f, cols[k]);
    }
    fputs("\r\n", f);
    pr_free(clean);
  }
  return ferror(f) ? 1 : 0;
}

int rostcmd_export(int argc, char **argv)
{
  static const char *const opts[] = {"--store"};
  const char *vals[1] = {NULL};
  int n_pos = 0, rc;
  struct store *st = NULL;
  char err[PR_ERR_LEN] = "";

  rc = cli_parse(argc, argv, EXPORT_ARGS, 1, opts, vals, NULL, 0, &n_pos);
  if(rc != CLI_OK)
    return rc;
  if(!vals[0])
    return cli_usage(argv[0], EXPORT_ARGS, "--store is required");
  rc = cli_open_store_mode(argv[0], vals[0], STORE_READ, &st);
  if(rc != CLI_OK)
    return rc;
  /* UTF-8 byte order mark and semicolons: Excel with Swedish settings
   * opens the file with å, ä, ö and columns right. */
  fputs("\xEF\xBB\xBF", stdout);
  fputs("uuid;enkat;version;enhet;lage;sprak;narstaende;status;datum;spar;"
        "vardform;fraga;svar;fritext\r\n", stdout);
  struct export_ctx x = {stdout, 0, 0};
  if(store_foreach(st, export_visit, &x, err) != PR_OK || x.oom) {
    fprintf(stderr, "rostctl export: %s\n", x.oom ? "out of memory while "
            "scrubbing free text; the CSV is incomplete" : err);
    rc = CLI_FAIL;
  }
  else if(fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "rostctl export: writing the CSV failed: %s\n",
            strerror(errno));
    rc = CLI_FAIL;
  }
  else if(x.scrubbed)
    fprintf(stderr, "rostctl export: %ld phone number(s), personnummer or "
            "e-mail address(es) in free text replaced by markers such as "
            "%s\n", x.scrubbed, scrub_marker(SCRUB_PHONE));
  store_close(st);
  return rc;
}

/* ---- check ----------------------------------------------------------- */

int rostcmd_check(int argc, char **argv)
{
  static const char *const opts[] = {"--store"};
  const char *vals[1] = {NULL};
  int n_pos = 0, rc;
  struct store *st = NULL;
  char report[1024];

  rc = cli_parse(argc, argv, CHECK_ARGS, 1, opts, vals, NULL, 0, &n_pos);
  if(rc != CLI_OK)
    return rc;
  if(!vals[0])
    return cli_usage(argv[0], CHECK_ARGS, "--store is required");
  /* Read-only: a damaged store is reported by the open and left as it
   * is (exit 1); the kiosk program is the one that moves it aside. */
  rc = cli_open_store_mode(argv[0], vals[0], STORE_READ, &st);
  if(rc != CLI_OK)
    return rc;
  enum pr_rc prc = store_check(st, report, sizeof(report));
  fputs(report, stdout);
  store_close(st);
  return prc == PR_OK ? CLI_OK : CLI_FAIL;
}

/* ---- set-pin --------------------------------------------------------- */

/* Read one line into buf without the newline; echo off on a terminal. */
static int read_secret(const char *prompt, char *buf, size_t cap)
{
  struct termios old, quiet;
  int tty = isatty(STDIN_FILENO);
  size_t n;
  if(tty) {
    fputs(prompt, stderr);
    fflush(stderr);
    if(tcgetattr(STDIN_FILENO, &old) != 0)
      return -1;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  char *got = fgets(buf, (int)cap, stdin);
  if(tty) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
  }
  if(!got)
    return -1;
  n = strlen(buf);
  if(n && buf[n - 1] == '\n')
    buf[--n] = '\0';
  else if(n + 1 == cap)
    return -1;                          /* longer than any PIN */
  if(n && buf[n - 1] == '\r')
    buf[--n] = '\0';
  return 0;
}

int rostcmd_set_pin(int argc, char **argv)
{
  static const char *const opts[] = {"--store"};
  const char *vals[1] = {NULL};
  int n_pos = 0, rc;
  struct store *st = NULL;
  char pin[64] = "", again[64] = "", hash[PIN_HASH_LEN], err[PR_ERR_LEN] = "";

  const char *pos[8];
  rc = cli_parse(argc, argv, SETPIN_ARGS, 1, opts, vals, pos, 8, &n_pos);
  if(rc != CLI_OK)
    return rc;
  if(n_pos > 0)   /* never echo it: it may be the PIN */
    return cli_usage(argv[0], SETPIN_ARGS, "the PIN is never taken from "
                     "the command line (it would stay in the shell "
                     "history); type it when asked or pipe it on stdin");
  if(!vals[0])
    return cli_usage(argv[0], SETPIN_ARGS, "--store is required");
  if(read_secret("Ny PIN-kod (4-12 siffror): ", pin, sizeof(pin)) != 0) {
    fprintf(stderr, "rostctl set-pin: no PIN given on stdin\n");
    return CLI_FAIL;
  }
  if(isatty(STDIN_FILENO)) {
    if(read_secret("Samma PIN-kod igen: ", again, sizeof(again)) != 0 ||
       strcmp(pin, again) != 0) {
      fprintf(stderr, "rostctl set-pin: the two PINs differ; nothing "
              "changed\n");
      rc = CLI_FAIL;
      goto out;
    }
  }
  if(pin_hash(pin, hash, err) != PR_OK) {
    fprintf(stderr, "rostctl set-pin: %s; nothing changed\n", err);
    rc = CLI_FAIL;
    goto out;
  }
  /* Setting the PIN is how a new kiosk is prepared, so unlike the other
   * commands this one may create the store (its directory must exist). */
  int created = access(vals[0], F_OK) != 0;
  rc = cli_open_store_mode(argv[0], vals[0], created ? STORE_CREATE
                                                     : STORE_WRITE, &st);
  if(rc != CLI_OK)
    goto out;
  if(created)
    printf("created a new store at %s\n", vals[0]);
  if(store_meta_set(st, "staff_pin_hash", hash, err) != PR_OK) {
    fprintf(stderr, "rostctl set-pin: %s\n", err);
    rc = CLI_FAIL;
    goto out;
  }
  printf("staff PIN set (Argon2id hash stored in %s)\n", vals[0]);
  rc = CLI_OK;
out:
  /* Do not leave the PIN in memory longer than needed. */
  sodium_memzero(pin, sizeof(pin));
  sodium_memzero(again, sizeof(again));
  store_close(st);
  return rc;
}
