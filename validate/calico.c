/*
 * What Calico itself rejects and the parser cannot see field by field
 * (calico-semantics.md §2.3 CEL rules, §2.4): BGPPeer field combinations,
 * filters naming no BGPFilter, and two nodes with one BGP address
 * (calico-node refuses to start; BIRD would define one protocol twice).
 */
#include "validate/val_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
combos(struct val_ctx *v, const struct rr_bgppeer *p)
{
	const struct rr_calico *c = &v->m->calico;
	size_t i, j;

	if (p->node.set && p->node_selector_text.set)
		val_report(v, "calico-invalid", &p->node_selector_text.at,
			   "BGPPeer '%s': node and nodeSelector cannot both "
			   "be set",
			   p->meta.name);
	if (p->peer_ip_text.set && p->peer_selector_text.set)
		val_report(v, "calico-invalid", &p->peer_selector_text.at,
			   "BGPPeer '%s': peerIP and peerSelector cannot both "
			   "be set",
			   p->meta.name);
	if (p->peer_selector_text.set && p->as_number.set && p->as_number.v)
		val_report(v, "calico-invalid", &p->as_number.at,
			   "BGPPeer '%s': asNumber must be empty when "
			   "peerSelector is set",
			   p->meta.name);
	if (p->local_workload_selector_text.set &&
	    (p->peer_ip_text.set || p->peer_selector_text.set))
		val_report(v, "calico-invalid",
			   &p->local_workload_selector_text.at,
			   "BGPPeer '%s': peerIP and peerSelector must be "
			   "empty when localWorkloadSelector is set",
			   p->meta.name);
	if (p->local_workload_selector_text.set && !p->as_number.set)
		val_report(v, "calico-invalid",
			   &p->local_workload_selector_text.at,
			   "BGPPeer '%s': asNumber is required when "
			   "localWorkloadSelector is set",
			   p->meta.name);
	if (p->reachable_by.set && !p->peer_ip_text.set)
		val_report(v, "calico-invalid", &p->reachable_by.at,
			   "BGPPeer '%s': reachableBy must be empty when "
			   "peerIP is empty",
			   p->meta.name);
	if (p->reachable_by.set && p->peer_ip.af &&
	    p->reachable_by.v.af != p->peer_ip.af)
		val_report(v, "calico-invalid", &p->reachable_by.at,
			   "BGPPeer '%s': reachableBy and peerIP address "
			   "family mismatched",
			   p->meta.name);
	if (p->keep_original_next_hop.set && p->keep_original_next_hop.v &&
	    p->next_hop_mode_text.set)
		val_report(v, "calico-invalid", &p->next_hop_mode_text.at,
			   "BGPPeer '%s': keepOriginalNextHop and nextHopMode "
			   "cannot both be set",
			   p->meta.name);
	for (i = 0; i < p->nfilters; i++) {
		bool found = false;
		for (j = 0; j < c->nbgpfilters && !found; j++)
			found = c->bgpfilters[j].meta.name &&
				!strcmp(c->bgpfilters[j].meta.name,
					p->filters[i]);
		if (!found)
			val_report(v, "calico-invalid", &p->meta.loc,
				   "BGPPeer '%s': BGPFilter '%s' not found",
				   p->meta.name, p->filters[i]);
	}
}

struct naddr {
	struct rr_addr a;
	const struct rr_speaker *s;
};

static int
cmp_naddr(const void *x, const void *y)
{
	return rr_addr_cmp(&((const struct naddr *)x)->a,
			   &((const struct naddr *)y)->a);
}

static void
duplicate_addresses(struct val_ctx *v)
{
	struct naddr *t;
	size_t i, j, n = 0;
	char a[RR_ADDR_STRLEN];

	t = rr_xcalloc(v->nown ? v->nown : 1, sizeof(*t));
	for (i = 0; i < v->m->nspeakers; i++) {
		const struct rr_speaker *s = v->m->speakers[i];
		if (s->kind != RR_SPK_CALICO)
			continue;
		for (j = 0; j < s->naddrs; j++) {
			t[n].a = s->addrs[j].p.addr;
			t[n++].s = s;
		}
	}
	qsort(t, n, sizeof(*t), cmp_naddr);
	for (i = 1; i < n; i++) {
		struct rr_diag *g;
		if (!rr_addr_eq(&t[i].a, &t[i - 1].a))
			continue;
		g = val_report(v, "calico-invalid", &t[i].s->loc,
			       "nodes '%s' and '%s' both use the BGP address "
			       "%s: calico-node refuses to start ('already "
			       "using the IPv4 address')",
			       t[i - 1].s->name, t[i].s->name,
			       val_addr_str(&t[i].a, a));
		rr_diag_note(v->d, g, &t[i - 1].s->loc, "'%s' is here",
			     t[i - 1].s->name);
	}
	free(t);
}

/* R13 (calico-semantics.md §3.3): confd visits BGPPeers in map order and
 * the first to claim a session wins. */
static void
conflicts(struct val_ctx *v)
{
	size_t i;
	char a[RR_ADDR_STRLEN], port[16] = "";
	for (i = 0; i < v->m->npeer_conflicts; i++) {
		const struct rr_peer_conflict *c = &v->m->peer_conflicts[i];
		struct rr_diag *g;
		port[0] = '\0';
		if (c->port)
			snprintf(port, sizeof(port), " port %u", c->port);
		char who[160];
		if (!c->node)
			snprintf(who, sizeof(who), "every node");
		else if (c->more)
			snprintf(who, sizeof(who), "node '%s' and %zu more",
				 c->node, c->more);
		else
			snprintf(who, sizeof(who), "node '%s'", c->node);
		g = val_report(v, "peer-conflict", &c->lost->meta.loc,
			       "BGPPeers '%s' and '%s' both make %s peer with "
			       "%s%s, with different settings: calico-node keeps "
			       "whichever it reads first (map order), so the "
			       "session's settings are not predictable",
			       c->kept->meta.name, c->lost->meta.name, who,
			       val_addr_str(&c->peer, a), port);
		rr_diag_note(v->d, g, &c->kept->meta.loc, "'%s' is here",
			     c->kept->meta.name);
	}
}

void
val_calico(struct val_ctx *v)
{
	size_t i;
	for (i = 0; i < v->m->calico.nbgppeers; i++)
		combos(v, &v->m->calico.bgppeers[i]);
	duplicate_addresses(v);
	conflicts(v);
}
