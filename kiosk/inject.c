/* inject.c — This file contains the helpers the inject-script drivers
 * share (inject.h). */
#include "inject.h"

#include <string.h>

int inject_next(FILE *f, long *lineno, char *line, size_t cap, char **arg)
{
  while(fgets(line, (int)cap, f)) {
    size_t n = strlen(line);
    char *sp;
    (*lineno)++;
    while(n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    if(n == 0 || line[0] == '#')
      continue;
    sp = strchr(line, ' ');
    if(sp)
      *sp++ = '\0';
    else
      sp = line + n;
    *arg = sp;
    return 1;
  }
  return 0;
}

void inject_key(SDL_Keycode k, Uint16 mod)
{
  SDL_Event ev;
  memset(&ev, 0, sizeof(ev));
  ev.type = SDL_KEYDOWN;
  ev.key.state = SDL_PRESSED;
  ev.key.keysym.sym = k;
  ev.key.keysym.mod = mod;
  ev.key.timestamp = SDL_GetTicks();
  SDL_PushEvent(&ev);
  ev.type = SDL_KEYUP;
  ev.key.state = SDL_RELEASED;
  SDL_PushEvent(&ev);
}

enum pr_rc inject_shot_path(const char *dir, const char *name, long lineno,
                            char *buf, size_t cap, char *err)
{
  int w;
  if(name[0] == '/' || !dir)
    w = snprintf(buf, cap, "%s", name);
  else
    w = snprintf(buf, cap, "%s/%s", dir, name);
  if(w < 0 || (size_t)w >= cap) {
    pr_seterr(err, "inject script line %ld: path too long", lineno);
    return PR_EINVAL;
  }
  return PR_OK;
}
