/* phone_driver.c — This file contains a small test program that opens a
 * store and the question sets and runs the phone mode (phone_app_run)
 * exactly as rost-kiosk --phone does, for the phone end-to-end test while
 * the kiosk program is not available in a build.  Usage:
 *   phone_driver --store PATH --sets DIR --unit HSA [--inject FILE]
 *                [--shots DIR] */
#include <SDL2/SDL.h>
#include <stdio.h>
#include <string.h>

#include "phone_app.h"

int main(int argc, char **argv)
{
  const char *store_path = NULL, *sets = NULL, *unit = NULL, *inject = NULL,
             *shots = NULL;
  struct store *s = NULL;
  struct qset **all = NULL;
  int n = 0, rc = 1;
  char err[PR_ERR_LEN] = "";
  struct phone_app_opts o;

  for(int i = 1; i + 1 < argc; i += 2) {
    if(strcmp(argv[i], "--store") == 0) store_path = argv[i + 1];
    else if(strcmp(argv[i], "--sets") == 0) sets = argv[i + 1];
    else if(strcmp(argv[i], "--unit") == 0) unit = argv[i + 1];
    else if(strcmp(argv[i], "--inject") == 0) inject = argv[i + 1];
    else if(strcmp(argv[i], "--shots") == 0) shots = argv[i + 1];
  }
  if(!store_path || !sets || !unit) {
    fprintf(stderr, "usage: phone_driver --store PATH --sets DIR --unit HSA"
            " [--inject FILE] [--shots DIR]\n");
    return 2;
  }
  if(pr_init() || SDL_Init(SDL_INIT_VIDEO)) {
    fprintf(stderr, "phone_driver: cannot start SDL: %s\n", SDL_GetError());
    return 1;
  }
  if(store_open(store_path, &s, err) || qset_load_dir(sets, &all, &n, err))
    goto out;
  memset(&o, 0, sizeof(o));
  o.store = s;
  o.set = phone_app_find_set(all, n);
  o.unit = unit;
  calllist_cfg_default(&o.cfg);
  o.inject = inject;
  o.shots_dir = shots;
  o.quit_on_close = 1;
  if(!o.set) {
    pr_seterr(err, "no phone question set in %s", sets);
    goto out;
  }
  if(phone_app_run(&o, err))
    goto out;
  rc = 0;
out:
  if(rc)
    fprintf(stderr, "phone_driver: %s\n", err);
  qset_free_all(all, n);
  store_close(s);
  SDL_Quit();
  return rc;
}
