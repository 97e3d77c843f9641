/* This file contains the plain-program driver of the aggregator's fuzz
 * target (no libFuzzer needed): it replays every file of a corpus
 * directory, then N seeded random mutations of them (bit flips, byte
 * inserts and deletes, splices of two inputs, JSON-ish token swaps), and
 * prints how many inputs ran.  A crash or sanitizer report fails the test.
 * Usage: fuzz_agg_replay CORPUS_DIR N [SEED] */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_IN 65536

struct input {
  uint8_t *p;
  size_t n;
};

static uint64_t rng_next(uint64_t *s)
{
  /* xorshift64*: reproducible from the seed printed on failure */
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 2685821657736338717ULL;
}

static const char *const tokens[] = {
  "null", "true", "false", "0", "-1", "1e999", "\"\"", "{}", "[]", "\"a\"",
  "\"uuid\"", "\"answers\"", "\"text\"", "\"q\"", "\"a\"", "\"2026-W53\"",
  "\"2026-13\"", "\\u0000", "\\ud800", "\xff", "\xc3\xa5", ",", ":", "[", "]",
  "{", "}", "\"agg-test\"", "\"phone\"", "\"gul\"", "99999999999999999999",
};

static size_t mutate(uint8_t *buf, size_t n, const struct input *other,
                     uint64_t *s)
{
  int k, rounds = 1 + (int)(rng_next(s) % 4);

  for(k = 0; k < rounds; k++) {
    size_t pos = n ? (size_t)(rng_next(s) % n) : 0;
    switch(rng_next(s) % 5) {
    case 0:
      if(n)
        buf[pos] ^= (uint8_t)(1u << (rng_next(s) % 8));
      break;
    case 1:
      if(n < MAX_IN) {
        memmove(buf + pos + 1, buf + pos, n - pos);
        buf[pos] = (uint8_t)rng_next(s);
        n++;
      }
      break;
    case 2:
      if(n) {
        size_t del = 1 + (size_t)(rng_next(s) % 8);
        if(del > n - pos)
          del = n - pos;
        memmove(buf + pos, buf + pos + del, n - pos - del);
        n -= del;
      }
      break;
    case 3: {
      const char *t = tokens[rng_next(s) % PR_ARRAY_LEN(tokens)];
      size_t tl = strlen(t);
      if(n + tl < MAX_IN) {
        memmove(buf + pos + tl, buf + pos, n - pos);
        memcpy(buf + pos, t, tl);
        n += tl;
      }
      break;
    }
    default:
      if(other->n) {
        size_t from = (size_t)(rng_next(s) % other->n);
        size_t take = other->n - from;
        if(pos + take > MAX_IN)
          take = MAX_IN - pos;
        memcpy(buf + pos, other->p + from, take);
        n = pos + take;
      }
      break;
    }
  }
  return n;
}

int main(int argc, char **argv)
{
  struct input in[256];
  int n_in = 0, i;
  long n_mut = 0, k;
  uint64_t seed = 0x5eed1234abcdULL;
  uint8_t *buf;
  DIR *d;
  struct dirent *e;

  if(argc < 3 || pr_parse_long(argv[2], 0, 100000000, &n_mut) != 0) {
    fprintf(stderr, "usage: %s CORPUS_DIR N [SEED]\n", argv[0]);
    return 2;
  }
  if(argc > 3) {
    long sv;
    if(pr_parse_long(argv[3], 1, 0x7fffffffL, &sv) != 0)
      return 2;
    seed = (uint64_t)sv;
  }
  d = opendir(argv[1]);
  if(!d) {
    fprintf(stderr, "cannot open corpus %s\n", argv[1]);
    return 2;
  }
  while((e = readdir(d)) != NULL && n_in < (int)PR_ARRAY_LEN(in)) {
    char path[1024];
    FILE *f;
    if(e->d_name[0] == '.')
      continue;
    snprintf(path, sizeof(path), "%s/%s", argv[1], e->d_name);
    f = fopen(path, "rb");
    if(!f)
      continue;
    in[n_in].p = malloc(MAX_IN);
    in[n_in].n = fread(in[n_in].p, 1, MAX_IN, f);
    fclose(f);
    LLVMFuzzerTestOneInput(in[n_in].p, in[n_in].n);
    n_in++;
  }
  closedir(d);
  if(n_in == 0) {
    fprintf(stderr, "empty corpus %s\n", argv[1]);
    return 2;
  }
  buf = malloc(MAX_IN);
  for(k = 0; k < n_mut; k++) {
    const struct input *a = &in[rng_next(&seed) % (uint64_t)n_in];
    const struct input *b = &in[rng_next(&seed) % (uint64_t)n_in];
    size_t n;
    memcpy(buf, a->p, a->n);
    n = mutate(buf, a->n, b, &seed);
    LLVMFuzzerTestOneInput(buf, n);
  }
  printf("fuzz_agg_replay: %d corpus inputs, %ld mutations, no crash\n", n_in,
         n_mut);
  for(i = 0; i < n_in; i++)
    free(in[i].p);
  free(buf);
  return 0;
}
