/* dash.h — the quality team's dashboard page: plain HTML + CSS, charts as
 * inline SVG drawn on the server (svg.h), no scripts, no external fonts or
 * CDN, Swedish text, a table under every chart, the phone follow-up's
 * completion, the free-text comments and a print layout.  It renders what
 * it is given (published cells only, via indicq_cell); queries, access
 * checks and HTTP live in dashroutes.c. */
#ifndef DASH_H
#define DASH_H

#include "auth.h"
#include "dashbuf.h"
#include "commentq.h"
#include "indicq.h"
#include "phoneq.h"

struct dash_page {
  const struct auth_principal *who;
  const struct indicq_filter *f;            /* the filter shown in the form */
  const char (*units)[INDIC_UNIT_LEN];      /* units the reader may pick */
  int n_units;
  const char (*indicators)[INDIC_ID_LEN];   /* every indicator with data */
  int n_indicators;
  const char *comment_indicator;            /* "" = all */
  struct indicq_result *const *res;         /* one card per result */
  int n_res;
  struct phoneq_counts phone_unit, phone_region;
  int phone_has_unit;
  const struct commentq_comment *comments;
  int n_comments;
  int comments_max;                         /* the list was cut at this */
  const char *query;                        /* current query string, raw */
  const char *csrf;                         /* value for the sign-out form */
};

/* Swedish display name of an indicator id ("nojdhet" -> "Nöjdhet");
 * unknown ids are returned as they are.  Borrowed, never NULL. */
const char *dash_indicator_name(const char *id);
/* Order of the cards: the brief's indicators first (nöjdhet, delaktighet,
 * trygghet, respekt, then the phone follow-up's), others after, by name. */
int dash_indicator_rank(const char *id);

/* The page's opening (doctype, title, the dashboard's CSS, <body>), for
 * other server-rendered pages that should look the same. */
void dash_head(struct dashbuf *b, const char *title);

/* The whole page into b.  Returns the buffer's status. */
enum pr_rc dash_render(const struct dash_page *p, struct dashbuf *b) PR_MUST;

/* The sign-in page; msg (may be NULL) is shown above the form, csrf goes
 * in a hidden field that must match the pr_csrf cookie. */
enum pr_rc dash_render_login(const char *msg, const char *csrf,
                             struct dashbuf *b) PR_MUST;

#endif
