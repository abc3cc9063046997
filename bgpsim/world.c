/*
 * The simulated world: one speaker per IOS router and per Calico node of
 * the model, one side per configured session on each (IOS neighbors, the
 * dynamic neighbors an IOS `bgp listen range` creates for the nodes that
 * dial it, BIRD protocols), TCP connections between them, and the loop
 * that feeds the session state machines (fsm.c) and carries out what they
 * ask for.
 *
 * TCP (RFC 793 only as far as BGP can tell): a connection attempt reaches
 * the owner of the address after the link latency; it is refused (RST)
 * when nothing listens on that port or, on IOS, when no neighbor or listen
 * range matches the source (ios-bgp.md 2.10) or the neighbor is shut down
 * or never activated; BIRD accepts and closes a connection from an unknown
 * address ("Unexpected connect from unknown address", calico-semantics.md
 * 3.7); a TCP MD5 key on one end only, or different keys, drops the SYN
 * silently (RFC 2385: the dialler times out).  Both sides may dial: each
 * side then holds two machines until the collision is resolved (RFC 4271
 * 6.8, bgp_fsm_collision).  Bytes arrive whole and in order, one latency
 * after they were sent; a cut link holds them until it is restored.
 * UPDATE bytes that many receivers get (a reflector's clients) are decoded
 * once and the decoded message handed to each machine
 * (bgp_fsm_recv_decoded, dec_get).
 */
#include "bgpsim/simpriv.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- slots */

/* Machines and connections live in arrays that grow (realloc): hold no
 * pointer to one across fsm_alloc() or conn_new(). */

static struct wfsm *
slot(const struct world *w, uint32_t i)
{
	return &w->fsm[i];
}

static struct wconn *
conn_at(const struct world *w, uint32_t i)
{
	return &w->conn[i];
}

/* ------------------------------------------------- address hash tables */

struct wkey {
	uint32_t tag;
	struct rr_addr a;
	uint32_t val;
	bool used;
};

struct wtab {
	struct wkey *v;
	uint32_t cap, n;
};

static uint32_t
addr_hash(uint32_t tag, const struct rr_addr *a)
{
	uint64_t h = rr_hash64(a->b, a->af == RR_AF_INET6 ? 16 : 4);
	h ^= (uint64_t)tag * 0x9e3779b97f4a7c15ull;
	h ^= h >> 29;
	return (uint32_t)h;
}

static void
wtab_put(struct wtab *t, uint32_t tag, const struct rr_addr *a, uint32_t val)
{
	uint32_t i;

	if ((t->n + 1) * 2 > t->cap) {
		struct wtab nt;
		uint32_t k;
		nt.cap = t->cap ? t->cap * 2 : 64;
		nt.n = 0;
		nt.v = rr_xcalloc(nt.cap, sizeof(*nt.v));
		for (k = 0; k < t->cap; k++)
			if (t->v[k].used)
				wtab_put(&nt, t->v[k].tag, &t->v[k].a,
				         t->v[k].val);
		free(t->v);
		*t = nt;
	}
	for (i = addr_hash(tag, a) & (t->cap - 1); t->v[i].used;
	     i = (i + 1) & (t->cap - 1))
		if (t->v[i].tag == tag && rr_addr_eq(&t->v[i].a, a))
			return; /* the first one stays */
	t->v[i].used = true;
	t->v[i].tag = tag;
	t->v[i].a = *a;
	t->v[i].val = val;
	t->n++;
}

static uint32_t
wtab_get(const struct wtab *t, uint32_t tag, const struct rr_addr *a)
{
	uint32_t i;

	if (!t->cap)
		return SIM_NONE;
	for (i = addr_hash(tag, a) & (t->cap - 1); t->v[i].used;
	     i = (i + 1) & (t->cap - 1))
		if (t->v[i].tag == tag && rr_addr_eq(&t->v[i].a, a))
			return t->v[i].val;
	return SIM_NONE;
}

/* The world keeps two: owner (tag 0) and acceptor (tag speaker + 1). */
struct wtabs {
	struct wtab owner, acceptor;
};

static struct wtabs *
tabs(const struct world *w)
{
	return (struct wtabs *)w->tabs;
}

uint32_t
world_owner(const struct world *w, const struct rr_addr *a)
{
	return wtab_get(&tabs(w)->owner, 0, a);
}

static uint32_t
acceptor(const struct world *w, uint32_t k, const struct rr_addr *src)
{
	return wtab_get(&tabs(w)->acceptor, k + 1, src);
}

/* ------------------------------------------------------------ OPENs */

/* Our own OPEN for (speaker, local AS, hold, family): built once. */
static const struct bgp_open *
own_open(struct world *w, const struct bgp_profile *p, uint32_t asn,
         uint32_t rid, uint16_t hold, bool ipv6)
{
	uint32_t i;
	struct wopen *o;

	for (i = w->nown; i-- > 0;) {
		o = w->own[i];
		if (o->profile == p && o->asn == asn && o->router_id == rid &&
		    o->hold == hold && o->ipv6 == ipv6)
			return &o->open;
		if (w->nown - i > 8)
			break; /* only a speaker's recent ones */
	}
	o = rr_arena_alloc(&w->arena, sizeof(*o));
	o->profile = p;
	o->asn = asn;
	o->router_id = rid;
	o->hold = hold;
	o->ipv6 = ipv6;
	o->own = true;
	bgp_profile_open(p, asn, rid, hold, ipv6, &w->arena, &o->open);
	if (w->nown == w->capown) {
		w->capown = w->capown ? w->capown * 2 : 64;
		w->own = rr_xrealloc(w->own, w->capown * sizeof(*w->own));
	}
	w->own[w->nown++] = o;
	return &o->open;
}

/*
 * The machine kept the peer's OPEN in its own arena (64 KiB per machine).
 * Most peers send the same OPEN but for the identifier and hold time:
 * share one decoded copy per distinct message and let the arena go.
 */
static void
share_peer_open(struct world *w, struct fsm *f, const uint8_t *msg, size_t len)
{
	uint8_t key[BGP_MAX_LEN];
	uint32_t h, i;
	struct wopen *o = NULL;
	struct bgp_msg m;
	struct bgp_error e;
	uint16_t hold = f->peer_open.hold;
	uint32_t id = f->peer_open.bgp_id;

	if (len > sizeof(key) || len < 29)
		return;
	memcpy(key, msg, len);
	memset(key + 22, 0, 6); /* hold time, BGP identifier */
	h = (uint32_t)rr_hash64(key, len);
	if (w->open_hcap)
		for (i = w->open_hash[h & (w->open_hcap - 1)]; i;
		     i = w->opens[i - 1]->next)
			if (w->opens[i - 1]->hash == h &&
			    w->opens[i - 1]->len == len &&
			    !memcmp(w->opens[i - 1]->key, key, len)) {
				o = w->opens[i - 1];
				break;
			}
	if (!o) {
		uint8_t *copy = rr_arena_alloc(&w->arena, len);
		memcpy(copy, key, len);
		if (bgp_msg_decode(copy, len, NULL, &w->arena, &m, &e) < 0 ||
		    m.type != BGP_MSG_OPEN)
			return; /* keep the machine's own copy */
		o = rr_arena_alloc(&w->arena, sizeof(*o));
		o->hash = h;
		o->key = copy;
		o->len = len;
		o->open = m.u.open;
		if (w->nopens == w->capopens) {
			w->capopens = w->capopens ? w->capopens * 2 : 64;
			w->opens = rr_xrealloc(w->opens,
			                       w->capopens * sizeof(*w->opens));
		}
		w->opens[w->nopens++] = o;
		if (w->nopens * 2 > w->open_hcap) {
			uint32_t k;
			free(w->open_hash);
			w->open_hcap = w->open_hcap ? w->open_hcap * 4 : 64;
			w->open_hash =
			        rr_xcalloc(w->open_hcap, sizeof(uint32_t));
			for (k = 0; k < w->nopens; k++) {
				uint32_t b =
				        w->opens[k]->hash & (w->open_hcap - 1);
				w->opens[k]->next = w->open_hash[b];
				w->open_hash[b] = k + 1;
			}
		} else {
			uint32_t b = h & (w->open_hcap - 1);
			o->next = w->open_hash[b];
			w->open_hash[b] = w->nopens;
		}
	}
	f->peer_open = o->open;
	f->peer_open.hold = hold;
	f->peer_open.bgp_id = id;
	rr_arena_release(&f->open_arena);
}

/* ------------------------------------------------------------ events */

static const char *
down_text(struct world *w, const struct wside *s, enum fsm_down d, uint8_t code,
          uint8_t sub, bool was_up)
{
	const char *name = bgp_err_name(code), *sn = bgp_suberr_name(code, sub);

	if (sn && *sn && sub)
		name = sn;
	if (!name)
		name = "unknown error";
	switch (d) {
	case FSM_DOWN_NOTIF_SENT:
	case FSM_DOWN_FSM_ERROR:
		return rr_arena_printf(&w->arena, "NOTIFICATION sent %u/%u %s",
		                       code, sub, name);
	case FSM_DOWN_NOTIF_RECEIVED:
		return rr_arena_printf(&w->arena,
		                       "NOTIFICATION received %u/%u %s", code,
		                       sub, name);
	case FSM_DOWN_HOLD_EXPIRED:
		return "down: hold timer expired";
	case FSM_DOWN_TCP_FAILED:
		if (s->pub.sock == SIM_SOCK_REFUSED)
			return "connect refused";
		return was_up ? "down: connection closed" : "connection closed";
	case FSM_DOWN_STOP:
		return "stopped";
	case FSM_DOWN_COLLISION:
		return "connection collision";
	default:
		return "down";
	}
}

static void
log_event(struct world *w, uint32_t si, enum fsm_state st, const char *what)
{
	struct sim_event *e;

	if (w->nev == w->capev) {
		w->capev = w->capev ? w->capev * 2 : 256;
		w->ev = rr_xrealloc(w->ev, w->capev * sizeof(*w->ev));
	}
	e = &w->ev[w->nev++];
	e->t_ms = w->sched.now;
	e->session = si;
	e->state = st;
	e->what = what;
}

void
world_changed(struct world *w)
{
	w->last_change = w->sched.now;
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
         bool fin)
{
	struct wconn *c = conn_at(w, ci);
	struct wpipe *p = &c->pipe[e];
	struct wmark *last;

	if (p->fin_sent)
		return;
	if (n) {
		if (p->head && (p->len + n > p->cap || p->head >= p->len / 2)) {
			memmove(p->buf, p->buf + p->head, p->len - p->head);
			p->len -= p->head;
			p->head = 0;
		}
		if (p->len + n > p->cap) {
			/* in 1 KiB steps: thousands of these are full at once;
			 * a fresh one at once as large as a window and a
			 * message */
			size_t want = p->len + n;
			if (!p->cap && want < w->window + 1024u)
				want = w->window + 1024u;
			p->cap = (want + 1023) & ~(size_t)1023;
			p->buf = rr_xrealloc(p->buf, p->cap);
		}
		memcpy(p->buf + p->len, b, n);
		p->len += n;
		p->total += n;
	}
	p->fin_sent = fin;
	last = p->mlen ? &p->marks[(p->mhead + p->mlen - 1) % p->mcap] : NULL;
	if (last && last->sent_ms == w->sched.now && !last->fin) {
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
	last->sent_ms = w->sched.now;
	last->end = p->total;
	last->fin = fin;
	sched_push(&w->sched, w->sched.now + w->opts.latency_ms, SEV_DATA, ci,
	           e, c->gen);
}

/* ------------------------------------------------------- connections */

static void
trace(struct world *w, enum sim_trace_kind k, const struct wconn *c,
      uint8_t from_end, const uint8_t *b, size_t n, const char *why)
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
	t.seq = c->pipe[from_end].total - n;
	t.bytes = b;
	t.len = n;
	t.why = why;
	w->opts.trace(w->opts.trace_ctx, &t);
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

static bool
link_cut(const struct world *w, uint32_t a, uint32_t b)
{
	size_t i;

	for (i = 0; i < w->ncuts; i++)
		if (w->cuts[i].cut &&
		    ((w->cuts[i].a == a && w->cuts[i].b == b) ||
		     (w->cuts[i].a == b && w->cuts[i].b == a)))
			return true;
	return false;
}

static bool
spk_failed(const struct world *w, uint32_t k)
{
	return k != SIM_NONE && w->spk[k].pub.failed;
}

/* Detach machine fi from its connection; a FIN leaves when it was up. */
static void
conn_close(struct world *w, uint32_t fi)
{
	struct wfsm *s = slot(w, fi);
	uint32_t ci = s->conn;
	struct wconn *c;
	uint8_t e = s->end;

	if (ci == SIM_NONE)
		return;
	c = conn_at(w, ci);
	s->conn = SIM_NONE;
	c->fsm[e] = SIM_NONE;
	if (c->state == CONN_UP && c->fsm[1 - e] != SIM_NONE) {
		pipe_put(w, ci, e, NULL, 0, true);
		trace(w, SIM_TR_FIN, c, e, NULL, 0, NULL);
	}
	conn_maybe_free(w, ci);
}

/* ------------------------------------------------------- fsm slots */

static uint32_t
fsm_alloc(struct world *w, uint32_t si)
{
	uint32_t i, t;
	struct wfsm *s;

	if (w->fsm_free != SIM_NONE) {
		i = w->fsm_free;
		w->fsm_free = slot(w, i)->next_free;
	} else {
		if (w->nfsm == w->capfsm) {
			w->capfsm = w->capfsm ? w->capfsm * 2 : 64;
			w->fsm = rr_xrealloc(w->fsm,
			                     w->capfsm * sizeof(*w->fsm));
		}
		i = w->nfsm++;
		memset(slot(w, i), 0, sizeof(struct wfsm));
	}
	s = slot(w, i);
	bgp_fsm_init(&s->f, &w->side[si].cfg);
	s->side = si;
	s->conn = SIM_NONE;
	s->end = 0;
	s->live = true;
	s->next_free = SIM_NONE;
	for (t = 0; t < FSM_TMR_COUNT; t++)
		sched_timer_init(&s->tm[t]);
	return i;
}

static void
fsm_free_slot(struct world *w, uint32_t fi)
{
	struct wfsm *s = slot(w, fi);
	struct wside *sd = &w->side[s->side];
	uint32_t t;

	if (!s->live)
		return;
	conn_close(w, fi);
	sd->done_in += s->f.msgs_in;
	sd->done_out += s->f.msgs_out;
	sd->done_upd_in += s->f.updates_in;
	bgp_fsm_release(&s->f);
	for (t = 0; t < FSM_TMR_COUNT; t++)
		sched_timer_stop(&s->tm[t]);
	s->live = false;
	if (sd->main == fi)
		sd->main = SIM_NONE;
	if (sd->second == fi)
		sd->second = SIM_NONE;
	s->next_free = w->fsm_free;
	w->fsm_free = fi;
}

/* ------------------------------------------------- running a machine */

struct step {
	bool open_received, established, down, collision;
	enum fsm_down why;
	uint8_t code, sub;
};

static struct fsm_actions *
acts_push(struct world *w)
{
	struct fsm_actions *a;

	if (w->actdepth == 4)
		RR_BUG("sim: machines nest too deep");
	a = &w->acts[w->actdepth++];
	a->n = 0;
	a->used = 0;
	return a;
}

static void side_refresh(struct world *w, uint32_t si, const struct step *st);
static void after_step(struct world *w, uint32_t fi, struct step *st);
static void conn_dial(struct world *w, uint32_t fi);

static const enum fsm_event timer_event[FSM_TMR_COUNT] = {
        [FSM_TMR_CONNECT_RETRY] = FSM_EV_CONNECT_RETRY_EXPIRES,
        [FSM_TMR_HOLD] = FSM_EV_HOLD_EXPIRES,
        [FSM_TMR_KEEPALIVE] = FSM_EV_KEEPALIVE_EXPIRES,
        [FSM_TMR_DELAY_OPEN] = FSM_EV_DELAY_OPEN_EXPIRES,
        [FSM_TMR_IDLE_HOLD] = FSM_EV_IDLE_HOLD_EXPIRES,
};

static void
run_actions(struct world *w, uint32_t fi, const struct fsm_actions *a,
            struct step *st)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct fsm_action *x = &a->v[i];
		struct wfsm *s = slot(w, fi);
		struct wside *sd = &w->side[s->side];

		switch (x->kind) {
		case FSM_ACT_SEND: {
			const uint8_t *b = bgp_fsm_action_bytes(a, x);
			if (s->conn == SIM_NONE)
				break;
			w->stats.messages++;
			w->stats.bytes += x->len;
			if (x->len > 18 && b[18] == BGP_MSG_UPDATE) {
				w->stats.updates++;
				sd->pub.updates_out++;
			}
			pipe_put(w, s->conn, s->end, b, x->len, false);
			trace(w, SIM_TR_DATA, conn_at(w, s->conn), s->end, b,
			      x->len, NULL);
			break;
		}
		case FSM_ACT_CONNECT:
			conn_dial(w, fi);
			break;
		case FSM_ACT_CLOSE:
			conn_close(w, fi);
			break;
		case FSM_ACT_TIMER_START:
			sched_timer_start(&w->sched, &s->tm[x->timer],
			                  w->sched.now +
			                          (uint64_t)x->secs * 1000,
			                  fi, x->timer);
			break;
		case FSM_ACT_TIMER_STOP:
			sched_timer_stop(&s->tm[x->timer]);
			break;
		case FSM_ACT_OPEN_RECEIVED:
			st->open_received = true;
			break;
		case FSM_ACT_ESTABLISHED:
			st->established = true;
			break;
		case FSM_ACT_DELIVER:
			if (x->msg && x->msg->type == BGP_MSG_UPDATE)
				rib_import(w, s->side, &x->msg->u.update);
			else if (x->msg &&
			         x->msg->type == BGP_MSG_ROUTE_REFRESH)
				rib_side_up(w, s->side); /* RFC 2918 4 */
			break;
		case FSM_ACT_DOWN:
			st->down = true;
			st->why = x->down;
			st->code = x->code;
			st->sub = x->subcode;
			break;
		default:
			break;
		}
	}
}

static void
fsm_event(struct world *w, uint32_t fi, enum fsm_event ev, struct step *st)
{
	struct fsm_actions *a = acts_push(w);

	bgp_fsm_event(&slot(w, fi)->f, ev, a);
	run_actions(w, fi, a, st);
	w->actdepth--;
}

/* One event into machine fi and everything that follows from it. */
static void
fsm_kick(struct world *w, uint32_t fi, enum fsm_event ev)
{
	struct step st;

	memset(&st, 0, sizeof(st));
	fsm_event(w, fi, ev, &st);
	after_step(w, fi, &st);
}

static uint8_t
codec_bits(const struct bgp_codec *c)
{
	return (uint8_t)((c->as4 ? 1u : 0u) | (c->ext_msg ? 2u : 0u) |
	                 (c->addpath_v4 ? 4u : 0u) | (c->addpath_v6 ? 8u : 0u));
}

/* The last 8 bytes: a quick tag (the bytes are compared in full). */
static uint64_t
dec_tag(const uint8_t *b, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, b + n - 8, 8);
	return v;
}

/*
 * Where UPDATE bytes go in the table (a set of two): by their first IPv4
 * NLRI prefix (read from the bytes, taken as a number), so that the
 * messages a peer receives one after the other, prefix after prefix, sit
 * side by side; by a hash of the bytes when there is none.
 */
static uint32_t
dec_set(const uint8_t *b, size_t n, const struct bgp_codec *rx)
{
	size_t wl, al, o;
	uint32_t v = 0, len, k;

	wl = (size_t)b[19] << 8 | b[20];
	if (23 + wl > n)
		goto hash;
	al = (size_t)b[21 + wl] << 8 | b[22 + wl];
	o = 23 + wl + al + (rx->addpath_v4 ? 4u : 0u);
	if (o >= n || b[o] == 0 || b[o] > 32 || o + 1 + (b[o] + 7u) / 8 > n)
		goto hash;
	len = b[o];
	for (k = 0; k < 4; k++)
		v = v << 8 | (k < (len + 7) / 8 ? b[o + 1 + k] : 0u);
	v >>= 32 - len;
	return (v * 2u) & (WDEC_SLOTS - 1);
hash:
	return (uint32_t)(sim_hash_bytes(b, n) * 2u) & (WDEC_SLOTS - 1);
}

static bool
dec_live(const struct world *w, const struct wdec_key *k)
{
	return k->epoch &&
	       (k->epoch == w->dec_epoch || k->epoch + 1 == w->dec_epoch);
}

/*
 * The decoded form of UPDATE bytes b read with codec rx, decoded once and
 * kept while the bytes keep coming (sets of two, one way for given bytes:
 * direct-mapped in effect; storage in two
 * arenas by epoch, the older one let go when the current one has had
 * WDEC_SLOTS / 2 messages).  NULL when they do not decode (the machine
 * decodes them itself and reports the error).
 */
static const struct bgp_msg *
dec_get(struct world *w, const struct bgp_codec *rx, const uint8_t *b, size_t n)
{
	uint8_t cb = codec_bits(rx);
	uint64_t tag = dec_tag(b, n);
	uint32_t set = dec_set(b, n, rx), i;
	struct wdec_key *k;
	struct wdec *e;
	struct rr_arena *ar;
	uint8_t *copy;
	struct bgp_error err;

	if (!w->dec) {
		w->dec = rr_xcalloc(WDEC_SLOTS, sizeof(*w->dec));
		w->dec_key = rr_xcalloc(WDEC_SLOTS, sizeof(*w->dec_key));
	}
	/* the way: a bit of the tag, mixed */
	i = set + (uint32_t)((tag * 0x9e3779b97f4a7c15ull) >> 63);
	k = &w->dec_key[i];
	if (k->tag == tag && k->len == n && k->codec == cb && dec_live(w, k) &&
	    !memcmp(w->dec[i].bytes, b, n)) {
		w->dec_hits++;
		return &w->dec[i].msg;
	}
	w->dec_misses++;
	if (w->dec_count >= WDEC_SLOTS / 2) {
		/* a new epoch: the entries two epochs old go */
		w->dec_epoch++;
		w->dec_count = 0;
		rr_arena_release(&w->dec_arena[w->dec_epoch & 1]);
		rr_arena_init(&w->dec_arena[w->dec_epoch & 1]);
	}
	k = &w->dec_key[i];
	e = &w->dec[i];
	ar = &w->dec_arena[w->dec_epoch & 1];
	w->dec_count++;
	copy = rr_arena_alloc(ar, n);
	memcpy(copy, b, n);
	k->epoch = 0;
	if (bgp_msg_decode(copy, n, rx, ar, &e->msg, &err) < 0 ||
	    e->msg.type != BGP_MSG_UPDATE)
		return NULL;
	e->raw_id = 0;
	e->nlri_pids = NULL;
	e->epoch = w->dec_epoch;
	e->bytes = copy;
	k->tag = tag;
	k->len = (uint16_t)n;
	k->codec = cb;
	k->epoch = w->dec_epoch;
	return &e->msg;
}

static void
fsm_recv(struct world *w, uint32_t fi, const uint8_t *b, size_t n)
{
	struct fsm_actions *a = acts_push(w);
	struct wfsm *s = slot(w, fi);
	const struct bgp_msg *m = NULL;
	bool held = false;
	enum fsm_state before;
	struct step st;

	memset(&st, 0, sizeof(st));
	/* UPDATEs: one decode for every receiver of the same bytes (the
	 * message must outlive its actions: no other lookup meanwhile) */
	if (n >= 23 && n <= 0xffff && b[18] == BGP_MSG_UPDATE && !w->dec_busy &&
	    !w->codec_cache_off && (m = dec_get(w, &s->f.rx, b, n)) != NULL) {
		held = w->dec_busy = true;
		w->dec_cur = (struct wdec *)((uintptr_t)m -
		                             offsetof(struct wdec, msg));
	}
	before = s->f.state;
	if (m)
		bgp_fsm_recv_decoded(&s->f, b, n, m, a);
	else
		bgp_fsm_recv(&s->f, b, n, a);
	if (s->f.open_arena.head)
		share_peer_open(w, &s->f, b, n);
	run_actions(w, fi, a, &st);
	if (held) {
		w->dec_busy = false;
		w->dec_cur = NULL;
	}
	/* the decoded message is consumed: give its 64 KiB back */
	s = slot(w, fi);
	if (s->live)
		rr_arena_release(&s->f.scratch);
	w->actdepth--;
	/* an UPDATE or KEEPALIVE in Established changes nothing a step
	 * settles (no collision, no state change): the side stays as is */
	if (before == FSM_ST_ESTABLISHED && s->live &&
	    s->f.state == FSM_ST_ESTABLISHED && !st.open_received &&
	    !st.established && !st.down)
		return;
	after_step(w, fi, &st);
}

static unsigned
rank(enum fsm_state s)
{
	switch (s) {
	case FSM_ST_ESTABLISHED:
		return 4;
	case FSM_ST_OPENCONFIRM:
		return 3;
	case FSM_ST_OPENSENT:
		return 2;
	case FSM_ST_CONNECT:
	case FSM_ST_ACTIVE:
		return 1;
	default:
		return 0;
	}
}

/* Settle collisions and the side's view after a step of machine fi. */
static void
after_step(struct world *w, uint32_t fi, struct step *st)
{
	struct wfsm *s = slot(w, fi);
	uint32_t si = s->side;
	struct wside *sd = &w->side[si];
	uint32_t other;

	if (!s->live)
		return;
	other = fi == sd->main ? sd->second : sd->main;
	if (st->open_received && other != SIM_NONE && slot(w, other)->live &&
	    slot(w, other)->conn != SIM_NONE) {
		/* RFC 4271 6.8: a = on the connection we opened */
		uint32_t a = slot(w, fi)->end == 0 ? fi : other;
		uint32_t b = a == fi ? other : fi;
		struct fsm *loser;
		if (slot(w, a)->end == slot(w, b)->end)
			loser = &slot(w, sd->main)->f; /* peer dialled twice */
		else
			loser = bgp_fsm_collision(&slot(w, a)->f,
			                          &slot(w, b)->f);
		if (loser) {
			uint32_t li = loser == &slot(w, fi)->f ? fi : other;
			struct step ls;
			memset(&ls, 0, sizeof(ls));
			fsm_event(w, li, FSM_EV_COLLISION_DUMP, &ls);
			fsm_free_slot(w, li);
			if (sd->main == SIM_NONE) {
				sd->main = sd->second;
				sd->second = SIM_NONE;
			}
			if (li == fi) {
				side_refresh(w, si, NULL);
				return;
			}
		}
	}
	s = slot(w, fi);
	other = fi == sd->main ? sd->second : sd->main;
	if (st->established && other != SIM_NONE && slot(w, other)->live) {
		/* the session is up on fi: the other connection goes */
		struct wfsm *o = slot(w, other);
		if (o->f.state == FSM_ST_OPENSENT ||
		    o->f.state == FSM_ST_OPENCONFIRM) {
			struct step ls;
			memset(&ls, 0, sizeof(ls));
			fsm_event(w, other, FSM_EV_COLLISION_DUMP, &ls);
		}
		fsm_free_slot(w, other);
		sd->main = fi;
		sd->second = SIM_NONE;
	}
	if (st->down && st->why != FSM_DOWN_COLLISION) {
		bool was_up = sd->pub.state == FSM_ST_ESTABLISHED;
		sd->pub.down = st->why;
		sd->pub.last_error =
		        down_text(w, sd, st->why, st->code, st->sub, was_up);
		if (st->why == FSM_DOWN_NOTIF_SENT ||
		    st->why == FSM_DOWN_NOTIF_RECEIVED ||
		    st->why == FSM_DOWN_FSM_ERROR ||
		    st->why == FSM_DOWN_HOLD_EXPIRED) {
			sd->pub.notif = true;
			sd->pub.notif_sent = st->why != FSM_DOWN_NOTIF_RECEIVED;
			sd->pub.code = st->code;
			sd->pub.subcode = st->sub;
			sd->pub.sock = SIM_SOCK_NONE;
		}
	}
	/* a second machine that went back to Idle is done; a main one in
	 * Idle gives way to a second one that still works */
	if (fi == sd->second && s->f.state == FSM_ST_IDLE)
		fsm_free_slot(w, fi);
	else if (fi == sd->main && s->f.state == FSM_ST_IDLE &&
	         sd->second != SIM_NONE) {
		fsm_free_slot(w, fi);
		sd->main = sd->second;
		sd->second = SIM_NONE;
	}
	side_refresh(w, si, st);
}

/* The side's state is that of its most advanced machine. */
static void
side_refresh(struct world *w, uint32_t si, const struct step *st)
{
	struct wside *sd = &w->side[si];
	enum fsm_state vis = FSM_ST_IDLE;
	uint32_t k, f[2] = {sd->main, sd->second};
	const struct fsm *up = NULL;
	const char *what;

	for (k = 0; k < 2; k++) {
		const struct wfsm *s;
		if (f[k] == SIM_NONE)
			continue;
		s = slot(w, f[k]);
		if (k == 0 || rank(s->f.state) > rank(vis))
			vis = s->f.state;
		if (s->f.state == FSM_ST_ESTABLISHED)
			up = &s->f;
	}
	if (vis == sd->pub.state)
		return;
	if (vis == FSM_ST_ESTABLISHED)
		what = "Established";
	else if (st && st->down && st->why != FSM_DOWN_COLLISION)
		what = sd->pub.last_error;
	else
		what = bgp_fsm_state_name(vis);
	if (sd->pub.state == FSM_ST_ESTABLISHED) {
		sd->pub.up_down_ms = w->sched.now;
		world_changed(w);
		sd->pub.state = vis;
		sd->pub.since_ms = w->sched.now;
		log_event(w, si, vis, what);
		rib_side_down(w, si);
		return;
	}
	sd->pub.state = vis;
	sd->pub.since_ms = w->sched.now;
	log_event(w, si, vis, what);
	if (up) {
		const struct bgp_open *po = bgp_fsm_peer_open(up);
		sd->pub.established_at_ms = w->sched.now;
		sd->pub.up_down_ms = w->sched.now;
		sd->pub.negotiated = true;
		sd->pub.hold = up->hold;
		sd->pub.keepalive = up->keepalive;
		sd->pub.peer_as = up->peer_as;
		sd->pub.peer_id = po ? po->bgp_id : 0;
		sd->pub.last_error = NULL;
		sd->pub.sock = SIM_SOCK_NONE;
		if (up->keepalive > w->max_keepalive)
			w->max_keepalive = up->keepalive;
		world_changed(w);
		rib_side_up(w, si);
	}
}

struct fsm *
world_session_fsm(struct world *w, uint32_t si)
{
	struct wside *sd = &w->side[si];

	if (sd->main != SIM_NONE &&
	    slot(w, sd->main)->f.state == FSM_ST_ESTABLISHED)
		return &slot(w, sd->main)->f;
	if (sd->second != SIM_NONE &&
	    slot(w, sd->second)->f.state == FSM_ST_ESTABLISHED)
		return &slot(w, sd->second)->f;
	return NULL;
}

static uint32_t
session_slot(const struct world *w, uint32_t si)
{
	const struct wside *sd = &w->side[si];

	if (sd->main != SIM_NONE &&
	    slot(w, sd->main)->f.state == FSM_ST_ESTABLISHED)
		return sd->main;
	if (sd->second != SIM_NONE &&
	    slot(w, sd->second)->f.state == FSM_ST_ESTABLISHED)
		return sd->second;
	return SIM_NONE;
}

uint32_t
world_send_room(const struct world *w, uint32_t si)
{
	uint32_t fi = session_slot(w, si);
	const struct wfsm *s;
	uint64_t in;

	if (fi == SIM_NONE)
		return 0;
	s = slot(w, fi);
	if (s->conn == SIM_NONE)
		return 0;
	in = pipe_inflight(&conn_at(w, s->conn)->pipe[s->end]);
	return in < w->window ? (uint32_t)(w->window - in) : 0;
}

bool
world_send_update(struct world *w, uint32_t si, const struct bgp_update *u,
                  uint8_t *copy, size_t cap, size_t *len)
{
	uint32_t fi = session_slot(w, si);
	struct fsm_actions *a;
	struct step st;
	int rc;
	size_t i;

	if (len)
		*len = 0;
	if (fi == SIM_NONE)
		return false;
	a = acts_push(w);
	memset(&st, 0, sizeof(st));
	rc = bgp_fsm_send_update(&slot(w, fi)->f, u, a);
	if (rc == 0 && copy)
		for (i = 0; i < a->n; i++)
			if (a->v[i].kind == FSM_ACT_SEND &&
			    a->v[i].len <= cap) {
				memcpy(copy, bgp_fsm_action_bytes(a, &a->v[i]),
				       a->v[i].len);
				*len = a->v[i].len;
			}
	run_actions(w, fi, a, &st);
	w->actdepth--;
	return rc == 0;
}

bool
world_send_encoded(struct world *w, uint32_t si, const uint8_t *b, size_t len)
{
	uint32_t fi = session_slot(w, si);
	struct fsm_actions *a;
	struct step st;
	int rc;

	if (fi == SIM_NONE)
		return false;
	a = acts_push(w);
	memset(&st, 0, sizeof(st));
	rc = bgp_fsm_send_encoded(&slot(w, fi)->f, b, len, a);
	run_actions(w, fi, a, &st);
	w->actdepth--;
	return rc == 0;
}

/* ------------------------------------------------------------- TCP */

static void
conn_dial(struct world *w, uint32_t fi)
{
	struct wfsm *s = slot(w, fi);
	struct wside *sd = &w->side[s->side];
	struct wspk *k = &w->spk[sd->pub.speaker];
	uint32_t ci;
	struct wconn *c;

	if (s->conn != SIM_NONE)
		conn_close(w, fi);
	ci = conn_new(w);
	c = conn_at(w, ci);
	s = slot(w, fi);
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
	pipe_put(w, ci, 1, NULL, 0, true);
	trace(w, SIM_TR_FIN, c, 1, NULL, 0, NULL);
}

/* The machine of side ti that takes a new connection, SIM_NONE: none. */
static uint32_t
take_connection(struct world *w, uint32_t ti)
{
	struct wside *t = &w->side[ti];
	struct wfsm *m;
	uint32_t fi;

	if (t->main == SIM_NONE)
		return SIM_NONE;
	m = slot(w, t->main);
	if (m->f.state == FSM_ST_IDLE) {
		if (w->spk[t->pub.speaker].bird)
			return SIM_NONE; /* error wait: refused */
		/* IOS listens again at once after an error: leave the
		 * IdleHold wait and accept passively */
		m->f.running[FSM_TMR_IDLE_HOLD] = false;
		sched_timer_stop(&m->tm[FSM_TMR_IDLE_HOLD]);
		fsm_kick(w, t->main, FSM_EV_AUTO_START_PASSIVE);
		return t->main;
	}
	if (!m->f.conn && m->conn == SIM_NONE)
		return t->main;
	if (t->second != SIM_NONE)
		return SIM_NONE;
	fi = fsm_alloc(w, ti);
	t->second = fi;
	fsm_kick(w, fi, FSM_EV_AUTO_START_PASSIVE);
	return fi;
}

static void
on_syn(struct world *w, uint32_t ci)
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
	if (spk_failed(w, b)) {
		drop(w, ci, "host down");
		return;
	}
	if (w->ncuts && link_cut(w, c->spk[0], b)) {
		drop(w, ci, "link cut");
		return;
	}
	bk = &w->spk[b];
	if (c->port[1] != bk->listen_port) {
		refuse(w, ci, "port closed");
		return;
	}
	ti = acceptor(w, b, &c->addr[0]);
	tpw = ti != SIM_NONE && w->side[ti].pw;
	/* RFC 2385: a segment without the expected MD5 option, or with one
	 * not expected or not matching, is dropped */
	if ((d->pw || tpw) &&
	    !(d->pw && tpw && d->pw_hash == w->side[ti].pw_hash)) {
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
	fi = take_connection(w, ti);
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
	slot(w, fi)->conn = ci;
	slot(w, fi)->end = 1;
	trace(w, SIM_TR_ACCEPT, c, 1, NULL, 0, NULL);
	sched_push(&w->sched, w->sched.now + w->opts.latency_ms, SEV_SYNACK, ci,
	           0, c->gen);
	fsm_kick(w, fi, FSM_EV_TCP_CONFIRMED);
}

static void
on_synack(struct world *w, uint32_t ci)
{
	struct wconn *c = conn_at(w, ci);
	uint32_t fi = c->fsm[0];

	if (fi == SIM_NONE) {
		/* the dialler gave up meanwhile: its FIN follows */
		if (c->state == CONN_UP && c->fsm[1] != SIM_NONE)
			pipe_put(w, ci, 0, NULL, 0, true);
		conn_maybe_free(w, ci);
		return;
	}
	if (w->ncuts && link_cut(w, c->spk[0], c->spk[1]))
		return; /* lost: the dialler's retry timer takes over */
	fsm_kick(w, fi, FSM_EV_TCP_ACKED);
}

static void
tcp_fails(struct world *w, uint32_t fi, enum sim_sock_err why)
{
	struct wfsm *s = slot(w, fi);

	w->side[s->side].pub.sock = why;
	/* the connection is gone whatever the machine does next */
	conn_close(w, fi);
	fsm_kick(w, fi, FSM_EV_TCP_FAILS);
}

static void
on_rst(struct world *w, uint32_t ci)
{
	struct wconn *c = conn_at(w, ci);
	uint32_t fi = c->fsm[0];

	if (fi == SIM_NONE) {
		conn_maybe_free(w, ci);
		return;
	}
	if (w->ncuts && link_cut(w, c->spk[0], c->spk[1]))
		return;
	c->state = CONN_DEAD;
	tcp_fails(w, fi, SIM_SOCK_REFUSED);
}

static void
on_data(struct world *w, uint32_t ci, uint8_t e)
{
	struct wconn *c = conn_at(w, ci);
	struct wpipe *p = &c->pipe[e];
	uint8_t r = (uint8_t)(1 - e);
	uint32_t sender;

	if (w->ncuts && link_cut(w, c->spk[0], c->spk[1]))
		return; /* held until restored */
	c->busy = true;
	for (;;) {
		struct wmark mk;
		c = conn_at(w, ci);
		p = &c->pipe[e];
		if (!p->mlen)
			break;
		mk = p->marks[p->mhead];
		if (mk.sent_ms + w->opts.latency_ms > w->sched.now)
			break;
		p->mhead = (p->mhead + 1) % p->mcap;
		p->mlen--;
		while (p->done < mk.end) {
			const uint8_t *b = p->buf + p->head;
			size_t avail = (size_t)(mk.end - p->done);
			struct bgp_error err;
			long n = bgp_msg_frame(b, avail, NULL, &err);
			uint32_t fi = c->fsm[r];
			if (n <= 0 || (size_t)n > avail)
				n = (long)avail; /* never: we send whole ones */
			/* consumed before it is handled: the handler may send
			 */
			p->head += (size_t)n;
			p->done += (uint64_t)n;
			if (fi != SIM_NONE && !spk_failed(w, c->spk[r]))
				fsm_recv(w, fi, b, (size_t)n);
			c = conn_at(w, ci);
			p = &c->pipe[e];
		}
		if (mk.fin && c->fsm[r] != SIM_NONE &&
		    !spk_failed(w, c->spk[r]))
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
	sender = c->fsm[e] != SIM_NONE ? slot(w, c->fsm[e])->side : SIM_NONE;
	conn_maybe_free(w, ci);
	if (sender != SIM_NONE && !spk_failed(w, w->side[sender].pub.speaker))
		rib_export_side(w, sender);
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

static void
on_fault(struct world *w, uint32_t i)
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
		for (j = 0; j < k->pub.nsessions; j++) {
			struct wside *sd = &w->side[k->pub.first_session + j];
			if (sd->pub.state == FSM_ST_IDLE)
				continue;
			sd->pub.state = FSM_ST_IDLE;
			sd->pub.since_ms = w->sched.now;
			sd->pub.last_error = "speaker failed";
			log_event(w, k->pub.first_session + j, FSM_ST_IDLE,
			          "down: speaker failed");
		}
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

/* ---------------------------------------------------------- dispatch */

static void
on_start(struct world *w, uint32_t si)
{
	struct wside *sd = &w->side[si];

	if (!sd->pub.enabled || sd->main != SIM_NONE ||
	    spk_failed(w, sd->pub.speaker))
		return;
	sd->main = fsm_alloc(w, si);
	fsm_kick(w, sd->main,
	         sd->cfg.passive ? FSM_EV_MANUAL_START_PASSIVE
	                         : FSM_EV_MANUAL_START);
}

void
world_queue_export(struct world *w, uint32_t k)
{
	if (w->spk[k].export_queued)
		return;
	w->spk[k].export_queued = true;
	sched_push(&w->sched, w->sched.now, SEV_EXPORT, k, 0, 0);
}

void
world_queue_export_side(struct world *w, uint32_t si)
{
	struct wside *sd = &w->side[si];

	if (sd->export_pending || w->spk[sd->pub.speaker].export_queued)
		return;
	sd->export_pending = true;
	if (w->npend == w->cappend) {
		w->cappend = w->cappend ? w->cappend * 2 : 64;
		w->pend = rr_xrealloc(w->pend, w->cappend * sizeof(*w->pend));
	}
	w->pend[w->npend++] = si;
	if (!w->pend_queued) {
		w->pend_queued = true;
		sched_push(&w->sched, w->sched.now, SEV_EXPORT, SIM_NONE, 0, 0);
	}
}

static void
export_pending(struct world *w)
{
	uint32_t i;

	w->pend_queued = false;
	/* sides queued while this runs get an event of their own */
	for (i = 0; i < w->npend; i++) {
		uint32_t si = w->pend[i];
		w->side[si].export_pending = false;
		if (!spk_failed(w, w->side[si].pub.speaker))
			rib_export_side(w, si);
	}
	w->npend = 0;
}

void
world_dispatch(struct world *w, const struct sched_ev *ev)
{
	switch (ev->kind) {
	case SEV_TIMER: {
		struct wfsm *s = slot(w, ev->a);
		if (!s->live || spk_failed(w, w->side[s->side].pub.speaker))
			break;
		if (sched_timer_due(&w->sched, &s->tm[ev->b], ev))
			fsm_kick(w, ev->a, timer_event[ev->b]);
		break;
	}
	case SEV_START:
		on_start(w, ev->a);
		break;
	case SEV_SYN:
	case SEV_SYNACK:
	case SEV_RST:
	case SEV_DATA: {
		struct wconn *c = conn_at(w, ev->a);
		if (c->gen != ev->c || c->state == CONN_FREE)
			break;
		if (ev->kind == SEV_SYN)
			on_syn(w, ev->a);
		else if (ev->kind == SEV_SYNACK)
			on_synack(w, ev->a);
		else if (ev->kind == SEV_RST)
			on_rst(w, ev->a);
		else
			on_data(w, ev->a, (uint8_t)ev->b);
		break;
	}
	case SEV_FAULT:
		on_fault(w, ev->a);
		break;
	case SEV_EXPORT:
		if (ev->a == SIM_NONE) {
			export_pending(w);
			break;
		}
		w->spk[ev->a].export_queued = false;
		if (!spk_failed(w, ev->a))
			rib_export_speaker(w, ev->a);
		break;
	default:
		RR_BUG("sim: unknown event");
	}
}

/* ------------------------------------------------------------- build */

static uint32_t
v4(const struct rr_addr *a)
{
	return a->af == RR_AF_INET ? rr_addr_v4(a) : 0;
}

/* IOS without `bgp router-id`: the highest loopback address, else the
 * highest interface address. */
static uint32_t
router_id(const struct rr_speaker *s)
{
	uint32_t best = 0, lo = 0;
	size_t i, k;

	if (s->router_id.set)
		return v4(&s->router_id.v);
	for (i = 0; i < s->nifaces; i++) {
		const struct rr_iface *f = &s->ifaces[i];
		bool loop = f->canon && !strncmp(f->canon, "Loopback", 8);
		if (f->shutdown)
			continue;
		for (k = 0; k < f->naddrs; k++) {
			uint32_t a = v4(&f->addrs[k].p.addr);
			if (loop && a > lo)
				lo = a;
			if (a > best)
				best = a;
		}
	}
	if (lo)
		return lo;
	for (i = 0; i < s->naddrs; i++)
		if (v4(&s->addrs[i].p.addr) > best)
			best = v4(&s->addrs[i].p.addr);
	return best;
}

/* The local address toward `peer`: the own address on its subnet, else
 * the first of that family. */
static struct rr_addr
local_toward(const struct rr_speaker *s, const struct rr_addr *peer)
{
	struct rr_addr none;
	size_t i;

	for (i = 0; i < s->naddrs; i++)
		if (s->addrs[i].p.addr.af == peer->af &&
		    rr_prefix_contains(&s->addrs[i].p, peer) &&
		    !rr_addr_eq(&s->addrs[i].p.addr, peer))
			return s->addrs[i].p.addr;
	for (i = 0; i < s->naddrs; i++)
		if (s->addrs[i].p.addr.af == peer->af)
			return s->addrs[i].p.addr;
	memset(&none, 0, sizeof(none));
	return none;
}

static bool
opt_on(const struct rr_opt_bool *o)
{
	return o->set && o->v;
}

static bool
activated_any(const struct rr_neighbor *n)
{
	size_t k;

	for (k = 0; k < RR_AFS_COUNT; k++)
		if (n->af[k].v)
			return true;
	return false;
}

/* a side before it is placed */
struct spec {
	uint32_t spk;
	const struct rr_neighbor *nb;
	struct rr_addr local, peer;
};

static void
disable(struct wside *sd, const char *why, const struct rr_loc *at)
{
	if (!sd->pub.enabled)
		return;
	sd->pub.enabled = false;
	sd->disabled_why = why;
	sd->disabled_at = *at;
	sd->pub.last_error = why;
}

static uint16_t
u16_clamp(uint32_t v)
{
	return v > 0xffff ? 0xffff : (uint16_t)v;
}

static void
side_config(struct world *w, struct wside *sd, const struct rr_neighbor *nb,
            const struct rr_neighbor *range)
{
	struct wspk *k = &w->spk[sd->pub.speaker];
	const struct rr_speaker *s = k->pub.spk;
	const struct rr_neighbor *n = range ? range : nb;
	struct fsm_config *c = &sd->cfg;
	uint32_t las = n->local_as.set ? n->local_as.v : s->asn.v;
	uint16_t hold;

	memset(c, 0, sizeof(*c));
	c->profile = k->pub.profile;
	c->local_as = las;
	c->remote_as = n->remote_as.set ? n->remote_as.v : 0;
	c->router_id = k->pub.router_id;
	c->ipv6 = sd->pub.peer.af == RR_AF_INET6;
	c->auto_restart = true;
	c->passive = n->passive || range != NULL;
	sd->pub.nb = n;
	sd->pub.enabled = true;
	sd->pub.ipv6 = c->ipv6;
	sd->pub.port = n->port ? n->port : BGP_PORT;
	sd->pub.ibgp = c->remote_as == las;
	sd->pub.rr_client = opt_on(&n->rr_client);
	sd->pw = opt_on(&n->password) && !n->password_unresolved;
	sd->pw_hash = n->password_hash;
	if (k->bird) {
		if (n->keepalive.set)
			c->keepalive = u16_clamp(n->keepalive.v);
		if (n->hold.set) {
			c->hold = u16_clamp(n->hold.v);
			c->hold_zero = n->hold.v == 0;
		}
		sd->cluster_id = n->rr_cluster_id.set ? n->rr_cluster_id.v
		                                      : k->pub.router_id;
		sd->bird_nh_self = n->next_hop == RR_NH_SELF;
		sd->bird_nh_keep = n->next_hop == RR_NH_KEEP;
		sd->v4_active = true;
		if (!c->remote_as)
			disable(sd,
			        "BIRD refuses the config: Remote AS number "
			        "must be set",
			        &n->loc);
	} else {
		const struct rr_opt_u32 *ho = n->hold.set ? &n->hold : &s->hold;
		const struct rr_opt_u32 *ko =
		        n->hold.set ? &n->keepalive : &s->keepalive;
		const struct rr_opt_u32 *mo =
		        n->min_hold.set ? &n->min_hold : &s->min_hold;
		if (ho->set) {
			c->hold = u16_clamp(ho->v);
			c->hold_zero = ho->v == 0;
		}
		if (ko->set)
			c->keepalive = u16_clamp(ko->v);
		if (mo->set)
			c->min_hold = u16_clamp(mo->v);
		sd->cluster_id = k->pub.cluster_id;
		sd->client_to_client =
		        !s->client_to_client.set || s->client_to_client.v;
		sd->ios_nhs = opt_on(&n->next_hop_self);
		sd->ios_nhs_all = n->next_hop_self_all;
		sd->v4_active = n->af[c->ipv6 ? RR_AFS_IPV6 : RR_AFS_IPV4].v;
		if (opt_on(&n->shutdown))
			disable(sd, "neighbor shutdown", &n->shutdown.at);
		else if (!activated_any(n))
			disable(sd,
			        "never activated in any address family (no bgp "
			        "default ipv4-unicast): IOS never starts it",
			        &n->loc);
		else if (!c->remote_as)
			disable(sd, "no remote-as", &n->loc);
	}
	if (!sd->pub.local.af)
		disable(sd, "no local address toward the peer", &n->loc);
	hold = c->hold_zero ? 0 : c->hold ? c->hold : c->profile->hold;
	c->open = own_open(w, c->profile, las, c->router_id, hold, c->ipv6);
	/* the largest keepalive it would run with, for the quiet time */
	{
		uint32_t ka = c->keepalive ? c->keepalive : hold / 3u;
		if (ka > w->offered_keepalive)
			w->offered_keepalive = ka;
	}
}

static void
place_side(struct world *w, const struct spec *sp,
           const struct rr_neighbor *range)
{
	struct wside *sd = &w->side[w->nside];

	memset(sd, 0, sizeof(*sd));
	sd->pub.speaker = sp->spk;
	sd->pub.local = sp->local;
	sd->pub.peer = sp->peer;
	sd->pub.dynamic = range != NULL;
	sd->pub.state = FSM_ST_IDLE;
	sd->pub.established_at_ms = SIM_NEVER;
	sd->pub.up_down_ms = SIM_NEVER;
	sd->pub.partner = SIM_NONE;
	sd->pub.peer_speaker = world_owner(w, &sp->peer);
	sd->range = range;
	sd->main = sd->second = SIM_NONE;
	side_config(w, sd, sp->nb, range);
	wtab_put(&tabs(w)->acceptor, sp->spk + 1, &sp->peer, w->nside);
	w->nside++;
}

/* IOS: the listen range of speaker k containing `a`, NULL. */
static const struct rr_neighbor *
range_for(const struct rr_speaker *s, const struct rr_addr *a)
{
	size_t i;

	for (i = 0; i < s->nneighbors; i++) {
		const struct rr_neighbor *n = &s->neighbors[i];
		if (n->is_range && !n->vrf && rr_prefix_contains(&n->range, a))
			return n;
	}
	return NULL;
}

static bool
has_static(const struct rr_speaker *s, const struct rr_addr *a)
{
	size_t i;

	for (i = 0; i < s->nneighbors; i++)
		if (!s->neighbors[i].is_range && !s->neighbors[i].vrf &&
		    rr_addr_eq(&s->neighbors[i].peer, a))
			return true;
	return false;
}

static void
build_speakers(struct world *w)
{
	const struct rr_model *m = w->m;
	uint32_t i;
	size_t a;

	w->nspk = (uint32_t)m->nspeakers;
	w->spk = rr_xcalloc(w->nspk ? w->nspk : 1, sizeof(*w->spk));
	for (i = 0; i < w->nspk; i++) {
		const struct rr_speaker *s = m->speakers[i];
		struct wspk *k = &w->spk[i];
		k->pub.spk = s;
		k->pub.name = s->name;
		k->pub.kind = s->kind;
		k->bird = s->kind == RR_SPK_CALICO;
		k->pub.profile =
		        k->bird ? &bgp_profile_bird16 : &bgp_profile_ios;
		k->pub.asn = s->asn.v;
		k->pub.router_id = router_id(s);
		k->pub.cluster_id =
		        s->cluster_id.set ? s->cluster_id.v : k->pub.router_id;
		k->listen_port = k->bird && s->listen_port.set
		                         ? u16_clamp(s->listen_port.v)
		                         : BGP_PORT;
		k->next_port = 49152;
		k->pub.table_version = 1;
		k->rib.calico = k->bird;
		for (a = 0; a < s->naddrs; a++)
			wtab_put(&tabs(w)->owner, 0, &s->addrs[a].p.addr, i);
		if (s->naddrs)
			k->pub.addr = s->addrs[0].p.addr;
		for (a = 0; a < s->naddrs; a++)
			if (!k->bird &&
			    v4(&s->addrs[a].p.addr) == k->pub.router_id &&
			    s->addrs[a].p.addr.af == RR_AF_INET)
				k->pub.addr = s->addrs[a].p.addr;
	}
}

static void
build_sides(struct world *w)
{
	const struct rr_model *m = w->m;
	struct spec *sp = NULL;
	size_t nsp = 0, capsp = 0, i, j;
	uint32_t k;

	/* every configured neighbor, as a spec */
	for (k = 0; k < w->nspk; k++) {
		const struct rr_speaker *s = m->speakers[k];
		for (i = 0; i < s->nneighbors; i++) {
			const struct rr_neighbor *n = &s->neighbors[i];
			struct spec *p;
			if (n->is_range || n->vrf || !n->peer.af)
				continue;
			if (s->kind == RR_SPK_CALICO &&
			    n->scope == RR_SCOPE_LOCAL_WORKLOAD)
				continue; /* pods are not simulated */
			if (nsp == capsp) {
				capsp = capsp ? capsp * 2 : 64;
				sp = rr_xrealloc(sp, capsp * sizeof(*sp));
			}
			p = &sp[nsp++];
			p->spk = k;
			p->nb = n;
			p->peer = n->peer;
			p->local = n->source_address.set
			                   ? n->source_address.v
			                   : local_toward(s, &n->peer);
		}
	}
	/* at most: every spec twice (its own side and a dynamic one) */
	w->side = rr_xcalloc(nsp * 2 + 1, sizeof(*w->side));
	for (k = 0, i = 0; k < w->nspk; k++) {
		const struct rr_speaker *s = m->speakers[k];
		w->spk[k].pub.first_session = w->nside;
		for (; i < nsp && sp[i].spk == k; i++)
			place_side(w, &sp[i], NULL);
		if (s->kind != RR_SPK_IOS)
			goto done;
		/* dynamic neighbors for the sources that dial a range */
		for (j = 0; j < nsp; j++) {
			const struct rr_neighbor *r;
			struct spec d;
			if (sp[j].spk == k ||
			    world_owner(w, &sp[j].peer) != k ||
			    has_static(s, &sp[j].local))
				continue;
			r = range_for(s, &sp[j].local);
			if (!r || acceptor(w, k, &sp[j].local) != SIM_NONE)
				continue;
			d.spk = k;
			d.nb = r;
			d.peer = sp[j].local;
			d.local = sp[j].peer;
			place_side(w, &d, r);
		}
	done:
		w->spk[k].pub.nsessions =
		        w->nside - w->spk[k].pub.first_session;
	}
	free(sp);
}

/* Partners, and which sessions the verdict expects. */
static void
pair_sides(struct world *w)
{
	uint32_t si;

	for (si = 0; si < w->nside; si++) {
		struct wside *s = &w->side[si];
		if (s->pub.peer_speaker != SIM_NONE)
			s->pub.partner =
			        acceptor(w, s->pub.peer_speaker, &s->pub.local);
	}
	for (si = 0; si < w->nside; si++) {
		struct wside *s = &w->side[si];
		uint32_t t = s->pub.partner;
		if (t != SIM_NONE && w->side[t].pub.partner == SIM_NONE)
			w->side[t].pub.partner = si;
	}
	for (si = 0; si < w->nside; si++) {
		struct wside *s = &w->side[si];
		uint32_t t = s->pub.partner;
		bool calico = w->spk[s->pub.speaker].bird;
		if (t != SIM_NONE) {
			/* one side per pair carries it: the first */
			if (t < si && w->side[t].pub.partner == si)
				continue;
			s->pub.expected =
			        s->pub.enabled || w->side[t].pub.enabled;
		} else {
			s->pub.expected =
			        calico || (s->pub.peer_speaker != SIM_NONE &&
			                   s->pub.enabled);
		}
	}
}

int
world_build(struct world *w, const struct rr_model *m, const struct sim_opts *o,
            struct rr_diags *d)
{
	uint32_t si;

	(void)d;
	memset(w, 0, sizeof(*w));
	w->m = m;
	rr_arena_init(&w->arena);
	w->opts = *o;
	if (!w->opts.latency_ms)
		w->opts.latency_ms = 1;
	if (!w->opts.cap_ms)
		w->opts.cap_ms = 600000;
	if (!w->opts.max_causes)
		w->opts.max_causes = 1000;
	if (!w->opts.progress_every)
		w->opts.progress_every = 65536;
	w->window = 4096;
	sched_init(&w->sched);
	w->fsm_free = SIM_NONE;
	w->conn_free = SIM_NONE;
	w->acts = rr_xcalloc(4, sizeof(*w->acts));
	rr_arena_init(&w->dec_arena[0]);
	rr_arena_init(&w->dec_arena[1]);
	w->dec_epoch = 1;
	w->tabs = rr_xcalloc(1, sizeof(struct wtabs));
	build_speakers(w);
	rib_init(w);
	build_sides(w);
	pair_sides(w);
	(void)si;
	return 0;
}

void
world_release(struct world *w)
{
	uint32_t i;

	for (i = 0; i < w->nfsm; i++)
		if (slot(w, i)->live)
			bgp_fsm_release(&slot(w, i)->f);
	for (i = 0; i < w->nconn; i++) {
		pipe_release(&conn_at(w, i)->pipe[0]);
		pipe_release(&conn_at(w, i)->pipe[1]);
	}
	rib_release(w);
	free(w->dec);
	free(w->dec_key);
	rr_arena_release(&w->dec_arena[0]);
	rr_arena_release(&w->dec_arena[1]);
	if (w->tabs) {
		free(tabs(w)->owner.v);
		free(tabs(w)->acceptor.v);
		free(w->tabs);
	}
	free(w->pend);
	free(w->fsm);
	free(w->conn);
	free(w->acts);
	free(w->ev);
	free(w->cuts);
	free(w->fault_a);
	free(w->fault_b);
	free(w->opens);
	free(w->open_hash);
	free(w->own);
	free(w->side);
	free(w->spk);
	sched_release(&w->sched);
	rr_arena_release(&w->arena);
	memset(w, 0, sizeof(*w));
}
