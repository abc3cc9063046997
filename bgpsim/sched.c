/*
 * The simulator's virtual clock: a binary min-heap of events keyed by
 * (time in milliseconds, insertion sequence), so events due at the same
 * time run in the order they were queued and every run is the same.
 * Nothing here reads a real clock.
 *
 * Timers (RFC 4271 10: ConnectRetry, Hold, Keepalive, ...) are exact but
 * cheap to restart: a restart to a later deadline keeps the event already
 * queued, which, when it comes up early, queues itself again for the real
 * deadline.  A stopped or superseded event is recognised by its
 * generation and ignored.
 */
#include "bgpsim/simpriv.h"

#include <stdlib.h>
#include <string.h>

void
sched_init(struct sched *s)
{
	memset(s, 0, sizeof(*s));
}

void
sched_release(struct sched *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static bool
before(const struct sched_ev *a, const struct sched_ev *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

void
sched_push(struct sched *s, uint64_t t, uint32_t kind, uint32_t a, uint32_t b,
           uint32_t c)
{
	struct sched_ev e;
	size_t i;

	if (t < s->now)
		RR_BUG("sched: an event in the past");
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = rr_xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	e.t = t;
	e.seq = s->seq++;
	e.kind = kind;
	e.a = a;
	e.b = b;
	e.c = c;
	if (kind != SEV_TIMER && kind != SEV_MAXPFX_RESTART)
		s->nontimer++;
	/* sift up */
	for (i = s->n++; i > 0; i = (i - 1) / 2) {
		size_t p = (i - 1) / 2;
		if (!before(&e, &s->v[p]))
			break;
		s->v[i] = s->v[p];
	}
	s->v[i] = e;
}

bool
sched_pop(struct sched *s, struct sched_ev *ev)
{
	struct sched_ev last;
	size_t i, n;

	if (!s->n)
		return false;
	*ev = s->v[0];
	last = s->v[--s->n];
	n = s->n;
	/* sift down */
	for (i = 0;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && before(&s->v[c + 1], &s->v[c]))
			c++;
		if (!before(&s->v[c], &last))
			break;
		s->v[i] = s->v[c];
		i = c;
	}
	if (n)
		s->v[i] = last;
	s->now = ev->t;
	s->popped++;
	if (ev->kind != SEV_TIMER && ev->kind != SEV_MAXPFX_RESTART)
		s->nontimer--;
	return true;
}

uint64_t
sched_next(const struct sched *s)
{
	return s->n ? s->v[0].t : SIM_NEVER;
}

/* ------------------------------------------------------------ timers */

void
sched_timer_init(struct sched_timer *t)
{
	t->deadline = SIM_NEVER;
	t->queued = SIM_NEVER;
	/* the generation survives reuse of the slot: old events stay stale */
}

void
sched_timer_start(struct sched *s, struct sched_timer *t, uint64_t at,
                  uint32_t a, uint32_t b)
{
	t->deadline = at;
	if (t->queued != SIM_NEVER && t->queued <= at)
		return; /* the queued event re-arms itself */
	t->gen++;
	t->queued = at;
	sched_push(s, at, SEV_TIMER, a, b, t->gen);
}

void
sched_timer_stop(struct sched_timer *t)
{
	t->deadline = SIM_NEVER;
}

bool
sched_timer_due(struct sched *s, struct sched_timer *t,
                const struct sched_ev *ev)
{
	if (ev->c != t->gen || t->queued != ev->t)
		return false; /* superseded */
	t->queued = SIM_NEVER;
	if (t->deadline == SIM_NEVER)
		return false; /* stopped */
	if (t->deadline > ev->t) {
		t->gen++;
		t->queued = t->deadline;
		sched_push(s, t->deadline, SEV_TIMER, ev->a, ev->b, t->gen);
		return false;
	}
	t->deadline = SIM_NEVER;
	return true;
}
