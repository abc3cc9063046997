/*
 * The rule table, the shared indexes, and the run of every family.
 */
#include "validate/val_priv.h"

#include <stdlib.h>
#include <string.h>

/* Sorted by id; ids are an interface (CI configs suppress by id). */
const struct val_rule val_rules[] = {
	{"as-invalid", "as", RR_SEV_ERROR,
	 "an ASN that is reserved (0, 23456, 65535, 4294967295), out of range, "
	 "bad asdot, or missing where BIRD needs one"},
	{"as-mismatch", "as", RR_SEV_ERROR,
	 "a neighbor's remote-as differs from the AS the peer announces "
	 "(either side)"},
	{"calico-invalid", "calico", RR_SEV_ERROR,
	 "a resource Calico itself would reject (values, field combinations, "
	 "duplicate node addresses)"},
	{"cluster-id-conflict", "rr", RR_SEV_WARNING,
	 "reflectors serving the same client disagree on the cluster-id"},
	{"cluster-id-missing", "rr", RR_SEV_WARNING,
	 "a reflector with clients and no explicit bgp cluster-id"},
	{"cluster-id-shared", "rr", RR_SEV_ERROR,
	 "two peering reflectors share a cluster-id while some clients are "
	 "served by one of them only: reflected routes are dropped by "
	 "CLUSTER_LIST"},
	{"hold-time-invalid", "session", RR_SEV_ERROR,
	 "hold time 1 or 2 s, or a keepalive not below the hold time"},
	{"ios-invalid", "input", RR_SEV_ERROR,
	 "a line IOS would refuse (bad address or mask, value out of range, "
	 "undefined neighbor, peer-group or template): the router runs "
	 "without it, and rrkit reads the rest of the file"},
	{"mesh-not-disabled", "topology", RR_SEV_WARNING,
	 "the node-to-node mesh is on (explicitly or by default) while every "
	 "node peers with a reflector"},
	{"neighbor-not-activated", "session", RR_SEV_ERROR,
	 "a router neighbor active in no address family: the router never "
	 "starts the session"},
	{"neighbor-without-node", "topology", RR_SEV_WARNING,
	 "a router neighbor no Calico node will connect from"},
	{"node-isolated", "topology", RR_SEV_ERROR,
	 "the mesh is off and a node has no BGP session at all"},
	{"node-without-neighbor", "topology", RR_SEV_ERROR,
	 "a node peers with a router that has no neighbor or listen range for "
	 "the node's address"},
	{"parse-warning", "input", RR_SEV_WARNING,
	 "a line or field the parser did not understand and skipped"},
	{"password-mismatch", "session", RR_SEV_ERROR,
	 "one side sets a TCP MD5 password and the other does not, or they "
	 "differ"},
	{"peer-address-unknown", "topology", RR_SEV_WARNING,
	 "a node peers with an address no given router owns"},
	{"peer-conflict", "calico", RR_SEV_WARNING,
	 "two BGPPeers make the same session with different settings: which "
	 "one calico-node uses depends on map order"},
	{"peer-unreachable", "topology", RR_SEV_ERROR,
	 "a router neighbor that no connected subnet or static route reaches"},
	{"pool-encapsulation", "pool", RR_SEV_WARNING,
	 "an IPPool encapsulates (IPIP/VXLAN) while the design is native BGP "
	 "routing"},
	{"pool-overlap", "pool", RR_SEV_ERROR,
	 "IPPools overlapping each other, the node network or a router "
	 "subnet"},
	{"port-mismatch", "session", RR_SEV_WARNING,
	 "a node dials a router on a port other than 179 (refused; up only "
	 "if the router dials)"},
	{"router-id-duplicate", "session", RR_SEV_ERROR,
	 "two iBGP speakers with one router id (OPEN rejected: Bad BGP "
	 "Identifier)"},
	{"rr-client-ebgp", "rr", RR_SEV_ERROR,
	 "route-reflector-client on an eBGP neighbor"},
	{"rr-client-missing", "rr", RR_SEV_ERROR,
	 "two or more iBGP node neighbors that are not route-reflector-clients: "
	 "routes between them are never reflected"},
	{"rr-client-not-activated", "rr", RR_SEV_ERROR,
	 "a route-reflector client not active for IPv4 unicast"},
	{"selector-yaml-tag", "calico", RR_SEV_ERROR,
	 "an unquoted selector starting with '!' became a YAML tag: the "
	 "selector is lost"},
};
const size_t val_nrules = sizeof(val_rules) / sizeof(val_rules[0]);

const struct val_rule *
val_rule_find(const char *id)
{
	size_t lo = 0, hi = val_nrules;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(val_rules[mid].id, id);
		if (!c)
			return &val_rules[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct rr_diag *
val_report(struct val_ctx *v, const char *rule, const struct rr_loc *loc,
	   const char *fmt, ...)
{
	const struct val_rule *r = val_rule_find(rule);
	struct rr_diag *g;
	va_list ap;
	if (!r)
		RR_BUG("unknown rule id");
	va_start(ap, fmt);
	g = rr_diag_vadd(v->d, r->sev, r->id, loc, fmt, ap);
	va_end(ap);
	return g;
}

static bool
loc_eq(const struct rr_loc *a, const struct rr_loc *b)
{
	return a->file == b->file && a->line == b->line && a->col == b->col;
}

struct rr_diag *
val_report_once(struct val_ctx *v, const char *rule, const struct rr_loc *loc,
		const char *fmt, ...)
{
	const struct val_rule *r = val_rule_find(rule);
	static const struct rr_loc none;
	struct val_seen *e;
	struct rr_diag *g;
	va_list ap;
	size_t i;

	if (!r)
		RR_BUG("unknown rule id");
	if (!loc)
		loc = &none;
	for (i = 0; i < v->nseen; i++)
		if (v->seen[i].rule == r->id && loc_eq(&v->seen[i].loc, loc)) {
			v->seen[i].more++;
			return NULL;
		}
	va_start(ap, fmt);
	g = rr_diag_vadd(v->d, r->sev, r->id, loc, fmt, ap);
	va_end(ap);
	if (!g->msg)
		return g; /* past the sink's limit */
	if (v->nseen == v->capseen) {
		v->capseen = v->capseen ? v->capseen * 2 : 16;
		v->seen = rr_xrealloc(v->seen, v->capseen * sizeof(*v->seen));
	}
	e = &v->seen[v->nseen++];
	e->rule = r->id;
	e->loc = *loc;
	e->diag = (size_t)(g - v->d->v);
	e->more = 0;
	return g;
}

static void
finish_seen(struct val_ctx *v)
{
	size_t i;
	for (i = 0; i < v->nseen; i++)
		if (v->seen[i].more)
			rr_diag_note(v->d, &v->d->v[v->seen[i].diag], NULL,
				     "and %zu more alike", v->seen[i].more);
	free(v->seen);
}

/* ------------------------------------------------------------ indexes */

static int
cmp_owner(const void *a, const void *b)
{
	return rr_addr_cmp(&((const struct val_owner *)a)->a,
			   &((const struct val_owner *)b)->a);
}

static void
build_owners(struct val_ctx *v)
{
	size_t i, j, n = 0;
	for (i = 0; i < v->m->nspeakers; i++)
		n += v->m->speakers[i]->naddrs;
	v->own = rr_xcalloc(n ? n : 1, sizeof(*v->own));
	for (i = 0; i < v->m->nspeakers; i++) {
		const struct rr_speaker *s = v->m->speakers[i];
		for (j = 0; j < s->naddrs; j++) {
			v->own[v->nown].a = s->addrs[j].p.addr;
			v->own[v->nown++].s = s;
		}
	}
	qsort(v->own, v->nown, sizeof(*v->own), cmp_owner);
}

const struct rr_speaker *
val_owner(const struct val_ctx *v, const struct rr_addr *a)
{
	size_t lo = 0, hi = v->nown;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = rr_addr_cmp(&v->own[mid].a, a);
		if (!c) {
			while (mid > 0 && !rr_addr_cmp(&v->own[mid - 1].a, a))
				mid--;
			return v->own[mid].s;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
cmp_nbent(const void *a, const void *b)
{
	return rr_addr_cmp(&((const struct val_nbent *)a)->a,
			   &((const struct val_nbent *)b)->a);
}

static void
build_rix(struct val_ctx *v)
{
	size_t i, j, k = 0;
	v->rix = rr_xcalloc(v->nios ? v->nios : 1, sizeof(*v->rix));
	for (i = 0; i < v->m->nspeakers; i++) {
		const struct rr_speaker *r = v->m->speakers[i];
		struct val_rix *x;
		if (r->kind != RR_SPK_IOS)
			continue;
		x = &v->rix[k++];
		x->r = r;
		x->v = rr_xcalloc(r->nneighbors ? r->nneighbors : 1,
				  sizeof(*x->v));
		for (j = 0; j < r->nneighbors; j++) {
			const struct rr_neighbor *nb = &r->neighbors[j];
			if (nb->vrf || nb->is_range)
				continue;
			x->v[x->n].a = nb->peer;
			x->v[x->n++].nb = nb;
		}
		qsort(x->v, x->n, sizeof(*x->v), cmp_nbent);
	}
}

const struct rr_neighbor *
val_ios_neighbor(const struct val_ctx *v, const struct rr_speaker *r,
		 const struct rr_addr *a)
{
	size_t i, lo, hi;
	const struct val_rix *x = NULL;
	for (i = 0; i < v->nios; i++)
		if (v->rix[i].r == r)
			x = &v->rix[i];
	if (!x)
		return NULL;
	lo = 0, hi = x->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = rr_addr_cmp(&x->v[mid].a, a);
		if (!c) {
			while (mid > 0 && !rr_addr_cmp(&x->v[mid - 1].a, a))
				mid--;
			return x->v[mid].nb;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = 0; i < r->nneighbors; i++) {
		const struct rr_neighbor *nb = &r->neighbors[i];
		if (nb->is_range && !nb->vrf && rr_prefix_contains(&nb->range, a))
			return nb;
	}
	return NULL;
}

bool
val_cluster_id(const struct rr_speaker *r, uint32_t *out)
{
	if (r->cluster_id.set) {
		*out = r->cluster_id.v;
		return true;
	}
	if (r->router_id.set && r->router_id.v.af == RR_AF_INET) {
		*out = rr_addr_v4(&r->router_id.v);
		return true;
	}
	return false;
}

const struct rr_addr *
val_addr_of(const struct rr_speaker *s, uint8_t af)
{
	size_t i;
	for (i = 0; i < s->naddrs; i++)
		if (s->addrs[i].p.addr.af == af)
			return &s->addrs[i].p.addr;
	return NULL;
}

const struct rr_addr *
val_session_src(const struct rr_speaker *s, const struct rr_neighbor *nb)
{
	if (nb->source_address.set)
		return &nb->source_address.v;
	return val_addr_of(s, nb->peer.af);
}

const char *
val_addr_str(const struct rr_addr *a, char *buf)
{
	return rr_addr_str(a, buf);
}

uint32_t
val_local_as(const struct rr_speaker *s, const struct rr_neighbor *nb)
{
	return nb && nb->local_as.set ? nb->local_as.v : s->asn.v;
}

bool
val_active_v4(const struct rr_neighbor *nb)
{
	return nb->af[RR_AFS_IPV4].v;
}

bool
val_active_any(const struct rr_neighbor *nb)
{
	size_t i;
	for (i = 0; i < RR_AFS_COUNT; i++)
		if (nb->af[i].v)
			return true;
	return false;
}

const struct rr_loc *
val_loc(const struct rr_loc *l, const struct rr_loc *dflt)
{
	return l && l->line ? l : dflt;
}

int
val_run(const struct rr_model *m, struct rr_diags *d)
{
	struct val_ctx v = {0};
	size_t i, j;

	v.m = m;
	v.d = d;
	build_owners(&v);
	for (i = 0; i < m->nspeakers; i++) {
		const struct rr_speaker *s = m->speakers[i];
		if (s->kind == RR_SPK_IOS) {
			v.nios++;
			continue;
		}
		v.ncalico++;
		for (j = 0; j < s->nneighbors && !v.mesh; j++)
			v.mesh = s->neighbors[j].scope == RR_SCOPE_MESH;
	}
	v.mesh = v.mesh || m->mesh_elided;
	build_rix(&v);
	val_as(&v);
	val_rr(&v);
	val_topology(&v);
	val_session(&v);
	val_pool(&v);
	val_calico(&v);
	finish_seen(&v);
	for (i = 0; i < v.nios; i++)
		free(v.rix[i].v);
	free(v.rix);
	free(v.own);
	return 0;
}
