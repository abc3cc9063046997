/*
 * rrkit sim --format dot: the topology for Graphviz, readable at thousands
 * of nodes.  Routers are boxes.  Calico nodes whose every session is
 * Established are grouped by the routers they peer with: one box per
 * group with its count and first and last names, one edge per (group,
 * router) labelled with the number of sessions.  A node with a session
 * that is not up (or a failed one) is drawn on its own with each of its
 * sessions, coloured by state: green Established both ways, red when a
 * NOTIFICATION ended it, orange while it tries (Connect, Active, OpenSent,
 * OpenConfirm), grey when never started; the label says the states and
 * the last error.  Sessions between two grouped nodes (the mesh) are
 * counted on one edge per pair of groups.
 */
#include "cli/sim_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A DOT string: quotes and backslashes escaped, UTF-8 (a byte that starts
 * no character, as in a Latin-1 name, is read as Latin-1: rr_utf8_len). */
static void
quoted(struct out *o, const char *s)
{
	out_puts(o, "\"");
	while (*s) {
		size_t k;
		char u[4];
		if (*s == '\n') {
			out_puts(o, "\\n");
			s++;
			continue;
		}
		if (*s == '"' || *s == '\\')
			out_puts(o, "\\");
		if ((unsigned char)*s >= 0x80 && !rr_utf8_len(s)) {
			out_write(o, u, rr_utf8_put((unsigned char)*s++, u));
			continue;
		}
		k = rr_utf8_len(s);
		if ((unsigned char)*s >= 0x20)
			out_write(o, s, k);
		s += k;
	}
	out_puts(o, "\"");
}

static const char *
colour(const struct sim_session *a, const struct sim_session *b)
{
	bool up = a->state == FSM_ST_ESTABLISHED &&
	          (!b || b->state == FSM_ST_ESTABLISHED);
	if (up)
		return "forestgreen";
	if ((a->notif) || (b && b->notif))
		return "red";
	if (!a->enabled && (!b || !b->enabled))
		return "grey";
	if (a->state != FSM_ST_IDLE || (b && b->state != FSM_ST_IDLE))
		return "orange";
	return "red";
}

/* every session of node k is Established (and the node did not fail) */
static bool
node_clean(const struct sim *s, uint32_t k)
{
	const struct sim_speaker *sp = sim_speaker(s, k);
	uint32_t i;
	if (sp->failed || !sp->nsessions)
		return false;
	for (i = 0; i < sp->nsessions; i++)
		if (sim_session(s, sp->first_session + i)->state !=
		    FSM_ST_ESTABLISHED)
			return false;
	return true;
}

/* the routers node k peers with, as a key: "r3,r7," */
static void
router_key(const struct sim *s, uint32_t k, char **buf, size_t *cap)
{
	const struct sim_speaker *sp = sim_speaker(s, k);
	size_t n = 0;
	uint32_t i, prev = SIM_NONE;
	int w;

	(*buf)[0] = '\0';
	for (i = 0; i < sp->nsessions; i++) {
		const struct sim_session *ss =
		        sim_session(s, sp->first_session + i);
		uint32_t p = ss->peer_speaker;
		if (p == SIM_NONE || p == prev ||
		    sim_speaker(s, p)->kind != RR_SPK_IOS)
			continue;
		prev = p;
		if (n + 16 > *cap) {
			*cap *= 2;
			*buf = rr_xrealloc(*buf, *cap);
		}
		w = snprintf(*buf + n, *cap - n, "%u,", p);
		n += (size_t)w;
	}
}

struct agg {
	uint64_t a, b; /* vertex ids: speaker k, or group g as N + g */
	uint64_t n;
};

struct dot {
	const struct sim *s;
	struct out *o;
	uint32_t *group_of; /* per speaker: group + 1, 0: drawn alone */
	struct agg *agg;
	size_t nagg, capagg;
};

static uint64_t
vertex(const struct dot *d, uint32_t k)
{
	return d->group_of[k] ? sim_nspeakers(d->s) + d->group_of[k] - 1 : k;
}

static void
vname(const struct dot *d, uint64_t v, char *buf, size_t len)
{
	size_t n = sim_nspeakers(d->s);
	if (v < n)
		snprintf(buf, len, "s%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "g%llu", (unsigned long long)(v - n));
}

static void
count_edge(struct dot *d, uint64_t a, uint64_t b)
{
	size_t i;
	if (a > b) {
		uint64_t t = a;
		a = b;
		b = t;
	}
	for (i = 0; i < d->nagg; i++)
		if (d->agg[i].a == a && d->agg[i].b == b) {
			d->agg[i].n++;
			return;
		}
	if (d->nagg == d->capagg) {
		d->capagg = d->capagg ? 2 * d->capagg : 16;
		d->agg = rr_xrealloc(d->agg, d->capagg * sizeof(*d->agg));
	}
	d->agg[d->nagg].a = a;
	d->agg[d->nagg].b = b;
	d->agg[d->nagg].n = 1;
	d->nagg++;
}

static void
one_vertex(struct out *o, const struct sim *s, uint32_t k)
{
	const struct sim_speaker *sp = sim_speaker(s, k);
	char addr[RR_ADDR_STRLEN], label[512];

	snprintf(label, sizeof(label), "%s\n%s\nAS %u", sp->name,
	         rr_addr_str(&sp->addr, addr), sp->asn);
	out_printf(o, "  s%u [label=", k);
	quoted(o, label);
	out_printf(o, ", shape=%s%s];\n",
	           sp->kind == RR_SPK_IOS ? "box" : "ellipse",
	           sp->failed ? ", style=dashed" : "");
}

static void
group_vertex(struct out *o, const struct sim *s, size_t g,
             const struct sim_group *grp)
{
	char label[512], n[32];
	const char *first = sim_speaker(s, grp->member[0])->name;
	const char *last = sim_speaker(s, grp->member[grp->n - 1])->name;

	if (grp->n == 1)
		snprintf(label, sizeof(label), "1 node\n%s", first);
	else if (grp->n == 2)
		snprintf(label, sizeof(label), "2 nodes\n%s\n%s", first, last);
	else
		snprintf(label, sizeof(label), "%s nodes\n%s\n...\n%s",
		         simv_count(grp->n, n, sizeof(n)), first, last);
	out_printf(o, "  g%zu [label=", g);
	quoted(o, label);
	out_puts(o, ", shape=box3d];\n");
}

static void
session_edge(struct dot *d, size_t i)
{
	const struct sim_session *a = sim_session(d->s, i), *p = NULL;
	char label[200], addr[RR_ADDR_STRLEN], v1[32], v2[32];

	if (a->partner != SIM_NONE)
		p = sim_session(d->s, a->partner);
	vname(d, vertex(d, a->speaker), v1, sizeof(v1));
	if (a->peer_speaker == SIM_NONE) {
		/* nobody owns the address: a vertex of its own */
		out_printf(d->o, "  x%zu [label=\"%s\\n(nobody)\", "
		                 "shape=plaintext];\n",
		           i, rr_addr_str(&a->peer, addr));
		snprintf(v2, sizeof(v2), "x%zu", i);
	} else {
		vname(d, vertex(d, a->peer_speaker), v2, sizeof(v2));
	}
	out_printf(d->o, "  %s -- %s", v1, v2);
	snprintf(label, sizeof(label), "%s%s%s%s%s",
	         bgp_fsm_state_name(a->state), p ? " / " : "",
	         p ? bgp_fsm_state_name(p->state) : "",
	         a->last_error ? "\n" : "", a->last_error ? a->last_error : "");
	out_puts(d->o, " [label=");
	quoted(d->o, label);
	out_printf(d->o, ", color=%s%s];\n", colour(a, p),
	           a->rr_client || (p && p->rr_client) ? ", penwidth=2" : "");
}

static void
edges(struct dot *d)
{
	size_t i;
	char v1[32], v2[32], n[32];

	for (i = 0; i < sim_nsessions(d->s); i++) {
		const struct sim_session *a = sim_session(d->s, i);
		if (a->partner != SIM_NONE && a->partner < i)
			continue; /* drawn from the other side */
		if (a->peer_speaker != SIM_NONE &&
		    (d->group_of[a->speaker] || d->group_of[a->peer_speaker]) &&
		    a->state == FSM_ST_ESTABLISHED) {
			count_edge(d, vertex(d, a->speaker),
			           vertex(d, a->peer_speaker));
			continue;
		}
		session_edge(d, i);
	}
	for (i = 0; i < d->nagg; i++) {
		vname(d, d->agg[i].a, v1, sizeof(v1));
		vname(d, d->agg[i].b, v2, sizeof(v2));
		out_printf(d->o,
		           "  %s -- %s [label=\"%s Established\", "
		           "color=forestgreen];\n",
		           v1, v2, simv_count(d->agg[i].n, n, sizeof(n)));
	}
}

void
sim_write_dot(struct out *o, const struct simcli *c)
{
	struct dot d = {c->s, o, NULL, NULL, 0, 0};
	struct simv_groups gs;
	size_t i, k, n = sim_nspeakers(c->s), cap = 64;
	char *key = rr_xmalloc(cap);

	d.group_of = rr_xcalloc(n + 1, sizeof(*d.group_of));
	simv_groups_init(&gs, 16);
	for (k = 0; k < n; k++) {
		if (sim_speaker(c->s, k)->kind != RR_SPK_CALICO ||
		    !node_clean(c->s, (uint32_t)k))
			continue;
		router_key(c->s, (uint32_t)k, &key, &cap);
		simv_groups_add(&gs, key, (uint32_t)k);
	}
	simv_groups_finish(&gs);
	for (i = 0; i < gs.n; i++)
		for (k = 0; k < gs.v[i].n; k++)
			d.group_of[gs.v[i].member[k]] = (uint32_t)i + 1;
	out_puts(o, "graph rrkit_sim {\n"
	            "  graph [overlap=false, splines=true, "
	            "fontname=\"Helvetica\"];\n"
	            "  node [fontname=\"Helvetica\", fontsize=10];\n"
	            "  edge [fontname=\"Helvetica\", fontsize=8];\n");
	for (k = 0; k < n; k++)
		if (!d.group_of[k])
			one_vertex(o, c->s, (uint32_t)k);
	for (i = 0; i < gs.n; i++)
		group_vertex(o, c->s, i, &gs.v[i]);
	edges(&d);
	out_puts(o, "}\n");
	free(d.agg);
	free(d.group_of);
	free(key);
	simv_groups_release(&gs);
}
