/* test_scrub.c — This file contains the tests of the free-text scrubber
 * (survey/scrub.c): the corpus of Swedish sentences in
 * tests/data/scrub/corpus.txt, where every identifier must be replaced
 * (recall 1.0 required) and every ordinary number must stay (false
 * positives 0 required), plus edge cases and allocation failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "pr.h"
#include "scrub.h"

#define LINE_MAX_LEN 1024
#define ITEMS_MAX 16

struct item {
  char kind;                  /* 'p', 't', 'e' or 'k' */
  char text[128];
};

/* Turn one annotated corpus line into the raw input, the expected output
 * and the list of annotated items.  Returns 0 on success. */
static int parse_line(const char *line, char *in, char *want,
                      struct item *items, int *n_items)
{
  size_t i = 0, o = 0, w = 0;
  *n_items = 0;
  while(line[i] && line[i] != '\n') {
    if(line[i] == '{' && line[i + 1] && line[i + 2] == '|') {
      char kind = line[i + 1];
      const char *end = strchr(line + i + 3, '}');
      size_t len;
      const char *marker = NULL;
      if(!end || *n_items >= ITEMS_MAX)
        return -1;
      len = (size_t)(end - (line + i + 3));
      if(len >= sizeof(items[0].text))
        return -1;
      items[*n_items].kind = kind;
      memcpy(items[*n_items].text, line + i + 3, len);
      items[*n_items].text[len] = '\0';
      (*n_items)++;
      memcpy(in + o, line + i + 3, len);
      o += len;
      if(kind == 'p')
        marker = scrub_marker(SCRUB_PNR);
      else if(kind == 't')
        marker = scrub_marker(SCRUB_PHONE);
      else if(kind == 'e')
        marker = scrub_marker(SCRUB_EMAIL);
      else if(kind == 'k')
        marker = NULL;
      else
        return -1;
      if(marker) {
        memcpy(want + w, marker, strlen(marker));
        w += strlen(marker);
      } else {
        memcpy(want + w, line + i + 3, len);
        w += len;
      }
      i = (size_t)(end - line) + 1;
      continue;
    }
    in[o++] = line[i];
    want[w++] = line[i];
    i++;
  }
  in[o] = '\0';
  want[w] = '\0';
  return 0;
}

static void test_corpus(void **state)
{
  FILE *f = fopen(PR_TEST_DATA "/scrub/corpus.txt", "r");
  char line[LINE_MAX_LEN], in[LINE_MAX_LEN], want[LINE_MAX_LEN];
  int ids = 0, ids_found = 0, keeps = 0, false_pos = 0, lines = 0;
  int exact = 0, clean_lines = 0, clean_changed = 0;
  (void)state;

  assert_non_null(f);
  while(fgets(line, sizeof(line), f)) {
    struct item items[ITEMS_MAX];
    int n = 0, has_id = 0;
    char *got = NULL;
    struct scrub_stats st;

    if(line[0] == '#' || line[0] == '\n')
      continue;
    assert_int_equal(parse_line(line, in, want, items, &n), 0);
    lines++;
    assert_int_equal(scrub_text(in, &got, &st), PR_OK);
    for(int k = 0; k < n; k++) {
      if(items[k].kind == 'k') {
        keeps++;
        if(!strstr(got, items[k].text)) {
          false_pos++;
          print_message("FALSE POSITIVE: '%s' -> '%s'\n", items[k].text, got);
        }
        continue;
      }
      has_id = 1;
      ids++;
      if(strstr(got, items[k].text)) {
        print_message("MISSED: '%s' in '%s'\n", items[k].text, got);
      } else {
        ids_found++;
      }
    }
    if(strcmp(got, want) == 0)
      exact++;
    else
      print_message("DIFFERS:\n  want '%s'\n  got  '%s'\n", want, got);
    if(!has_id) {
      clean_lines++;
      if(strcmp(got, in) != 0)
        clean_changed++;
    }
    pr_free(got);
  }
  fclose(f);
  print_message("scrub corpus: lines %d, identifiers %d, found %d, "
                "recall %.3f; ordinary numbers %d, false positives %d; "
                "lines exactly as expected %d/%d; clean lines changed %d/%d\n",
                lines, ids, ids_found, ids ? (double)ids_found / ids : 0.0,
                keeps, false_pos, exact, lines, clean_changed, clean_lines);
  assert_true(ids >= 50);
  assert_true(keeps >= 40);
  assert_int_equal(ids_found, ids);        /* recall 1.0 */
  assert_int_equal(false_pos, 0);
  assert_int_equal(clean_changed, 0);
  assert_int_equal(exact, lines);           /* right marker everywhere */
}

static void test_counts_and_markers(void **state)
{
  char *got = NULL;
  struct scrub_stats st;
  (void)state;

  assert_int_equal(scrub_text("Ring 070-174 06 05 eller 08-123 456 78, "
                              "pnr 121212-1212, a@b.se, 123456789012345",
                              &got, &st), PR_OK);
  assert_string_equal(got, "Ring [telefon] eller [telefon], pnr "
                           "[personnummer], [e-post], [nummer]");
  assert_int_equal(st.n[SCRUB_PHONE], 2);
  assert_int_equal(st.n[SCRUB_PNR], 1);
  assert_int_equal(st.n[SCRUB_EMAIL], 1);
  assert_int_equal(st.n[SCRUB_NUMBER], 1);
  pr_free(got);
}

static void test_edges(void **state)
{
  char *got = (char *)1;
  struct scrub_stats st;
  (void)state;

  assert_int_equal(scrub_text(NULL, &got, &st), PR_EINVAL);
  assert_null(got);
  assert_int_equal(scrub_text("", &got, NULL), PR_OK);
  assert_string_equal(got, "");
  pr_free(got);
  /* Identifier at the very start and very end, no spaces around. */
  assert_int_equal(scrub_text("0701740605", &got, NULL), PR_OK);
  assert_string_equal(got, "[telefon]");
  pr_free(got);
  assert_int_equal(scrub_text("x@y.se", &got, NULL), PR_OK);
  assert_string_equal(got, "[e-post]");
  pr_free(got);
  /* An '@' alone or a handle is not an address. */
  assert_int_equal(scrub_text("@@ a@b @x.se", &got, NULL), PR_OK);
  assert_string_equal(got, "@@ a@b @x.se");
  pr_free(got);
  /* Longer digit runs are not cut in the middle (no leftover digits). */
  assert_int_equal(scrub_text("19121212121299", &got, NULL), PR_OK);
  assert_string_equal(got, "[nummer]");
  pr_free(got);
  /* Non-ASCII text passes byte for byte. */
  assert_int_equal(scrub_text("Tack så mycket! شكرا", &got, NULL), PR_OK);
  assert_string_equal(got, "Tack så mycket! شكرا");
  pr_free(got);
}

static void test_alloc_failure(void **state)
{
  char *got = (char *)1;
  (void)state;
  for(long n = 0; n < 4; n++) {
    enum pr_rc rc;
    pr_alloc_fail_after(n);
    rc = scrub_text("Ring 070-174 06 05 eller a@b.se nu", &got, NULL);
    pr_alloc_fail_after(-1);
    if(rc == PR_OK) {
      assert_string_equal(got, "Ring [telefon] eller [e-post] nu");
      pr_free(got);
    } else {
      assert_int_equal(rc, PR_ENOMEM);
      assert_null(got);
    }
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_corpus),
    cmocka_unit_test(test_counts_and_markers),
    cmocka_unit_test(test_edges),
    cmocka_unit_test(test_alloc_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
