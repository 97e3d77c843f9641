/* old_store_fill.c — fills a kiosk store through the OLD libsurvey of
 * commit 90bf1c0 (store schema v2), for tests/pkg/oldschema/make.sh:
 * 52 synthetic responses (40 kiosk, 12 phone) on fixed dates, 20 synced.
 * Built against that commit only; not part of the project build. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "pr.h"
#include "qset.h"
#include "store.h"

int main(int argc, char **argv)
{
  static const char *k[] = {"mycket", "lite", "inte_alls", "vet_ej"};
  static const char *f[] = {"stammer_inte_alls", "stammer_daligt",
                            "stammer_ganska_bra", "stammer_helt", "vet_ej"};
  static const char *yn[] = {"ja", "nej", "vet_ej"};
  static const char *tr[] = {"gron", "gul", "rod"};
  struct store *s = NULL;
  char err[PR_ERR_LEN] = "", uuid[STORE_UUID_LEN], date[16];
  int i, nsync = 0;
  if(argc != 2 || pr_init() != PR_OK) return 2;
  if(store_open(argv[1], &s, err) != PR_OK) { fprintf(stderr, "%s\n", err); return 1; }
  for(i = 0; i < 40; i++) {
    struct store_new n = {"kiosk-besok", 1, "SE2321000032-PKG001",
                          QSET_MODE_KIOSK, i % 7 == 3 ? "en" : "sv", 0,
                          NULL, NULL, NULL};
    snprintf(date, sizeof(date), "2026-11-%02d", 2 + i % 20);
    n.date = date;
    if(store_begin(s, &n, uuid, err) != PR_OK) goto fail;
    if(store_answer(s, uuid, "nojdhet", k[i % 4], NULL, err) != PR_OK) goto fail;
    if(i % 5 == 4) {   /* walked away after one answer */
      if(store_finish(s, uuid, STORE_ABANDONED, err) != PR_OK) goto fail;
      continue;
    }
    if(store_answer(s, uuid, "delaktighet", k[(i / 2) % 4], NULL, err) != PR_OK ||
       store_answer(s, uuid, "trygghet", k[(i / 3) % 3], NULL, err) != PR_OK ||
       store_answer(s, uuid, "respekt", k[(i + 1) % 3], NULL, err) != PR_OK)
      goto fail;
    if(i % 6 == 0 &&
       store_answer(s, uuid, "kommentar", NULL, "Syntetisk kommentar: bra bemötande.", err) != PR_OK)
      goto fail;
    if(store_finish(s, uuid, STORE_COMPLETE, err) != PR_OK) goto fail;
  }
  for(i = 0; i < 12; i++) {
    struct store_new n = {"ring-upp-utskrivning", 1, "SE2321000032-PKG001",
                          QSET_MODE_PHONE, "sv", i % 4 == 1, tr[i % 3],
                          i % 3 == 2 ? "psykiatrisk" : "somatisk", NULL};
    snprintf(date, sizeof(date), "2026-11-%02d", 10 + i);
    n.date = date;
    if(store_begin(s, &n, uuid, err) != PR_OK ||
       store_answer(s, uuid, "delaktighet", f[i % 5], NULL, err) != PR_OK ||
       store_answer(s, uuid, "samordning", f[(i + 2) % 5], NULL, err) != PR_OK ||
       store_answer(s, uuid, "trygghet", f[(i + 3) % 4], NULL, err) != PR_OK ||
       store_answer(s, uuid, "hansyn", f[(i + 1) % 4], NULL, err) != PR_OK ||
       store_answer(s, uuid, "information", yn[i % 3], NULL, err) != PR_OK ||
       store_answer(s, uuid, "skriftlig_vardplan", yn[(i + 1) % 2], NULL, err) != PR_OK ||
       store_finish(s, uuid, STORE_COMPLETE, err) != PR_OK)
      goto fail;
  }
  /* the first 20 in the outbox were synced before the upgrade */
  {
    struct store_response *r = NULL;
    int n = 0;
    char (*u)[STORE_UUID_LEN];
    if(store_outbox(s, 20, &r, &n, err) != PR_OK) goto fail;
    u = calloc((size_t)n, sizeof(*u));
    for(i = 0; i < n; i++) memcpy(u[i], r[i].uuid, STORE_UUID_LEN);
    if(store_mark_synced(s, (const char (*)[STORE_UUID_LEN])u, n, err) != PR_OK) goto fail;
    nsync = n;
    store_responses_free(r, n); free(u);
  }
  printf("store schema v%d, %d synced\n", store_schema_version(s), nsync);
  store_close(s);
  return 0;
fail:
  fprintf(stderr, "mkstore: %s\n", err);
  return 1;
}
