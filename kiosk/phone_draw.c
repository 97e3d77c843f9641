/* phone_draw.c — This file contains the drawing of the phone-interview
 * screens declared in phone_draw.h: a thin layer from the model to SDL. */
#include "phone_draw.h"

#include <stdio.h>
#include <string.h>

#include "pdate.h"

static const SDL_Color C_BG = {0xF4, 0xF6, 0xF8, 255};
static const SDL_Color C_BAR = {0x1F, 0x3A, 0x5F, 255};
static const SDL_Color C_WHITE = {255, 255, 255, 255};
static const SDL_Color C_TEXT = {0x1B, 0x1F, 0x24, 255};
static const SDL_Color C_MUTED = {0x55, 0x5F, 0x6B, 255};
static const SDL_Color C_SEL = {0xD3, 0xE4, 0xF7, 255};
static const SDL_Color C_LINE = {0xC9, 0xD1, 0xDA, 255};
static const SDL_Color C_RED = {0xC6, 0x28, 0x28, 255};
static const SDL_Color C_YELLOW = {0xF9, 0xA8, 0x25, 255};
static const SDL_Color C_GREEN = {0x2E, 0x7D, 0x32, 255};
static const SDL_Color C_KEY = {0xE3, 0xE8, 0xEE, 255};
static const SDL_Color C_CARD = {255, 255, 255, 255};
static const SDL_Color C_ACCENT = {0x0B, 0x5C, 0xAD, 255};

static const char *const font_dirs[] = {PR_ASSETS_DIR "/fonts/",
  "/usr/share/fonts/truetype/noto/", "/usr/share/fonts/truetype/dejavu/"};

static TTF_Font *open_font(int bold, int size)
{
  static const char *const names[2][2] = {
    {"NotoSans-Regular.ttf", "DejaVuSans.ttf"},
    {"NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf"}};
  char path[512];
  for(size_t d = 0; d < PR_ARRAY_LEN(font_dirs); d++)
    for(int n = 0; n < 2; n++) {
      TTF_Font *f;
      if(snprintf(path, sizeof(path), "%s%s", font_dirs[d],
                  names[bold][n]) >= (int)sizeof(path))
        continue;
      f = TTF_OpenFont(path, size);
      if(f)
        return f;
    }
  return NULL;
}

enum pr_rc phone_gfx_open(struct phone_gfx *g, char *err)
{
  memset(g, 0, sizeof(*g));
  g->small = open_font(0, 15);
  g->body = open_font(0, 19);
  g->bold = open_font(1, 19);
  g->big = open_font(1, 26);
  g->title = open_font(1, 21);
  if(!g->small || !g->body || !g->bold || !g->big || !g->title) {
    pr_seterr(err, "no font: Noto Sans or DejaVu Sans needed (%s)",
              TTF_GetError());
    phone_gfx_close(g);
    return PR_EIO;
  }
  return PR_OK;
}

void phone_gfx_close(struct phone_gfx *g)
{
  if(!g)
    return;
  if(g->small) TTF_CloseFont(g->small);
  if(g->body) TTF_CloseFont(g->body);
  if(g->bold) TTF_CloseFont(g->bold);
  if(g->big) TTF_CloseFont(g->big);
  if(g->title) TTF_CloseFont(g->title);
  memset(g, 0, sizeof(*g));
}

/* ---- primitives ------------------------------------------------------ */

static void fill(SDL_Renderer *r, SDL_Color c, int x, int y, int w, int h)
{
  SDL_Rect rc = {x, y, w, h};
  SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
  SDL_RenderFillRect(r, &rc);
}

/* Draw text at (x, y); wrap > 0 wraps at that width.  Returns the height
 * drawn (0 for empty text). */
static int text(SDL_Renderer *r, TTF_Font *f, int x, int y, SDL_Color c,
                const char *s, int wrap)
{
  SDL_Surface *sf;
  SDL_Texture *t;
  SDL_Rect dst;
  if(!s || !*s)
    return 0;
  sf = wrap > 0 ? TTF_RenderUTF8_Blended_Wrapped(f, s, c, (Uint32)wrap)
                : TTF_RenderUTF8_Blended(f, s, c);
  if(!sf)
    return 0;
  t = SDL_CreateTextureFromSurface(r, sf);
  dst.x = x;
  dst.y = y;
  dst.w = sf->w;
  dst.h = sf->h;
  if(t) {
    SDL_RenderCopy(r, t, NULL, &dst);
    SDL_DestroyTexture(t);
  }
  SDL_FreeSurface(sf);
  return dst.h;
}

static int text_w(TTF_Font *f, const char *s)
{
  int w = 0, h = 0;
  if(!s || !*s || TTF_SizeUTF8(f, s, &w, &h))
    return 0;
  return w;
}

static void add_hit(struct phone_hits *hs, int x, int y, int w, int h,
                    enum phone_key k, int ch, int row)
{
  if(!hs || hs->n >= PHONE_MAX_HITS)
    return;
  hs->h[hs->n].r = (SDL_Rect){x, y, w, h};
  hs->h[hs->n].k = k;
  hs->h[hs->n].ch = ch;
  hs->h[hs->n].row = row;
  hs->n++;
}

/* The key a shortcut's cap names ("Enter", "7", "G"); NONE for groups. */
static enum phone_key cap_key(const char *key, int *ch)
{
  static const struct { const char *name; enum phone_key k; } named[] = {
    {"Enter", PHONE_K_ENTER}, {"Esc", PHONE_K_ESC}, {"Tab", PHONE_K_TAB},
    {"Backsteg", PHONE_K_BACKSPACE}, {"F5", PHONE_K_REFRESH}};
  *ch = 0;
  for(size_t i = 0; i < PR_ARRAY_LEN(named); i++)
    if(strcmp(key, named[i].name) == 0)
      return named[i].k;
  if(key[0] && !key[1] && ((key[0] >= '1' && key[0] <= '9') ||
                           (key[0] >= 'A' && key[0] <= 'Z'))) {
    *ch = key[0] >= 'A' ? key[0] + 32 : key[0];
    return PHONE_K_CHAR;
  }
  return PHONE_K_NONE;
}

/* Text cut to maxw pixels with "…" (a table cell never runs into the next
 * one; the full text is on the call screen). */
static void text_fit(SDL_Renderer *r, TTF_Font *f, int x, int y, SDL_Color c,
                     const char *s, int maxw)
{
  char buf[256];
  size_t n;
  if(text_w(f, s) <= maxw) {
    text(r, f, x, y, c, s, 0);
    return;
  }
  pr_strlcpy(buf, s, sizeof(buf) - 4);
  n = strlen(buf);
  while(n > 0) {
    do
      n--;
    while(n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80);
    memcpy(buf + n, "\xE2\x80\xA6", 4);        /* … */
    if(text_w(f, buf) <= maxw)
      break;
  }
  text(r, f, x, y, c, buf, 0);
}

/* A key cap "[key]" followed by its label; returns the x after it.  A
 * click on either does what the key does. */
static int keycap_f(SDL_Renderer *r, const struct phone_gfx *g,
                    struct phone_hits *hs, int x, int y, const char *key,
                    const char *label, SDL_Color fg, TTF_Font *lf, int gap)
{
  int kw = text_w(g->bold, key) + 14;
  int kh = TTF_FontHeight(g->bold) + 4;
  int ch;
  enum phone_key k = cap_key(key, &ch);
  if(k != PHONE_K_NONE)
    add_hit(hs, x, y - 6, kw + 8 + text_w(lf, label) + 10, kh + 8, k, ch,
            -1);
  fill(r, C_KEY, x, y - 2, kw, kh);
  SDL_SetRenderDrawColor(r, C_LINE.r, C_LINE.g, C_LINE.b, 255);
  {
    SDL_Rect b = {x, y - 2, kw, kh};
    SDL_RenderDrawRect(r, &b);
  }
  text(r, g->bold, x + 7, y, C_TEXT, key, 0);
  x += kw + 8;
  text(r, lf, x, y + (TTF_FontHeight(g->bold) - TTF_FontHeight(lf)) / 2, fg,
       label, 0);
  return x + text_w(lf, label) + gap;
}

static int keycap(SDL_Renderer *r, const struct phone_gfx *g,
                  struct phone_hits *hs, int x, int y, const char *key,
                  const char *label, SDL_Color fg)
{
  return keycap_f(r, g, hs, x, y, key, label, fg, g->body, 26);
}

/* The label font for a two-column grid of dispositions cw wide: the
 * normal one, or the small one for all when one label would run into the
 * next cell. */
static TTF_Font *grid_font(const struct phone_gfx *g, const enum dispo *d,
                           size_t n, int cw)
{
  for(size_t i = 0; i < n; i++)
    if(text_w(g->body, dispo_info(d[i])->label) > cw - 60)
      return g->small;
  return g->body;
}

static void track_chip(SDL_Renderer *r, const struct phone_gfx *g, int x,
                       int y, const char *track)
{
  SDL_Color bg = C_GREEN, fg = C_WHITE;
  const char *label = "Grön";
  if(strcmp(track, "rod") == 0) {
    bg = C_RED;
    label = "Röd";
  } else if(strcmp(track, "gul") == 0) {
    bg = C_YELLOW;
    fg = C_TEXT;
    label = "Gul";
  }
  fill(r, bg, x, y, 62, TTF_FontHeight(g->bold) + 4);
  text(r, g->bold, x + (62 - text_w(g->bold, label)) / 2, y + 2, fg, label,
       0);
}

static void fmt_time(time_t t, char *out, size_t cap, int with_date)
{
  struct tm tm;
  if(!localtime_r(&t, &tm) ||
     !strftime(out, cap, with_date ? "%Y-%m-%d %H:%M" : "%H:%M", &tm))
    pr_strlcpy(out, "?", cap);
}

static const char *care_label(const char *care)
{
  return strcmp(care, "psykiatrisk") == 0 ? "Psykiatrisk" : "Somatisk";
}

/* ---- bars ------------------------------------------------------------ */

static void top_bar(SDL_Renderer *r, const struct phone_gfx *g,
                    const struct phone *p, time_t now, int w)
{
  char right[160], when[32];
  fill(r, C_BAR, 0, 0, w, 52);
  text(r, g->title, 20, 13, C_WHITE, "Telefonintervju – ring upp", 0);
  fmt_time(now, when, sizeof(when), 1);
  snprintf(right, sizeof(right), "%s   Enhet %s", when, p->unit);
  text(r, g->body, w - 20 - text_w(g->body, right), 15, C_WHITE, right, 0);
}

struct shortcut {
  const char *key, *label;
};

/* Every shortcut is always shown: in a narrow window the labels get the
 * small font, and what still does not fit goes on another row above. */
static void bottom_bar(SDL_Renderer *r, const struct phone_gfx *g,
                       struct phone_hits *hs, int w, int h,
                       const struct shortcut *sc, int n, const char *status)
{
  TTF_Font *lf = g->body;
  int gap = 26, total = 0, rows = 1, x = 20, row = 0, top;
  for(int i = 0; i < n; i++)
    total += text_w(g->bold, sc[i].key) + 22 + text_w(lf, sc[i].label) + gap;
  if(20 + total > w - 10) {
    lf = g->small;
    gap = 16;
  }
  for(int i = 0; i < n; i++) {
    int need = text_w(g->bold, sc[i].key) + 22 + text_w(lf, sc[i].label);
    if(x > 20 && x + need > w - 10) {
      rows++;
      x = 20;
    }
    x += need + gap;
  }
  top = h - 88 - 40 * (rows - 1);
  fill(r, C_CARD, 0, top, w, h - top);
  fill(r, C_LINE, 0, top, w, 1);
  if(status && *status)
    text(r, g->bold, 20, top + 8, C_ACCENT, status, w - 40);
  x = 20;
  for(int i = 0; i < n; i++) {
    int need = text_w(g->bold, sc[i].key) + 22 + text_w(lf, sc[i].label);
    if(x > 20 && x + need > w - 10) {
      row++;
      x = 20;
    }
    x = keycap_f(r, g, hs, x, top + 44 + 40 * row, sc[i].key, sc[i].label,
                 C_TEXT, lf, gap);
  }
}

/* The list's columns, scaled to the window; CW is a column's width. */
static const int list_colx[] = {20, 95, 365, 500, 660, 800, 920, 1000};
#define COL(i) (list_colx[i] * w / 1280)
#define CW(i) (list_colx[(i) + 1] * w / 1280 - list_colx[i] * w / 1280 - 10)

static void list_row(SDL_Renderer *r, const struct phone_gfx *g,
                     struct phone_hits *hs, const struct phone *p,
                     const struct calllist_entry *e, long today, int y,
                     int rowh, int w, int index, int waiting)
{
  int selected = !waiting && index == p->sel;
  const int *colx = list_colx;
  TTF_Font *rf = w < 1200 ? g->small : g->body;  /* narrow: smaller text */
  char disch[40], tries[16], st[64], when[32], d[11];
  int ty = y + 6;
  SDL_Color fg = waiting ? C_MUTED : C_TEXT;
  if(!waiting)
    add_hit(hs, 12, y, w - 24, rowh, PHONE_K_NONE, 0, index);
  if(selected) {
    fill(r, C_SEL, 12, y, w - 24, rowh);
    fill(r, C_ACCENT, 12, y, 5, rowh);
  }
  track_chip(r, g, colx[0] * w / 1280, ty - 2, e->track);
  text_fit(r, w < 1200 ? g->small : g->bold, COL(1), ty, fg, e->name,
           CW(1));
  text_fit(r, rf, COL(2), ty, fg, e->phone, CW(2));
  text_fit(r, rf, COL(3), ty, fg, e->pnr[0] ? e->pnr : "–", CW(3));
  pdate_format(e->discharge, d);
  snprintf(disch, sizeof(disch), "%s (dag %ld)", d + 5, today - e->discharge);
  text_fit(r, rf, COL(4), ty, fg, disch, CW(4));
  text_fit(r, rf, COL(5), ty, fg, care_label(e->care), CW(5));
  snprintf(tries, sizeof(tries), "%d av %d", e->attempts,
           p->cfg.max_attempts);
  text_fit(r, rf, COL(6), ty, fg, tries, CW(6));
  {
    struct tm tm;
    time_t t = e->next_at;
    if(!localtime_r(&t, &tm) ||
       !strftime(when, sizeof(when), pdate_local_today(t) != today
                 ? "%m-%d %H:%M" : "%H:%M", &tm))
      pr_strlcpy(when, "?", sizeof(when));
  }
  if(e->last == DISPO_CALLBACK)
    snprintf(st, sizeof(st), "Ring tillbaka %s", when);
  else if(waiting)
    snprintf(st, sizeof(st), "Nytt försök %s", when);
  else if(e->last != DISPO_NONE)
    snprintf(st, sizeof(st), "Nytt försök");
  else
    snprintf(st, sizeof(st), "Ny");
  text_fit(r, rf, COL(7), ty,
           e->last == DISPO_CALLBACK && !waiting ? C_RED : fg, st,
           w - 20 - COL(7));
  fill(r, C_LINE, 20, y + rowh, w - 40, 1);
}

/* ---- the call list ---------------------------------------------------- */

static void draw_list(SDL_Renderer *r, const struct phone_gfx *g,
                      struct phone_hits *hs, const struct phone *p,
                      time_t now, int w, int h)
{
  static const struct shortcut keys[] = {
    {"Pil upp/ned", "Välj (PgUp/PgDn: 10 rader)"}, {"Enter", "Ring upp"},
    {"N", "Ny post"},
    {"E", "Rätta"}, {"X", "Radera"}, {"S", "Statistik"}, {"F5", "Uppdatera"},
    {"Esc", "Lämna"}};
  static const char *const head[] = {"Spår", "Namn", "Telefon",
    "Personnummer", "Utskriven", "Vårdtyp", "Försök", "Status"};
  long today = pdate_local_today(now);
  int y = 70, rowh = TTF_FontHeight(g->body) + 14;
  char line[200];

  if(p->closed_hours)
    snprintf(line, sizeof(line), "Utanför ringtiden (%02d:%02d–%02d:%02d). "
             "Listan visas igen när ringtiden börjar.", p->cfg.hour_from / 60,
             p->cfg.hour_from % 60, p->cfg.hour_to / 60, p->cfg.hour_to % 60);
  else
    snprintf(line, sizeof(line), "Att ringa nu: %d   (dag %d–%d efter "
             "utskrivning, röd före gul före grön, högst %d försök)",
             p->n_queue, p->cfg.day_from, p->cfg.day_to,
             p->cfg.max_attempts);
  text(r, g->big, 20, y, C_TEXT, p->n_queue || p->closed_hours
       ? "Vem ska ringas nu" : "Ingen att ringa just nu", 0);
  y += TTF_FontHeight(g->big) + 6;
  text(r, g->body, 20, y, C_MUTED, line, w - 40);
  y += TTF_FontHeight(g->body) + 16;
  fill(r, C_LINE, 20, y + rowh - 4, w - 40, 1);
  for(size_t c = 0; c < PR_ARRAY_LEN(head); c++)
    text_fit(r, w < 1200 ? g->small : g->bold, COL(c), y, C_MUTED, head[c],
             c + 1 < PR_ARRAY_LEN(head) ? CW(c) : w - 20 - COL(c));
  y += rowh + 2;
  {
    /* A long list scrolls so that the selected row is always visible;
     * a line says how many are above and below. */
    int room = (h - 96 - rowh - y) / (rowh + 1), first = 0, last;
    char more[64];
    if(room < 1)
      room = 1;
    if(p->sel >= room)
      first = p->sel - room + 1;
    last = first + room < p->n_queue ? first + room : p->n_queue;
    if(first > 0 || last < p->n_queue) {
      snprintf(more, sizeof(more), "Rad %d–%d av %d", first + 1, last,
               p->n_queue);
      text(r, g->small, w - 20 - text_w(g->small, more),
           y - rowh - 22, C_MUTED, more, 0);
    }
    for(int i = first; i < last; i++) {
      list_row(r, g, hs, p, &p->queue[i], today, y, rowh, w, i, 0);
      y += rowh + 1;
    }
  }
  if(p->n_later > 0 && y + 2 * rowh < h - 96) {
    y += 18;
    text(r, g->bold, 20, y, C_MUTED, "Senare – väntar på nytt försök eller "
         "avtalad tid", 0);
    y += rowh;
    for(int i = 0; i < p->n_later && y + rowh < h - 96; i++) {
      list_row(r, g, hs, p, &p->later[i], today, y, rowh, w, i, 1);
      y += rowh + 1;
    }
  }
  bottom_bar(r, g, hs, w, h, keys, (int)PR_ARRAY_LEN(keys), p->status);
}

/* ---- the call screen -------------------------------------------------- */

static void person_card(SDL_Renderer *r, const struct phone_gfx *g,
                        const struct phone *p, time_t now, int x, int y,
                        int cw, int ch)
{
  const struct calllist_entry *e = &p->cur;
  char line[160], d[11];
  int lh = TTF_FontHeight(g->body) + 8;
  fill(r, C_CARD, x, y, cw, ch);
  fill(r, C_LINE, x + cw - 1, y, 1, ch);
  y += 16;
  x += 18;
  text(r, g->small, x, y, C_MUTED,
       p->step == PHONE_ERASE ? "POST I SAMTALSLISTAN" : "SAMTAL MED", 0);
  y += TTF_FontHeight(g->small) + 4;
  y += text(r, g->big, x, y, C_TEXT, e->name, cw - 36) + 6;
  text(r, g->big, x, y, C_ACCENT, e->phone, 0);
  y += TTF_FontHeight(g->big) + 14;
  snprintf(line, sizeof(line), "Personnummer: %s", e->pnr[0] ? e->pnr : "–");
  text(r, g->body, x, y, C_TEXT, line, 0);
  y += lh;
  pdate_format(e->discharge, d);
  snprintf(line, sizeof(line), "Utskriven: %s (dag %ld)", d,
           pdate_local_today(now) - e->discharge);
  text(r, g->body, x, y, C_TEXT, line, 0);
  y += lh;
  text(r, g->body, x, y, C_TEXT, "Spår:", 0);
  track_chip(r, g, x + text_w(g->body, "Spår:") + 10, y - 2, e->track);
  y += lh;
  snprintf(line, sizeof(line), "Vårdtyp: %s", care_label(e->care));
  text(r, g->body, x, y, C_TEXT, line, 0);
  y += lh;
  snprintf(line, sizeof(line), "Försök hittills: %d av %d", e->attempts,
           p->cfg.max_attempts);
  text(r, g->body, x, y, C_TEXT, line, 0);
  y += lh;
  if(p->uuid[0] || p->interview_done) {
    snprintf(line, sizeof(line), "Svarar: %s", p->proxy ? "närstående "
             "(svaren märks)" : "patienten själv");
    text(r, g->body, x, y, C_TEXT, line, 0);
    y += lh;
  }
  y += 10;
  text(r, g->small, x, y, C_MUTED, "Namn och nummer stannar på den här "
       "datorn och raderas efter utfallet + lagringstid. Svaren sparas "
       "utan namn.", cw - 36);
}

/* Numbered alternatives "[1] Ja" down the page; returns the new y. */
static int alternatives(SDL_Renderer *r, const struct phone_gfx *g,
                        struct phone_hits *hs, int x, int y,
                        const char *const *labels, int n, int chosen)
{
  for(int i = 0; i < n; i++) {
    char k[2] = {(char)('1' + i % 9), 0};
    SDL_Color fg = i == chosen ? C_ACCENT : C_TEXT;
    if(i == chosen)
      fill(r, C_SEL, x - 8, y - 6, 640, TTF_FontHeight(g->bold) + 12);
    keycap(r, g, hs, x, y, k, labels[i], fg);
    y += TTF_FontHeight(g->bold) + 16;
  }
  return y;
}

static void draw_call(SDL_Renderer *r, const struct phone_gfx *g,
                      struct phone_hits *hs, const struct phone *p,
                      time_t now, int w, int h)
{
  int cardw = w * 30 / 100, x = cardw + 32, y = 72, tw = w - x - 32;
  char head[160];
  const char *labels[QSET_MAX_OPTIONS];
  struct shortcut keys[16];
  int nk = 0;

  person_card(r, g, p, now, 0, 52, cardw, h - 52 - 88);
  switch(p->step) {
  case PHONE_INTRO:
    text(r, g->small, x, y, C_MUTED, "STEG 1 – INLEDNING", 0);
    y += 24;
    y += text(r, g->big, x, y, C_TEXT, "Ring numret. När någon svarar, "
              "läs:", tw) + 14;
    y += text(r, g->body, x, y, C_TEXT, qset_text(&p->set->intro, "sv"),
              tw) + 24;
    text(r, g->bold, x, y, C_MUTED, "Fick du inte kontakt? Välj utfall:", 0);
    y += 34;
    {
      static const enum dispo nc[] = {DISPO_NOANSWER, DISPO_BUSY,
        DISPO_VOICEMAIL, DISPO_WRONGNUMBER, DISPO_CALLBACK, DISPO_DECEASED,
        DISPO_READMITTED, DISPO_LANGUAGE, DISPO_UNABLE};
      TTF_Font *lf = grid_font(g, nc, PR_ARRAY_LEN(nc), tw / 2);
      for(size_t i = 0; i < PR_ARRAY_LEN(nc); i++) {
        const struct dispo_info *in = dispo_info(nc[i]);
        char k[2] = {(char)(in->key - 32), 0};
        keycap_f(r, g, hs, x + (int)(i % 2) * (tw / 2), y, k, in->label,
                 C_TEXT, lf, 26);
        if(i % 2)
          y += TTF_FontHeight(g->bold) + 14;
      }
    }
    keys[nk++] = (struct shortcut){"Enter", "Någon svarar"};
    keys[nk++] = (struct shortcut){"I U R F T", "Utfall"};
    keys[nk++] = (struct shortcut){"Esc", "Tillbaka till listan"};
    break;
  case PHONE_CONSENT: {
    static const char *const l[] = {"Ja, vi kör", "Nej, vill inte",
                                    "Inte nu – ring tillbaka"};
    text(r, g->small, x, y, C_MUTED, "STEG 2 – SAMTYCKE", 0);
    y += 24;
    y += text(r, g->big, x, y, C_TEXT, "Går det bra att jag ställer några "
              "korta frågor? Det tar fem till tio minuter.", tw) + 24;
    alternatives(r, g, hs, x, y, l, 3, -1);
    keys[nk++] = (struct shortcut){"1 2 3", "Svar"};
    keys[nk++] = (struct shortcut){"Esc", "Tillbaka"};
    break;
  }
  case PHONE_PROXY: {
    static const char *const l[] = {"Patienten svarar själv",
                                    "En närstående svarar för patienten"};
    text(r, g->small, x, y, C_MUTED, "STEG 3 – VEM SVARAR", 0);
    y += 24;
    y += text(r, g->big, x, y, C_TEXT, "Är det du själv som svarar, eller "
              "svarar en närstående för dig?", tw) + 24;
    alternatives(r, g, hs, x, y, l, 2, -1);
    keys[nk++] = (struct shortcut){"1 2", "Svar"};
    keys[nk++] = (struct shortcut){"Esc", "Tillbaka"};
    break;
  }
  case PHONE_QUESTION: {
    const struct qset_question *q = &p->set->questions[p->q];
    const struct qset_scale *sc = qset_question_scale(p->set, p->q);
    int idx[QSET_MAX_QUESTIONS], n = phone_questions(p->set, idx,
                                                     QSET_MAX_QUESTIONS);
    int pos = 0;
    for(int i = 0; i < n; i++)
      if(idx[i] == p->q)
        pos = i + 1;
    snprintf(head, sizeof(head), "FRÅGA %d AV %d – %s", pos, n,
             q->indicator[0] ? q->indicator : "fritext");
    text(r, g->small, x, y, C_MUTED, head, 0);
    fill(r, C_LINE, x, y + 22, tw, 6);
    fill(r, C_ACCENT, x, y + 22, tw * (pos - 1) / (n ? n : 1), 6);
    y += 40;
    y += text(r, g->big, x, y, C_TEXT, qset_text(&q->script, "sv")[0]
              ? qset_text(&q->script, "sv") : qset_text(&q->text, "sv"),
              tw) + 24;
    if(q->type == QSET_TEXT) {
      int fh = TTF_FontHeight(g->body) * 4 + 20;
      fill(r, C_CARD, x, y, tw, fh);
      SDL_SetRenderDrawColor(r, C_ACCENT.r, C_ACCENT.g, C_ACCENT.b, 255);
      {
        SDL_Rect b = {x, y, tw, fh};
        SDL_RenderDrawRect(r, &b);
      }
      if(p->text[0]) {
        char shown[PHONE_TEXT_MAX + 2];
        snprintf(shown, sizeof(shown), "%s|", p->text);
        text(r, g->body, x + 10, y + 10, C_TEXT, shown, tw - 20);
      } else {
        text(r, g->body, x + 10, y + 10, C_MUTED, "Skriv patientens svar "
             "kort här (utan namn och telefonnummer)…", tw - 20);
      }
      text(r, g->small, x, y + fh + 8, C_MUTED, "Patientens namn, nummer "
           "och personnummer tas bort ur texten när den sparas.", tw);
      keys[nk++] = (struct shortcut){"Enter", "Spara och gå vidare"};
      keys[nk++] = (struct shortcut){"Tab", "Hoppa över"};
    } else if(sc) {
      int chosen = p->answers[p->q] >= 0 ? p->answers[p->q] : -1;
      for(int i = 0; i < sc->n_options; i++)
        labels[i] = qset_text(&sc->options[i].label, "sv");
      alternatives(r, g, hs, x, y, labels, sc->n_options, chosen);
      keys[nk++] = (struct shortcut){"1–9", "Svar"};
      if(q->optional)
        keys[nk++] = (struct shortcut){"Tab", "Hoppa över"};
      keys[nk++] = (struct shortcut){"Backsteg", "Föregående fråga"};
    }
    keys[nk++] = (struct shortcut){"Esc", "Samtalet bröts"};
    break;
  }
  case PHONE_SIP: {
    static const char *const l[] = {"SIP erbjöds inte",
      "SIP erbjöds – tackade nej", "SIP erbjöds – tackade ja"};
    text(r, g->small, x, y, C_MUTED, "AVSLUTNING – SIP", 0);
    y += 24;
    y += text(r, g->big, x, y, C_TEXT, "Tack för dina svar! Erbjud en "
              "samordnad individuell plan (SIP) om det behövs.", tw) + 10;
    y += text(r, g->body, x, y, C_MUTED, "Noteras på samtalsposten (en "
              "vårdåtgärd för personen), aldrig i de anonyma svaren.",
              tw) + 20;
    alternatives(r, g, hs, x, y, l, 3, -1);
    keys[nk++] = (struct shortcut){"1 2 3", "Svar"};
    break;
  }
  case PHONE_OUTCOME: {
    static const enum dispo all[] = {DISPO_COMPLETE, DISPO_PARTIAL,
      DISPO_REFUSED, DISPO_NOANSWER, DISPO_BUSY, DISPO_VOICEMAIL,
      DISPO_WRONGNUMBER, DISPO_CALLBACK, DISPO_DECEASED, DISPO_READMITTED,
      DISPO_LANGUAGE, DISPO_UNABLE};
    text(r, g->small, x, y, C_MUTED, "UTFALL", 0);
    y += 24;
    y += text(r, g->big, x, y, C_TEXT, p->interview_done
              ? "Intervjun är klar. Enter sparar \"Genomförd intervju\"."
              : "Hur slutade samtalet?", tw) + 20;
    TTF_Font *lf = grid_font(g, all, PR_ARRAY_LEN(all), tw / 2);
    for(size_t i = 0; i < PR_ARRAY_LEN(all); i++) {
      const struct dispo_info *in = dispo_info(all[i]);
      char k[2] = {(char)(in->key - 32), 0};
      int off = all[i] == DISPO_COMPLETE && !p->interview_done;
      keycap_f(r, g, hs, x + (int)(i % 2) * (tw / 2), y, k, in->label,
               off ? C_LINE : C_TEXT, lf, 26);
      if(i % 2)
        y += TTF_FontHeight(g->bold) + 14;
    }
    if(p->interview_done)
      keys[nk++] = (struct shortcut){"Enter", "Genomförd"};
    keys[nk++] = (struct shortcut){"G D V I U R F T", "Utfall"};
    if(!p->interview_done && p->uuid[0])
      keys[nk++] = (struct shortcut){"Esc", "Tillbaka till frågan"};
    break;
  }
  case PHONE_ERASE: {
    static const char *const l[] = {"Ja, radera nu", "Nej"};
    text(r, g->small, x, y, C_MUTED, "RADERA PÅ BEGÄRAN", 0);
    y += 24;
    y += text(r, g->big, x, y, C_TEXT, "Radera personens namn, telefon, "
              "personnummer och utskrivningsdatum nu?", tw) + 10;
    y += text(r, g->body, x, y, C_MUTED, "Posten försvinner ur listan och "
              "går inte att få tillbaka. Redan lämnade svar är anonyma och "
              "påverkas inte.", tw) + 20;
    keycap(r, g, hs, x, y, "J", l[0], C_RED);
    keycap(r, g, hs, x + tw / 2, y, "N", l[1], C_TEXT);
    keys[nk++] = (struct shortcut){"J", "Radera"};
    keys[nk++] = (struct shortcut){"Esc", "Avbryt"};
    break;
  }
  case PHONE_CALLBACK: {
    int fh = TTF_FontHeight(g->big) + 20;
    char shown[PHONE_TEXT_MAX + 2];
    text(r, g->small, x, y, C_MUTED, "RING TILLBAKA", 0);
    y += 24;
    y += text(r, g->big, x, y, C_TEXT, "När ska vi ringa tillbaka?", tw) + 8;
    y += text(r, g->body, x, y, C_MUTED, "Skriv datum och tid "
              "(ÅÅÅÅ-MM-DD TT:MM) eller bara tid (TT:MM). Posten hamnar "
              "först i listan vid den tiden.", tw) + 16;
    fill(r, C_CARD, x, y, 420, fh);
    SDL_SetRenderDrawColor(r, C_ACCENT.r, C_ACCENT.g, C_ACCENT.b, 255);
    {
      SDL_Rect b = {x, y, 420, fh};
      SDL_RenderDrawRect(r, &b);
    }
    snprintf(shown, sizeof(shown), "%s|", p->text);
    text(r, g->big, x + 10, y + 10, C_TEXT, shown, 0);
    keys[nk++] = (struct shortcut){"Enter", "Spara"};
    keys[nk++] = (struct shortcut){"Esc", "Ångra"};
    break;
  }
  default:
    break;
  }
  bottom_bar(r, g, hs, w, h, keys, nk, p->status);
}

/* ---- the add/correct form ------------------------------------------- */

static void draw_edit(SDL_Renderer *r, const struct phone_gfx *g,
                      struct phone_hits *hs, const struct phone *p, int w,
                      int h)
{
  static const char *const label[PHONE_F_N] = {"Namn", "Telefon",
    "Personnummer (frivilligt)", "Utskrivningsdatum (ÅÅÅÅ-MM-DD)",
    "Spår (röd, gul, grön)", "Vårdtyp (somatisk, psykiatrisk)",
    "Samtycke (ja, nej)"};
  static const struct shortcut keys[] = {{"Tab", "Nästa fält"},
    {"Pil upp/ned", "Byt fält"}, {"Enter", "Spara"}, {"Esc", "Avbryt"}};
  int x = 20, y = 72, lw = 360, fw = w - lw - 60;
  int fh = TTF_FontHeight(g->body) + 16;
  text(r, g->big, x, y, C_TEXT, p->edit_id ? "Rätta post" : "Ny post i "
       "samtalslistan", 0);
  y += TTF_FontHeight(g->big) + 20;
  for(int i = 0; i < PHONE_F_N; i++) {
    char shown[PHONE_FIELD_LEN + 2];
    int cur = i == p->field_cur;
    text(r, cur ? g->bold : g->body, x, y + 8, cur ? C_ACCENT : C_TEXT,
         label[i], 0);
    fill(r, C_CARD, x + lw, y, fw, fh);
    SDL_SetRenderDrawColor(r, cur ? C_ACCENT.r : C_LINE.r,
                           cur ? C_ACCENT.g : C_LINE.g,
                           cur ? C_ACCENT.b : C_LINE.b, 255);
    {
      SDL_Rect b = {x + lw, y, fw, fh};
      SDL_RenderDrawRect(r, &b);
      if(cur) {
        SDL_Rect b2 = {x + lw + 1, y + 1, fw - 2, fh - 2};
        SDL_RenderDrawRect(r, &b2);
      }
    }
    snprintf(shown, sizeof(shown), "%s%s", p->field[i], cur ? "|" : "");
    text(r, g->body, x + lw + 10, y + 8, C_TEXT, shown, 0);
    y += fh + 12;
  }
  text(r, g->small, x, y + 6, C_MUTED, "Uppgifterna stannar på den här "
       "datorn och raderas automatiskt efter samtalets utfall och "
       "lagringstiden.", w - 40);
  bottom_bar(r, g, hs, w, h, keys, (int)PR_ARRAY_LEN(keys), p->status);
}

/* ---- weekly statistics --------------------------------------------- */

static void draw_stats(SDL_Renderer *r, const struct phone_gfx *g,
                       struct phone_hits *hs, const struct phone *p, int w,
                       int h)
{
  static const char *const head[] = {"Vecka", "Poster", "Samtal", "Nådda",
    "Genomförda", "Svarsfrekvens", "Samarbetsgrad", "SIP erbjuden",
    "SIP accepterad"};
  static const int colx[] = {20, 140, 240, 340, 440, 590, 760, 930, 1090};
  static const struct shortcut keys[] = {{"Esc", "Tillbaka till listan"}};
  int y = 72, rowh = TTF_FontHeight(g->body) + 12;
  text(r, g->big, 20, y, C_TEXT, "Enhetens uppföljning per vecka", 0);
  y += TTF_FontHeight(g->big) + 6;
  y += text(r, g->body, 20, y, C_MUTED, "Svarsfrekvens = genomförda / alla "
            "som skulle nås (AAPOR RR1). Samarbetsgrad = genomförda / alla "
            "som svarade i telefon (COOP1). \"Ej aktuell\" räknas inte.",
            w - 40) + 14;
  for(size_t c = 0; c < PR_ARRAY_LEN(head); c++)
    text(r, g->bold, colx[c] * w / 1280, y, C_MUTED, head[c], 0);
  y += rowh;
  fill(r, C_LINE, 20, y - 4, w - 40, 1);
  if(p->n_weeks == 0)
    text(r, g->body, 20, y + 6, C_MUTED, "Inga samtal ännu.", 0);
  for(int i = p->n_weeks - 1; i >= 0 && y + rowh < h - 96; i--) {
    const struct dispo_week *wk = &p->weeks[i];
    char v[9][24];
    double rr1 = dispo_week_rr1(wk), coop1 = dispo_week_coop1(wk);
    snprintf(v[0], sizeof(v[0]), "%s", wk->week);
    snprintf(v[1], sizeof(v[1]), "%ld", wk->entries);
    snprintf(v[2], sizeof(v[2]), "%ld", wk->attempts);
    snprintf(v[3], sizeof(v[3]), "%ld", dispo_week_reached(wk));
    snprintf(v[4], sizeof(v[4]), "%ld", dispo_week_completed(wk));
    if(rr1 >= 0)
      snprintf(v[5], sizeof(v[5]), "%.0f %%", rr1 * 100);
    else
      snprintf(v[5], sizeof(v[5]), "–");
    if(coop1 >= 0)
      snprintf(v[6], sizeof(v[6]), "%.0f %%", coop1 * 100);
    else
      snprintf(v[6], sizeof(v[6]), "–");
    snprintf(v[7], sizeof(v[7]), "%ld", wk->sip_offered);
    snprintf(v[8], sizeof(v[8]), "%ld", wk->sip_accepted);
    y += 6;
    for(int c = 0; c < 9; c++)
      text(r, c ? g->body : g->bold, colx[c] * w / 1280, y, C_TEXT, v[c], 0);
    y += rowh;
    fill(r, C_LINE, 20, y - 4, w - 40, 1);
  }
  bottom_bar(r, g, hs, w, h, keys, (int)PR_ARRAY_LEN(keys), p->status);
}

const struct phone_hit *phone_hit_at(const struct phone_hits *hits, int x,
                                     int y)
{
  SDL_Point pt = {x, y};
  for(int i = hits->n - 1; i >= 0; i--)
    if(SDL_PointInRect(&pt, &hits->h[i].r))
      return &hits->h[i];
  return NULL;
}

void phone_draw(SDL_Renderer *r, const struct phone_gfx *g,
                const struct phone *p, time_t now, int w, int h,
                struct phone_hits *hs)
{
  if(hs)
    hs->n = 0;
  SDL_SetRenderDrawColor(r, C_BG.r, C_BG.g, C_BG.b, 255);
  SDL_RenderClear(r);
  top_bar(r, g, p, now, w);
  if(p->step == PHONE_LIST)
    draw_list(r, g, hs, p, now, w, h);
  else if(p->step == PHONE_EDIT)
    draw_edit(r, g, hs, p, w, h);
  else if(p->step == PHONE_STATS)
    draw_stats(r, g, hs, p, w, h);
  else
    draw_call(r, g, hs, p, now, w, h);
}
