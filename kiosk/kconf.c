/* kconf.c — This file contains the kiosk config reader of kconf.h. */
#include "kconf.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "conffile.h"
#include "hsa.h"

void kconf_defaults(struct kconf *c)
{
  memset(c, 0, sizeof(*c));
  pr_strlcpy(c->store, "/var/lib/patientrost/kiosk.db", sizeof(c->store));
  pr_strlcpy(c->sets_dir, PR_ASSETS_DIR "/surveys", sizeof(c->sets_dir));
  pr_strlcpy(c->assets, PR_ASSETS_DIR, sizeof(c->assets));
  pr_strlcpy(c->lang, "sv", sizeof(c->lang));
  c->idle_s = 60;
  c->still_there_s = 20;
  c->thanks_s = 8;
  c->tap_guard_ms = 400;
  c->staff_press_ms = 3000;
  c->staff_timeout_s = 120;
  c->fullscreen = 1;
  c->width = 1280;
  c->height = 800;
  c->screen_inch = 15.6;
  c->screen_w = 1920;
  c->screen_h = 1080;
  c->audio = 1;
  sync_config_defaults(&c->sync);
  /* where an installed kiosk keeps its token and fetched sets (the
   * library has no defaults for them; kiosk.conf.example documents these) */
  pr_strlcpy(c->sync.token_file, "/var/lib/patientrost/kiosk.token",
             sizeof(c->sync.token_file));
  pr_strlcpy(c->sync.sets_dir, "/var/lib/patientrost/sets",
             sizeof(c->sync.sets_dir));
  calllist_cfg_default(&c->phone);
}

static int parse_bool(const char *v, int *out)
{
  static const char *const yes[] = {"yes", "ja", "on", "true", "1"};
  static const char *const no[] = {"no", "nej", "off", "false", "0"};
  for(size_t i = 0; i < PR_ARRAY_LEN(yes); i++) {
    if(strcmp(v, yes[i]) == 0) { *out = 1; return 0; }
    if(strcmp(v, no[i]) == 0) { *out = 0; return 0; }
  }
  return -1;
}

static int valid_id(const char *s)
{
  size_t n = strlen(s);
  if(n == 0 || n >= QSET_ID_LEN)
    return 0;
  for(size_t i = 0; i < n; i++)
    if(!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
         s[i] == '_' || s[i] == '-'))
      return 0;
  return 1;
}

/* "kiosk-besok, samordnare-kontakt": ids separated by commas or spaces. */
static enum pr_rc set_sets(struct kconf *c, const char *v, char *err)
{
  char ids[KCONF_MAX_SETS][QSET_ID_LEN];
  int n = 0;
  while(*v) {
    size_t len = strcspn(v, ", \t");
    if(len > 0) {
      char id[QSET_ID_LEN];
      if(len >= sizeof(id) || n == KCONF_MAX_SETS) {
        pr_seterr(err, "sets: %s", n == KCONF_MAX_SETS ?
                  "more than 16 sets" : "an id is too long");
        return PR_EINVAL;
      }
      memcpy(id, v, len);
      id[len] = '\0';
      if(!valid_id(id)) {
        pr_seterr(err, "sets: \"%s\" is not a question-set id", id);
        return PR_EINVAL;
      }
      memcpy(ids[n++], id, len + 1);
    }
    v += len;
    if(*v)
      v++;
  }
  memcpy(c->sets, ids, sizeof(ids));
  c->n_sets = n;
  return PR_OK;
}

enum pr_rc kconf_set(struct kconf *c, const char *key, const char *value,
                     char *err)
{
  static const struct { const char *key; size_t off; long min, max; } ints[] = {
    {"idle_timeout_s", offsetof(struct kconf, idle_s), 10, 3600},
    {"still_there_s", offsetof(struct kconf, still_there_s), 5, 600},
    {"thanks_s", offsetof(struct kconf, thanks_s), 2, 120},
    {"tap_guard_ms", offsetof(struct kconf, tap_guard_ms), 0, 3000},
    {"staff_press_ms", offsetof(struct kconf, staff_press_ms), 500, 20000},
    {"staff_timeout_s", offsetof(struct kconf, staff_timeout_s), 10, 3600},
    {"width", offsetof(struct kconf, width), 320, 8192},
    {"height", offsetof(struct kconf, height), 240, 8192},
  };
  static const struct { const char *key; size_t off; } bools[] = {
    {"fullscreen", offsetof(struct kconf, fullscreen)},
    {"high_contrast", offsetof(struct kconf, high_contrast)},
    {"large_text", offsetof(struct kconf, large_text)},
    {"auto_read", offsetof(struct kconf, auto_read)},
    {"easy_read", offsetof(struct kconf, easy_read)},
    {"audio", offsetof(struct kconf, audio)},
  };
  static const struct { const char *key; size_t off, cap; } paths[] = {
    {"store", offsetof(struct kconf, store), KCONF_PATH_LEN},
    {"sets_dir", offsetof(struct kconf, sets_dir), KCONF_PATH_LEN},
    {"assets", offsetof(struct kconf, assets), KCONF_PATH_LEN},
  };
  char e2[PR_ERR_LEN];
  enum pr_rc rc;

  for(size_t i = 0; i < PR_ARRAY_LEN(ints); i++)
    if(strcmp(key, ints[i].key) == 0) {
      long v;
      if(pr_parse_long(value, ints[i].min, ints[i].max, &v)) {
        pr_seterr(err, "%s: \"%.40s\" is not a whole number from %ld to %ld",
                  key, value, ints[i].min, ints[i].max);
        return PR_EINVAL;
      }
      *(int *)((char *)c + ints[i].off) = (int)v;
      return PR_OK;
    }
  for(size_t i = 0; i < PR_ARRAY_LEN(bools); i++)
    if(strcmp(key, bools[i].key) == 0) {
      int b;
      if(parse_bool(value, &b)) {
        pr_seterr(err, "%s: \"%.40s\" is not yes or no", key, value);
        return PR_EINVAL;
      }
      *(int *)((char *)c + bools[i].off) = b;
      return PR_OK;
    }
  for(size_t i = 0; i < PR_ARRAY_LEN(paths); i++)
    if(strcmp(key, paths[i].key) == 0) {
      if(!*value || pr_strlcpy((char *)c + paths[i].off, value, paths[i].cap)) {
        pr_seterr(err, "%s: empty or longer than %zu bytes", key,
                  paths[i].cap - 1);
        return PR_EINVAL;
      }
      return PR_OK;
    }
  if(strcmp(key, "unit") == 0) {
    if(!hsa_valid(value)) {
      pr_seterr(err, "unit: \"%.40s\" is not an HSA-id "
                "(like SE2321000032-ABC123)", value);
      return PR_EINVAL;
    }
    pr_strlcpy(c->unit, value, sizeof(c->unit));
    return PR_OK;
  }
  if(strcmp(key, "sets") == 0)
    return set_sets(c, value, err);
  if(strcmp(key, "set") == 0) {
    if(*value && !valid_id(value)) {
      pr_seterr(err, "set: \"%.40s\" is not a question-set id", value);
      return PR_EINVAL;
    }
    pr_strlcpy(c->set, value, sizeof(c->set));
    return PR_OK;
  }
  if(strcmp(key, "lang") == 0) {
    size_t n = strlen(value);
    if(n < 2 || n >= QSET_LANG_LEN || strspn(value, "abcdefghijklmnopqrstuvwxyz-") != n) {
      pr_seterr(err, "lang: \"%.20s\" is not a language code (sv, en, ar)",
                value);
      return PR_EINVAL;
    }
    pr_strlcpy(c->lang, value, sizeof(c->lang));
    return PR_OK;
  }
  if(strcmp(key, "renderer") == 0) {
    if(strcmp(value, "software") == 0)
      c->gpu = 0;
    else if(strcmp(value, "gpu") == 0)
      c->gpu = 1;
    else {
      pr_seterr(err, "renderer: \"%.20s\" is not software or gpu", value);
      return PR_EINVAL;
    }
    return PR_OK;
  }
  if(strcmp(key, "screen_inch") == 0) {
    char *end = NULL;
    double d;
    errno = 0;
    d = strtod(value, &end);
    if(errno || end == value || *end || d < 5.0 || d > 100.0) {
      pr_seterr(err, "screen_inch: \"%.20s\" is not a diagonal in inches "
                "(5 to 100)", value);
      return PR_EINVAL;
    }
    c->screen_inch = d;
    return PR_OK;
  }
  if(strcmp(key, "screen_res") == 0) {
    char ws[16] = "", hs[16] = "";
    long w, h;
    const char *x = strchr(value, 'x');
    if(!x || x - value >= (long)sizeof(ws) || strlen(x + 1) >= sizeof(hs)) {
      pr_seterr(err, "screen_res: \"%.20s\" is not WIDTHxHEIGHT", value);
      return PR_EINVAL;
    }
    memcpy(ws, value, (size_t)(x - value));
    pr_strlcpy(hs, x + 1, sizeof(hs));
    if(pr_parse_long(ws, 320, 16384, &w) || pr_parse_long(hs, 240, 16384, &h)) {
      pr_seterr(err, "screen_res: \"%.20s\" is not WIDTHxHEIGHT", value);
      return PR_EINVAL;
    }
    c->screen_w = (int)w;
    c->screen_h = (int)h;
    return PR_OK;
  }
  if(!*value) {
    /* "sync_url =" and the like: the key is known, its default stays
     * (for sync_url that means sync is off) */
    struct sync_config ts = c->sync;
    struct calllist_cfg tp = c->phone;
    if(sync_config_set(&ts, key, "0", e2) != PR_ENOTFOUND ||
       calllist_cfg_set(&tp, key, "0", e2) != PR_ENOTFOUND)
      return PR_OK;
  }
  /* sync_config_set also takes its keys without the prefix ("url",
   * "batch"); in this file only the documented sync_* names are keys, so
   * a stray "timeout_ms" is an unknown key, not a sync setting. */
  rc = strncmp(key, "sync_", 5) == 0 ? sync_config_set(&c->sync, key, value,
                                                        e2)
                                     : PR_ENOTFOUND;
  if(rc != PR_ENOTFOUND) {
    if(rc)
      pr_seterr(err, "%s", e2);
    return rc;
  }
  rc = calllist_cfg_set(&c->phone, key, value, e2);
  if(rc != PR_ENOTFOUND) {
    if(rc)
      pr_seterr(err, "%s", e2);
    return rc;
  }
  pr_seterr(err, "unknown key \"%.60s\"", key);
  return PR_ENOTFOUND;
}

static enum pr_rc load_one(void *ctx, const char *key, const char *value,
                           int line, char *err)
{
  enum pr_rc rc = kconf_set(ctx, key, value, err);
  (void)line;
  return rc == PR_ENOTFOUND ? PR_EINVAL : rc;
}

enum pr_rc kconf_load(const char *path, struct kconf *c, char *err)
{
  enum pr_rc rc;
  kconf_defaults(c);
  rc = conffile_each(path, load_one, c, err);
  if(rc == PR_OK && !c->unit[0]) {
    pr_seterr(err, "%s: unit = HSA-id is missing (the unit the answers "
              "belong to)", path);
    rc = PR_EINVAL;
  }
  return rc;
}

int kconf_offers(const struct kconf *c, const char *set_id)
{
  if(c->n_sets == 0)
    return 1;
  for(int i = 0; i < c->n_sets; i++)
    if(strcmp(c->sets[i], set_id) == 0)
      return 1;
  return 0;
}
