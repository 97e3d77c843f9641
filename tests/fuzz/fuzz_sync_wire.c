/* fuzz_sync_wire.c — This file contains the fuzz target for what the sync
 * client reads from the network and from patients: arbitrary bytes go
 * through the reply decoders (wire_parse_results, wire_parse_sets,
 * wire_error_text) and, as text, through the scrubber.  Checked: a decoded
 * reply has only valid statuses and uuids, printable reasons and safe set
 * ids; the scrubber's output never holds a run of 9 or more digits and
 * grows by at most the markers.  Built as a libFuzzer target with clang
 * (PR_FUZZ=ON) and, with the shared replay driver fuzz_agg_replay.c, as a
 * plain program in the suite. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scrub.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_results(const char *b, size_t n)
{
  struct wire_result *r = NULL;
  int cnt = -1;
  char err[PR_ERR_LEN];
  enum pr_rc rc = wire_parse_results(b, n, &r, &cnt, err);
  if(rc != PR_OK) {
    if(r || cnt != 0 || !err[0])
      abort();
    return;
  }
  for(int i = 0; i < cnt; i++) {
    if(r[i].status < WIRE_STORED || r[i].status > WIRE_REJECTED ||
       strlen(r[i].uuid) != 36)
      abort();
    for(const char *p = r[i].reason; *p; p++)
      if((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
        abort();
  }
  pr_free(r);
}

static void check_sets(const char *b, size_t n)
{
  struct wire_set *s = NULL;
  int cnt = -1;
  char err[PR_ERR_LEN];
  if(wire_parse_sets(b, n, &s, &cnt, err) != PR_OK) {
    if(s)
      abort();
    return;
  }
  for(int i = 0; i < cnt; i++) {
    if(s[i].version < 1 || strchr(s[i].id, '/') || strchr(s[i].id, '.'))
      abort();   /* ids become file names */
  }
  pr_free(s);
}

static void check_scrub(const char *text, size_t n)
{
  struct scrub_stats st;
  char *out = NULL;
  size_t run = 0, markers = 0;
  if(scrub_text(text, &out, &st) != PR_OK)
    abort();
  for(int k = 0; k < SCRUB_N_KINDS; k++)
    markers += (size_t)st.n[k] * 16;
  if(strlen(out) > n + markers)
    abort();
  for(const char *p = out; *p; p++) {
    run = (*p >= '0' && *p <= '9') ? run + 1 : 0;
    if(run >= 9)
      abort();   /* a long number would have left the kiosk */
  }
  pr_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char err[64], *text;
  check_results((const char *)data, size);
  check_sets((const char *)data, size);
  wire_error_text((const char *)data, size, err, sizeof(err));
  text = malloc(size + 1);
  if(!text)
    return 0;
  memcpy(text, data, size);
  text[size] = '\0';   /* the scrubber takes C strings: stops at a NUL */
  check_scrub(text, strlen(text));
  free(text);
  return 0;
}
