/*
 * resolve: Calico resources -> the BGP sessions each calico-node opens,
 * exactly as confd renders bird.cfg and bird6.cfg for it (Calico's
 * confd/pkg/backends/calico/client.go updatePeersV1 and bgp_processor.go;
 * the rule numbers R1-R30 below name its steps).  confd first computes cluster-wide peering keys --
 * Global(IP, port) and Node(node, IP, port) -- from every BGPPeer, in a
 * global pass, a node pass and a reverse pass (R8-R13); each node then
 * renders the global keys and its own node keys, drops itself (R14), adds
 * the full mesh (R7) and sorts by protocol name (R15).
 *
 * Also: the node-level settings (R1-R4), what each node originates (R30:
 * its confirmed block affinities), and the addresses of IOS routers whose
 * config has no interfaces (--address hints, else inferred from the
 * BGPPeers that point at them).
 */
#include "resolve/resolve_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RES_DEFAULT_AS 64512u /* R1 */
#define RES_MAX_KEYS 250000u /* sessions; ~4 KB each (README, limits) */
#define RES_MESH_NODES 300u /* default cap on an instantiated full mesh */
#define RES_BIRD_MULTIHOP 64u /* BIRD's TTL for a bare `multihop;` */

enum { FAM4 = 0, FAM6 = 1 };

/* One Calico node as confd sees it. */
struct rnode {
	const struct rr_node *n;
	const char *name;
	uint32_t as; /* R1 effective */
	uint16_t node_port; /* BGPConfiguration node.<name> listenPort */
	uint16_t port; /* R4: node_port, else the default listenPort */
	struct rr_addr ip[2]; /* af 0 when the family is disabled (R3) */
	char txt[2][RR_ADDR_STRLEN]; /* canonical (Go) text */
	bool rr;
	uint32_t cluster_id;
	struct rr_speaker *spk;
	size_t *keys; /* Node keys of this node, in emit order */
	size_t nkeys, capkeys;
};

enum pkind { PK_PEERIP, PK_NODE, PK_WORKLOAD };

/* confd's bgpPeer: one peering description behind a key. */
struct peer {
	struct rr_addr ip;
	uint16_t port;
	uint32_t as;
	enum pkind kind;
	bool calico_node; /* the peer address is a Calico node's (R10) */
	bool has_cluster; /* remote RR cluster id known (node-derived) */
	uint32_t cluster;
	bool reverse; /* from the reverse pass (R12) */
	const struct rr_bgppeer *bp;
	const struct rnode *remote; /* node-derived: the remote node */
};

struct key {
	int32_t node; /* index into rctx.nodes, -1 = Global */
	struct peer p;
};

struct rctx {
	struct rr_model *m;
	struct rr_diags *d;
	const struct resolve_opts *o;
	const struct rr_bgpconfig *def;
	uint32_t global_as;
	uint16_t global_port;
	bool mesh;
	struct rnode *nodes;
	size_t nn;
	size_t *byname; /* node indexes sorted by name */
	struct key *keys;
	size_t nkeys, capkeys;
	size_t *global; /* Global key indexes, in emit order */
	size_t nglobal, capglobal;
	size_t *tab; /* open addressing: key index + 1, 0 empty */
	size_t tabcap;
	bool overflow;
};

/* --------------------------------------------------------- helpers */

static int
fam_of(const struct rr_addr *a)
{
	return a->af == RR_AF_INET6 ? FAM6 : FAM4;
}

static int
cmp_byname(const void *a, const void *b, void *ctx)
{
	const struct rctx *r = ctx;
	return strcmp(r->nodes[*(const size_t *)a].name,
		      r->nodes[*(const size_t *)b].name);
}

/* qsort with a context, via a file-local pointer set only for the call
 * would be global state; a small insertion-merge sort keeps it local. */
static void
sort_ctx(size_t *v, size_t n, int (*cmp)(const void *, const void *, void *),
	 void *ctx)
{
	size_t w, i, *tmp;
	if (n < 2)
		return;
	tmp = rr_xmalloc(n * sizeof(*tmp));
	for (w = 1; w < n; w *= 2) {
		for (i = 0; i < n; i += 2 * w) {
			size_t a = i, am = i + w < n ? i + w : n, b = am,
			       bm = i + 2 * w < n ? i + 2 * w : n, k = i;
			while (a < am && b < bm)
				tmp[k++] = cmp(&v[b], &v[a], ctx) < 0 ? v[b++]
								      : v[a++];
			while (a < am)
				tmp[k++] = v[a++];
			while (b < bm)
				tmp[k++] = v[b++];
		}
		memcpy(v, tmp, n * sizeof(*v));
	}
	free(tmp);
}

static struct rnode *
node_by_name(const struct rctx *r, const char *name)
{
	size_t lo = 0, hi = r->nn;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(r->nodes[r->byname[mid]].name, name);
		if (!c)
			return &r->nodes[r->byname[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const char *
find_secret(const struct rr_calico *c, const struct rr_secret_ref *ref)
{
	size_t i, j;
	const char *best = NULL;
	if (!ref->set || !ref->name || !ref->key)
		return NULL;
	for (i = 0; i < c->nsecrets; i++) {
		const struct rr_secret *s = &c->secrets[i];
		if (!s->meta.name || strcmp(s->meta.name, ref->name))
			continue;
		for (j = 0; j < s->ndata; j++)
			if (!strcmp(s->data[j].key, ref->key)) {
				/* calico-node reads its own namespace:
				 * kube-system (manifest) or calico-system
				 * (operator); prefer those. */
				if (!best || !s->namespace_ ||
				    !strcmp(s->namespace_, "kube-system") ||
				    !strcmp(s->namespace_, "calico-system"))
					best = s->data[j].value;
			}
	}
	return best;
}

/* ------------------------------------------------------- the nodes */

/* R2: CALICO_ROUTER_ID=hash. */
struct rr_addr
resolve_router_id_hash(const char *node_name)
{
	uint8_t h[32];
	struct rr_addr a = {0};
	rr_sha256(node_name, strlen(node_name), h);
	if (h[0] > 223)
		h[0] = (uint8_t)(h[0] - 32);
	a.af = RR_AF_INET;
	memcpy(a.b, h, 4);
	return a;
}

static void
node_init(struct rctx *r, struct rnode *rn, const struct rr_node *n)
{
	const struct rr_bgpconfig *nc;
	char buf[300];
	int f;

	rn->n = n;
	rn->name = n->meta.name ? n->meta.name : "";
	rn->as = n->as_number.set ? n->as_number.v : r->global_as;
	snprintf(buf, sizeof(buf), "node.%s", rn->name);
	nc = rr_calico_config(&r->m->calico, buf);
	if (nc && nc->listen_port.set)
		rn->node_port = (uint16_t)nc->listen_port.v;
	rn->port = rn->node_port ? rn->node_port : r->global_port;
	if (n->ipv4_address.addr.af == RR_AF_INET)
		rn->ip[FAM4] = n->ipv4_address.addr;
	if (n->ipv6_address.addr.af == RR_AF_INET6)
		rn->ip[FAM6] = n->ipv6_address.addr;
	for (f = 0; f < 2; f++)
		if (rn->ip[f].af)
			rr_addr_str(&rn->ip[f], rn->txt[f]);
	if (n->route_reflector_cluster_id.set) {
		rn->rr = true;
		rn->cluster_id = rr_addr_v4(&n->route_reflector_cluster_id.v);
	}
}

/* ------------------------------------------------------------ keys */

/* confd's peer keys write port 179 as no port (model/bgppeer.go
 * combineAddrAndPort): `peerIP: X:179` and `peerIP: X` are one key. */
static uint16_t
key_port(uint16_t port)
{
	return port == 179 ? 0 : port;
}

static uint64_t
key_hash(int32_t node, const struct rr_addr *ip, uint16_t port)
{
	uint8_t buf[24];
	port = key_port(port);
	memcpy(buf, &node, 4);
	buf[4] = ip->af;
	memcpy(buf + 5, ip->b, 16);
	buf[21] = (uint8_t)(port >> 8);
	buf[22] = (uint8_t)port;
	buf[23] = 0;
	return rr_hash64(buf, sizeof(buf));
}

static bool
key_eq(const struct key *k, int32_t node, const struct rr_addr *ip,
       uint16_t port)
{
	return k->node == node && key_port(k->p.port) == key_port(port) &&
	       rr_addr_eq(&k->p.ip, ip);
}

/* The index of the key, or SIZE_MAX. */
static size_t
key_find(const struct rctx *r, int32_t node, const struct rr_addr *ip,
	 uint16_t port)
{
	size_t mask, i;
	if (!r->tabcap)
		return SIZE_MAX;
	mask = r->tabcap - 1;
	for (i = (size_t)key_hash(node, ip, port) & mask; r->tab[i];
	     i = (i + 1) & mask)
		if (key_eq(&r->keys[r->tab[i] - 1], node, ip, port))
			return r->tab[i] - 1;
	return SIZE_MAX;
}

static bool
same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

#define SAME_OPT(f) (x->f.set == y->f.set && (!x->f.set || x->f.v == y->f.v))

/* Whether two BGPPeers would render the same session (R16-R29). */
static bool
same_settings(const struct peer *a, const struct peer *b)
{
	const struct rr_bgppeer *x = a->bp, *y = b->bp;
	size_t i;
	if (a->as != b->as || a->kind != b->kind)
		return false;
	if (!SAME_OPT(ttl_security) || !SAME_OPT(max_restart_time) ||
	    !SAME_OPT(keepalive_time) || !SAME_OPT(local_as_number) ||
	    !SAME_OPT(num_allowed_local_as_numbers) ||
	    !SAME_OPT(keep_original_next_hop) ||
	    x->next_hop_mode != y->next_hop_mode ||
	    !same_str(x->source_address.v, y->source_address.v) ||
	    x->password.set != y->password.set ||
	    (x->password.set && (!same_str(x->password.name, y->password.name) ||
				 !same_str(x->password.key, y->password.key))) ||
	    x->nfilters != y->nfilters)
		return false;
	for (i = 0; i < x->nfilters; i++)
		if (strcmp(x->filters[i], y->filters[i]))
			return false;
	return true;
}

/* R13: the same key from two BGPPeers in the same pass, with different
 * settings: which one confd keeps depends on map order.  Recorded once
 * per pair of BGPPeers for lint. */
static void
conflict(struct rctx *r, const struct key *k, const struct peer *p)
{
	struct rr_model *m = r->m;
	struct rr_peer_conflict *c;
	size_t i;

	if (!k->p.bp || !p->bp || k->p.bp == p->bp ||
	    k->p.reverse != p->reverse || same_settings(&k->p, p))
		return;
	for (i = 0; i < m->npeer_conflicts; i++)
		if (m->peer_conflicts[i].kept == k->p.bp &&
		    m->peer_conflicts[i].lost == p->bp) {
			m->peer_conflicts[i].more++;
			return;
		}
	c = RR_PUSH(&m->arena, m->peer_conflicts, m->npeer_conflicts, m->cappc);
	c->kept = k->p.bp;
	c->lost = p->bp;
	c->node = k->node >= 0 ? r->nodes[k->node].name : NULL;
	c->peer = p->ip;
	c->port = p->port;
}

static void
tab_insert(struct rctx *r, size_t idx)
{
	const struct key *k = &r->keys[idx];
	size_t mask = r->tabcap - 1, i;
	for (i = (size_t)key_hash(k->node, &k->p.ip, k->p.port) & mask;
	     r->tab[i]; i = (i + 1) & mask)
		;
	r->tab[i] = idx + 1;
}

static void
tab_grow(struct rctx *r)
{
	size_t i;
	free(r->tab);
	r->tabcap = r->tabcap ? r->tabcap * 2 : 1024;
	r->tab = rr_xcalloc(r->tabcap, sizeof(*r->tab));
	for (i = 0; i < r->nkeys; i++)
		tab_insert(r, i);
}

static void
push_idx(size_t **v, size_t *n, size_t *cap, size_t x)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = rr_xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = x;
}

/* R11: a key already set is never overwritten; a Node key is skipped
 * when the Global key of the same IP and port exists. */
static void
emit(struct rctx *r, int32_t node, const struct peer *p)
{
	size_t idx;

	if (r->overflow)
		return;
	if ((idx = key_find(r, node, &p->ip, p->port)) != SIZE_MAX) {
		conflict(r, &r->keys[idx], p);
		return;
	}
	if (node >= 0 && key_find(r, -1, &p->ip, p->port) != SIZE_MAX)
		return;
	if (r->nkeys >= RES_MAX_KEYS) {
		r->overflow = true;
		rr_diag_add(r->d, RR_SEV_FATAL, NULL,
			    p->bp ? &p->bp->meta.loc : NULL,
			    "the BGPPeers expand to more than %u sessions: "
			    "too many to resolve",
			    RES_MAX_KEYS);
		return;
	}
	if (r->nkeys == r->capkeys) {
		r->capkeys = r->capkeys ? r->capkeys * 2 : 64;
		r->keys = rr_xrealloc(r->keys, r->capkeys * sizeof(*r->keys));
	}
	idx = r->nkeys++;
	r->keys[idx].node = node;
	r->keys[idx].p = *p;
	if (r->nkeys * 2 > r->tabcap)
		tab_grow(r);
	else
		tab_insert(r, idx);
	if (node < 0)
		push_idx(&r->global, &r->nglobal, &r->capglobal, idx);
	else
		push_idx(&r->nodes[node].keys, &r->nodes[node].nkeys,
			 &r->nodes[node].capkeys, idx);
}

/* ------------------------------------------------- peer expansion */

struct plist {
	struct peer *v;
	size_t n, cap;
};

static struct peer *
plist_add(struct plist *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = rr_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

/* The peerIP host as written (without :port / [ ]:port). */
static void
peer_host_text(const struct rr_bgppeer *bp, char *out, size_t cap)
{
	const char *s = bp->peer_ip_text.v, *e;
	size_t n;
	if (!s) {
		out[0] = '\0';
		return;
	}
	if (s[0] == '[' && (e = strchr(s, ']'))) {
		s++;
		n = (size_t)(e - s);
	} else if ((e = strchr(s, ':')) && !strchr(e + 1, ':')) {
		n = (size_t)(e - s);
	} else {
		n = strlen(s);
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* reachableBy (Calico's BGPPeer API, bgppeer.go): a gateway of the
 * other family drops the whole BGPPeer, as confd does. */
static bool
reachable_mismatch(const struct rr_bgppeer *bp, const struct rr_addr *ip)
{
	return bp->reachable_by.set && bp->reachable_by.v.af != ip->af;
}

/* nodeAsBGPPeers: node M as the remote, in the families asked. */
static void
node_as_peers(struct plist *out, const struct rnode *m, bool v4, bool v6,
	      const struct rr_bgppeer *bp, bool reverse)
{
	int f;
	for (f = 0; f < 2; f++) {
		struct peer *p;
		if (!m->ip[f].af || (f == FAM4 && !v4) || (f == FAM6 && !v6))
			continue;
		if (bp && reachable_mismatch(bp, &m->ip[f]))
			continue;
		p = plist_add(out);
		p->ip = m->ip[f];
		p->port = m->port;
		p->as = m->as;
		p->kind = PK_NODE;
		/* not flagged as a Calico node: only peerIP peers are (R10),
		 * so selector-derived Global_ peers are never passive (R22) */
		p->has_cluster = m->rr;
		p->cluster = m->cluster_id;
		p->reverse = reverse;
		p->bp = bp;
		p->remote = m;
	}
}

static bool
node_matches(const struct rnode *m, const struct rr_selector *sel)
{
	return rr_selector_eval(sel, &m->n->meta.labels);
}

/* R10: a peerIP peer. */
static void
peerip_peer(struct rctx *r, struct plist *out, const struct rr_bgppeer *bp)
{
	char host[RR_ADDR_STRLEN + 8];
	uint32_t want_as = bp->as_number.set && bp->as_number.v
				   ? bp->as_number.v
				   : r->global_as;
	struct peer *p;
	size_t i;

	if (!bp->peer_ip.af || reachable_mismatch(bp, &bp->peer_ip))
		return;
	peer_host_text(bp, host, sizeof(host));
	p = plist_add(out);
	p->ip = bp->peer_ip;
	p->port = bp->peer_port;
	p->as = bp->as_number.set ? bp->as_number.v : 0;
	p->kind = PK_PEERIP;
	p->bp = bp;
	for (i = 0; i < r->nn; i++) {
		const struct rnode *m = &r->nodes[i];
		bool v4 = m->ip[FAM4].af && !strcmp(m->txt[FAM4], host);
		bool v6 = m->ip[FAM6].af && !strcmp(m->txt[FAM6], host);
		if (!v4 && !v6)
			continue;
		p->calico_node = true;
		if (!bp->peer_port && !p->port && m->as == want_as)
			p->port = m->port;
	}
}

/* R15: the local workloads this BGPPeer selected, from calico-node's
 * endpoint status (the pod's addresses, the peer's AS). */
static void
workload_peers(struct rctx *r, struct plist *out, const struct rr_bgppeer *bp)
{
	const struct rr_calico *c = &r->m->calico;
	size_t i, j;
	for (i = 0; i < c->nworkloads; i++) {
		const struct rr_workload *w = &c->workloads[i];
		if (!w->bgp_peer || !bp->meta.name ||
		    strcmp(w->bgp_peer, bp->meta.name))
			continue;
		for (j = 0; j < w->nnets; j++) {
			struct peer *p = plist_add(out);
			p->ip = w->nets[j].addr;
			p->as = bp->as_number.set ? bp->as_number.v : 0;
			p->kind = PK_WORKLOAD;
			p->bp = bp;
		}
	}
}

static void
expand_forward(struct rctx *r, struct plist *out,
	       const struct rr_bgppeer *bp)
{
	size_t i;
	if (bp->peer_selector) {
		for (i = 0; i < r->nn; i++)
			if (node_matches(&r->nodes[i], bp->peer_selector))
				node_as_peers(out, &r->nodes[i], true, true, bp,
					      false);
	} else if (bp->local_workload_selector) {
		workload_peers(r, out, bp);
	} else if (bp->peer_ip_text.set) {
		peerip_peer(r, out, bp);
	}
}

/* The local side of a BGPPeer: nodeSelector matches, or [node]; NULL
 * with *all set when it applies to every node. */
static void
local_nodes(struct rctx *r, const struct rr_bgppeer *bp, size_t **v,
	    size_t *n, size_t *cap, bool *missing)
{
	size_t i;
	*missing = false;
	if (bp->node_selector) {
		for (i = 0; i < r->nn; i++)
			if (node_matches(&r->nodes[i], bp->node_selector))
				push_idx(v, n, cap, i);
	} else if (bp->node.set && bp->node.v) {
		struct rnode *rn = node_by_name(r, bp->node.v);
		if (rn)
			push_idx(v, n, cap, (size_t)(rn - r->nodes));
		else
			*missing = true;
	} else {
		for (i = 0; i < r->nn; i++)
			push_idx(v, n, cap, i);
	}
}

static bool
is_global(const struct rr_bgppeer *bp)
{
	return !bp->node_selector && !(bp->node.set && bp->node.v);
}

static bool
manual_reverse(const struct rr_bgppeer *bp)
{
	return bp->reverse_peering.set && bp->reverse_peering.v &&
	       !strcmp(bp->reverse_peering.v, "Manual");
}

/* R8, R9: the global pass, then the node pass. */
static void
forward_passes(struct rctx *r)
{
	const struct rr_calico *c = &r->m->calico;
	struct plist pl = {0};
	size_t *loc = NULL, nloc = 0, caploc = 0;
	int pass;
	size_t i, j, k;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < c->nbgppeers; i++) {
			const struct rr_bgppeer *bp = &c->bgppeers[i];
			bool missing;
			if (is_global(bp) != (pass == 0))
				continue;
			pl.n = 0;
			expand_forward(r, &pl, bp);
			if (!pl.n)
				continue;
			if (pass == 0) {
				for (k = 0; k < pl.n; k++)
					emit(r, -1, &pl.v[k]);
				continue;
			}
			nloc = 0;
			local_nodes(r, bp, &loc, &nloc, &caploc, &missing);
			for (j = 0; j < nloc; j++)
				for (k = 0; k < pl.n; k++)
					emit(r, (int32_t)loc[j], &pl.v[k]);
		}
	}
	free(pl.v);
	free(loc);
}

/* nodesWithIPPortAndAS (R10, R12). */
static void
nodes_with_ip(struct rctx *r, const struct rr_bgppeer *bp, size_t **v,
	      size_t *n, size_t *cap, int *fam)
{
	char host[RR_ADDR_STRLEN + 8];
	uint32_t want_as = bp->as_number.set && bp->as_number.v
				   ? bp->as_number.v
				   : r->global_as;
	size_t i;
	int f;

	*fam = -1;
	if (!bp->peer_ip.af)
		return;
	peer_host_text(bp, host, sizeof(host));
	for (i = 0; i < r->nn; i++) {
		const struct rnode *m = &r->nodes[i];
		for (f = 0; f < 2; f++) {
			if (!m->ip[f].af || strcmp(m->txt[f], host))
				continue;
			if (m->as != want_as)
				continue;
			if (bp->peer_port) {
				if (m->node_port && m->node_port != bp->peer_port)
					continue;
				if (r->global_port &&
				    r->global_port != bp->peer_port)
					continue;
			}
			*fam = f;
			push_idx(v, n, cap, i);
			break;
		}
	}
}

/* R12: automatic reverse peering. */
static void
reverse_pass(struct rctx *r)
{
	const struct rr_calico *c = &r->m->calico;
	struct plist pl = {0};
	size_t *rem = NULL, nrem = 0, caprem = 0;
	size_t *loc = NULL, nloc = 0, caploc = 0;
	size_t i, j, k;

	for (i = 0; i < c->nbgppeers; i++) {
		const struct rr_bgppeer *bp = &c->bgppeers[i];
		bool missing, v4 = true, v6 = true;
		int fam = -1;
		if (manual_reverse(bp) || bp->local_workload_selector)
			continue;
		nrem = 0;
		if (bp->peer_selector) {
			for (j = 0; j < r->nn; j++)
				if (node_matches(&r->nodes[j], bp->peer_selector))
					push_idx(&rem, &nrem, &caprem, j);
		} else if (bp->peer_ip_text.set) {
			nodes_with_ip(r, bp, &rem, &nrem, &caprem, &fam);
			v4 = fam == FAM4;
			v6 = fam == FAM6;
		}
		if (!nrem)
			continue;
		nloc = 0;
		local_nodes(r, bp, &loc, &nloc, &caploc, &missing);
		pl.n = 0;
		for (j = 0; j < nloc; j++)
			node_as_peers(&pl, &r->nodes[loc[j]], v4, v6, bp, true);
		for (j = 0; j < nrem; j++)
			for (k = 0; k < pl.n; k++)
				emit(r, (int32_t)rem[j], &pl.v[k]);
	}
	free(pl.v);
	free(rem);
	free(loc);
}

/* ------------------------------------------------ rendering a node */

static const char *
proto_name(struct rr_arena *a, const char *prefix, const struct rr_addr *ip,
	   uint16_t port)
{
	/* "<prefix>_<ip>" or "<prefix>_<ip>_port_<port>", '.' and ':' of
	 * the address as '_' (written out: a printf per session was a
	 * tenth of resolving 5,000 nodes) */
	char t[RR_ADDR_STRLEN + 16], *p, *out;
	size_t lp = strlen(prefix), lt;

	rr_addr_str(ip, t);
	for (p = t; *p; p++)
		if (*p == '.' || *p == ':')
			*p = '_';
	if (port) {
		char d[8];
		size_t k = sizeof(d);
		unsigned v = port;
		do
			d[--k] = (char)('0' + v % 10);
		while ((v /= 10) != 0);
		memcpy(p, "_port_", 6);
		memcpy(p + 6, d + k, sizeof(d) - k);
		p += 6 + sizeof(d) - k;
		*p = '\0';
	}
	lt = (size_t)(p - t);
	out = rr_arena_alloc(a, lp + 1 + lt + 1);
	memcpy(out, prefix, lp);
	out[lp] = '_';
	memcpy(out + lp + 1, t, lt + 1);
	return out;
}

static void
set_password(struct rctx *r, struct rr_neighbor *nb,
	     const struct rr_secret_ref *ref)
{
	const char *v;
	if (!ref->set)
		return;
	v = find_secret(&r->m->calico, ref);
	if (!v) {
		/* R26: a missing Secret or key omits the line silently. */
		nb->password_unresolved = true;
		return;
	}
	nb->password = (struct rr_opt_bool){.set = true, .at = ref->at,
					    .v = true};
	nb->password_hash = rr_hash64(v, strlen(v));
}

static void
copy_filters(struct rctx *r, struct rr_neighbor *nb,
	     const struct rr_bgppeer *bp)
{
	size_t i, j;
	if (!bp->nfilters)
		return;
	nb->filters = rr_arena_calloc(&r->m->arena, bp->nfilters,
				      sizeof(*nb->filters));
	for (i = 0; i < bp->nfilters; i++)
		for (j = 0; j < r->m->calico.nbgpfilters; j++)
			if (r->m->calico.bgpfilters[j].meta.name &&
			    !strcmp(r->m->calico.bgpfilters[j].meta.name,
				    bp->filters[i])) {
				/* a missing BGPFilter is skipped (confd bgp_processor.go) */
				nb->filters[nb->nfilters++] = bp->filters[i];
				break;
			}
}

static void
fill_from_key(struct rctx *r, const struct rnode *n, int f,
	      const struct key *k, struct rr_neighbor *nb)
{
	const struct peer *p = &k->p;
	const struct rr_bgppeer *bp = p->bp;
	uint32_t local;

	nb->scope = p->kind == PK_WORKLOAD ? RR_SCOPE_LOCAL_WORKLOAD
		    : k->node < 0	   ? RR_SCOPE_GLOBAL
					   : RR_SCOPE_NODE;
	nb->name = proto_name(&r->m->arena,
			      nb->scope == RR_SCOPE_GLOBAL  ? "Global"
			      : nb->scope == RR_SCOPE_NODE ? "Node"
							   : "Local_Workload",
			      &p->ip, p->port);
	nb->peer = p->ip;
	nb->port = p->port;
	nb->family = f == FAM4 ? RR_AF_INET : RR_AF_INET6;
	nb->bgppeer = bp;
	nb->remote_node = p->remote ? p->remote->name : NULL;
	nb->loc = bp->meta.loc;
	if (p->kind == PK_PEERIP && bp->peer_ip_text.set)
		nb->loc = bp->peer_ip_text.at;
	else if (!p->reverse && bp->peer_selector_text.set)
		nb->loc = bp->peer_selector_text.at;
	nb->remote_as = (struct rr_opt_u32){
		.set = true,
		.v = p->as,
		.at = p->kind == PK_NODE
			      ? (p->remote->n->as_number.set
					 ? p->remote->n->as_number.at
					 : nb->loc)
			      : (bp->as_number.set ? bp->as_number.at : nb->loc),
	};
	/* R16: localASNumber, for peerIP and local workload peers only */
	if (p->kind != PK_NODE && bp->local_as_number.set &&
	    bp->local_as_number.v)
		rr_nb_rare_set(&r->m->arena, nb)->local_as =
		        bp->local_as_number;
	local = rr_nb_rare(nb)->local_as.set ? rr_nb_rare(nb)->local_as.v
	                                     : n->as;
	/* R18 */
	if (p->kind != PK_WORKLOAD &&
	    !(bp->source_address.set && bp->source_address.v &&
	      !strcmp(bp->source_address.v, "None")))
		nb->source_address = (struct rr_opt_addr){
			.set = true, .at = n->n->meta.loc, .v = n->ip[f]};
	/* R19 */
	if (bp->ttl_security.set && bp->ttl_security.v > 0) {
		nb->ttl_security = bp->ttl_security;
		nb->ebgp_multihop = bp->ttl_security;
	} else {
		nb->ebgp_multihop = (struct rr_opt_u32){.set = true,
							.v = RES_BIRD_MULTIHOP};
	}
	/* R22 */
	nb->passive = p->kind == PK_WORKLOAD ||
		      (nb->scope == RR_SCOPE_GLOBAL && p->calico_node &&
		       strcmp(rr_addr_str(&p->ip, (char[RR_ADDR_STRLEN]){0}),
			      n->txt[f]) > 0);
	/* R23, R24 */
	if (bp->max_restart_time.set)
		nb->graceful_restart = bp->max_restart_time;
	if (bp->keepalive_time.set)
		nb->keepalive = bp->keepalive_time;
	/* R25 */
	if (n->rr && p->as == local &&
	    (!p->has_cluster || p->cluster != n->cluster_id)) {
		nb->rr_client = (struct rr_opt_bool){
			.set = true, .v = true,
			.at = n->n->route_reflector_cluster_id.at};
		rr_nb_rare_set(&r->m->arena, nb)->rr_cluster_id =
		        (struct rr_opt_u32){
		                .set = true,
		                .v = n->cluster_id,
		                .at = n->n->route_reflector_cluster_id.at};
	}
	/* R26 */
	set_password(r, nb, &bp->password);
	/* R27, R28 */
	if (bp->next_hop_mode_text.set)
		nb->next_hop = bp->next_hop_mode;
	else if (bp->keep_original_next_hop.set &&
		 bp->keep_original_next_hop.v && p->as != local)
		nb->next_hop = RR_NH_KEEP;
	/* R29 */
	if (p->kind == PK_PEERIP && bp->num_allowed_local_as_numbers.set &&
	    bp->num_allowed_local_as_numbers.v > 0)
		rr_nb_rare_set(&r->m->arena, nb)->allow_local_as =
		        bp->num_allowed_local_as_numbers;
	copy_filters(r, nb, bp);
	nb->export_internal = p->as == local; /* R21 */
	if (p->kind != PK_WORKLOAD && bp->reachable_by.set)
		rr_nb_rare_set(&r->m->arena, nb)->reachable_by =
		        bp->reachable_by;
}

/* R7: a mesh session from n to m. */
static void
fill_mesh(struct rctx *r, const struct rnode *n, const struct rnode *mm,
	  int f, struct rr_neighbor *nb)
{
	const struct rr_bgpconfig *def = r->def;
	nb->scope = RR_SCOPE_MESH;
	nb->name = proto_name(&r->m->arena, "Mesh", &mm->ip[f], 0);
	nb->peer = mm->ip[f];
	nb->port = mm->port;
	nb->family = f == FAM4 ? RR_AF_INET : RR_AF_INET6;
	nb->remote_node = mm->name;
	nb->loc = def && def->node_to_node_mesh_enabled.set
			  ? def->node_to_node_mesh_enabled.at
			  : mm->n->meta.loc;
	nb->remote_as = (struct rr_opt_u32){
		.set = true,
		/* M's own AS, else N's effective AS (not the global one) */
		.v = mm->n->as_number.set ? mm->n->as_number.v : n->as,
		.at = mm->n->as_number.set ? mm->n->as_number.at : nb->loc,
	};
	nb->source_address = (struct rr_opt_addr){
		.set = true, .at = n->n->meta.loc, .v = n->ip[f]};
	nb->ebgp_multihop = (struct rr_opt_u32){.set = true,
						.v = RES_BIRD_MULTIHOP};
	nb->passive = strcmp(mm->txt[f], n->txt[f]) > 0;
	if (def && def->node_mesh_max_restart_time.set)
		nb->graceful_restart = def->node_mesh_max_restart_time;
	if (def)
		set_password(r, nb, &def->node_mesh_password);
	nb->export_internal = nb->remote_as.v == n->as;
}

static int
cmp_nb(const void *a, const void *b)
{
	const struct rr_neighbor *x = a, *y = b;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return strcmp(x->name, y->name);
}

static size_t
mesh_nodes(const struct rctx *r, int f)
{
	size_t i, k = 0;
	for (i = 0; i < r->nn; i++)
		if (r->nodes[i].ip[f].af && !r->nodes[i].rr)
			k++;
	return k;
}

static void
render_node(struct rctx *r, struct rnode *n, bool mesh[2])
{
	struct rr_neighbor *v = NULL;
	size_t nv = 0, cap = 0, i, j;
	int f;

	for (f = 0; f < 2; f++) {
		if (!n->ip[f].af)
			continue; /* R3 */
		for (j = 0; j < 2; j++) {
			const size_t *ks = j ? n->keys : r->global;
			size_t nk = j ? n->nkeys : r->nglobal;
			for (i = 0; i < nk; i++) {
				const struct key *k = &r->keys[ks[i]];
				if (fam_of(&k->p.ip) != f ||
				    rr_addr_eq(&k->p.ip, &n->ip[f]))
					continue; /* R14 */
				if (nv == cap) {
					cap = cap ? cap * 2 : 8;
					v = rr_xrealloc(v, cap * sizeof(*v));
				}
				memset(&v[nv], 0, sizeof(v[nv]));
				fill_from_key(r, n, f, k, &v[nv++]);
			}
		}
		if (!mesh[f] || n->rr)
			continue;
		for (i = 0; i < r->nn; i++) {
			const struct rnode *mm = &r->nodes[i];
			if (mm == n || !mm->ip[f].af || mm->rr ||
			    rr_addr_eq(&mm->ip[f], &n->ip[f]))
				continue;
			if (nv == cap) {
				cap = cap ? cap * 2 : 8;
				v = rr_xrealloc(v, cap * sizeof(*v));
			}
			memset(&v[nv], 0, sizeof(v[nv]));
			fill_mesh(r, n, mm, f, &v[nv++]);
		}
	}
	if (nv)
		qsort(v, nv, sizeof(*v), cmp_nb); /* R14 */
	n->spk->neighbors =
		rr_arena_calloc(&r->m->arena, nv ? nv : 1, sizeof(*v));
	if (nv)
		memcpy(n->spk->neighbors, v, nv * sizeof(*v));
	n->spk->nneighbors = n->spk->capnb = nv;
	free(v);
}

/* ------------------------------------------------- node speakers */

static void
set_router_id(struct rctx *r, struct rnode *n)
{
	const char *env = r->o ? r->o->router_id_env : NULL;
	struct rr_speaker *s = n->spk;
	if (!env)
		env = r->m->calico.router_id_env;
	if (env && !strcmp(env, "hash")) {
		s->router_id = (struct rr_opt_addr){
			.set = true, .v = resolve_router_id_hash(n->name),
			.via = "CALICO_ROUTER_ID=hash"};
	} else if (env && *env) {
		struct rr_addr a;
		if (rr_addr_parse(env, &a) == 0 && a.af == RR_AF_INET)
			s->router_id = (struct rr_opt_addr){
				.set = true, .v = a, .via = "CALICO_ROUTER_ID"};
		else
			rr_diag_add(r->d, RR_SEV_WARNING, NULL, &n->n->meta.loc,
				    "CALICO_ROUTER_ID '%s' is not an IPv4 "
				    "address: node '%s' has no router id",
				    env, n->name);
	} else if (n->ip[FAM4].af) {
		s->router_id = (struct rr_opt_addr){
			.set = true, .v = n->ip[FAM4],
			.at = n->n->ipv4_address_text.at, .via = NULL};
	}
}

static void
make_speaker(struct rctx *r, struct rnode *n)
{
	struct rr_model *m = r->m;
	struct rr_speaker *s = rr_model_add_speaker(m, RR_SPK_CALICO, n->name);
	const struct rr_node *node = n->n;
	int f;

	n->spk = s;
	s->node = node;
	s->loc = node->meta.loc;
	s->file = node->meta.loc.file;
	s->labels = node->meta.labels;
	s->asn = (struct rr_opt_u32){.set = true, .v = n->as};
	if (node->as_number.set) {
		s->asn.at = node->as_number.at;
	} else if (r->def && r->def->as_number.set) {
		s->asn.at = r->def->as_number.at;
		s->asn.via = "BGPConfiguration default";
	} else {
		s->asn.via = "Calico default";
	}
	set_router_id(r, n);
	if (n->rr) {
		s->cluster_id = (struct rr_opt_u32){
			.set = true, .v = n->cluster_id,
			.at = node->route_reflector_cluster_id.at};
		s->cluster_id_text = node->route_reflector_cluster_id_text.v;
	}
	if (n->port)
		s->listen_port = (struct rr_opt_u32){.set = true, .v = n->port};
	s->bind_node_ip = r->def && r->def->bind_mode.set &&
			  r->def->bind_mode.v &&
			  !strcmp(r->def->bind_mode.v, "NodeIP");
	for (f = 0; f < 2; f++) {
		struct rr_iface_addr *ia;
		if (!n->ip[f].af)
			continue;
		ia = RR_PUSH(&m->arena, s->addrs, s->naddrs, s->capaddr);
		ia->p = f == FAM4 ? node->ipv4_address : node->ipv6_address;
		ia->at = f == FAM4 ? node->ipv4_address_text.at
				   : node->ipv6_address_text.at;
		s->bgp_configured = true;
	}
}

/* ----------------------------------------------------- originates */

static bool
affinity_confirmed(const struct rr_block_affinity *ba)
{
	if (ba->deleted.set && ba->deleted.v)
		return false;
	return !ba->state.set || !ba->state.v || !*ba->state.v ||
	       !strcmp(ba->state.v, "confirmed");
}

static int
cmp_origin(const void *a, const void *b)
{
	return rr_prefix_cmp(&((const struct rr_origin *)a)->p,
			     &((const struct rr_origin *)b)->p);
}

/* Blocks a node would get from its pools when no affinity is given:
 * node k (in name order) of the nodes a pool serves takes block k. */
static void
assume_blocks(struct rctx *r)
{
	const struct rr_calico *c = &r->m->calico;
	size_t i, j;
	for (i = 0; i < c->nippools; i++) {
		const struct rr_ippool *pl = &c->ippools[i];
		unsigned bits = pl->cidr.addr.af == RR_AF_INET6 ? 128 : 32;
		unsigned bs = pl->block_size.set
				      ? pl->block_size.v
				      : (bits == 32 ? 26u : 122u);
		uint64_t k = 0;
		if (!pl->cidr.addr.af || (pl->disabled.set && pl->disabled.v) ||
		    bs < pl->cidr.len || bs > bits)
			continue;
		for (j = 0; j < r->nn; j++) {
			struct rnode *n = &r->nodes[r->byname[j]];
			struct rr_speaker *s = n->spk;
			struct rr_origin *o;
			struct rr_prefix p;
			unsigned shift = bits - bs, bit;
			uint64_t idx = k;
			if (s->noriginates && !s->originates[0].assumed)
				continue; /* has confirmed blocks */
			if (!n->ip[bits == 32 ? FAM4 : FAM6].af)
				continue;
			if (pl->node_selector &&
			    !node_matches(n, pl->node_selector))
				continue;
			if (bs - pl->cidr.len < 64 &&
			    k >= (UINT64_C(1) << (bs - pl->cidr.len)))
				break; /* pool exhausted */
			k++;
			p = rr_prefix_masked(&pl->cidr);
			p.len = (uint8_t)bs;
			/* add idx << shift to the address */
			for (bit = shift; idx && bit < bits; bit++, idx >>= 1)
				if (idx & 1)
					p.addr.b[(bits - 1 - bit) / 8] |=
						(uint8_t)(1u << (bit % 8));
			o = RR_PUSH(&r->m->arena, s->originates,
				    s->noriginates, s->capo);
			o->p = p;
			o->at = pl->cidr_text.at;
			o->assumed = true;
		}
	}
}

static void
originates(struct rctx *r)
{
	const struct rr_calico *c = &r->m->calico;
	size_t i, without = 0;
	const struct rnode *first = NULL;

	for (i = 0; i < c->naffinities; i++) {
		const struct rr_block_affinity *ba = &c->affinities[i];
		struct rnode *n;
		struct rr_origin *o;
		if (!affinity_confirmed(ba) || !ba->node.v || !ba->cidr.addr.af)
			continue;
		n = node_by_name(r, ba->node.v);
		if (!n)
			continue;
		o = RR_PUSH(&r->m->arena, n->spk->originates,
			    n->spk->noriginates, n->spk->capo);
		o->p = rr_prefix_masked(&ba->cidr);
		o->at = ba->cidr_at;
		o->implicit = !ba->state.set || !ba->state.v || !*ba->state.v;
	}
	if (r->o && r->o->assume_blocks)
		assume_blocks(r);
	for (i = 0; i < r->nn; i++) {
		struct rr_speaker *s = r->nodes[i].spk;
		if (s->noriginates > 1)
			qsort(s->originates, s->noriginates,
			      sizeof(*s->originates), cmp_origin);
		if (!s->noriginates && s->bgp_configured) {
			if (!first)
				first = &r->nodes[i];
			without++;
		}
	}
	if (!without)
		return;
	if (without == 1)
		rr_diag_add(r->d, RR_SEV_NOTE, NULL, &first->n->meta.loc,
			    "node '%s' has no confirmed BlockAffinity: it "
			    "originates no pod block (give its "
			    "BlockAffinities, or assume blocks from the "
			    "IPPools)",
			    first->name);
	else
		rr_diag_add(r->d, RR_SEV_NOTE, NULL, &first->n->meta.loc,
			    "%zu nodes (first '%s') have no confirmed "
			    "BlockAffinity: they originate no pod block (give "
			    "their BlockAffinities, or assume blocks from the "
			    "IPPools)",
			    without, first->name);
}

/* ------------------------------------------- reachableBy routes */

struct proute {
	char key[RR_ADDR_STRLEN + 8]; /* confd's peer key: ip or ip-port */
	const struct key *k;
};

static int
cmp_proute(const void *a, const void *b)
{
	return strcmp(((const struct proute *)a)->key,
		      ((const struct proute *)b)->key);
}

/* One family of one scope, in confd's key order (bird_aggr.cfg ranges
 * over the peer_v4 keys of `gets`). */
static void
push_proutes(struct rctx *r, struct rnode *n, const size_t *ks, size_t nk,
	     int f, bool global)
{
	struct proute *v = rr_xcalloc(nk ? nk : 1, sizeof(*v));
	size_t i, nv = 0;
	for (i = 0; i < nk; i++) {
		const struct key *k = &r->keys[ks[i]];
		char a[RR_ADDR_STRLEN];
		if (fam_of(&k->p.ip) != f || !k->p.bp ||
		    k->p.kind == PK_WORKLOAD || !k->p.bp->reachable_by.set)
			continue;
		rr_addr_str(&k->p.ip, a);
		if (key_port(k->p.port))
			snprintf(v[nv].key, sizeof(v[nv].key), "%s-%u", a,
				 k->p.port);
		else
			snprintf(v[nv].key, sizeof(v[nv].key), "%s", a);
		v[nv++].k = k;
	}
	qsort(v, nv, sizeof(*v), cmp_proute);
	for (i = 0; i < nv; i++) {
		const struct rr_bgppeer *bp = v[i].k->p.bp;
		struct rr_peer_route *pr =
			RR_PUSH(&r->m->arena, n->spk->peer_routes,
				n->spk->npeer_routes, n->spk->cappr);
		pr->p.addr = v[i].k->p.ip;
		pr->p.len = f == FAM4 ? 32 : 128;
		pr->via = bp->reachable_by.v;
		pr->global = global;
		pr->bgppeer = bp;
		pr->at = bp->reachable_by.at;
	}
	free(v);
}

/* bird_aggr.cfg: `route <peer>/32 via <reachableBy>;` for every global
 * peering key and every key of this node, the node's own address
 * included (the template does not skip it). */
static void
peer_routes(struct rctx *r)
{
	size_t i;
	int f;
	for (i = 0; i < r->nn; i++)
		for (f = 0; f < 2; f++) {
			push_proutes(r, &r->nodes[i], r->global, r->nglobal, f,
				     true);
			push_proutes(r, &r->nodes[i], r->nodes[i].keys,
				     r->nodes[i].nkeys, f, false);
		}
}

/* BGPPeer filters naming no BGPFilter: confd skips them silently. */
static void
missing_filters(struct rctx *r)
{
	struct rr_model *m = r->m;
	const struct rr_calico *c = &m->calico;
	size_t i, j, k;
	for (i = 0; i < c->nbgppeers; i++) {
		const struct rr_bgppeer *bp = &c->bgppeers[i];
		for (j = 0; j < bp->nfilters; j++) {
			struct rr_missing_filter *mf;
			for (k = 0; k < c->nbgpfilters; k++)
				if (c->bgpfilters[k].meta.name &&
				    !strcmp(c->bgpfilters[k].meta.name,
					    bp->filters[j]))
					break;
			if (k < c->nbgpfilters)
				continue;
			mf = RR_PUSH(&m->arena, m->missing_filters,
				     m->nmissing_filters, m->capmf);
			mf->bgppeer = bp;
			mf->name = bp->filters[j];
			mf->at = bp->filters_at ? bp->filters_at[j]
						: bp->meta.loc;
		}
	}
}

/* ---------------------------------------- IOS router addresses */

static void
add_router_addr(struct rr_model *m, struct rr_speaker *s,
		const struct rr_addr *a)
{
	struct rr_iface_addr *ia =
		RR_PUSH(&m->arena, s->addrs, s->naddrs, s->capaddr);
	ia->p.addr = *a;
	ia->p.len = a->af == RR_AF_INET6 ? 128 : 32;
	ia->at = s->loc;
	s->addrs_inferred = true;
}

/* A router config without interfaces: its address is the peerIP of the
 * BGPPeers whose nodes it lists as neighbors, when one address wins. */
static void
infer_router_addr(struct rctx *r, struct rr_speaker *s)
{
	const struct rr_calico *c = &r->m->calico;
	size_t i, j, best = SIZE_MAX, bestn = 0, ties = 0;
	size_t *score = rr_xcalloc(c->nbgppeers ? c->nbgppeers : 1,
				   sizeof(*score));
	char buf[RR_ADDR_STRLEN];

	for (i = 0; i < c->nbgppeers; i++) {
		const struct rr_bgppeer *bp = &c->bgppeers[i];
		size_t k;
		if (!bp->peer_ip.af || rr_model_owner(r->m, &bp->peer_ip))
			continue;
		for (k = 0; k < i; k++)
			if (rr_addr_eq(&c->bgppeers[k].peer_ip, &bp->peer_ip))
				break;
		if (k < i)
			continue; /* counted with the first */
		for (j = 0; j < s->nneighbors; j++) {
			const struct rr_speaker *o =
				rr_model_owner(r->m, &s->neighbors[j].peer);
			size_t q;
			if (!o || o->kind != RR_SPK_CALICO)
				continue;
			for (q = 0; q < o->nneighbors; q++)
				if (rr_addr_eq(&o->neighbors[q].peer,
					       &bp->peer_ip)) {
					score[i]++;
					break;
				}
		}
		if (s->router_id.set && !s->router_id.via &&
		    rr_addr_eq(&s->router_id.v, &bp->peer_ip))
			score[i] += s->nneighbors + 1;
	}
	for (i = 0; i < c->nbgppeers; i++) {
		if (!score[i])
			continue;
		if (score[i] > bestn) {
			best = i, bestn = score[i], ties = 0;
		} else if (score[i] == bestn) {
			ties++;
		}
	}
	free(score);
	if (best == SIZE_MAX)
		return;
	if (ties) {
		rr_diag_add(r->d, RR_SEV_NOTE, NULL, &s->loc,
			    "router '%s' has no interface addresses and "
			    "several BGPPeer addresses fit it: give "
			    "--address %s=IP",
			    s->name, s->name);
		return;
	}
	add_router_addr(r->m, s, &c->bgppeers[best].peer_ip);
	rr_diag_add(r->d, RR_SEV_NOTE, NULL, &s->loc,
		    "router '%s' has no interface addresses: taking %s, the "
		    "BGPPeer address %zu of its neighbors peer with (give "
		    "--address %s=IP to set it)",
		    s->name, rr_addr_str(&c->bgppeers[best].peer_ip, buf), bestn,
		    s->name);
}

static void
router_addresses(struct rctx *r, size_t nios)
{
	size_t i, j;
	const struct resolve_opts *o = r->o;

	for (j = 0; o && j < o->naddr_hints; j++) {
		bool found = false;
		for (i = 0; i < nios; i++) {
			struct rr_speaker *s = r->m->speakers[i];
			if (s->name && !strcmp(s->name, o->addr_hints[j].speaker)) {
				add_router_addr(r->m, s, &o->addr_hints[j].addr);
				found = true;
			}
		}
		if (!found)
			rr_diag_add(r->d, RR_SEV_FATAL, NULL, NULL,
				    "--address names '%s', but no router "
				    "config has that hostname",
				    o->addr_hints[j].speaker);
	}
	for (i = 0; i < nios; i++) {
		struct rr_speaker *s = r->m->speakers[i];
		if (s->kind == RR_SPK_IOS && !s->naddrs)
			infer_router_addr(r, s);
	}
}

/* ------------------------------------------------------- entry */

static void
mesh_plan(struct rctx *r, bool mesh[2])
{
	size_t cap = r->o && r->o->max_mesh_nodes ? r->o->max_mesh_nodes
						  : RES_MESH_NODES;
	int f;
	mesh[0] = mesh[1] = false;
	if (!r->mesh)
		return;
	for (f = 0; f < 2; f++) {
		uint64_t k = mesh_nodes(r, f);
		r->m->mesh_sessions += k * (k ? k - 1 : 0) / 2;
		mesh[f] = k <= cap;
		if (!mesh[f]) {
			r->m->mesh_elided = true;
			rr_diag_add(r->d, RR_SEV_WARNING, NULL,
				    r->def && r->def->node_to_node_mesh_enabled.set
					    ? &r->def->node_to_node_mesh_enabled.at
					    : NULL,
				    "the node-to-node mesh of %llu %s nodes is "
				    "%llu sessions: too many to hold, left out "
				    "of the model (at most %zu nodes)",
				    (unsigned long long)k,
				    f == FAM4 ? "IPv4" : "IPv6",
				    (unsigned long long)(k * (k - 1) / 2), cap);
		}
	}
}

int
resolve_calico(struct rr_model *m, const struct resolve_opts *o,
	      struct rr_diags *d)
{
	struct rctx r = {0};
	const struct rr_calico *c = &m->calico;
	size_t i, nios = m->nspeakers;
	bool mesh[2];

	if (m->resolved)
		return 0;
	r.m = m, r.d = d, r.o = o;
	r.def = rr_calico_config(c, "default");
	r.global_as = r.def && r.def->as_number.set ? r.def->as_number.v
						    : RES_DEFAULT_AS;
	r.global_port = r.def && r.def->listen_port.set
				? (uint16_t)r.def->listen_port.v
				: 0;
	/* R7: on when true or unset, or without a BGPConfiguration */
	r.mesh = !(r.def && r.def->node_to_node_mesh_enabled.set &&
		   !r.def->node_to_node_mesh_enabled.v);
	r.nn = c->nnodes;
	r.nodes = rr_xcalloc(r.nn ? r.nn : 1, sizeof(*r.nodes));
	r.byname = rr_xcalloc(r.nn ? r.nn : 1, sizeof(*r.byname));
	for (i = 0; i < r.nn; i++) {
		node_init(&r, &r.nodes[i], &c->nodes[i]);
		r.byname[i] = i;
	}
	sort_ctx(r.byname, r.nn, cmp_byname, &r);
	for (i = 0; i < r.nn; i++)
		make_speaker(&r, &r.nodes[r.byname[i]]);

	forward_passes(&r);
	reverse_pass(&r);
	if (!r.overflow) {
		mesh_plan(&r, mesh);
		for (i = 0; i < r.nn; i++)
			render_node(&r, &r.nodes[i], mesh);
		originates(&r);
		peer_routes(&r);
		missing_filters(&r);
		resolve_advertise(m, d);
		router_addresses(&r, nios);
	}

	for (i = 0; i < r.nn; i++)
		free(r.nodes[i].keys);
	free(r.nodes);
	free(r.byname);
	free(r.keys);
	free(r.global);
	free(r.tab);
	m->resolved = true;
	return r.overflow || rr_diags_has_fatal(d) ? -1 : 0;
}
