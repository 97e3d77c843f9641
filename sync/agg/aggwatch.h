/* aggwatch.h — a watchdog for connections that send too slowly.  The
 * idle timeout of libmicrohttpd resets with every byte, so a client that
 * drips its TLS handshake or headers one byte at a time would hold a
 * connection for ever; the watchdog shuts down the socket of any
 * connection that has not delivered a complete request within the
 * deadline (counted from accept, and again from the end of each request).
 * It knows nothing of HTTP beyond the three events it is told. */
#ifndef AGGWATCH_H
#define AGGWATCH_H

#include "pr.h"

struct aggwatch;
struct aggwatch_slot;

/* Start the watchdog thread with a deadline in seconds.  *out is the
 * caller's (aggwatch_free). */
enum pr_rc aggwatch_new(int deadline_s, struct aggwatch **out) PR_MUST;
/* Stop the thread and free.  Every slot must have been removed.  NULL-safe. */
void aggwatch_free(struct aggwatch *w);

/* A connection on socket fd was accepted: its clock starts.  NULL when out
 * of memory (the connection is then simply not watched). */
struct aggwatch_slot *aggwatch_add(struct aggwatch *w, int fd);
/* The request is complete and being handled: stop the clock. */
void aggwatch_busy(struct aggwatch *w, struct aggwatch_slot *s);
/* The request was answered: the clock starts again for the next one. */
void aggwatch_idle(struct aggwatch *w, struct aggwatch_slot *s);
/* The connection is closing: forget it (before its socket is closed).
 * NULL-safe. */
void aggwatch_remove(struct aggwatch *w, struct aggwatch_slot *s);

/* Connections cut so far (for /metrics). */
long aggwatch_cut_count(struct aggwatch *w);

#endif
