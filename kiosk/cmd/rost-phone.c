/* rost-phone.c — This file contains rost-phone, the care coordinator's
 * desktop program for phone interviews ("ring upp"): the same phone mode
 * as rost-kiosk --phone and the kiosk's staff-menu entry "Telefonintervju"
 * (phone_app_start), for a desk PC that is not a kiosk.
 *
 *   rost-phone --store PATH --unit HSA-ID [--sets DIR]
 *              [--days 3-7] [--hours 09:00-18:00] [--attempts 3]
 *              [--retention 14]
 *              [--inject SCRIPT] [--shots DIR]      (tests)
 *   rost-phone --version | --help
 *
 * Exit 0 when the coordinator leaves phone mode, 1 on an error, 2 on wrong
 * arguments.  Names and numbers are shown in the window only; the log on
 * stderr carries counts and ids. */
#include <SDL2/SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hsa.h"
#include "phone_app.h"
#include "version.h"

#define PHONE_USAGE \
  "användning: rost-phone --store FIL --unit HSA-ID [--sets MAPP]\n" \
  "            [--days 3-7] [--hours 09:00-18:00] [--attempts 3]\n" \
  "            [--retention 14]\n" \
  "            [--inject SKRIPT] [--shots MAPP]\n" \
  "            | --version | --help\n"

static int usage(const char *msg)
{
  fprintf(stderr, "rost-phone: %s\n%s", msg, PHONE_USAGE);
  return 2;
}

int main(int argc, char **argv)
{
  static const char *const cfg_opts[][2] = {{"--days", "phone_days"},
    {"--hours", "phone_hours"}, {"--attempts", "phone_max_attempts"},
    {"--retention", "phone_retention"}};
  const char *store_path = NULL, *unit = NULL, *inject = NULL, *shots = NULL;
  const char *sets = getenv("PATIENTROST_SETS");
  struct calllist_cfg cfg;
  struct store *s = NULL;
  char err[PR_ERR_LEN] = "";
  int rc = 1;

  if(argc == 2 && strcmp(argv[1], "--version") == 0) {
    printf("rost-phone %s\n", version_string());
    return 0;
  }
  if(argc == 2 && strcmp(argv[1], "--help") == 0) {
    fputs(PHONE_USAGE, stdout);
    return 0;
  }
  if(!sets)
    sets = PR_ASSETS_DIR "/surveys";
  calllist_cfg_default(&cfg);
  for(int i = 1; i < argc; i += 2) {
    const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    int known = 0;
    if(!v)
      return usage("ett värde saknas efter sista flaggan");
    if(strcmp(o, "--store") == 0) { store_path = v; known = 1; }
    else if(strcmp(o, "--unit") == 0) { unit = v; known = 1; }
    else if(strcmp(o, "--sets") == 0) { sets = v; known = 1; }
    else if(strcmp(o, "--inject") == 0) { inject = v; known = 1; }
    else if(strcmp(o, "--shots") == 0) { shots = v; known = 1; }
    for(size_t k = 0; k < PR_ARRAY_LEN(cfg_opts) && !known; k++)
      if(strcmp(o, cfg_opts[k][0]) == 0) {
        if(calllist_cfg_set(&cfg, cfg_opts[k][1], v, err) != PR_OK)
          return usage(err);
        known = 1;
      }
    if(!known) {
      char msg[160];
      snprintf(msg, sizeof(msg), "okänd flagga %.100s", o);
      return usage(msg);
    }
  }
  if(!store_path || !unit)
    return usage("--store och --unit behövs");
  if(!hsa_valid(unit)) {
    /* Checked before the window opens, not when the first answer is
     * saved (that would lose the interview). */
    char msg[160];
    snprintf(msg, sizeof(msg), "--unit \"%.40s\" är inget HSA-id (till "
             "exempel " HSA_EXAMPLE ")", unit);
    return usage(msg);
  }
  if(pr_init() != PR_OK || SDL_Init(SDL_INIT_VIDEO) != 0) {
    fprintf(stderr, "rost-phone: kan inte starta SDL: %s\n", SDL_GetError());
    return 1;
  }
  if(store_open(store_path, &s, err) != PR_OK)
    goto out;
  if(store_recovered_from(s))
    fprintf(stderr, "rost-phone: lagringsfilen var skadad och har flyttats "
            "till %s; en ny tom fil har skapats\n", store_recovered_from(s));
  if(phone_app_start(s, sets, unit, &cfg, NULL, inject, shots, 1, err) !=
     PR_OK)
    goto out;
  rc = 0;
out:
  if(rc)
    fprintf(stderr, "rost-phone: %s\n", err);
  store_close(s);
  SDL_Quit();
  return rc;
}
