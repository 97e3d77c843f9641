/* alsaquiet.c — This file contains alsaquiet.h: it opens libasound.so.2
 * (the same instance SDL's ALSA driver opens later, so they share the
 * library's one error handler) and sets that handler to one that drops the
 * message, then back to the default (NULL) at the end. */
#include "alsaquiet.h"

#include <dlfcn.h>
#include <stdlib.h>

#include "pr.h"

/* alsa-lib's snd_lib_error_handler_t and snd_lib_error_set_handler, typed
 * here so no ALSA header is needed. */
typedef void (*alsa_error_fn)(const char *file, int line, const char *func,
                              int err, const char *fmt, ...);
typedef int (*alsa_set_handler_fn)(alsa_error_fn handler);

struct alsaquiet {
  void *lib;
  alsa_set_handler_fn set;
};

static void alsaquiet_drop(const char *file, int line, const char *func,
                           int err, const char *fmt, ...)
{
  (void)file;
  (void)line;
  (void)func;
  (void)err;
  (void)fmt;
}

struct alsaquiet *alsaquiet_begin(void)
{
  struct alsaquiet *q = pr_calloc(1, sizeof(*q));
  void *sym;
  if(!q)
    return NULL;
  q->lib = dlopen("libasound.so.2", RTLD_NOW | RTLD_LOCAL);
  sym = q->lib ? dlsym(q->lib, "snd_lib_error_set_handler") : NULL;
  if(!sym) {
    alsaquiet_end(q);
    return NULL;
  }
  /* POSIX: a function's address comes back from dlsym as a void * */
  *(void **)&q->set = sym;
  q->set(alsaquiet_drop);
  return q;
}

void alsaquiet_end(struct alsaquiet *q)
{
  if(!q)
    return;
  if(q->set)
    q->set(NULL);
  if(q->lib)
    dlclose(q->lib);
  pr_free(q);
}
