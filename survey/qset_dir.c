/* qset_dir.c — This file contains loading every question set of a
 * directory (qset_load_dir in qset.h): file names in sort order, each file
 * through qset_parse.c, the same set id and version twice refused unless
 * the bytes are the same.  It sits on top of qset.c and qset_parse.c;
 * neither calls back into it. */
#include "qset.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when the files at a and b hold the same bytes, 0 when they differ or
 * one cannot be read (then the caller treats them as different). */
static int same_bytes(const char *a, const char *b)
{
  FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
  char ba[4096], bb[4096];
  int same = fa && fb;

  while(same) {
    size_t na = fread(ba, 1, sizeof(ba), fa);
    size_t nb = fread(bb, 1, sizeof(bb), fb);
    if(na != nb || memcmp(ba, bb, na) != 0 || ferror(fa) || ferror(fb))
      same = 0;
    else if(na == 0)
      break;
  }
  if(fa)
    fclose(fa);
  if(fb)
    fclose(fb);
  return same;
}

static int cmp_names(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_json_name(const char *n)
{
  size_t len = strlen(n);
  return n[0] != '.' && len > 5 && strcmp(n + len - 5, ".json") == 0;
}

enum pr_rc qset_load_dir(const char *dir, struct qset ***out, int *n,
                         char *err)
{
  enum pr_rc rc = PR_ENOMEM;
  DIR *d = NULL;
  struct dirent *e;
  char **names = NULL;
  int n_names = 0, cap = 0;
  struct qset **sets = NULL;
  int n_sets = 0;

  *out = NULL;
  *n = 0;
  d = opendir(dir);
  if(!d) {
    pr_seterr(err, "%s: cannot open directory of question sets", dir);
    rc = PR_EIO;
    goto out;
  }
  while((e = readdir(d)) != NULL) {
    if(!is_json_name(e->d_name))
      continue;
    if(n_names == cap) {
      int ncap = cap ? cap * 2 : 8;
      char **nn = pr_realloc(names, (size_t)ncap * sizeof(*nn));
      if(!nn)
        goto out;
      names = nn;
      cap = ncap;
    }
    names[n_names] = pr_strdup(e->d_name);
    if(!names[n_names])
      goto out;
    n_names++;
  }
  if(n_names > 0)
    qsort(names, (size_t)n_names, sizeof(*names), cmp_names);
  sets = pr_calloc((size_t)(n_names ? n_names : 1), sizeof(*sets));
  if(!sets)
    goto out;
  for(int i = 0; i < n_names; i++) {
    char path[4096];
    int w = snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
    if(w < 0 || (size_t)w >= sizeof(path)) {
      pr_seterr(err, "%s/%s: path too long", dir, names[i]);
      rc = PR_EINVAL;
      goto out;
    }
    rc = qset_load_file(path, &sets[n_sets], err);
    if(rc != PR_OK)
      goto out;
    n_sets++;
    for(int j = 0; j < n_sets - 1; j++) {
      struct qset *dup = sets[n_sets - 1];
      if(strcmp(sets[j]->id, dup->id) != 0 ||
         sets[j]->version != dup->version)
        continue;
      /* Older kiosks saved the aggregator's copy of a shipped set as
       * "<id>.v<N>.json" next to "<id>.json".  The same bytes twice are
       * one set: keep the first name in sort order, say so, go on. */
      if(same_bytes(sets[j]->path, dup->path)) {
        pr_log(PR_LOG_WARN, "qset.duplicate_copy",
               "set=%s version=%d kept=\"%s\" ignored=\"%s\"", dup->id,
               dup->version, sets[j]->path, dup->path);
        qset_free(dup);
        sets[--n_sets] = NULL;
        break;
      }
      pr_seterr(err, "%s: set \"%s\" version %d is also in %s; a "
                "changed set needs a higher \"version\"", path,
                sets[j]->id, sets[j]->version, sets[j]->path);
      rc = PR_EINVAL;
      goto out;
    }
  }
  rc = qset_check_links(sets, n_sets, err);
  if(rc != PR_OK)
    goto out;
  *out = sets;
  *n = n_sets;
  sets = NULL;
  rc = PR_OK;
out:
  if(rc == PR_ENOMEM)
    pr_seterr(err, "%s: out of memory loading question sets", dir);
  qset_free_all(sets, n_sets);
  for(int i = 0; i < n_names; i++)
    pr_free(names[i]);
  pr_free(names);
  if(d)
    closedir(d);
  return rc;
}
