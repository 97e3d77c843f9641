/* fuzz_csvimp.c — This file contains the fuzz target for the CSV call-list
 * reader: arbitrary bytes go through csvimp_parse with the call list's
 * columns, and every row of a file that parses is validated as a call-list
 * entry (personnummer, dates, track, ...).  Invariants: rows have line
 * numbers that never go down, fields are valid C strings, validation never
 * crashes.  libFuzzer target with PR_FUZZ=ON; replayed with mutations in
 * the suite through the shared driver fuzz_agg_replay.c. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "callcheck.h"
#include "calllist.h"
#include "csvimp.h"
#include "pdate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const a_name[] = {"namn", "name", NULL};
static const char *const a_phone[] = {"telefon", "phone", NULL};
static const char *const a_pnr[] = {"personnummer", "pnr", NULL};
static const char *const a_disch[] = {"utskrivningsdatum", "discharge date",
                                      NULL};
static const char *const a_track[] = {"spår", "track", NULL};
static const char *const a_care[] = {"vårdtyp", "care type", NULL};
static const char *const a_consent[] = {"samtycke", "consent", NULL};
static const struct csvimp_col cols[] = {
  {"namn", a_name, 1}, {"telefon", a_phone, 0}, {"personnummer", a_pnr, 0},
  {"utskrivningsdatum", a_disch, 0}, {"spår", a_track, 0},
  {"vårdtyp", a_care, 0}, {"samtycke", a_consent, 0}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static int ready;
  struct csvimp *c = NULL;
  long today = pdate_from_ymd(2026, 11, 24), last = 0;
  char err[PR_ERR_LEN];

  if(!ready) {
    if(pr_init())
      abort();
    pr_log_set_level(PR_LOG_ERROR);
    ready = 1;
  }
  if(csvimp_parse("fuzz.csv", (const char *)data, size, cols, 7, &c, err))
    return 0;
  for(int r = 0; r < csvimp_rows(c); r++) {
    struct calllist_input in;
    struct calllist_entry e;
    if(csvimp_line(c, r) < last)
      abort();
    last = csvimp_line(c, r);
    in.name = csvimp_field(c, r, 0);
    in.phone = csvimp_field(c, r, 1);
    in.pnr = csvimp_field(c, r, 2);
    in.discharge = csvimp_field(c, r, 3);
    in.track = csvimp_field(c, r, 4);
    in.care = csvimp_field(c, r, 5);
    in.consent = csvimp_field(c, r, 6);
    for(int k = 0; k < 7; k++)
      if(strlen(csvimp_field(c, r, k)) > CSVIMP_MAX_FIELD)
        abort();
    if(callcheck_entry(&in, today, &e, err) == PR_OK &&
       (e.discharge > today || !e.name[0]))
      abort();
  }
  csvimp_free(c);
  return 0;
}
