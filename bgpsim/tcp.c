/*
 * TCP between speakers, as far as BGP can tell (RFC 793), and the faults.
 *
 * A connection attempt reaches the owner of the address one link latency
 * later; it is lost when nobody owns the address, the owner failed or the
 * link is cut; refused (RST) when nothing listens on that port or, on
 * IOS, when no neighbor or listen range matches the source or the
 * neighbor is not started; BIRD accepts and closes a connection from an
 * unknown address ("Unexpected connect from unknown address"); a TCP MD5
 * key on one end only, or different keys, drops the SYN silently (RFC
 * 2385: the dialler times out).  Bytes arrive whole and in order, one
 * latency after they were sent; each direction keeps at most the
 * receiver's window in flight (tcp_window); a cut link holds them until it is restored.
 *
 * Faults: --fail stops a speaker silently; --cut and --restore stop and
 * resume a link.
 */
#include "bgpsim/simpriv.h"

#include <stdlib.h>
#include <string.h>

/* Connections live in an array that grows (realloc): hold no pointer to
 * one across conn_new(). */
static struct wconn *
conn_at(const struct world *w, uint32_t i)
{
	return &w->conn[i];
}

/* ------------------------------------------------------------ pipes */

static void
pipe_release(struct wpipe *p)
{
	free(p->buf);
	free(p->marks);
	memset(p, 0, sizeof(*p));
}

static uint64_t
pipe_inflight(const struct wpipe *p)
{
	return p->total - p->done;
}

/* Queue bytes (or the FIN) leaving now; one delivery event per instant. */
static void
pipe_put(struct world *w, uint32_t ci, uint8_t e, const uint8_t *b, size_t n,
         bool fin, const struct wmark *tag)
{
	struct wconn *c = conn_at(w, ci);
	struct wpipe *p = &c->pipe[e];
	struct wmark *last;

	if (p->fin_sent)
		return;
	if (tag && tag->ext) {
		/* an update group's template: its bytes stay where they are
		 * (the cache keeps them for the run) */
		p->total += n;
	} else if (n) {
		if (p->head && (p->len + n > p->cap || p->head >= p->len / 2)) {
			memmove(p->buf, p->buf + p->head, p->len - p->head);
			p->len -= p->head;
			p->head = 0;
		}
		if (p->len + n > p->cap) {
			/* most of what is copied is small (KEEPALIVEs,
			 * OPENs): an update group's batches are not copied */
			size_t cap = p->cap ? p->cap : 256;
			while (cap < p->len + n)
				cap *= 2;
			p->cap = cap;
			p->buf = rr_xrealloc(p->buf, p->cap);
		}
		memcpy(p->buf + p->len, b, n);
		p->len += n;
		p->total += n;
	}
	p->fin_sent = fin;
	last = p->mlen ? &p->marks[(p->mhead + p->mlen - 1) % p->mcap] : NULL;
	if (last && last->sent_ms == w->sched.now && !last->fin &&
	    !last->batch && !tag) {
		last->end = p->total;
		last->fin = fin;
		return;
	}
	if (p->mlen == p->mcap) {
		uint32_t ncap = p->mcap ? p->mcap * 2 : 4, k;
		struct wmark *nm = rr_xcalloc(ncap, sizeof(*nm));
		for (k = 0; k < p->mlen; k++)
			nm[k] = p->marks[(p->mhead + k) % p->mcap];
		free(p->marks);
		p->marks = nm;
		p->mcap = ncap;
		p->mhead = 0;
	}
	last = &p->marks[(p->mhead + p->mlen++) % p->mcap];
	if (tag)
		*last = *tag;
	else
		memset(last, 0, sizeof(*last));
	last->sent_ms = w->sched.now;
	last->end = p->total;
	last->fin = fin;
	sched_push(&w->sched, w->sched.now + w->opts.latency_ms, SEV_DATA, ci,
	           e, c->gen);
}

/* ------------------------------------------------------- connections */

/* What crossed a wire (sim_opts.trace); seq: bytes this direction carried
 * before, SIM_NEVER for those just put. */
static void
trace_at(struct world *w, enum sim_trace_kind k, const struct wconn *c,
         uint8_t from_end, const uint8_t *b, size_t n, const char *why,
         uint64_t seq)
{
	struct sim_trace t;

	if (!w->opts.trace)
		return;
	memset(&t, 0, sizeof(t));
	t.kind = k;
	t.t_ms = w->sched.now;
	t.conn = c->serial;
	t.from = c->spk[from_end];
	t.to = c->spk[1 - from_end];
	t.src = c->addr[from_end];
	t.dst = c->addr[1 - from_end];
	t.sport = c->port[from_end];
	t.dport = c->port[1 - from_end];
	t.seq = seq == SIM_NEVER ? c->pipe[from_end].total - n : seq;
	t.bytes = b;
	t.len = n;
	t.why = why;
	w->opts.trace(w->opts.trace_ctx, &t);
}

static void
trace(struct world *w, enum sim_trace_kind k, const struct wconn *c,
      uint8_t from_end, const uint8_t *b, size_t n, const char *why)
{
	trace_at(w, k, c, from_end, b, n, why, SIM_NEVER);
}

static uint32_t
conn_new(struct world *w)
{
	uint32_t i;
	struct wconn *c;

	if (w->conn_free != SIM_NONE) {
		i = w->conn_free;
		w->conn_free = conn_at(w, i)->next_free;
	} else {
		if (w->nconn == w->capconn) {
			w->capconn = w->capconn ? w->capconn * 2 : 256;
			w->conn = rr_xrealloc(w->conn,
			                      w->capconn * sizeof(*w->conn));
		}
		i = w->nconn++;
		memset(conn_at(w, i), 0, sizeof(struct wconn));
	}
	c = conn_at(w, i);
	{
		uint32_t gen = c->gen + 1;
		memset(c, 0, sizeof(*c));
		c->gen = gen;
	}
	c->serial = ++w->conn_serial;
	c->side[0] = c->side[1] = SIM_NONE;
	c->fsm[0] = c->fsm[1] = SIM_NONE;
	c->spk[0] = c->spk[1] = SIM_NONE;
	c->next_free = SIM_NONE;
	w->stats.connections++;
	return i;
}

static void
conn_maybe_free(struct world *w, uint32_t ci)
{
	struct wconn *c = conn_at(w, ci);

	if (c->state == CONN_FREE || c->fsm[0] != SIM_NONE ||
	    c->fsm[1] != SIM_NONE || c->busy)
		return;
	pipe_release(&c->pipe[0]);
	pipe_release(&c->pipe[1]);
	c->state = CONN_FREE;
	c->gen++;
	c->next_free = w->conn_free;
	w->conn_free = ci;
}

bool
tcp_link_cut(const struct world *w, uint32_t a, uint32_t b)
{
	size_t i;

	for (i = 0; i < w->ncuts; i++)
		if (w->cuts[i].cut &&
		    ((w->cuts[i].a == a && w->cuts[i].b == b) ||
		     (w->cuts[i].a == b && w->cuts[i].b == a)))
			return true;
	return false;
}

void
tcp_close(struct world *w, uint32_t fi)
{
	struct wfsm *s = &w->fsm[fi];
	uint32_t ci = s->conn;
	struct wconn *c;
	uint8_t e = s->end;

	if (ci == SIM_NONE)
		return;
	c = conn_at(w, ci);
	s->conn = SIM_NONE;
	c->fsm[e] = SIM_NONE;
	if (c->state == CONN_UP && c->fsm[1 - e] != SIM_NONE) {
		pipe_put(w, ci, e, NULL, 0, true, NULL);
		trace(w, SIM_TR_FIN, c, e, NULL, 0, NULL);
	}
	conn_maybe_free(w, ci);
}

void
tcp_dial(struct world *w, uint32_t fi)
{
	struct wfsm *s = &w->fsm[fi];
	struct wside *sd = &w->side[s->side];
	struct wspk *k = &w->spk[sd->pub.speaker];
	uint32_t ci;
	struct wconn *c;

	if (s->conn != SIM_NONE)
		tcp_close(w, fi);
	ci = conn_new(w);
	c = conn_at(w, ci);
	s = &w->fsm[fi];
	c->state = CONN_SYN;
	c->side[0] = s->side;
	c->fsm[0] = fi;
	c->spk[0] = sd->pub.speaker;
	c->spk[1] = sd->pub.peer_speaker;
	c->addr[0] = sd->pub.local;
	c->addr[1] = sd->pub.peer;
	c->port[0] = k->next_port;
	k->next_port =
	        (uint16_t)(k->next_port == 65535 ? 49152 : k->next_port + 1);
	c->port[1] = sd->pub.port;
	s->conn = ci;
	s->end = 0;
	trace(w, SIM_TR_SYN, c, 0, NULL, 0, NULL);
	sched_push(&w->sched, w->sched.now + w->opts.latency_ms, SEV_SYN, ci, 0,
	           c->gen);
}

static void
refuse(struct world *w, uint32_t ci, const char *why)
{
	struct wconn *c = conn_at(w, ci);

	trace(w, SIM_TR_REFUSE, c, 1, NULL, 0, why);
	sched_push(&w->sched, w->sched.now + w->opts.latency_ms, SEV_RST, ci, 0,
	           c->gen);
}

static void
drop(struct world *w, uint32_t ci, const char *why)
{
	trace(w, SIM_TR_DROP, conn_at(w, ci), 0, NULL, 0, why);
}

/* BIRD takes the connection and closes it again. */
static void
bird_reject(struct world *w, uint32_t ci)
{
	struct wconn *c = conn_at(w, ci);

	c->state = CONN_UP;
	c->bird_reject = true;
	trace(w, SIM_TR_ACCEPT, c, 1, NULL, 0, NULL);
	sched_push(&w->sched, w->sched.now + w->opts.latency_ms, SEV_SYNACK, ci,
	           0, c->gen);
	pipe_put(w, ci, 1, NULL, 0, true, NULL);
	trace(w, SIM_TR_FIN, c, 1, NULL, 0, NULL);
}

void
tcp_on_syn(struct world *w, uint32_t ci)
{
	struct wconn *c = conn_at(w, ci);
	const struct wside *d = &w->side[c->side[0]];
	uint32_t b = c->spk[1], ti, fi;
	const struct wspk *bk;
	bool tpw;

	if (c->state != CONN_SYN)
		return;
	if (c->fsm[0] == SIM_NONE) {
		conn_maybe_free(w, ci);
		return;
	}
	if (b == SIM_NONE) {
		drop(w, ci, "no such host");
		return;
	}
	if (world_failed(w, b)) {
		drop(w, ci, "host down");
		return;
	}
	if (w->ncuts && tcp_link_cut(w, c->spk[0], b)) {
		drop(w, ci, "link cut");
		return;
	}
	bk = &w->spk[b];
	if (c->port[1] != bk->listen_port) {
		refuse(w, ci, "port closed");
		return;
	}
	ti = world_acceptor(w, b, &c->addr[0]);
	tpw = ti != SIM_NONE && (w->side[ti].pw || w->side[ti].pw_unknown);
	/* RFC 2385: a segment without the expected MD5 option, or with one
	 * not expected or not matching, is dropped.  A password from a
	 * Secret rrkit was not given is assumed to be the peer's. */
	if (((d->pw || d->pw_unknown) || tpw) &&
	    !((d->pw || d->pw_unknown) && tpw &&
	      (d->pw_unknown || w->side[ti].pw_unknown ||
	       d->pw_hash == w->side[ti].pw_hash))) {
		drop(w, ci, "TCP MD5");
		return;
	}
	if (ti == SIM_NONE || !w->side[ti].pub.enabled) {
		if (bk->bird)
			bird_reject(w, ci);
		else
			refuse(w, ci,
			       ti == SIM_NONE ? "no neighbor"
			                      : "neighbor not started");
		return;
	}
	fi = session_take(w, ti);
	c = conn_at(w, ci);
	if (fi == SIM_NONE) {
		if (bk->bird)
			bird_reject(w, ci);
		else
			refuse(w, ci, "busy");
		return;
	}
	c->state = CONN_UP;
	c->side[1] = ti;
	c->fsm[1] = fi;
	w->fsm[fi].conn = ci;
	w->fsm[fi].end = 1;
	trace(w, SIM_TR_ACCEPT, c, 1, NULL, 0, NULL);
	sched_push(&w->sched, w->sched.now + w->opts.latency_ms, SEV_SYNACK, ci,
	           0, c->gen);
	session_kick(w, fi, FSM_EV_TCP_CONFIRMED);
}

void
tcp_on_synack(struct world *w, uint32_t ci)
{
	struct wconn *c = conn_at(w, ci);
	uint32_t fi = c->fsm[0];

	if (fi == SIM_NONE) {
		/* the dialler gave up meanwhile: its FIN follows */
		if (c->state == CONN_UP && c->fsm[1] != SIM_NONE)
			pipe_put(w, ci, 0, NULL, 0, true, NULL);
		conn_maybe_free(w, ci);
		return;
	}
	if (w->ncuts && tcp_link_cut(w, c->spk[0], c->spk[1]))
		return; /* lost: the dialler's retry timer takes over */
	session_kick(w, fi, FSM_EV_TCP_ACKED);
}

static void
tcp_fails(struct world *w, uint32_t fi, enum sim_sock_err why)
{
	session_sock(w, w->fsm[fi].side, why);
	/* the connection is gone whatever the machine does next */
	tcp_close(w, fi);
	session_kick(w, fi, FSM_EV_TCP_FAILS);
}

void
tcp_on_rst(struct world *w, uint32_t ci)
{
	struct wconn *c = conn_at(w, ci);
	uint32_t fi = c->fsm[0];

	if (fi == SIM_NONE) {
		conn_maybe_free(w, ci);
		return;
	}
	if (w->ncuts && tcp_link_cut(w, c->spk[0], c->spk[1]))
		return;
	c->state = CONN_DEAD;
	tcp_fails(w, fi, SIM_SOCK_REFUSED);
}

void
tcp_on_data(struct world *w, uint32_t ci, uint8_t e)
{
	struct wconn *c = conn_at(w, ci);
	struct wpipe *p = &c->pipe[e];
	uint8_t r = (uint8_t)(1 - e);
	uint32_t sender;

	if (w->ncuts && tcp_link_cut(w, c->spk[0], c->spk[1]))
		return; /* held until restored */
	c->busy = true;
	for (;;) {
		struct wmark mk;
		uint64_t start;
		c = conn_at(w, ci);
		p = &c->pipe[e];
		if (!p->mlen)
			break;
		mk = p->marks[p->mhead];
		if (mk.sent_ms + w->opts.latency_ms > w->sched.now)
			break;
		p->mhead = (p->mhead + 1) % p->mcap;
		p->mlen--;
		start = p->done;
		if (mk.tmpl && c->fsm[r] != SIM_NONE &&
		    !world_failed(w, c->spk[r]) &&
		    session_recv_batch(w, c->fsm[r], mk.tmpl, mk.first, mk.n)) {
			/* an update group's batch, read once for all */
			c = conn_at(w, ci);
			p = &c->pipe[e];
			p->done = mk.end;
		}
		while (p->done < mk.end) {
			const uint8_t *b = mk.ext ? mk.ext + (p->done - start)
			                          : p->buf + p->head;
			size_t avail = (size_t)(mk.end - p->done);
			struct bgp_error err;
			long n = bgp_msg_frame(b, avail, NULL, &err);
			uint32_t fi = c->fsm[r];
			if (n <= 0 || (size_t)n > avail)
				n = (long)avail; /* never: we send whole ones */
			/* consumed before it is handled: the handler may send
			 */
			if (!mk.ext)
				p->head += (size_t)n;
			p->done += (uint64_t)n;
			if (fi != SIM_NONE && !world_failed(w, c->spk[r]))
				session_recv(w, fi, b, (size_t)n);
			c = conn_at(w, ci);
			p = &c->pipe[e];
		}
		if (mk.fin && c->fsm[r] != SIM_NONE &&
		    !world_failed(w, c->spk[r]))
			tcp_fails(w, c->fsm[r], SIM_SOCK_CLOSED);
	}
	c->busy = false;
	if (p->done == p->total && p->cap > 1024) {
		/* drained: give the buffer back (most pipes go quiet) */
		free(p->buf);
		p->buf = NULL;
		p->head = p->len = p->cap = 0;
	}
	/* the window opened: the sender may go on */
	sender = c->fsm[e] != SIM_NONE ? w->fsm[c->fsm[e]].side : SIM_NONE;
	conn_maybe_free(w, ci);
	if (sender != SIM_NONE && !world_failed(w, w->side[sender].pub.speaker))
		adjout_export_side(w, sender);
}

/* ------------------------------------------------------------ faults */

static void
set_cut(struct world *w, uint32_t a, uint32_t b, bool cut)
{
	size_t i;
	uint32_t ci;

	for (i = 0; i < w->ncuts; i++)
		if ((w->cuts[i].a == a && w->cuts[i].b == b) ||
		    (w->cuts[i].a == b && w->cuts[i].b == a))
			break;
	if (i == w->ncuts) {
		if (!cut)
			return;
		if (w->ncuts == w->capcuts) {
			w->capcuts = w->capcuts ? w->capcuts * 2 : 4;
			w->cuts = rr_xrealloc(w->cuts,
			                      w->capcuts * sizeof(*w->cuts));
		}
		w->cuts[w->ncuts].a = a;
		w->cuts[w->ncuts].b = b;
		w->ncuts++;
	}
	w->cuts[i].cut = cut;
	if (cut)
		return;
	/* restored: what was held goes through (TCP retransmits) */
	for (ci = 0; ci < w->nconn; ci++) {
		struct wconn *c = conn_at(w, ci);
		uint8_t e;
		if (c->state == CONN_FREE ||
		    !((c->spk[0] == a && c->spk[1] == b) ||
		      (c->spk[0] == b && c->spk[1] == a)))
			continue;
		for (e = 0; e < 2; e++)
			if (c->pipe[e].mlen)
				sched_push(&w->sched,
				           w->sched.now + w->opts.latency_ms,
				           SEV_DATA, ci, e, c->gen);
	}
}

void
tcp_on_fault(struct world *w, uint32_t i)
{
	const struct sim_fault *f = &w->opts.faults[i];

	w->last_fault = w->sched.now;
	switch (f->kind) {
	case SIM_FAULT_FAIL: {
		struct wspk *k = &w->spk[w->fault_a[i]];
		uint32_t j;
		if (k->pub.failed)
			break;
		k->pub.failed = true;
		k->pub.failed_at_ms = w->sched.now;
		/* its machines stop where they are; its sessions are gone */
		for (j = 0; j < k->pub.nsessions; j++)
			session_fail(w, k->pub.first_session + j);
		break;
	}
	case SIM_FAULT_CUT:
		set_cut(w, w->fault_a[i], w->fault_b[i], true);
		break;
	case SIM_FAULT_RESTORE:
		set_cut(w, w->fault_a[i], w->fault_b[i], false);
		break;
	}
}


/* machine fi sends n bytes; false when it has no connection */
bool
tcp_send(struct world *w, uint32_t fi, const uint8_t *b, size_t n)
{
	const struct wfsm *s = &w->fsm[fi];

	if (s->conn == SIM_NONE)
		return false;
	pipe_put(w, s->conn, s->end, b, n, false, NULL);
	trace(w, SIM_TR_DATA, conn_at(w, s->conn), s->end, b, n, NULL);
	return true;
}

uint64_t
tcp_inflight(const struct world *w, uint32_t fi)
{
	const struct wfsm *s = &w->fsm[fi];

	return pipe_inflight(&conn_at(w, s->conn)->pipe[s->end]);
}

/*
 * The window of the receiving end of fi's connection: what its sender may
 * have in flight.  A Calico node runs on Linux, whose initial receive
 * window is 64 KiB (net.ipv4.tcp_rmem's default 131072, half of it for
 * data); IOS keeps a small one (`ip tcp window-size`; 4 KiB here).
 */
uint32_t
tcp_window(const struct world *w, uint32_t fi)
{
	const struct wfsm *s = &w->fsm[fi];
	const struct wconn *c = conn_at(w, s->conn);
	uint32_t r = c->spk[1 - s->end];

	return r < w->nspk && w->spk[r].bird ? 65536u : 4096u;
}

void
tcp_release(struct world *w)
{
	uint32_t i;

	for (i = 0; i < w->nconn; i++) {
		pipe_release(&conn_at(w, i)->pipe[0]);
		pipe_release(&conn_at(w, i)->pipe[1]);
	}
	free(w->conn);
	free(w->cuts);
}

bool
tcp_send_batch(struct world *w, uint32_t fi, struct adjout_batch *bt,
               bool tmpl, uint32_t first, uint32_t n)
{
	const struct wfsm *s = &w->fsm[fi];
	uint32_t off = first ? bt->end[first - 1] : 0, i;
	struct wmark tag;
	const struct wconn *c;
	uint64_t seq;

	if (s->conn == SIM_NONE)
		return false;
	memset(&tag, 0, sizeof(tag));
	tag.batch = true;
	tag.tmpl = tmpl ? bt : NULL;
	tag.ext = tmpl ? bt->bytes + off : NULL;
	tag.first = first;
	tag.n = n;
	seq = conn_at(w, s->conn)->pipe[s->end].total;
	pipe_put(w, s->conn, s->end, bt->bytes + off,
	         bt->end[first + n - 1] - off, false, &tag);
	if (!w->opts.trace)
		return true;
	c = conn_at(w, s->conn);
	for (i = first; i < first + n; i++) {
		uint32_t o = i ? bt->end[i - 1] : 0;
		trace_at(w, SIM_TR_DATA, c, s->end, bt->bytes + o,
		         bt->end[i] - o, NULL, seq + (o - off));
	}
	return true;
}
