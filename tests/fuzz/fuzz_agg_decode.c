/* This file contains the fuzz target for the aggregator's request decoder:
 * arbitrary bytes go through ingest_decode and, when they decode, every
 * response is checked against a real question set and a reply is built.
 * Built as a libFuzzer target with clang (PR_FUZZ=ON) and, linked with
 * fuzz_agg_replay.c, as a plain program for the gcc+ASan suite. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "qset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The set is loaded once per process: a fuzz harness's only state, never
 * written after the first call. */
static const struct qset *test_set(void)
{
  static struct qset *qs;
  char err[PR_ERR_LEN];

  if(!qs) {
    if(pr_init() != PR_OK ||
       qset_load_file(PR_TEST_DATA "/agg/test-set-v1.json", &qs, err) != PR_OK) {
      fprintf(stderr, "fuzz: cannot load the test set: %s\n", err);
      abort();
    }
    pr_log_set_level(PR_LOG_ERROR);
  }
  return qs;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const struct qset *qs = test_set();
  struct ingest_batch *b = NULL;
  char err[PR_ERR_LEN], *reply = NULL;
  size_t len = 0;
  enum pr_rc rc;
  int i;

  rc = ingest_decode((const char *)data, size, 100, &b, err);
  if(rc != PR_OK) {
    if(b)
      abort();                       /* contract: *out NULL on failure */
    if(!memchr(err, '\0', sizeof(err)))
      abort();
    return 0;
  }
  for(i = 0; i < b->n; i++) {
    struct ingest_resp *r = &b->r[i];
    if(!strcmp(r->set, qs->id) && r->version == qs->version)
      ingest_check(r, qs, 20781);
    if(r->result == INGEST_PENDING) {
      r->result = INGEST_STORED;
    } else if(r->result != INGEST_REJECTED || !r->reason[0]) {
      abort();                       /* a rejection always says why */
    }
  }
  if(ingest_reply(b, &reply, &len) != PR_OK)
    abort();
  pr_free(reply);
  ingest_batch_free(b);
  return 0;
}
