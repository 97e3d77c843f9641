/* phone_driver.c — This file contains a small test program that opens a
 * store and runs the phone mode (phone_app_start) exactly as rost-kiosk
 * --phone does, for the phone end-to-end test while
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
  int rc = 1;
  char err[PR_ERR_LEN] = "";

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
  if(store_open(store_path, &s, err) ||
     phone_app_start(s, sets, unit, NULL, NULL, inject, shots, 1, err))
    goto out;
  rc = 0;
out:
  if(rc)
    fprintf(stderr, "phone_driver: %s\n", err);
  store_close(s);
  SDL_Quit();
  return rc;
}
