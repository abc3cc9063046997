/*
 * The analysis run: facts, sessions, routes, the warnings for designs one
 * change from breaking (a single non-client node neighbor of a reflector,
 * a node-to-node mesh that carries nothing the reflectors do not), the
 * findings and notes, the verdict; and the lookups lint and sim use.
 */
#include "analyze/az_priv.h"

#include <stdlib.h>
#include <string.h>

/* A reflector with exactly one iBGP node neighbor that is not a client
 * (and not meshed): RFC 4456 6 still delivers everything. */
static void
single_nonclient(struct az *a)
{
	uint32_t k, i;

	for (k = 0; k < a->nspk; k++) {
		const struct az_spk *p = &a->spk[k];
		uint32_t clients = 0, non = 0, one = AZ_NONE;
		if (p->bird)
			continue;
		for (i = 0; i < p->nsides; i++) {
			uint32_t di = p->first_side + i, j;
			const struct az_side *d = &a->side[di];
			const struct az_spk *n;
			bool meshed = false;
			if (!d->up || !d->ibgp || d->peer_spk == AZ_NONE)
				continue;
			n = &a->spk[d->peer_spk];
			if (!n->bird)
				continue;
			if (d->rr_client) {
				clients++;
				continue;
			}
			for (j = 0; j < n->nsides && !meshed; j++)
				meshed = a->side[n->first_side + j].up &&
					 a->side[n->first_side + j].nb->scope ==
						 RR_SCOPE_MESH;
			if (!meshed) {
				non++;
				one = di;
			}
		}
		if (non == 1 && clients) {
			uint32_t ci = az_cause_new(a, AZ_W_SINGLE_NONCLIENT, one,
						   AZ_NONE);
			a->cause[ci].sev = RR_SEV_WARNING;
			a->cause[ci].spk2 = a->side[one].peer_spk;
		}
	}
}

static const struct rr_bgpconfig *
default_config(const struct rr_model *m)
{
	size_t i;

	for (i = 0; i < m->calico.nbgpconfigs; i++)
		if (m->calico.bgpconfigs[i].meta.name &&
		    !strcmp(m->calico.bgpconfigs[i].meta.name, "default"))
			return &m->calico.bgpconfigs[i];
	return NULL;
}

/* The mesh is on, and every route that arrives arrives without it. */
static void
mesh_redundant(struct az *a)
{
	uint32_t i, mesh = 0, other = 0, ci;
	const struct rr_bgpconfig *def = default_config(a->m);

	for (i = 0; i < a->nsess; i++) {
		const struct az_sess *s = &a->sess[i];
		if (s->state != AZ_UP)
			continue;
		if (a->side[s->a].nb->scope == RR_SCOPE_MESH)
			mesh++;
		else
			other++;
	}
	if (!mesh || !other || az_routes_without_mesh(a))
		return;
	ci = az_cause_new(a, AZ_W_MESH_REDUNDANT, AZ_NONE, AZ_NONE);
	a->cause[ci].sev = RR_SEV_WARNING;
	a->cause[ci].v1 = mesh;
	a->cause[ci].v2 = def != NULL;
	if (def)
		a->cause[ci].at = def->node_to_node_mesh_enabled.set
					  ? def->node_to_node_mesh_enabled.at
					  : def->meta.loc;
	else if (a->m->calico.nbgppeers)
		a->cause[ci].at = a->m->calico.bgppeers[0].meta.loc;
}

static void
verdict(struct az *a)
{
	struct az_verdict *v = &a->verdict;
	uint64_t missing = 0;
	uint32_t i;

	for (i = 0; i < a->nsess; i++) {
		const struct az_sess *s = &a->sess[i];
		/* a node's session toward a peer rrkit was not given (a
		 * router's toward one is an external peer, out of scope) */
		if (s->state == AZ_UNKNOWN && a->spk[a->side[s->a].spk].bird)
			v->sessions_unknown++;
		if (!s->expected)
			continue;
		v->sessions_expected++;
		v->sessions_up += s->state == AZ_UP;
	}
	for (i = 0; i < a->ncause; i++)
		missing += a->cause[i].routes;
	v->routes_expected = v->routes_expected > v->routes_unknown
				     ? v->routes_expected - v->routes_unknown
				     : 0;
	v->routes_ok = v->routes_expected > missing
			       ? v->routes_expected - missing
			       : 0;
	v->ok = v->sessions_up == v->sessions_expected &&
		v->routes_ok == v->routes_expected && !v->mesh_elided &&
		(v->sessions_expected || v->routes_expected);
	if (!v->sessions_expected && !v->routes_expected && !v->mesh_elided) {
		/* router-only or Calico-only input is not "clean" */
		uint32_t ci = az_cause_new(a, AZ_W_NOTHING, AZ_NONE, AZ_NONE);
		uint32_t k;
		for (k = 0; k < a->nspk; k++) {
			a->cause[ci].v1 += !a->spk[k].bird;
			a->cause[ci].v2 += a->spk[k].bird;
		}
		for (k = 0; k < a->nsess; k++)
			a->cause[ci].v3 += a->sess[k].state == AZ_UNKNOWN;
		a->cause[ci].sev = RR_SEV_ERROR;
		a->nothing = ci;
	}
}

static void
infos(struct az *a)
{
	uint32_t i;

	a->side_info = rr_xcalloc(a->nside + 1, sizeof(*a->side_info));
	for (i = 0; i < a->nside; i++) {
		const struct az_side *d = &a->side[i];
		struct az_side_info *x = &a->side_info[i];
		x->speaker = d->spk;
		x->peer_speaker = d->peer_spk;
		x->nb = d->nb;
		x->local = d->local;
		x->peer = d->peer;
		x->dynamic = d->dynamic;
		x->session = d->session;
	}
	a->sess_info = rr_xcalloc(a->nsess + 1, sizeof(*a->sess_info));
	for (i = 0; i < a->nsess; i++) {
		const struct az_sess *s = &a->sess[i];
		struct az_session_info *x = &a->sess_info[i];
		x->side_a = s->a;
		x->side_b = s->b;
		x->state = (enum az_state)s->state;
		x->expected = s->expected;
		x->finding = s->state == AZ_UP || s->cause == AZ_NONE
				     ? AZ_NONE
				     : a->cause[s->cause].finding;
		x->blamed_side = AZ_NONE;
		if (s->state == AZ_DOWN && s->cause != AZ_NONE) {
			const struct az_cause *c = &a->cause[s->cause];
			x->not_simulated = c->why == AZ_W_TTL ||
					   c->why == AZ_W_SOURCE_DST ||
					   c->why == AZ_W_LISTEN_LIMIT ||
					   c->why == AZ_W_NOT_CONNECTED ||
					   c->why == AZ_W_NO_ROUTE ||
					   c->why == AZ_W_DUP_ADDRESS ||
					   c->why == AZ_W_DUP_PROTOCOL ||
					   (c->why == AZ_W_MAX_PREFIX && c->v3);
			x->blamed_side = c->side;
		}
	}
}

struct az *
az_run(const struct rr_model *m, const struct az_opts *o)
{
	struct az *a = rr_xcalloc(1, sizeof(*a));

	a->m = m;
	if (o)
		a->o = *o;
	rr_arena_init(&a->arena);
	rr_diags_init(&a->diags);
	a->diags.limit = SIZE_MAX;
	a->nothing = AZ_NONE;
	a->mute_side = AZ_NONE;
	az_facts(a);
	az_sessions(a);
	az_routes_max_prefix(a);
	a->verdict.mesh_elided = m->mesh_elided ? m->mesh_sessions : 0;
	az_routes_run(a);
	single_nonclient(a);
	mesh_redundant(a);
	az_service_multipath(a);
	verdict(a);
	az_findings(a);
	az_notes(a);
	az_findings_link(a);
	infos(a);
	az_tabs_free(a);
	return a;
}

void
az_free(struct az *a)
{
	if (!a)
		return;
	az_routes_free(a);
	az_findings_free(a);
	az_tabs_free(a);
	free(a->spk);
	free(a->side);
	free(a->sess);
	free(a->cause);
	free(a->sess_more);
	free(a->side_info);
	free(a->sess_info);
	rr_diags_release(&a->diags);
	rr_arena_release(&a->arena);
	free(a);
}

const struct az_verdict *
az_verdict(const struct az *a)
{
	return &a->verdict;
}

size_t
az_nfindings(const struct az *a)
{
	return a->nfindings;
}

const struct az_finding *
az_finding(const struct az *a, size_t i)
{
	return i < a->nfindings ? &a->findings[i] : NULL;
}

size_t
az_nnotes(const struct az *a)
{
	return a->nnotes;
}

const struct rr_diag *
az_note(const struct az *a, size_t i)
{
	return i < a->nnotes ? &a->diags.v[a->notes_at + i] : NULL;
}

size_t
az_nsessions(const struct az *a)
{
	return a->nsess;
}

const struct az_session_info *
az_session(const struct az *a, size_t i)
{
	return i < a->nsess ? &a->sess_info[i] : NULL;
}

size_t
az_nsides(const struct az *a)
{
	return a->nside;
}

const struct az_side_info *
az_side(const struct az *a, size_t i)
{
	return i < a->nside ? &a->side_info[i] : NULL;
}

uint32_t
az_side_find(const struct az *a, uint32_t spk, const struct rr_neighbor *nb,
	     const struct rr_addr *peer)
{
	uint32_t i;

	if (spk >= a->nspk)
		return AZ_NONE;
	for (i = 0; i < a->spk[spk].nsides; i++) {
		const struct az_side *d = &a->side[a->spk[spk].first_side + i];
		if (d->nb == nb && rr_addr_eq(&d->peer, peer))
			return a->spk[spk].first_side + i;
	}
	return AZ_NONE;
}

enum az_state
az_route(const struct az *a, uint32_t node, uint32_t origin,
	 const struct rr_prefix *p, uint32_t *finding)
{
	uint32_t cause;
	enum az_state st = az_routes_lookup(a, node, origin, p, &cause);

	*finding = st == AZ_DOWN && cause != AZ_NONE ? a->cause[cause].finding
						     : AZ_NONE;
	return st;
}
