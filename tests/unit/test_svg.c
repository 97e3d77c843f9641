/* test_svg.c — This file contains the tests of the SVG line chart: the
 * figures a reader sees (data attributes, n under each point, "<5" for a
 * suppressed point, goal line at the right height), gaps in the line where
 * there is no value, escaping, and refusal of values outside 0..1.  The
 * chart is also written to the test output folder for a look. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "pr.h"
#include "svg.h"

static int count(const char *hay, const char *needle)
{
  int k = 0;
  const char *p = hay;
  while((p = strstr(p, needle)) != NULL) {
    k++;
    p += strlen(needle);
  }
  return k;
}

static void test_chart(void **state)
{
  const char *labels[] = {"jan", "feb", "mar", "apr", "maj", "jun"};
  struct svg_point unit[6] = {
    {1, 0, 0.70, 0.55, 0.82, 40}, {1, 0, 0.80, 0.66, 0.89, 45},
    {0, 1, 0, 0, 0, 0},           {1, 0, 0.75, 0.60, 0.86, 36},
    {1, 0, 0.90, 0.77, 0.96, 41}, {0, 0, 0, 0, 0, 0},
  };
  struct svg_point region[6];
  struct svg_chart c;
  struct dashbuf b;
  char *svg;
  size_t len;
  FILE *f;
  int i;
  (void)state;
  for(i = 0; i < 6; i++) {
    region[i] = (struct svg_point){1, 0, 0.72, 0.70, 0.74, 900};
  }
  memset(&c, 0, sizeof(c));
  c.title = "Nöjdhet <kiosk> & telefon";
  c.unit_name = "VC Norra";
  c.region_name = "Regionen";
  c.n = 6;
  c.labels = labels;
  c.unit = unit;
  c.region = region;
  c.goal = 0.75;
  c.threshold = 5;
  dashbuf_init(&b);
  assert_int_equal(svg_line_chart(&c, &b), PR_OK);
  svg = dashbuf_take(&b, &len);
  assert_non_null(svg);
  assert_true(strncmp(svg, "<svg ", 5) == 0);
  assert_non_null(strstr(svg, "</svg>"));
  assert_non_null(strstr(svg, "Nöjdhet &lt;kiosk&gt; &amp; telefon"));
  assert_null(strstr(svg, "<script"));
  assert_null(strstr(svg, "href"));
  assert_int_equal(count(svg, "class=\"pt\""), 4);   /* shown points */
  assert_non_null(strstr(svg, "data-period=\"feb\" data-share=\"80.0\" "
                              "data-n=\"45\""));
  assert_int_equal(count(svg, ">dolt</text>"), 1);   /* suppressed: mar */
  assert_non_null(strstr(svg, ">40</text>"));
  /* The gap at "mar" splits the unit line in two runs: jan-feb, apr-maj. */
  assert_int_equal(count(svg, "class=\"unit\""), 2);
  assert_int_equal(count(svg, "class=\"region\""), 1);
  /* Goal 75 %: plot from y=40 (100 %) to y=262 (0 %) -> 95.5. */
  assert_non_null(strstr(svg, "class=\"goal\" x1=\"52\" y1=\"95.5\""));
  assert_non_null(strstr(svg, "Mål 75 %"));
  f = fopen(PR_TEST_OUT "/svg_chart.svg", "wb");
  assert_non_null(f);
  fwrite(svg, 1, len, f);
  fclose(f);
  pr_free(svg);
}

static void test_refuses_bad_values(void **state)
{
  const char *labels[] = {"v1"};
  struct svg_point p = {1, 0, 1.5, 0.2, 0.9, 10};
  struct svg_chart c;
  struct dashbuf b;
  (void)state;
  memset(&c, 0, sizeof(c));
  c.n = 1;
  c.labels = labels;
  c.unit = &p;
  c.goal = -1;
  dashbuf_init(&b);
  assert_int_equal(svg_line_chart(&c, &b), PR_EINVAL);
  c.n = 0;
  assert_int_equal(svg_line_chart(&c, &b), PR_EINVAL);
  p.share = 0.5;
  c.n = 1;
  assert_int_equal(svg_line_chart(&c, &b), PR_OK);  /* one point: a bar */
  assert_non_null(strstr(b.p, "class=\"band\""));
  dashbuf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_chart),
    cmocka_unit_test(test_refuses_bad_values),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
