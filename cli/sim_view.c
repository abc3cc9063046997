/*
 * What rrkit sim's writers share: nodes grouped by identical outcome in
 * `calicoctl node status` terms, and the small formatting helpers.
 */
#include "cli/sim_out.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

void
simv_secs(uint64_t ms, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%03llu", (unsigned long long)(ms / 1000),
	         (unsigned long long)(ms % 1000));
}

void
simv_clock(uint64_t ms, char *buf, size_t len)
{
	uint64_t s = ms / 1000;
	snprintf(buf, len, "%02llu:%02llu:%02llu",
	         (unsigned long long)(s / 3600),
	         (unsigned long long)(s / 60 % 60),
	         (unsigned long long)(s % 60));
}

const char *
simv_addr(const struct rr_addr *a, char *buf, const char *none)
{
	return a->af ? rr_addr_str(a, buf) : none;
}

const char *
simv_id(uint32_t v, char *buf)
{
	struct rr_addr a = rr_addr_from_v4(v);
	return rr_addr_str(&a, buf);
}

const char *
simv_notif_name(uint8_t code, uint8_t sub)
{
	const char *c = bgp_err_name(code), *s = bgp_suberr_name(code, sub);
	if (s && *s && sub)
		return s;
	return c ? c : "unknown";
}

const char *
simv_count(uint64_t v, char *buf, size_t len)
{
	char t[32];
	size_t n, i, o = 0;

	snprintf(t, sizeof(t), "%llu", (unsigned long long)v);
	n = strlen(t);
	for (i = 0; i < n && o + 2 < len; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = t[i];
	}
	buf[o] = '\0';
	return buf;
}

/* the PEER ADDRESS calicoctl derives from the protocol name (Calico's
 * calicoctl node status: the rest of the name with '_' back to '.' or
 * ':'; a "_port_N" suffix stays) */
bool
simv_peer(const struct sim_session *ss, char *out, size_t len,
          const char **type)
{
	static const struct {
		const char *prefix, *type;
	} kinds[] = {
	        {"Global_", "global"},
	        {"Node_", "node specific"},
	        {"Mesh_", "node-to-node mesh"},
	};
	size_t i, k, n;
	const char *rest = NULL, *name = ss->nb ? ss->nb->name : NULL;

	if (!name)
		return false;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		n = strlen(kinds[i].prefix);
		if (!strncmp(name, kinds[i].prefix, n) && name[n]) {
			rest = name + n;
			*type = kinds[i].type;
			break;
		}
	}
	if (!rest)
		return false;
	for (k = 0; rest[k] && k + 1 < len; k++)
		out[k] = rest[k] == '_' ? (ss->ipv6 ? ':' : '.') : rest[k];
	out[k] = '\0';
	return true;
}

bool
simv_detailed(const struct simcli *c, uint32_t k)
{
	return c->all || (k < c->nwant && c->want[k]);
}

/* -------------------------------------------------------------- groups */

struct sig {
	char *p;
	size_t n, cap;
};

static void RR_PRINTF(2, 3)
sig_add(struct sig *s, const char *fmt, ...)
{
	va_list ap;
	int n;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(s->p + s->n, s->cap - s->n, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < s->cap - s->n) {
			s->n += (size_t)n;
			return;
		}
		s->cap = s->cap * 2 + (size_t)n;
		s->p = rr_xrealloc(s->p, s->cap);
	}
}

/* One node's outcome in calicoctl's terms: peers up, routes received, and
 * every peer that is not up with its row (the peer, type, state, info). */
static void
node_outcome(const struct simcli *c, uint32_t k, struct sig *s)
{
	const struct sim_speaker *sp = sim_speaker(c->s, k);
	char t[32], peer[96], info[128];
	uint32_t i, npeers = 0, nup = 0;
	uint64_t routes = 0;
	const char *type;

	s->n = 0;
	s->p[0] = '\0';
	if (sp->failed) {
		simv_secs(sp->failed_at_ms, t, sizeof(t));
		sig_add(s, "failed at %s s (--fail)", t);
		return;
	}
	for (i = 0; i < sp->nsessions; i++) {
		const struct sim_session *ss =
		        sim_session(c->s, sp->first_session + i);
		if (!simv_peer(ss, peer, sizeof(peer), &type))
			continue;
		npeers++;
		routes += ss->pfx_rcvd;
		if (ss->state == FSM_ST_ESTABLISHED)
			nup++;
	}
	if (!npeers) {
		sig_add(s, "no BGP peers");
	} else {
		sig_add(s, "%u/%u BGP peers Established, %s route%s received",
		        nup, npeers, simv_count(routes, t, sizeof(t)),
		        routes == 1 ? "" : "s");
	}
	for (i = 0; i < sp->nsessions; i++) {
		const struct sim_session *ss =
		        sim_session(c->s, sp->first_session + i);
		if (ss->state == FSM_ST_ESTABLISHED ||
		    !simv_peer(ss, peer, sizeof(peer), &type))
			continue;
		sim_bird_info(ss, info, sizeof(info));
		sig_add(s, "; %s (%s) %s %s", peer, type,
		        sim_bird_proto_state(ss), info);
	}
}

struct slot {
	uint64_t h;
	uint32_t g; /* group + 1, 0: empty */
};

static uint64_t
hash_str(const char *p)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

void
simv_groups_init(struct simv_groups *gs, size_t hint)
{
	memset(gs, 0, sizeof(*gs));
	gs->nslot = 64;
	while (gs->nslot < 2 * hint)
		gs->nslot *= 2;
	gs->slot = rr_xcalloc(gs->nslot, sizeof(struct slot));
}

static void
rehash(struct simv_groups *gs)
{
	struct slot *old = gs->slot;
	size_t n = gs->nslot, i, k;

	gs->nslot *= 2;
	gs->slot = rr_xcalloc(gs->nslot, sizeof(struct slot));
	for (i = 0; i < n; i++) {
		struct slot *ns = gs->slot;
		if (!old[i].g)
			continue;
		for (k = old[i].h & (gs->nslot - 1); ns[k].g;
		     k = (k + 1) & (gs->nslot - 1))
			;
		ns[k] = old[i];
	}
	free(old);
}

void
simv_groups_add(struct simv_groups *gs, const char *key, uint32_t member)
{
	struct slot *slot;
	struct sim_group *g;
	uint64_t h = hash_str(key);
	size_t i, len;

	if (2 * (gs->n + 1) > gs->nslot)
		rehash(gs);
	slot = gs->slot;
	for (i = h & (gs->nslot - 1); slot[i].g; i = (i + 1) & (gs->nslot - 1))
		if (slot[i].h == h && !strcmp(gs->v[slot[i].g - 1].what, key))
			break;
	if (!slot[i].g) {
		if (gs->n == gs->cap) {
			gs->cap = gs->cap ? gs->cap * 2 : 16;
			gs->v = rr_xrealloc(gs->v, gs->cap * sizeof(*gs->v));
		}
		g = &gs->v[gs->n++];
		len = strlen(key);
		g->what = rr_xmalloc(len + 1);
		memcpy(g->what, key, len + 1);
		g->member = NULL;
		g->n = 0;
		slot[i].h = h;
		slot[i].g = (uint32_t)gs->n;
	}
	g = &gs->v[slot[i].g - 1];
	if ((g->n & (g->n - 1)) == 0) /* 0, 1, 2, 4, ...: grow */
		g->member = rr_xrealloc(g->member, (g->n ? 2 * g->n : 1) *
		                                           sizeof(*g->member));
	g->member[g->n++] = member;
}

static int
cmp_group(const void *a, const void *b)
{
	const struct sim_group *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return x->member[0] < y->member[0] ? -1 : x->member[0] > y->member[0];
}

void
simv_groups_finish(struct simv_groups *gs)
{
	free(gs->slot);
	gs->slot = NULL;
	if (gs->n)
		qsort(gs->v, gs->n, sizeof(*gs->v), cmp_group);
}

void
simv_groups_release(struct simv_groups *gs)
{
	size_t i;
	for (i = 0; i < gs->n; i++) {
		free(gs->v[i].what);
		free(gs->v[i].member);
	}
	free(gs->v);
	free(gs->slot);
	memset(gs, 0, sizeof(*gs));
}

static void
build_groups(struct simcli *c)
{
	size_t n = sim_nspeakers(c->s);
	struct sig s = {rr_xmalloc(256), 0, 256};
	uint32_t k;

	simv_groups_init(&c->nodes, 64);
	for (k = 0; k < n; k++) {
		if (sim_speaker(c->s, k)->kind != RR_SPK_CALICO)
			continue;
		node_outcome(c, k, &s);
		simv_groups_add(&c->nodes, s.p, k);
	}
	free(s.p);
	simv_groups_finish(&c->nodes);
}

void
simv_build(struct simcli *c)
{
	build_groups(c);
}

void
simv_release(struct simcli *c)
{
	simv_groups_release(&c->nodes);
}
