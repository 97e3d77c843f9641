/* vocab.h — the one vocabulary of a phone entry's track (spår) and care
 * type (vårdtyp): the canonical values stored, sent and counted ("rod",
 * "gul", "gron"; "somatisk", "psykiatrisk"), every spelling a door accepts
 * for them, and the Swedish words shown to people.  Every door (call-list
 * import, rostctl, rost-phone, the API, CSV, rost-agg report, the
 * dashboard) reads words through here.  Pure: no I/O, no allocation. */
#ifndef VOCAB_H
#define VOCAB_H

/* Accepted spellings, whatever the case (ÅÄÖ too), surrounding spaces
 * ignored, å/ä/ö also typed as a/a/o:
 *   rod   röd, rod, rött, rott, red, r
 *   gul   gul, gult, yellow, y
 *   gron  grön, gron, grönt, gront, green, g
 *   somatisk     somatisk, somatik, somatic, som, s
 *   psykiatrisk  psykiatrisk, psykiatri, psyk, psychiatric, psychiatry, p
 * The canonical value of word, or NULL for anything else (NULL and ""
 * included).  The result is a static string. */
const char *vocab_track(const char *word);
const char *vocab_care(const char *word);

/* 1 when s is exactly a canonical value (what a store or a sync payload
 * must hold), else 0. */
int vocab_is_track(const char *s);
int vocab_is_care(const char *s);

/* The Swedish word people read for a canonical value: "röd", "gul",
 * "grön"; "somatisk", "psykiatrisk".  Any other text is returned as it
 * is (NULL as ""). */
const char *vocab_track_label(const char *canon);
const char *vocab_care_label(const char *canon);

/* For help texts and error messages. */
#define VOCAB_TRACK_WORDS "grön, gul or röd"
#define VOCAB_CARE_WORDS  "somatisk or psykiatrisk"
#define VOCAB_TRACK_ARG   "grön|gul|röd"
#define VOCAB_CARE_ARG    "somatisk|psykiatrisk"

#endif
