/*
 * The rule table, the shared indexes, and the run of every family.
 */
#include "validate/val_priv.h"
#include "analyze/analyze.h"

#include <stdlib.h>
#include <string.h>

/* Sorted by id; ids are an interface (CI configs suppress by id).
 * A = explains analyze/'s findings, L = a local rule. */
#define A .analysis = true
#define L .analysis = false
const struct val_rule val_rules[] = {
	{"as-invalid", "as", RR_SEV_ERROR,
	 "an ASN that is reserved (0, 23456, 65535, 4294967295), out of range, "
	 "bad asdot, or missing where BIRD or IOS needs one",
	 L},
	{"as-mismatch", "as", RR_SEV_ERROR,
	 "a session's expected AS differs from the AS the peer announces "
	 "(NOTIFICATION 2/2 Bad Peer AS)",
	 A},
	{"as-path-loop", "route", RR_SEV_ERROR,
	 "routes dropped because their AS_PATH holds the receiver's own AS "
	 "(nodes of one AS behind an eBGP peer)",
	 A},
	{"bgpfilter-missing", "calico", RR_SEV_WARNING,
	 "a BGPPeer's filters entry names no BGPFilter: calico-node runs the "
	 "session without that filter",
	 L},
	{"block-outside-pool", "route", RR_SEV_ERROR,
	 "a node's block outside every IPPool: Calico nodes do not re-export "
	 "it",
	 A},
	{"calico-invalid", "calico", RR_SEV_ERROR,
	 "a resource Calico itself would reject (values, field combinations, "
	 "duplicate node addresses)",
	 L},
	{"client-reflection-off", "rr", RR_SEV_ERROR,
	 "'no bgp client-to-client reflection' on a reflector whose clients "
	 "need it",
	 A},
	{"cluster-id-conflict", "rr", RR_SEV_WARNING,
	 "retired: distinct cluster-ids on reflectors serving the same "
	 "clients are a valid design",
	 L, .retired = true},
	{"cluster-id-missing", "rr", RR_SEV_WARNING,
	 "a reflector with clients and no explicit bgp cluster-id", L},
	{"cluster-id-shared", "rr", RR_SEV_ERROR,
	 "routes dropped on CLUSTER_LIST: reflectors share a cluster-id but "
	 "not their clients",
	 A},
	{"hold-time-invalid", "session", RR_SEV_ERROR,
	 "hold time 1 or 2 s or below the peer's minimum (NOTIFICATION 2/6), "
	 "or a keepalive not below the hold time",
	 A},
	{"ios-invalid", "input", RR_SEV_ERROR,
	 "a line IOS would refuse (bad address or mask, value out of range, "
	 "undefined neighbor, peer-group or template): the router runs "
	 "without it, and rrkit reads the rest of the file",
	 L},
	{"listen-limit", "session", RR_SEV_ERROR,
	 "more speakers dial a router's listen ranges than 'bgp listen limit' "
	 "(default 100) accepts",
	 A},
	{"maximum-prefix", "session", RR_SEV_ERROR,
	 "a router neighbor's maximum-prefix is below what the peer sends: "
	 "IOS tears the session down",
	 A},
	{"mesh-not-disabled", "topology", RR_SEV_WARNING,
	 "the node-to-node mesh is on while the other sessions carry every "
	 "route without it",
	 A},
	{"neighbor-not-activated", "session", RR_SEV_ERROR,
	 "a router neighbor not active for the session's family: never started, "
	 "or it carries none of its routes",
	 A},
	{"neighbor-one-sided", "topology", RR_SEV_ERROR,
	 "a router's neighbor is another router in the inputs that has no "
	 "neighbor for it",
	 A},
	{"neighbor-shutdown", "session", RR_SEV_ERROR,
	 "a neighbor under 'shutdown' whose session the design needs", A},
	{"neighbor-without-node", "topology", RR_SEV_WARNING,
	 "a router neighbor no Calico node will connect from", A},
	{"next-hop-unreachable", "route", RR_SEV_ERROR,
	 "a node's best route for a block has a next hop that does not lead "
	 "to the node owning it",
	 A},
	{"node-isolated", "topology", RR_SEV_ERROR,
	 "a node with no BGP session (of a family it has an address in)", A},
	{"node-without-address", "topology", RR_SEV_ERROR,
	 "a node owns a block but has no BGP address of its family: the block "
	 "is never advertised",
	 A},
	{"node-without-neighbor", "topology", RR_SEV_ERROR,
	 "a node peers with a router or node that has no session for the "
	 "node's address",
	 A},
	{"nothing-analysed", "topology", RR_SEV_ERROR,
	 "no session between the given speakers: router configs and Calico "
	 "manifests are both needed",
	 A},
	{"parse-warning", "input", RR_SEV_WARNING,
	 "a line or field the parser did not understand and skipped", L},
	{"password-mismatch", "session", RR_SEV_ERROR,
	 "one side sets a TCP MD5 password and the other does not, or they "
	 "differ",
	 A},
	{"peer-address-unknown", "topology", RR_SEV_WARNING,
	 "a node peers with an address no given router or node owns: not "
	 "analysed (an error when nothing given can carry its routes)",
	 A},
	{"peer-conflict", "calico", RR_SEV_WARNING,
	 "two BGPPeers make the same session with different settings: which "
	 "one calico-node uses depends on map order",
	 L},
	{"peer-duplicate", "session", RR_SEV_WARNING,
	 "a BGPPeer toward a node the mesh already peers with: two BIRD "
	 "protocols toward one address and port, BIRD runs the first and the "
	 "other waits Idle",
	 A},
	{"peer-unreachable", "topology", RR_SEV_ERROR,
	 "a session end with no way to reach its peer: an eBGP single-hop "
	 "neighbor off every connected subnet, no address of the family",
	 A},
	{"peer-virtual-address", "topology", RR_SEV_ERROR,
	 "a node peers with a router's HSRP/VRRP/GLBP virtual address: BGP "
	 "does not run on it",
	 A},
	{"pool-encapsulation", "pool", RR_SEV_WARNING,
	 "an IPPool encapsulates (IPIP/VXLAN) while the design is native BGP "
	 "routing",
	 L},
	{"pool-overlap", "pool", RR_SEV_ERROR,
	 "IPPools overlapping each other, the node network or a router "
	 "subnet",
	 L},
	{"port-mismatch", "session", RR_SEV_ERROR,
	 "a speaker dials a port its peer does not listen on (a warning while "
	 "the other side's connection still gets through)",
	 A},
	{"reachable-by-unused", "session", RR_SEV_WARNING,
	 "a BGPPeer's reachableBy gateway BIRD takes no route through (on "
	 "none of the node's subnets, link-local, the network or broadcast "
	 "address): the session follows the node's other routes",
	 A},
	{"route-policy-deny", "route", RR_SEV_ERROR,
	 "an IOS route-map, prefix-list or filter-list, or a Calico "
	 "BGPFilter rule, denies pod routes",
	 A},
	{"router-id-duplicate", "session", RR_SEV_ERROR,
	 "two speakers with one BGP identifier: iBGP OPEN refused (2/3), or "
	 "routes dropped on ORIGINATOR_ID",
	 A},
	{"rr-client-ebgp", "rr", RR_SEV_WARNING,
	 "route-reflector-client on an eBGP neighbor: IOS refuses the line, "
	 "it has no effect",
	 L},
	{"rr-client-missing", "rr", RR_SEV_ERROR,
	 "routes not reflected between iBGP peers of which neither is a "
	 "route-reflector client (iBGP split horizon)",
	 A},
	{"rr-client-not-activated", "rr", RR_SEV_ERROR,
	 "a route-reflector client not active for the session's family", A},
	{"rr-client-single", "rr", RR_SEV_WARNING,
	 "one node neighbor of a reflector is not a route-reflector-client: "
	 "routes flow, one more breaks them",
	 A},
	{"selector-yaml-tag", "calico", RR_SEV_ERROR,
	 "an unquoted selector starting with '!' became a YAML tag: the "
	 "selector is lost",
	 L},
	{"service-multipath-missing", "route", RR_SEV_WARNING,
	 "a router receives a service range from many nodes and, without "
	 "maximum-paths, sends all its traffic to one of them",
	 A},
	{"session-passive", "session", RR_SEV_ERROR,
	 "both ends of a session wait for the other to connect", A},
	{"topology-partitioned", "topology", RR_SEV_ERROR,
	 "the sessions that come up form separate islands: routes never "
	 "cross between them",
	 A},
	{"ttl-security", "session", RR_SEV_ERROR,
	 "TTL security (GTSM) on one side of a session only: the other side's "
	 "packets are dropped",
	 A},
	{"update-source-mismatch", "session", RR_SEV_ERROR,
	 "a speaker connects from an address its peer has no session for, or "
	 "to one other than the IOS neighbor's update-source, and no "
	 "connection gets through",
	 A},
};
#undef A
#undef L
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

/* A local finding the analysis already reported (same rule, same place)
 * is not repeated: one root cause, one finding. */
static bool
reported(const struct val_ctx *v, const char *rule, const struct rr_loc *loc)
{
	size_t i;

	for (i = v->first_analysis; i < v->end_analysis; i++) {
		const struct rr_diag *g = &v->d->v[i];
		if (g->rule == rule && loc && g->loc.file == loc->file &&
		    g->loc.line == loc->line && g->loc.col == loc->col)
			return true;
	}
	return false;
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
	if (reported(v, r->id, loc))
		return &v->scratch;
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
	if (reported(v, r->id, loc))
		return NULL;
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
	if (v->nown)
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

const char *
val_addr_str(const struct rr_addr *a, char *buf)
{
	return rr_addr_str(a, buf);
}

const struct rr_loc *
val_loc(const struct rr_loc *l, const struct rr_loc *dflt)
{
	return l && l->line ? l : dflt;
}

/* ----------------------------------------------------------- analysis */

/* The analysis's findings, as they are, rule ids from the table. */
static void
copy_findings(struct val_ctx *v, const struct az *a)
{
	size_t i, j;

	v->first_analysis = v->d->n;
	for (i = 0; i < az_nfindings(a); i++) {
		const struct rr_diag *f = az_finding(a, i)->diag;
		const struct val_rule *r = val_rule_find(f->rule);
		struct rr_diag *g;
		if (!r)
			RR_BUG("an analysis rule missing from the table");
		g = rr_diag_add(v->d, f->sev, r->id, &f->loc, "%s", f->msg);
		for (j = 0; j < f->nnotes; j++)
			rr_diag_note(v->d, g, &f->notes[j].loc, "%s",
				     f->notes[j].msg);
		g->sessions = f->sessions;
		g->routes = f->routes;
	}
	v->end_analysis = v->d->n;
}

int
val_run_analysis(const struct rr_model *m, struct rr_diags *d,
		 struct az **out)
{
	struct val_ctx v = {0};
	struct az *a = az_run(m, NULL);

	v.m = m;
	v.d = d;
	copy_findings(&v, a);
	build_owners(&v);
	val_as(&v);
	val_rr(&v);
	val_session(&v);
	val_pool(&v);
	val_calico(&v);
	finish_seen(&v);
	free(v.own);
	if (out)
		*out = a;
	else
		az_free(a);
	return 0;
}

int
val_run(const struct rr_model *m, struct rr_diags *d)
{
	return val_run_analysis(m, d, NULL);
}

void
val_analysis_free(struct az *a)
{
	az_free(a);
}
