/* test_dash.c — This file contains tests of the dashboard page as a
 * reader's browser would get it: a patient's comment or a unit name that
 * carries markup is shown as text, never run; the page loads nothing from
 * outside (no script, no external URL); the sign-in page carries the CSRF
 * value and Swedish text; the unit selector of a unit reader offers only
 * its own unit and no "whole region" choice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "dash.h"
#include "pdate.h"

static char *render_f(const struct auth_principal *who,
                      const struct commentq_comment *cm, int n_cm,
                      const struct indicq_filter *fx);

static char *render(const struct auth_principal *who,
                    const struct commentq_comment *cm, int n_cm)
{
  return render_f(who, cm, n_cm, NULL);
}

/* The page with filter fx (NULL: the default filter for unit VC0001). */
static char *render_f(const struct auth_principal *who,
                      const struct commentq_comment *cm, int n_cm,
                      const struct indicq_filter *fx)
{
  static const char units[2][INDIC_UNIT_LEN] = {"SE2321000032-VC0001",
                                                "VC<b>2</b>"};
  static const char inds[1][INDIC_ID_LEN] = {"nojdhet"};
  struct indicq_filter f;
  struct dash_page p;
  struct dashbuf b;
  char *out;

  indicq_filter_default(&f);
  pr_strlcpy(f.unit, "SE2321000032-VC0001", sizeof(f.unit));
  if(fx)
    f = *fx;
  memset(&p, 0, sizeof(p));
  p.who = who;
  p.f = &f;
  p.units = units;
  p.n_units = who->role == AUTH_UNIT ? 1 : 2;
  p.indicators = inds;
  p.n_indicators = 1;
  p.comment_indicator = "";
  p.comments = cm;
  p.n_comments = n_cm;
  p.query = "unit=SE2321000032-VC0001&period=month\"><script>";
  p.csrf = "abc123";
  dashbuf_init(&b);
  assert_int_equal(dash_render(&p, &b), PR_OK);
  out = dashbuf_take(&b, NULL);
  assert_non_null(out);
  return out;
}

static void test_markup_is_text(void **state)
{
  struct auth_principal who;
  struct commentq_comment cm[1];
  char text[] = "<script>alert('x')</script> & \"citat\"";
  char *html;
  (void)state;
  memset(&who, 0, sizeof(who));
  pr_strlcpy(who.name, "anna<i>", sizeof(who.name));
  who.role = AUTH_REGION;
  memset(cm, 0, sizeof(cm));
  pr_strlcpy(cm[0].period, "2026-11", sizeof(cm[0].period));
  pr_strlcpy(cm[0].indicator, "nojdhet", sizeof(cm[0].indicator));
  cm[0].text = text;
  html = render(&who, cm, 1);
  assert_null(strstr(html, "<script"));
  assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "
                               "&amp; &quot;citat&quot;"));
  assert_non_null(strstr(html, "anna&lt;i&gt;"));
  assert_non_null(strstr(html, "VC&lt;b&gt;2&lt;/b&gt;"));
  assert_non_null(strstr(html, "period=month&quot;&gt;&lt;script&gt;"));
  /* Nothing is fetched from elsewhere: no http(s) URL, no @import. */
  assert_null(strstr(html, "http://"));
  assert_null(strstr(html, "https://"));
  assert_null(strstr(html, "@import"));
  assert_non_null(strstr(html, "<html lang=\"sv\">"));
  assert_non_null(strstr(html, "@media print"));
  assert_non_null(strstr(html, "Hela regionen"));     /* analyst may pick it */
  pr_free(html);
}

static void test_unit_reader_selector(void **state)
{
  struct auth_principal who;
  char *html;
  (void)state;
  memset(&who, 0, sizeof(who));
  pr_strlcpy(who.name, "vc1", sizeof(who.name));
  who.role = AUTH_UNIT;
  pr_strlcpy(who.unit, "SE2321000032-VC0001", sizeof(who.unit));
  html = render(&who, NULL, 0);
  assert_null(strstr(html, "Hela regionen"));
  assert_null(strstr(html, "VC&lt;b&gt;2"));
  assert_non_null(strstr(html, "(enhet)"));
  pr_free(html);
}

static void test_login_page(void **state)
{
  struct dashbuf b;
  char *html;
  (void)state;
  dashbuf_init(&b);
  assert_int_equal(dash_render_login("Fel <lösenord>", "0123abcd", &b), PR_OK);
  html = dashbuf_take(&b, NULL);
  assert_non_null(strstr(html, "name=\"csrf\" value=\"0123abcd\""));
  assert_non_null(strstr(html, "Fel &lt;lösenord&gt;"));
  assert_non_null(strstr(html, "type=\"password\""));
  assert_non_null(strstr(html, "Logga in"));
  assert_null(strstr(html, "<script"));
  pr_free(html);
  assert_string_equal(dash_indicator_name("nojdhet"), "Nöjdhet");
  assert_string_equal(dash_indicator_name("okand_x"), "okand_x");
  assert_true(dash_indicator_rank("nojdhet") < dash_indicator_rank("hansyn"));
}

/* Every part of the page obeys the page's filters or says it does not:
 * the phone table names the track and care type it is cut by, and says
 * it has nothing to show when the mode is kiosk. */
static void test_phone_table_filters(void **state)
{
  struct auth_principal who;
  struct indicq_filter f;
  char *html;
  (void)state;
  memset(&who, 0, sizeof(who));
  who.role = AUTH_REGION;
  indicq_filter_default(&f);
  html = render_f(&who, NULL, 0, &f);
  assert_non_null(strstr(html, "Urval: alla spår, alla vårdformer."));
  pr_free(html);
  pr_strlcpy(f.care, "psykiatrisk", sizeof(f.care));
  pr_strlcpy(f.track, "rod", sizeof(f.track));
  html = render_f(&who, NULL, 0, &f);
  assert_non_null(strstr(html, "Urval: spår röd, vårdform psykiatrisk."));
  pr_free(html);
  pr_strlcpy(f.mode, "kiosk", sizeof(f.mode));
  html = render_f(&who, NULL, 0, &f);
  assert_non_null(strstr(html, "id=\"phone-none\""));
  assert_null(strstr(html, "Fullständiga intervjuer"));
  pr_free(html);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_markup_is_text),
    cmocka_unit_test(test_unit_reader_selector),
    cmocka_unit_test(test_login_page),
    cmocka_unit_test(test_phone_table_filters),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
