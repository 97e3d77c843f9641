/* setfetch.h — question-set rollout on the kiosk side: ask the aggregator
 * which set versions are current, download the ones the sets directory
 * does not hold yet (judged by id and version, whatever the file names),
 * validate each with the kiosk's own validator (qset_load_buffer) and save
 * it atomically into the sets directory as "<id>.v<version>.json" (temp
 * file, fsync, rename, fsync of the directory), so the kiosk can switch to
 * it between patients.  It never deletes or overwrites a set file. */
#ifndef SETFETCH_H
#define SETFETCH_H

#include "pr.h"
#include "uplink.h"

/* base_url is "https://host:port" (no trailing path).  sets_dir NULL: only
 * fetch and check the list (reachability and token).  *saved (may be NULL)
 * is how many new files were written.
 *
 * Before anything is saved, every *.json in sets_dir that the validator
 * accepts is read for its id, version and SHA-256 (so the shipped
 * "kiosk-besok.json", version 1, counts as version 1).  A listed version
 * the directory already holds with the same bytes (the list's sha256, or
 * the server's copy when the list gives none) is skipped silently; with
 * other bytes it is PR_ECONFLICT, logged as "sync.set_conflict", err
 * naming the set and the file, and nothing is written.  A broken or
 * mismatching set (bad JSON, validator error, wrong id/version, sha256
 * mismatch) is not saved: PR_EPROTO with err naming the set and the
 * validator's message.  After PR_EPROTO or PR_ECONFLICT the other sets are
 * still fetched and the first error is returned.  Transport errors as
 * uplink_request; PR_EAUTH on 401; PR_EBUSY on 429/503, *retry_after
 * (may be NULL; left alone otherwise) then set to the server's Retry-After
 * when it sent one; PR_EIO when the directory cannot be read or
 * written.  *refused (may be NULL) counts the sets refused for what they
 * hold (PR_EPROTO / PR_ECONFLICT after the list itself came through). */
enum pr_rc setfetch_run(struct uplink *u, const char *base_url,
                        const char *token, const char *sets_dir, int *saved,
                        int *refused, long *retry_after, char *err) PR_MUST;

/* The file name a set version is saved under, into buf. 0 / -1 if too
 * long. */
int setfetch_path(const char *dir, const char *id, int version, char *buf,
                  size_t cap) PR_MUST;

#endif
