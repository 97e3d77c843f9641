/* rostctl_cli.c — This file contains the end-to-end test of the real
 * rostctl program: it fills a store through the store API, then runs
 * rostctl as staff would (right and wrong input) and checks what they
 * would see: exit codes, messages, counts, the Excel CSV (free text
 * scrubbed), the store check, the staff PIN read from stdin (never argv),
 * a wrong --store refused untouched, a damaged store reported and left
 * alone, an unreadable one named as such, writers kept out while another
 * program holds the store (readers not), bad unit ids, import warnings,
 * counts cut by mode, track, care, unit and span, and the call list as a
 * coordinator reads it (one row per entry, röd/grön,
 * columns aligned by display width, --csv yes).
 *
 * usage: rostctl_cli ROSTCTL WORKDIR */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pin.h"
#include "schema.h"
#include "store.h"

static const char *rostctl, *work;
static int failures;

#define CHECK(cond, ...) do { if(!(cond)) { failures++; \
  fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
  fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while(0)

/* Run "rostctl ARGS" with stdin from `input` (may be NULL); capture stdout
 * and stderr together into out; return the exit code. */
static int run(const char *args, const char *input, char *out, size_t cap)
{
  char cmd[4096], inpath[1024];
  FILE *p;
  size_t n;
  int st;
  snprintf(inpath, sizeof(inpath), "%s/stdin.txt", work);
  FILE *f = fopen(inpath, "w");
  if(!f)
    return -1;
  if(input)
    fputs(input, f);
  fclose(f);
  snprintf(cmd, sizeof(cmd), "'%s' %s < '%s' 2>&1", rostctl, args, inpath);
  p = popen(cmd, "r");
  if(!p)
    return -1;
  n = fread(out, 1, cap - 1, p);
  out[n] = '\0';
  st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The same, as the user "nobody" when this test runs as root (root may
 * read any file, so a permission problem would not show). */
static int run_unprivileged(const char *args, char *out, size_t cap)
{
  char a[4096];
  if(geteuid() != 0)
    return run(args, NULL, out, cap);
  snprintf(a, sizeof(a), "%s", args);
  char cmd[4200], inpath[1024];
  FILE *p;
  size_t n;
  int st;
  snprintf(inpath, sizeof(inpath), "%s/stdin.txt", work);
  snprintf(cmd, sizeof(cmd), "setpriv --reuid=65534 --regid=65534 "
           "--clear-groups '%s' %s < /dev/null 2>&1", rostctl, a);
  p = popen(cmd, "r");
  if(!p)
    return -1;
  n = fread(out, 1, cap - 1, p);
  out[n] = '\0';
  st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The whole of a small file in buf; its length, or -1. */
static long slurp(const char *path, char *buf, size_t cap)
{
  FILE *f = fopen(path, "rb");
  size_t n;
  if(!f)
    return -1;
  n = fread(buf, 1, cap, f);
  fclose(f);
  return (long)n;
}

/* How many entries of the work directory start with prefix. */
static int files_with_prefix(const char *prefix)
{
  DIR *d = opendir(work);
  struct dirent *e;
  int n = 0;
  if(!d)
    return -1;
  while((e = readdir(d)) != NULL)
    if(strncmp(e->d_name, prefix, strlen(prefix)) == 0)
      n++;
  closedir(d);
  return n;
}

/* A child process that holds the store open as the kiosk does (the
 * writers' lock) until killed. */
static pid_t hold_store(const char *path)
{
  int fds[2];
  char c;
  pid_t pid;
  if(pipe(fds) != 0)
    return -1;
  fflush(NULL);
  pid = fork();
  if(pid == 0) {
    struct store *s = NULL;
    char err[PR_ERR_LEN];
    close(fds[0]);
    if(store_open(path, &s, err) != PR_OK)
      _exit(3);
    if(write(fds[1], "k", 1) != 1)
      _exit(4);
    for(;;)
      pause();
  }
  close(fds[1]);
  if(pid < 0 || read(fds[0], &c, 1) != 1) {
    close(fds[0]);
    return -1;
  }
  close(fds[0]);
  return pid;
}

static void fill_store(const char *path)
{
  char err[PR_ERR_LEN], u[STORE_UUID_LEN];
  struct store *s = NULL;
  static const char *const noj[] = {"mycket", "mycket", "mycket", "lite",
                                    "vet_ej"};
  if(store_open(path, &s, err) != PR_OK) {
    fprintf(stderr, "%s\n", err);
    exit(1);
  }
  for(size_t i = 0; i < PR_ARRAY_LEN(noj); i++) {
    struct store_new n = {"kiosk-besok", 1, "SE2321000032-ABC123",
                          QSET_MODE_KIOSK, i == 4 ? "ar" : "sv", 0, NULL,
                          NULL, "2026-11-23"};
    if(store_begin(s, &n, u, err) != PR_OK ||
       store_answer(s, u, "nojdhet", noj[i], NULL, err) != PR_OK ||
       store_answer(s, u, "respekt", i < 4 ? "mycket" : "inte_alls", NULL,
                    err) != PR_OK) {
      fprintf(stderr, "%s\n", err);
      exit(1);
    }
    if(i == 3 && store_answer(s, u, "kommentar", NULL,
                              "=HYPERLINK(\"x\") och \"citat\"; å ä ö",
                              err) != PR_OK)
      exit(1);
    if(i == 1 && store_answer(s, u, "kommentar", NULL,
                              "Ring mig 070-174 06 05, pnr 19121212-1212",
                              err) != PR_OK)
      exit(1);
    if(i < 4 && store_finish(s, u, STORE_COMPLETE, err) != PR_OK)
      exit(1);
  }
  store_close(s);
}

int main(int argc, char **argv)
{
  static char out[1 << 16];
  char store[512], args[4096], sets[512];
  int rc;

  if(argc < 3) {
    fprintf(stderr, "usage: rostctl_cli ROSTCTL WORKDIR\n");
    return 2;
  }
  rostctl = argv[1];
  work = argv[2];
  /* "today" is 2026-11-24 for rostctl too (the call list's window). */
  setenv("PATIENTROST_NOW", "1795521600", 1);
  setenv("TZ", "UTC", 1);
  if(pr_init() != PR_OK)
    return 1;
  {
    /* A clean directory: the checks below count files in it. */
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", work);
    if(system(cmd) != 0)
      return 1;
  }
  mkdir(work, 0700);
  snprintf(store, sizeof(store), "%s/kiosk.db", work);
  snprintf(sets, sizeof(sets), "%s/surveys", PR_ASSETS_DIR);

  /* Wrong input: message + usage, exit 2. */
  rc = run("", NULL, out, sizeof(out));
  CHECK(rc == 2 && strstr(out, "usage: rostctl COMMAND"), "no args: %d %s",
        rc, out);
  rc = run("frobnicate", NULL, out, sizeof(out));
  CHECK(rc == 2 && strstr(out, "unknown command \"frobnicate\""), "%s", out);
  rc = run("counts", NULL, out, sizeof(out));
  CHECK(rc == 2 && strstr(out, "--store is required") &&
        strstr(out, "usage: rostctl counts"), "%s", out);
  rc = run("counts --store", NULL, out, sizeof(out));
  CHECK(rc == 2 && strstr(out, "--store needs a value"), "%s", out);
  rc = run("export --stor x", NULL, out, sizeof(out));
  CHECK(rc == 2 && strstr(out, "unknown option --stor"), "%s", out);
  rc = run("help", NULL, out, sizeof(out));
  CHECK(rc == 0 && strstr(out, "set-pin"), "%s", out);

  /* validate / sets */
  snprintf(args, sizeof(args), "validate '%s/kiosk-besok.json' "
           "'%s/qsets/broken/cond_later.json'", sets, PR_TEST_DATA);
  rc = run(args, NULL, out, sizeof(out));
  CHECK(rc == 1, "validate with a broken file must exit 1: %d", rc);
  CHECK(strstr(out, "OK     ") && strstr(out, "kiosk-besok"), "%s", out);
  CHECK(strstr(out, "BROKEN ") && strstr(out, "cond_later.json: question "
        "battre") && strstr(out, "later or unknown question"), "%s", out);
  snprintf(args, sizeof(args), "sets '%s'", sets);
  rc = run(args, NULL, out, sizeof(out));
  CHECK(rc == 0 && strstr(out, "ring-upp-utskrivning") &&
        strstr(out, "samordnare-vardplan") && strstr(out, "sv,en,ar"),
        "%s", out);
  snprintf(args, sizeof(args), "sets '%s/qsets/broken'", PR_TEST_DATA);
  rc = run(args, NULL, out, sizeof(out));
  CHECK(rc == 1, "sets on a broken dir: %d %s", rc, out);

  /* show: a set as the patient meets it, in any language it carries. */
  snprintf(args, sizeof(args), "show kiosk-besok --lang ar --sets '%s'", sets);
  rc = run(args, NULL, out, sizeof(out));
  CHECK(rc == 0 && strstr(out, "زيارتك اليوم") && strstr(out, "+ كثيرًا") &&
        strstr(out, "? لا أعرف / لا أريد الإجابة") &&
        !strstr(out, "Mycket"), "show ar: %d %s", rc, out);
  snprintf(args, sizeof(args), "show kiosk-besok --easy yes --sets '%s'",
           sets);
  rc = run(args, NULL, out, sizeof(out));
  CHECK(rc == 0 && strstr(out, "Hur vänligt blev du behandlad") &&
        !strstr(out, "bemött"), "show easy: %d %s", rc, out);
  snprintf(args, sizeof(args), "show '%s/samordnare-kontakt.json'", sets);
  rc = run(args, NULL, out, sizeof(out));
  CHECK(rc == 0 && strstr(out, "visas bara om nojdhet inte är: mycket") &&
        strstr(out, "manus: "), "show file: %d %s", rc, out);
  snprintf(args, sizeof(args), "show ring-upp-utskrivning --lang en --sets "
           "'%s'", sets);
  rc = run(args, NULL, out, sizeof(out));
  CHECK(rc == 1 && strstr(out, "does not carry language \"en\""), "%s",
        out);
  rc = run("show no-such-set", NULL, out, sizeof(out));
  CHECK(rc == 1 && strstr(out, "no set \"no-such-set\""), "%s", out);
  rc = run("show", NULL, out, sizeof(out));
  CHECK(rc == 2 && strstr(out, "usage: rostctl show"), "%s", out);

  /* A store that does not exist is not created by a staff command. */
  snprintf(args, sizeof(args), "counts --store '%s'", store);
  rc = run(args, NULL, out, sizeof(out));
  CHECK(rc == 1 && strstr(out, "no store file at"), "%s", out);
  CHECK(access(store, F_OK) != 0, "counts created a store");

  fill_store(store);

  /* counts: nojdhet 3 positive, 1 negative, 1 vet ej -> 75 %. */
  snprintf(args, sizeof(args), "counts --store '%s' --sets '%s'", store,
           sets);
  rc = run(args, NULL, out, sizeof(out));
  CHECK(rc == 0, "counts: %d %s", rc, out);
  CHECK(strstr(out, "4 complete, 0 abandoned, 1 in progress"), "%s", out);
  CHECK(strstr(out, "nojdhet                     3        1        1    "
               "75 %"), "%s", out);
  CHECK(strstr(out, "respekt                     4        1        0    "
               "80 %"), "%s", out);

  /* export: BOM, semicolons, CRLF, quoted, formula neutralised. */
  snprintf(args, sizeof(args), "export --store '%s'", store);
  rc = run(args, NULL, out, sizeof(out));
  CHECK(rc == 0, "export: %d", rc);
  CHECK(memcmp(out, "\xEF\xBB\xBFuuid;enkat;", 14) == 0, "no BOM/header");
  CHECK(strstr(out, "\"'=HYPERLINK(\"\"x\"\") och \"\"citat\"\"; å ä ö\""),
        "formula or quoting wrong: %s", out);
  CHECK(strstr(out, "\"2026-11-23\""), "date missing");
  int lines = 0;
  for(char *p = out; (p = strstr(p, "\r\n")) != NULL; p += 2)
    lines++;
  CHECK(lines == 1 + 12, "export has %d lines, want 13", lines);
  /* The CSV leaves the machine: free text is scrubbed as for the sync. */
  CHECK(!strstr(out, "070-174") && !strstr(out, "19121212"),
        "export carries a phone number or personnummer: %s", out);
  CHECK(strstr(out, "\"Ring mig [telefon], pnr [personnummer]\""),
        "export free text not scrubbed: %s", out);
  CHECK(strstr(out, "rostctl export: 2 phone number(s), personnummer"),
        "export does not say what it scrubbed: %s", out);

  /* check */
  snprintf(args, sizeof(args), "check --store '%s'", store);
  rc = run(args, NULL, out, sizeof(out));
  char want[64];
  snprintf(want, sizeof(want), "schema version: %d (this program: %d)",
           schema_latest(), schema_latest());
  CHECK(rc == 0 && strstr(out, "integrity_check: ok") && strstr(out, want) &&
        strstr(out, "responses: 5"), "%s", out);

  /* set-pin: from stdin; never from argv, and never echoed. */
  snprintf(args, sizeof(args), "set-pin --store '%s' 246810", store);
  rc = run(args, NULL, out, sizeof(out));
  CHECK(rc == 2 && !strstr(out, "246810"), "PIN on argv: %d %s", rc, out);
  snprintf(args, sizeof(args), "set-pin --store '%s'", store);
  rc = run(args, "12ab\n", out, sizeof(out));
  CHECK(rc == 1 && strstr(out, "4 to 12 digits") && strstr(out, "nothing "
        "changed"), "%s", out);
  rc = run(args, "246810\n", out, sizeof(out));
  CHECK(rc == 0, "set-pin: %d %s", rc, out);
  {
    struct store *s = NULL;
    char err[PR_ERR_LEN], hash[PIN_HASH_LEN];
    CHECK(store_open(store, &s, err) == PR_OK, "%s", err);
    CHECK(store_meta_get(s, "staff_pin_hash", hash, sizeof(hash)) == PR_OK,
          "no hash stored");
    CHECK(pin_verify(hash, "246810") == PR_OK, "stored hash does not verify");
    CHECK(pin_verify(hash, "246811") == PR_EAUTH, "wrong PIN verified");
    CHECK(!strstr(hash, "246810"), "PIN stored in clear");
    store_close(s);
  }

  /* set-pin prepares a new kiosk: it creates the store, nothing else does. */
  {
    char fresh[600], missing[600];
    snprintf(fresh, sizeof(fresh), "%s/new-kiosk.db", work);
    snprintf(missing, sizeof(missing), "%s/no-such-dir/kiosk.db", work);
    unlink(fresh);
    snprintf(args, sizeof(args), "set-pin --store '%s'", fresh);
    rc = run(args, "1357\n", out, sizeof(out));
    CHECK(rc == 0 && strstr(out, "created a new store") &&
          access(fresh, F_OK) == 0, "set-pin on a new store: %d %s", rc, out);
    snprintf(args, sizeof(args), "set-pin --store '%s'", missing);
    rc = run(args, "1357\n", out, sizeof(out));
    CHECK(rc == 1 && strstr(out, "does not exist"), "%d %s", rc, out);
  }

  /* Another program writing to the store (the kiosk): the writing
   * commands stop with exit 3 and say so; the reading ones work. */
  {
    pid_t holder = hold_store(store);
    CHECK(holder > 0, "could not start the holding child");
    snprintf(args, sizeof(args), "calls erase --store '%s' --expired yes",
             store);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 3 && strstr(out, store) &&
          strstr(out, "is in use by another Patientröst program "
                      "(rostctl_cli, pid") &&
          strstr(out, "Nothing was done"), "erase while held: %d %s", rc,
          out);
    snprintf(args, sizeof(args), "set-pin --store '%s'", store);
    rc = run(args, "2468\n", out, sizeof(out));
    CHECK(rc == 3 && strstr(out, "in use by another"), "set-pin while held: "
          "%d %s", rc, out);
    snprintf(args, sizeof(args), "counts --store '%s' --sets '%s'", store,
             sets);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 0 && strstr(out, "4 complete"), "counts while held: %d %s",
          rc, out);
    snprintf(args, sizeof(args), "check --store '%s'", store);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 0 && strstr(out, "integrity_check: ok"), "check while held: "
          "%d %s", rc, out);
    snprintf(args, sizeof(args), "export --store '%s'", store);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 0 && strstr(out, "uuid;enkat;"), "export while held: %d",
          rc);
    snprintf(args, sizeof(args), "calls stats --store '%s'", store);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 0 && strstr(out, "week;unit;"), "stats while held: %d %s",
          rc, out);
    if(holder > 0) {
      kill(holder, SIGKILL);
      waitpid(holder, NULL, 0);
    }
    snprintf(args, sizeof(args), "calls erase --store '%s' --expired yes",
             store);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 0, "erase after the holder ended: %d %s", rc, out);
  }

  /* A unit that is not an HSA-id is refused before anything is stored. */
  {
    char csv[600], fresh[600];
    snprintf(csv, sizeof(csv), "%s/lista-ok.csv", work);
    snprintf(fresh, sizeof(fresh), "%s/unit-test.db", work);
    FILE *f = fopen(csv, "w");
    if(f) {
      fputs("Namn;Telefon;Personnummer;Utskrivningsdatum;Spår;Vårdtyp;"
            "Samtycke\n"
            "Tolvan Tolvansson;070-174 06 05;19121212-1212;2026-11-20;röd;"
            "somatisk;ja\n", f);
      fclose(f);
    }
    snprintf(args, sizeof(args), "calls import --store '%s' --unit 'bad "
             "unit!' '%s'", fresh, csv);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 2 && strstr(out, "\"bad unit!\" is not an HSA-id"),
          "import --unit: %d %s", rc, out);
    CHECK(access(fresh, F_OK) != 0, "a bad --unit created a store");
    snprintf(args, sizeof(args), "calls add --store '%s' --unit 'bad!unit' "
             "--name 'A B' --phone 0701740605 --discharge 2026-11-20 "
             "--track rod --care somatisk --consent ja", store);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 2 && strstr(out, "\"bad!unit\" is not an HSA-id"),
          "add --unit: %d %s", rc, out);

    /* Re-importing a row with the same personnummer but another phone:
     * a warning with the line number and no personal data. */
    snprintf(args, sizeof(args), "calls import --store '%s' --unit "
             "SE2321000032-ABC123 '%s'", fresh, csv);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 0 && strstr(out, "1 added"), "import: %d %s", rc, out);
    f = fopen(csv, "w");
    if(f) {
      fputs("Namn;Telefon;Personnummer;Utskrivningsdatum;Spår;Vårdtyp;"
            "Samtycke\n"
            "Tolvan Tolvansson;070-999 99 99;19121212-1212;2026-11-20;röd;"
            "somatisk;ja\n", f);
      fclose(f);
    }
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 0 && strstr(out, "1 already in the list") &&
          strstr(out, "  warning line 2: same personnummer and discharge "
                      "date as an entry already listed, but another phone"),
          "import warning: %d %s", rc, out);
    CHECK(!strstr(out, "999 99") && !strstr(out, "Tolvan") &&
          !strstr(out, "19121212"), "personal data in the report: %s", out);
  }

  /* counts cut like the aggregator's: --mode, --track, --care (any
   * spelling of the shared vocabulary), --unit, --span/--from/--to. */
  {
    char cdb[600], err[PR_ERR_LEN], u[STORE_UUID_LEN];
    struct store *s = NULL;
    static const struct {
      unsigned mode;
      const char *track, *care, *date;
    } rs[] = {
      {QSET_MODE_KIOSK, NULL, NULL, "2026-11-23"},
      {QSET_MODE_PHONE, "rod", "psykiatrisk", "2026-11-23"},
      {QSET_MODE_PHONE, "rod", "psykiatrisk", "2026-11-16"},
      {QSET_MODE_PHONE, "gul", "somatisk", "2026-10-05"},
    };
    snprintf(cdb, sizeof(cdb), "%s/counts-cut.db", work);
    if(store_open(cdb, &s, err) != PR_OK)
      exit(1);
    for(size_t i = 0; i < PR_ARRAY_LEN(rs); i++) {
      int kiosk = rs[i].mode == QSET_MODE_KIOSK;
      struct store_new n = {kiosk ? "kiosk-besok" : "ring-upp-utskrivning", 1,
                            "SE2321000032-ABC123", rs[i].mode, "sv", 0,
                            rs[i].track, rs[i].care, rs[i].date};
      if(store_begin(s, &n, u, err) != PR_OK ||
         store_answer(s, u, kiosk ? "nojdhet" : "delaktighet",
                      kiosk ? "mycket" : "stammer_inte_alls", NULL, err) !=
             PR_OK ||
         store_finish(s, u, STORE_COMPLETE, err) != PR_OK) {
        fprintf(stderr, "counts-cut: %s\n", err);
        exit(1);
      }
    }
    store_close(s);
    static const struct {
      const char *opts, *want;
    } cuts[] = {
      {"", "4 complete"},
      {"--mode phone", "3 complete"},
      {"--mode kiosk", "1 complete"},
      {"--care Psykiatri", "2 complete"},
      {"--track RÖD --care psykiatrisk", "2 complete"},
      {"--track gul", "1 complete"},
      {"--track grön", "0 complete"},
      {"--span 2026-11", "3 complete"},
      {"--span 2026-10..2026-11 --mode phone", "3 complete"},
      {"--from 2026-11-20", "2 complete"},
      {"--to 2026-10-31", "1 complete"},
      {"--unit SE2321000032-XYZ999", "0 complete"},
    };
    for(size_t i = 0; i < PR_ARRAY_LEN(cuts); i++) {
      snprintf(args, sizeof(args), "counts --store '%s' --sets '%s' %s", cdb,
               sets, cuts[i].opts);
      rc = run(args, NULL, out, sizeof(out));
      CHECK(rc == 0 && strstr(out, cuts[i].want), "counts %s: %d %s",
            cuts[i].opts, rc, out);
    }
    /* --period: a row per month (phone: the Monday's month). */
    snprintf(args, sizeof(args), "counts --store '%s' --sets '%s' --period "
             "month --mode phone", cdb, sets);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 0 && strstr(out, "period    set") &&
          strstr(out, "\n2026-10   ring-upp-utskrivning") &&
          strstr(out, "\n2026-11   ring-upp-utskrivning") &&
          strstr(out, "2026-10") < strstr(out, "2026-11"),
          "counts --period month: %d %s", rc, out);
    /* export: the track and care type in the words every other door shows
     * people (vocab.h: röd, gul, grön), which every import reads back. */
    snprintf(args, sizeof(args), "export --store '%s'", cdb);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 0 && strstr(out, "\"röd\";\"psykiatrisk\"") &&
          strstr(out, "\"gul\";\"somatisk\"") && !strstr(out, "\"rod\""),
          "export track words: %d %s", rc, out);
    snprintf(args, sizeof(args), "counts --store '%s' --care ortopedi", cdb);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 2 && strstr(out, "--care: somatisk or psykiatrisk"),
          "counts --care ortopedi: %d %s", rc, out);
    snprintf(args, sizeof(args), "counts --store '%s' --span 2026-13", cdb);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 2 && strstr(out, "--span"), "counts --span: %d %s", rc, out);
  }

  /* calls list: what a coordinator reads.  A name with a line break (a
   * quoted CSV field) stays on its row, tracks read röd/grön, columns line
   * up by what the terminal shows (å ä ö one column each), and --csv yes
   * gives scripts every field quoted, the line break kept inside. */
  {
    char csv[600], db[600], *line, *next;
    size_t col0 = 0;
    int rows = 0;
    snprintf(csv, sizeof(csv), "%s/lista-list.csv", work);
    snprintf(db, sizeof(db), "%s/list-test.db", work);
    FILE *f = fopen(csv, "w");
    if(f) {
      fputs("Namn;Telefon;Personnummer;Utskrivningsdatum;Spår;Vårdtyp;"
            "Samtycke\n"
            "\"Åsa\nÖberg\";070-174 06 05;;2026-11-20;RÖD;Psykiatri;ja\n"
            "Bo Ek;070-174 06 06;;2026-11-20;grön;somatisk;ja\n"
            "Örjan Ärlig-Åström;070-174 06 07;;2026-11-20;gul;"
            "Somatisk;nej\n", f);
      fclose(f);
    }
    snprintf(args, sizeof(args), "calls import --store '%s' --unit "
             "SE2321000032-ABC123 '%s'", db, csv);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 0 && strstr(out, "3 added"), "list import: %d %s", rc, out);
    snprintf(args, sizeof(args), "calls list --store '%s' --all yes", db);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 0, "calls list: %d %s", rc, out);
    CHECK(strstr(out, "röd") && strstr(out, "grön") &&
          strstr(out, "psykiatrisk") && !strstr(out, " rod ") &&
          !strstr(out, " gron "), "calls list tracks: %s", out);
    CHECK(strstr(out, "Åsa ⏎ Öberg"), "line break not shown on its row: %s",
          out);
    /* Every row (header, 3 entries) has its phone column at the same
     * display column: count code points, not bytes. */
    for(line = out; *line; line = next) {
      char *ph, *nl = strchr(line, '\n');
      size_t cols = 0;
      next = nl ? nl + 1 : line + strlen(line);
      if(nl)
        *nl = '\0';
      ph = strstr(line, "070");
      if(strncmp(line, "id ", 3) == 0)
        ph = strstr(line, "phone");
      if(!ph) {
        CHECK(strstr(line, "3 entries") != NULL, "stray line: \"%s\"", line);
        continue;
      }
      for(char *c = line; c < ph; c++)
        cols += ((unsigned char)*c & 0xC0) != 0x80;
      if(rows++ == 0)
        col0 = cols;
      CHECK(cols == col0, "phone column at %zu, header at %zu: \"%s\"", cols,
            col0, line);
    }
    CHECK(rows == 4, "calls list: %d rows, want a header and 3", rows);
    snprintf(args, sizeof(args), "calls list --store '%s' --all yes --csv yes",
             db);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 0 && strncmp(out, "id;track;care;discharged;day;", 29) == 0 &&
          strstr(out, ";\"röd\";\"psykiatrisk\";") &&
          strstr(out, "\"Åsa\nÖberg\"") && strstr(out, "\"Örjan Ärlig-Åström\""),
          "calls list --csv: %d %s", rc, out);
  }

  /* A wrong --store (the call list itself): refused as not a store, the
   * file left byte for byte as it was, nothing created or moved beside
   * it — by every command, reading or writing. */
  {
    static const char csv[] = "Namn;Telefon;Personnummer\r\n"
                              "Tolvan Tolvansson;070-174 06 05;"
                              "19121212-1212\r\n";
    static const char *const cmds[][2] = {
      {"counts", ""}, {"check", ""}, {"export", ""}, {"calls list", ""},
      {"calls stats", ""}, {"calls erase", "--expired yes"},
      {"calls import", "--unit SE2321000032-ABC123 /dev/null"},
      {"set-pin", ""}};
    char lista[600], buf[256];
    snprintf(lista, sizeof(lista), "%s/lista.csv", work);
    FILE *f = fopen(lista, "wb");
    if(f) {
      fwrite(csv, 1, sizeof(csv) - 1, f);
      fclose(f);
    }
    for(size_t i = 0; i < PR_ARRAY_LEN(cmds); i++) {
      snprintf(args, sizeof(args), "%s --store '%s' %s", cmds[i][0], lista,
               cmds[i][1]);
      rc = run(args, "2468\n", out, sizeof(out));
      CHECK(rc == 1 && strstr(out, "lista.csv is not a Patientröst store "
                              "(not an SQLite database)") &&
            strstr(out, "nothing was changed"), "%s: %d %s", args, rc, out);
      CHECK(slurp(lista, buf, sizeof(buf)) == (long)sizeof(csv) - 1 &&
            memcmp(buf, csv, sizeof(csv) - 1) == 0, "%s changed lista.csv",
            args);
      CHECK(files_with_prefix("lista.csv") == 1, "%s left files beside "
            "lista.csv", args);
    }
    snprintf(lista, sizeof(lista), "%s/empty.db", work);
    f = fopen(lista, "wb");
    if(f)
      fclose(f);
    snprintf(args, sizeof(args), "counts --store '%s'", lista);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 1 && strstr(out, "is not a Patientröst store (an empty "
                            "file)"), "empty file: %d %s", rc, out);
    CHECK(slurp(lista, buf, sizeof(buf)) == 0, "empty file written to");
  }

  /* A store the user may not read: the permission problem, with the
   * path, not SQLite's "unable to open database file". */
  {
    chmod(work, 0755);
    chmod(store, 0);
    snprintf(args, sizeof(args), "check --store '%s'", store);
    rc = run_unprivileged(args, out, sizeof(out));
    CHECK(rc == 1 && strstr(out, store) &&
          strstr(out, "no permission to read it (Permission denied") &&
          !strstr(out, "unable to open"), "unreadable: %d %s", rc, out);
    chmod(store, 0600);
    chmod(work, 0700);
  }

  /* Damage in the store's pages: check reports it, exits 1 and leaves the
   * file exactly as it is (the kiosk program is the one that moves a
   * damaged store aside). */
  {
    static char before[1 << 20], after[1 << 20];
    char noise[4096];
    long n1, n2;
    struct store *s = NULL;
    char err[PR_ERR_LEN], u[STORE_UUID_LEN];
    CHECK(store_open(store, &s, err) == PR_OK, "%s", err);
    for(int i = 0; s && i < 200; i++) {
      struct store_new n = {"kiosk-besok", 1, "SE2321000032-ABC123",
                            QSET_MODE_KIOSK, "sv", 0, NULL, NULL, NULL};
      if(store_begin(s, &n, u, err) != PR_OK ||
         store_answer(s, u, "kommentar", NULL, "En lång kommentar som fyller "
                      "sidorna en bit, en bit till.", err) != PR_OK)
        break;
    }
    store_close(s);
    for(size_t i = 0; i < sizeof(noise); i++)
      noise[i] = (char)(i * 7 + 3);
    FILE *f = fopen(store, "r+b");
    if(f) {
      fseek(f, 4 * 4096, SEEK_SET);
      fwrite(noise, 1, sizeof(noise), f);
      fclose(f);
    }
    n1 = slurp(store, before, sizeof(before));
    snprintf(args, sizeof(args), "check --store '%s'", store);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 1 && strstr(out, "is damaged") &&
          strstr(out, "it was left as it is"), "check damaged: %d %s", rc,
          out);
    n2 = slurp(store, after, sizeof(after));
    CHECK(n1 > 0 && n1 == n2 && memcmp(before, after, (size_t)n1) == 0,
          "check changed the damaged store");
    CHECK(files_with_prefix("kiosk.db.corrupt-") == 0, "check moved the "
          "store aside");
    snprintf(args, sizeof(args), "counts --store '%s'", store);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 1 && strstr(out, "is damaged"), "counts damaged: %d %s", rc,
          out);
  }

  /* The file's header overwritten: not a database any more; refused as
   * such and still not moved. */
  {
    FILE *f = fopen(store, "r+b");
    char wal[1100];
    snprintf(wal, sizeof(wal), "%s-wal", store);
    unlink(wal);
    if(f) {
      fputs("not a database any more, sorry", f);
      fclose(f);
    }
    snprintf(args, sizeof(args), "check --store '%s'", store);
    rc = run(args, NULL, out, sizeof(out));
    CHECK(rc == 1 && strstr(out, "not a Patientröst store (not an SQLite "
                            "database)"), "%d %s", rc, out);
    CHECK(files_with_prefix("kiosk.db.corrupt-") == 0 &&
          access(store, F_OK) == 0, "check moved the store aside");
  }

  printf("rostctl_cli: %s (%d failures)\n", failures ? "FAILED" : "ok",
         failures);
  return failures ? 1 : 0;
}
