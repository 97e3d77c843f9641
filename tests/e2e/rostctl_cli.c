/* rostctl_cli.c — This file contains the end-to-end test of the real
 * rostctl program: it fills a store through the store API, then runs
 * rostctl as staff would (right and wrong input) and checks what they
 * would see: exit codes, messages, counts, the Excel CSV, the store check,
 * and the staff PIN read from stdin (never argv).
 *
 * usage: rostctl_cli ROSTCTL WORKDIR */
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
  if(pr_init() != PR_OK)
    return 1;
  mkdir(work, 0700);
  snprintf(store, sizeof(store), "%s/kiosk.db", work);
  unlink(store);
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
  CHECK(rc == 0 && strstr(out, "visas bara om nojdhet är: lite inte_alls") &&
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
  CHECK(lines == 1 + 11, "export has %d lines, want 12", lines);

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

  /* A damaged store: check says so, moves it aside, exits 1. */
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
    CHECK(rc == 1 && strstr(out, "was damaged") && strstr(out, ".corrupt-"),
          "%d %s", rc, out);
  }

  printf("rostctl_cli: %s (%d failures)\n", failures ? "FAILED" : "ok",
         failures);
  return failures ? 1 : 0;
}
