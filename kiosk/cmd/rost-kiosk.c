/* rost-kiosk.c — This file contains rost-kiosk, the patient kiosk program:
 * the touchscreen survey in the waiting room, locked so a patient cannot
 * leave it, with a staff menu behind a long press and the staff PIN.
 *
 *   rost-kiosk [--config FILE]           (default /etc/patientrost/kiosk.conf)
 *              [--phone]                 straight into phone-interview mode
 *              [--window]                a window instead of full screen
 *              [--inject SCRIPT] [--phone-inject SCRIPT] [--shots DIR]  (tests)
 *   rost-kiosk --version | --help
 *
 * Exit 0 when staff end it from the menu, on SIGTERM/SIGINT (after the
 * answer being saved), or when an inject script ends; 1 on an error that
 * stops it starting (message on stderr); 2 on wrong arguments. */
#include <SDL2/SDL.h>
#include <stdio.h>
#include <string.h>

#include "calllist.h"
#include "kconf.h"
#include "kiosk_app.h"
#include "phone_app.h"
#include "store.h"
#include "version.h"

#define KIOSK_USAGE \
  "användning: rost-kiosk [--config FIL] [--phone] [--window] | --version | --help\n" \
  "            [--inject SKRIPT] [--phone-inject SKRIPT] [--shots MAPP]\n"

static int usage(const char *msg)
{
  fprintf(stderr, "rost-kiosk: %s\n%s", msg, KIOSK_USAGE);
  return 2;
}

int main(int argc, char **argv)
{
  const char *config = "/etc/patientrost/kiosk.conf";
  const char *inject = NULL, *phone_inject = NULL, *shots = NULL;
  int phone = 0, window = 0, rc = 1;
  struct kconf cfg;
  struct store *s = NULL;
  struct kiosk_app_opts o;
  char err[PR_ERR_LEN] = "";

  /* before any thread exists: SIGTERM and friends reach the loop only */
  kiosk_app_block_signals();
  for(int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char **val = NULL;
    if(strcmp(a, "--version") == 0) {
      printf("rost-kiosk %s\n", version_string());
      return 0;
    }
    if(strcmp(a, "--help") == 0) {
      fputs(KIOSK_USAGE, stdout);
      return 0;
    }
    if(strcmp(a, "--phone") == 0) { phone = 1; continue; }
    if(strcmp(a, "--window") == 0) { window = 1; continue; }
    if(strcmp(a, "--config") == 0) val = &config;
    else if(strcmp(a, "--inject") == 0) val = &inject;
    else if(strcmp(a, "--phone-inject") == 0) val = &phone_inject;
    else if(strcmp(a, "--shots") == 0) val = &shots;
    else {
      char msg[160];
      snprintf(msg, sizeof(msg), "okänd flagga %.100s", a);
      return usage(msg);
    }
    if(i + 1 >= argc)
      return usage("ett värde saknas efter sista flaggan");
    *val = argv[++i];
  }
  if(kconf_load(config, &cfg, err) != PR_OK) {
    fprintf(stderr, "rost-kiosk: %s\n", err);
    return 1;
  }
  if(window)
    cfg.fullscreen = 0;
  SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  if(pr_init() != PR_OK || SDL_Init(SDL_INIT_VIDEO) != 0) {
    fprintf(stderr, "rost-kiosk: kan inte starta SDL: %s\n", SDL_GetError());
    return 1;
  }
  if(store_open(cfg.store, &s, err) != PR_OK)
    goto out;
  if(store_recovered_from(s))
    fprintf(stderr, "rost-kiosk: lagringsfilen var skadad och har flyttats "
            "till %s; en ny tom fil har skapats\n", store_recovered_from(s));
  if(calllist_init(s, err) != PR_OK)
    goto out;
  if(phone) {
    if(phone_app_start(s, cfg.sets_dir, cfg.unit, &cfg.phone, NULL,
                       phone_inject ? phone_inject : inject, shots, 1,
                       err) != PR_OK)
      goto out;
  } else {
    memset(&o, 0, sizeof(o));
    o.cfg = &cfg;
    o.store = s;
    o.inject = inject;
    o.phone_inject = phone_inject;
    o.shots_dir = shots;
    if(kiosk_app_run(&o, err) != PR_OK)
      goto out;
  }
  rc = 0;
out:
  if(rc)
    fprintf(stderr, "rost-kiosk: %s\n", err);
  store_close(s);
  SDL_Quit();
  return rc;
}
