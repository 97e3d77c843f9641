/* uitext.c — This file contains the loader and lookup of uitext.h.  The
 * table of key names is the one list of what the file may hold. */
#include "uitext.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define UITEXT_MAX_LANGS 24
#define UITEXT_MAX_BYTES 400

static const char *const key_names[UT_N] = {
  [UT_START] = "start", [UT_CHOOSE_LANG] = "choose_lang",
  [UT_HIGH_CONTRAST] = "high_contrast", [UT_LARGE_TEXT] = "large_text",
  [UT_AUTO_READ] = "auto_read", [UT_EASY] = "easy", [UT_LISTEN] = "listen",
  [UT_PROGRESS] = "progress", [UT_BACK] = "back", [UT_SKIP] = "skip",
  [UT_DONE] = "done", [UT_TEXT_HINT] = "text_hint",
  [UT_TEXT_FULL] = "text_full", [UT_SPACE] = "space",
  [UT_STILL_THERE] = "still_there", [UT_STILL_THERE_YES] = "still_there_yes",
  [UT_STILL_THERE_NOTE] = "still_there_note", [UT_THANKS] = "thanks",
  [UT_THANKS_NOTE] = "thanks_note", [UT_SAVE_FAILED] = "save_failed",
  [UT_UNAVAILABLE] = "unavailable",
  [UT_PIN_TITLE] = "pin_title", [UT_PIN_WRONG] = "pin_wrong",
  [UT_PIN_WAIT] = "pin_wait", [UT_PIN_NONE] = "pin_none",
  [UT_CANCEL] = "cancel", [UT_OK] = "ok", [UT_STAFF_TITLE] = "staff_title",
  [UT_STAFF_EXIT] = "staff_exit", [UT_STAFF_SET] = "staff_set",
  [UT_STAFF_LANG] = "staff_lang", [UT_STAFF_HC] = "staff_hc",
  [UT_STAFF_LARGE] = "staff_large", [UT_STAFF_AUTO] = "staff_auto", [UT_STAFF_EASY] = "staff_easy",
  [UT_STAFF_PHONE] = "staff_phone", [UT_STAFF_SYNC] = "staff_sync",
  [UT_STAFF_SYNC_OFF] = "staff_sync_off", [UT_STAFF_BACK] = "staff_back",
  [UT_ON] = "on", [UT_OFF] = "off",
};

struct uitext_lang {
  char code[8];
  char *text[UT_N];          /* owned; NULL when the language lacks it */
};

struct uitext {
  int n;
  struct uitext_lang lang[UITEXT_MAX_LANGS];   /* [0] is "sv" */
};

const char *uitext_key_name(enum uitext_key key)
{
  return (key >= 0 && key < UT_N) ? key_names[key] : "?";
}

void uitext_free(struct uitext *u)
{
  if(!u)
    return;
  for(int i = 0; i < u->n; i++)
    for(int k = 0; k < UT_N; k++)
      pr_free(u->lang[i].text[k]);
  pr_free(u);
}

/* The "{name}" placeholders of s, sorted and joined, for comparing
 * translations: a language may need them in another word order. */
#define UITEXT_MAX_PH 16

static int cmp_ph(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void placeholders(const char *s, char *out, size_t cap)
{
  char names[UITEXT_MAX_PH][32];
  const char *sorted[UITEXT_MAX_PH];
  int n = 0;
  size_t used = 0;
  out[0] = '\0';
  while((s = strchr(s, '{')) != NULL) {
    const char *e = strchr(s, '}');
    size_t len;
    if(!e)
      break;
    len = (size_t)(e - s + 1);
    if(n < UITEXT_MAX_PH) {
      if(len >= sizeof(names[0]))
        len = sizeof(names[0]) - 1;
      memcpy(names[n], s, len);
      names[n][len] = '\0';
      sorted[n] = names[n];
      n++;
    }
    s = e + 1;
  }
  qsort(sorted, (size_t)n, sizeof(sorted[0]), cmp_ph);
  for(int i = 0; i < n; i++) {
    size_t len = strlen(sorted[i]);
    if(used + len + 1 >= cap)
      break;
    memcpy(out + used, sorted[i], len + 1);
    used += len;
  }
}

static int find_key(const char *name)
{
  for(int k = 0; k < UT_N; k++)
    if(strcmp(key_names[k], name) == 0)
      return k;
  return -1;
}

static int valid_lang(const char *s)
{
  size_t n = strlen(s);
  if(n < 2 || n > 7)
    return 0;
  for(size_t i = 0; i < n; i++)
    if(!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
      return 0;
  return 1;
}

static enum pr_rc load_lang(const char *path, struct uitext_lang *L,
                            const char *code, json_t *obj, char *err)
{
  const char *key;
  json_t *v;
  pr_strlcpy(L->code, code, sizeof(L->code));
  if(!json_is_object(obj)) {
    pr_seterr(err, "%s: %s: must be an object of texts", path, code);
    return PR_EINVAL;
  }
  json_object_foreach(obj, key, v) {
    int k = find_key(key);
    const char *s;
    if(k < 0) {
      pr_seterr(err, "%s: %s.%s: unknown key", path, code, key);
      return PR_EINVAL;
    }
    if(!json_is_string(v) || !*(s = json_string_value(v))) {
      pr_seterr(err, "%s: %s.%s: must be a non-empty string", path, code, key);
      return PR_EINVAL;
    }
    if(strlen(s) > UITEXT_MAX_BYTES) {
      pr_seterr(err, "%s: %s.%s: longer than %d bytes", path, code, key,
                UITEXT_MAX_BYTES);
      return PR_EINVAL;
    }
    L->text[k] = pr_strdup(s);
    if(!L->text[k])
      return PR_ENOMEM;
  }
  return PR_OK;
}

enum pr_rc uitext_load(const char *path, struct uitext **out, char *err)
{
  enum pr_rc rc = PR_EINVAL;
  struct uitext *u = NULL;
  json_t *root = NULL, *sv, *v;
  json_error_t je;
  const char *code;

  *out = NULL;
  root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
  if(!root) {
    if(je.line < 1) {
      pr_seterr(err, "%s: cannot read: %s", path, je.text);
      rc = PR_EIO;
    } else {
      pr_seterr(err, "%s: line %d: %s", path, je.line, je.text);
    }
    goto out;
  }
  sv = json_object_get(root, "sv");
  if(!json_is_object(root) || !sv) {
    pr_seterr(err, "%s: must be an object with at least \"sv\"", path);
    goto out;
  }
  u = pr_calloc(1, sizeof(*u));
  if(!u) {
    rc = PR_ENOMEM;
    goto out;
  }
  u->n = 1;              /* first: a half-read "sv" is freed too */
  rc = load_lang(path, &u->lang[0], "sv", sv, err);
  if(rc)
    goto out;
  for(int k = 0; k < UT_N; k++)
    if(!u->lang[0].text[k]) {
      pr_seterr(err, "%s: sv.%s: missing (Swedish must carry every text)",
                path, key_names[k]);
      rc = PR_EINVAL;
      goto out;
    }
  json_object_foreach(root, code, v) {
    struct uitext_lang *L;
    if(strcmp(code, "sv") == 0)
      continue;
    if(!valid_lang(code)) {
      pr_seterr(err, "%s: \"%s\": not a language code", path, code);
      rc = PR_EINVAL;
      goto out;
    }
    if(u->n == UITEXT_MAX_LANGS) {
      pr_seterr(err, "%s: more than %d languages", path, UITEXT_MAX_LANGS);
      rc = PR_ELIMIT;
      goto out;
    }
    L = &u->lang[u->n++];
    rc = load_lang(path, L, code, v, err);
    if(rc)
      goto out;
    for(int k = 0; k < UT_N; k++) {
      char a[128], b[128];
      if(!L->text[k])
        continue;
      placeholders(u->lang[0].text[k], a, sizeof(a));
      placeholders(L->text[k], b, sizeof(b));
      if(strcmp(a, b) != 0) {
        pr_seterr(err, "%s: %s.%s: placeholders \"%s\" differ from "
                  "Swedish \"%s\"", path, code, key_names[k], b, a);
        rc = PR_EINVAL;
        goto out;
      }
    }
  }
  *out = u;
  u = NULL;
  rc = PR_OK;
out:
  uitext_free(u);
  json_decref(root);
  return rc;
}

static const char *lookup(const struct uitext *u, const char *lang,
                          enum uitext_key key)
{
  for(int i = 0; i < u->n; i++)
    if(strcmp(u->lang[i].code, lang) == 0)
      return u->lang[i].text[key];
  return NULL;
}

const char *uitext_get(const struct uitext *u, const char *lang,
                       enum uitext_key key)
{
  const char *s;
  if(!u || key < 0 || key >= UT_N)
    return "";
  if(lang && (s = lookup(u, lang, key)) != NULL)
    return s;
  if((s = lookup(u, "en", key)) != NULL)
    return s;
  return u->lang[0].text[key];
}

int uitext_fill(char *buf, size_t cap, const char *tmpl, const char *name,
                const char *val)
{
  char ph[40];
  size_t used = 0, phn, vn = strlen(val);
  int cut = 0;
  if(cap == 0)
    return -1;
  snprintf(ph, sizeof(ph), "{%s}", name);
  phn = strlen(ph);
  while(*tmpl) {
    const char *add = tmpl;
    size_t n = 1;
    if(strncmp(tmpl, ph, phn) == 0) {
      add = val;
      n = vn;
      tmpl += phn;
    } else {
      tmpl++;
    }
    if(used + n >= cap) {
      n = cap - 1 - used;
      /* never half a UTF-8 character */
      while(n > 0 && ((unsigned char)add[n] & 0xC0) == 0x80)
        n--;
      cut = 1;
    }
    memcpy(buf + used, add, n);
    used += n;
    if(cut)
      break;
  }
  buf[used] = '\0';
  return cut ? -1 : 0;
}
