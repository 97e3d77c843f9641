/* This file contains the fuzz target for what the enrolment and fleet
 * routes read from the network: a kiosk's status report (fleet_decode) and
 * a typed enrolment code (enrolcode_normalise).  Arbitrary bytes in; a
 * decoded report must hold only allowed characters and bounded numbers, a
 * normalised code only the code alphabet.  Built as a libFuzzer target
 * with clang (PR_FUZZ=ON) and, linked with fuzz_agg_replay.c, as a plain
 * program for the gcc+ASan suite. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "enrolcode.h"
#include "fleet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char sw[FLEET_SOFTWARE_LEN], sets[FLEET_SETS_LEN], err[PR_ERR_LEN];
  char code[ENROLCODE_LEN + 1], *typed;
  long long q = -1;

  if(fleet_decode((const char *)data, size, sw, sets, &q, err) == PR_OK) {
    if(!sw[0] || strpbrk(sw, "\"\\<>&\n") || strpbrk(sets, "\"\\<>&\n") ||
       q < 0 || q > 100000000)
      abort();
  }
  typed = malloc(size + 1);
  if(!typed)
    return 0;
  memcpy(typed, data, size);
  typed[size] = '\0';
  if(enrolcode_normalise(typed, code, err) == PR_OK &&
     (strlen(code) != ENROLCODE_LEN ||
      strspn(code, ENROLCODE_ALPHABET) != ENROLCODE_LEN))
    abort();
  free(typed);
  return 0;
}
