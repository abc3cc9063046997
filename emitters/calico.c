/*
 * emitters/calico.c: the Calico side of the router configs, as one
 * multi-document projectcalico.org/v3 stream written with libyaml's
 * emitter: BGPConfiguration `default` (asNumber, nodeToNodeMeshEnabled:
 * false) and one BGPPeer per router address and set of session settings
 * (Calico's BGPConfiguration and BGPPeer API, confd's bird.cfg.template).
 *
 * Which nodes a BGPPeer selects: every node (a global peer) when the
 * router serves all nodes with an address of that family, or when rrkit
 * was given no Node resources (it cannot tell which addresses are nodes;
 * then the route-reflector clients are taken to be the nodes); else the
 * nodes by `kubernetes.io/hostname in {...}`, or one BGPPeer per node
 * when the hostname labels cannot tell them apart.  Manifests given with
 * the router are merged: an existing BGPPeer toward the same router
 * address keeps its name and every field rrkit does not decide (and its
 * selector when it selects the same nodes); other BGPConfigurations and
 * BGPPeers are printed back canonically.  Passwords become a secretKeyRef
 * to a Secret the user creates; no secret is ever printed.  libyaml
 * writes no comments, so comment lines are put between the documents
 * after the emitter is flushed.
 */
#include "emitters/emitters.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define HOSTNAME_LABEL "kubernetes.io/hostname"
#define MAX_LISTED     5

struct out {
	char *p;
	size_t n, cap;
};

struct gpeer {
	const char *name;
	const struct rr_bgppeer *base; /* reused, or NULL */
	const char *node;              /* spec.node */
	const char *selector;          /* spec.nodeSelector, NULL: global */
	const char *peer_ip;
	uint32_t asn;
	const char *secret_name, *secret_key; /* password, NULL: none */
	uint32_t ttl;
	const char **comments;
	size_t ncomments, capc;
};

/* Router neighbors that share every setting a BGPPeer carries. */
struct group {
	const struct rr_speaker *r;
	uint8_t family;
	uint32_t asn; /* the AS the nodes dial */
	bool password;
	uint64_t hash;
	uint32_t ttl;
	/* IOS `update-source`: the address the router takes the sessions
	 * on (and opens them from); af 0: none */
	struct rr_addr src;
	const struct rr_neighbor **nbs;
	size_t nnbs, capn;
	const struct rr_speaker **nodes;
	size_t nnodes, capnodes;
};

struct cctx {
	const struct rr_model *m;
	struct rr_diags *d;
	struct rr_arena a;
	yaml_emitter_t e;
	struct out o;
	bool failed;
	bool nodes_known;
	struct gpeer *peers;
	size_t npeers, capp;
	struct group *groups;
	size_t ngroups, capg;
	uint32_t cluster_as;
	bool have_cluster_as;
	const struct rr_speaker *as_from;
};

/* ------------------------------------------------------------ output */

static int
write_out(void *data, unsigned char *buf, size_t size)
{
	struct out *o = data;
	if (o->n + size + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		while (cap < o->n + size + 1)
			cap *= 2;
		o->p = rr_xrealloc(o->p, cap);
		o->cap = cap;
	}
	memcpy(o->p + o->n, buf, size);
	o->n += size;
	o->p[o->n] = '\0';
	return 1;
}

static void
emit_ev(struct cctx *c, yaml_event_t *ev)
{
	if (c->failed) {
		yaml_event_delete(ev);
		return;
	}
	if (!yaml_emitter_emit(&c->e, ev)) {
		rr_diag_add(c->d, RR_SEV_ERROR, NULL, NULL,
		            "cannot write YAML: %s",
		            c->e.problem ? c->e.problem : "libyaml error");
		c->failed = true;
	}
}

/* Whether the UTF-8 character at s (k bytes) is one YAML lets a stream
 * hold (YAML 1.1 §5.1 "c-printable": tab, 0x20-0x7E, U+0085, U+00A0-
 * U+D7FF, U+E000-U+FFFD but the byte order mark, U+10000 up) and that
 * keeps a comment on its line (§5.4: LF, CR, U+0085, U+2028, U+2029 end
 * it). */
static bool
comment_char(const unsigned char *s, size_t k)
{
	if (k == 1)
		return s[0] == '\t' || (s[0] >= 0x20 && s[0] < 0x7f);
	if (k == 2) /* not C1 controls, nor U+0085 (a YAML line break) */
		return s[0] > 0xc2 || s[1] >= 0xa0;
	if (k == 3) /* nor U+2028, U+2029 (line breaks too) */
		return !(s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) &&
		       !(s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe) &&
		       !(s[0] == 0xe2 && s[1] == 0x80 &&
		         (s[2] == 0xa8 || s[2] == 0xa9));
	return true;
}

/* Comment lines, written between documents (libyaml writes none).  The
 * text (names, file names) is made UTF-8 (rr_utf8) and kept on its line:
 * a character YAML does not print becomes '?', so no name can end the
 * comment, write YAML or make the stream unreadable. */
static void
comment(struct cctx *c, const char *text)
{
	unsigned char hash[] = "# ";
	const char *u;
	char *t;
	size_t i, o = 0, k;

	if (c->failed)
		return;
	u = rr_utf8(&c->a, text);
	t = rr_arena_alloc(&c->a, strlen(u) + 1);
	for (i = 0; u[i]; i += k) {
		k = rr_utf8_len(u + i);
		if (comment_char((const unsigned char *)u + i, k)) {
			memcpy(t + o, u + i, k);
			o += k;
		} else {
			t[o++] = '?';
		}
	}
	yaml_emitter_flush(&c->e);
	write_out(&c->o, hash, 2);
	write_out(&c->o, (unsigned char *)t, o);
	write_out(&c->o, (unsigned char *)(uintptr_t) "\n", 1);
}

/* YAML 1.1 base 60: [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)? */
static bool
sexagesimal(const char *s)
{
	size_t groups = 0;
	if (*s == '-' || *s == '+')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s) || *s == '_')
		s++;
	while (*s == ':') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		if (isdigit((unsigned char)s[1])) {
			if (*s > '5')
				return false;
			s++;
		}
		s++;
		groups++;
	}
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s) || *s == '_'; s++)
			;
	return groups && !*s;
}

/* Whether a plain scalar would read back as something else than a string
 * under YAML 1.1 (null, bool, int, float, sexagesimal). */
static bool
needs_quotes(const char *s)
{
	static const char *const words[] = {
	        "",     "~",    "null",  "Null",  "NULL",  "y",     "Y",
	        "yes",  "Yes",  "YES",   "n",     "N",     "no",    "No",
	        "NO",   "true", "True",  "TRUE",  "false", "False", "FALSE",
	        "on",   "On",   "ON",    "off",   "Off",   "OFF",   ".inf",
	        ".Inf", ".INF", "-.inf", "+.inf", ".nan",  ".NaN",  ".NAN",
	        "<<",   "="};
	size_t i;
	char *end;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(s, words[i]))
			return true;
	if (strchr("-+.0123456789", s[0])) {
		(void)strtod(s, &end);
		if (!*end)
			return true;
		if (s[0] == '0' &&
		    strspn(s + 1, "xXoObB0123456789abcdefABCDEF_") ==
		            strlen(s + 1))
			return true;
		if (strspn(s, "+-0123456789_") == strlen(s))
			return true;
		if (sexagesimal(s))
			return true;
	}
	return false;
}

/* A scalar; libyaml takes UTF-8 only (a Latin-1 byte from an IOS config is
 * read as Latin-1: rr_utf8). */
static void
scalar(struct cctx *c, const char *v, yaml_scalar_style_t st)
{
	yaml_event_t ev;
	v = rr_utf8(&c->a, v);
	if (!yaml_scalar_event_initialize(
	            &ev, NULL, NULL, (yaml_char_t *)(uintptr_t)v, -1, 1, 1, st))
		rr_oom();
	emit_ev(c, &ev);
}

static void
str(struct cctx *c, const char *v)
{
	scalar(c, v,
	       needs_quotes(v) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
	                       : YAML_ANY_SCALAR_STYLE);
}

static void
kstr(struct cctx *c, const char *k, const char *v)
{
	if (!v)
		return;
	str(c, k);
	str(c, v);
}

static void
kint(struct cctx *c, const char *k, uint64_t v)
{
	char b[24];
	snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	str(c, k);
	scalar(c, b, YAML_PLAIN_SCALAR_STYLE);
}

static void
kbool(struct cctx *c, const char *k, bool v)
{
	str(c, k);
	scalar(c, v ? "true" : "false", YAML_PLAIN_SCALAR_STYLE);
}

static void
kdur(struct cctx *c, const char *k, uint32_t secs)
{
	char b[24];
	snprintf(b, sizeof(b), "%us", secs);
	kstr(c, k, b);
}

static void
kaddr(struct cctx *c, const char *k, const struct rr_addr *a)
{
	char b[RR_ADDR_STRLEN];
	kstr(c, k, rr_addr_str(a, b));
}

static void
map_start(struct cctx *c)
{
	yaml_event_t ev;
	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	                                    YAML_BLOCK_MAPPING_STYLE);
	emit_ev(c, &ev);
}

static void
map_end(struct cctx *c)
{
	yaml_event_t ev;
	yaml_mapping_end_event_initialize(&ev);
	emit_ev(c, &ev);
}

static void
seq_start(struct cctx *c)
{
	yaml_event_t ev;
	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
	                                     YAML_BLOCK_SEQUENCE_STYLE);
	emit_ev(c, &ev);
}

static void
seq_end(struct cctx *c)
{
	yaml_event_t ev;
	yaml_sequence_end_event_initialize(&ev);
	emit_ev(c, &ev);
}

static void
doc_start(struct cctx *c, const char *kind, const char *name,
          const struct rr_labels *labels)
{
	yaml_event_t ev;
	size_t i, j;
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0);
	emit_ev(c, &ev);
	map_start(c);
	kstr(c, "apiVersion", "projectcalico.org/v3");
	kstr(c, "kind", kind);
	str(c, "metadata");
	map_start(c);
	kstr(c, "name", name);
	if (labels && labels->n) {
		const struct rr_label **v = rr_xcalloc(labels->n, sizeof(*v));
		for (i = 0; i < labels->n; i++) {
			v[i] = &labels->v[i];
			for (j = i;
			     j > 0 && strcmp(v[j - 1]->key, v[j]->key) > 0;
			     j--) {
				const struct rr_label *t = v[j];
				v[j] = v[j - 1];
				v[j - 1] = t;
			}
		}
		str(c, "labels");
		map_start(c);
		for (i = 0; i < labels->n; i++)
			kstr(c, v[i]->key, v[i]->value ? v[i]->value : "");
		map_end(c);
		free(v);
	}
	map_end(c);
	str(c, "spec");
	map_start(c);
}

static void
doc_end(struct cctx *c)
{
	yaml_event_t ev;
	map_end(c); /* spec */
	map_end(c);
	yaml_document_end_event_initialize(&ev, 1);
	emit_ev(c, &ev);
}

static void
secret_ref(struct cctx *c, const char *k, const char *name, const char *key)
{
	str(c, k);
	map_start(c);
	str(c, "secretKeyRef");
	map_start(c);
	kstr(c, "name", name ? name : "");
	kstr(c, "key", key ? key : "");
	map_end(c);
	map_end(c);
}

static void
cidr_list(struct cctx *c, const char *k, const struct rr_cidr_ent *v, size_t n)
{
	char b[RR_PREFIX_STRLEN];
	size_t i;
	if (!n)
		return;
	str(c, k);
	seq_start(c);
	for (i = 0; i < n; i++) {
		map_start(c);
		kstr(c, "cidr", rr_prefix_str(&v[i].p, b));
		map_end(c);
	}
	seq_end(c);
}

static void
str_list(struct cctx *c, const char *k, const char *const *v, size_t n)
{
	size_t i;
	if (!n)
		return;
	str(c, k);
	seq_start(c);
	for (i = 0; i < n; i++)
		str(c, v[i]);
	seq_end(c);
}

/* A selector as written, in canonical form (libcalico-go lib/selector). */
static const char *
selector_text(struct cctx *c, const struct rr_opt_str *text,
              const struct rr_selector *sel)
{
	if (!text->set || !text->v || strspn(text->v, " \t") == strlen(text->v))
		return NULL; /* absent or empty: a global peer */
	return sel ? rr_selector_str(&c->a, sel) : text->v;
}

/* ------------------------------------------------- BGPConfiguration */

static void
bgpconfig(struct cctx *c, const struct rr_bgpconfig *b, bool dflt)
{
	char p[RR_PREFIX_STRLEN];
	size_t i, j;

	doc_start(c, "BGPConfiguration", b ? b->meta.name : "default",
	          b ? &b->meta.labels : NULL);
	if (b && b->log_severity_screen.set)
		kstr(c, "logSeverityScreen", b->log_severity_screen.v);
	if (dflt && c->have_cluster_as)
		kbool(c, "nodeToNodeMeshEnabled", false);
	else if (b && b->node_to_node_mesh_enabled.set)
		kbool(c, "nodeToNodeMeshEnabled",
		      b->node_to_node_mesh_enabled.v);
	if (dflt && c->have_cluster_as)
		kint(c, "asNumber", c->cluster_as);
	else if (b && b->as_number.set)
		kint(c, "asNumber", b->as_number.v);
	if (!b) {
		doc_end(c);
		return;
	}
	if (b->listen_port.set)
		kint(c, "listenPort", b->listen_port.v);
	kstr(c, "bindMode", b->bind_mode.set ? b->bind_mode.v : NULL);
	if (b->node_mesh_password.set)
		secret_ref(c, "nodeMeshPassword", b->node_mesh_password.name,
		           b->node_mesh_password.key);
	if (b->node_mesh_max_restart_time.set)
		kdur(c, "nodeMeshMaxRestartTime",
		     b->node_mesh_max_restart_time.v);
	cidr_list(c, "serviceClusterIPs", b->service_cluster_ips,
	          b->nservice_cluster_ips);
	cidr_list(c, "serviceExternalIPs", b->service_external_ips,
	          b->nservice_external_ips);
	cidr_list(c, "serviceLoadBalancerIPs", b->service_lb_ips,
	          b->nservice_lb_ips);
	kstr(c, "serviceLoadBalancerAggregation",
	     b->service_lb_aggregation.set ? b->service_lb_aggregation.v
	                                   : NULL);
	if (b->ncommunities) {
		str(c, "communities");
		seq_start(c);
		for (i = 0; i < b->ncommunities; i++) {
			map_start(c);
			kstr(c, "name", b->communities[i].name);
			kstr(c, "value", b->communities[i].value);
			map_end(c);
		}
		seq_end(c);
	}
	if (b->nprefix_advertisements) {
		str(c, "prefixAdvertisements");
		seq_start(c);
		for (i = 0; i < b->nprefix_advertisements; i++) {
			const struct rr_prefix_adv *pa =
			        &b->prefix_advertisements[i];
			map_start(c);
			kstr(c, "cidr", rr_prefix_str(&pa->cidr, p));
			str(c, "communities");
			seq_start(c);
			for (j = 0; j < pa->ncommunities; j++)
				str(c, pa->communities[j]);
			seq_end(c);
			map_end(c);
		}
		seq_end(c);
	}
	str_list(c, "ignoredInterfaces", b->ignored_interfaces,
	         b->nignored_interfaces);
	if (b->local_workload_peering_ipv4.set)
		kaddr(c, "localWorkloadPeeringIPV4",
		      &b->local_workload_peering_ipv4.v);
	if (b->local_workload_peering_ipv6.set)
		kaddr(c, "localWorkloadPeeringIPV6",
		      &b->local_workload_peering_ipv6.v);
	kstr(c, "programClusterRoutes",
	     b->program_cluster_routes.set ? b->program_cluster_routes.v
	                                   : NULL);
	if (b->ipv4_normal_route_priority.set)
		kint(c, "ipv4NormalRoutePriority",
		     b->ipv4_normal_route_priority.v);
	if (b->ipv6_normal_route_priority.set)
		kint(c, "ipv6NormalRoutePriority",
		     b->ipv6_normal_route_priority.v);
	doc_end(c);
}

/* ---------------------------------------------------------- BGPPeer */

static void
bgppeer(struct cctx *c, const struct gpeer *g)
{
	const struct rr_bgppeer *b = g->base;
	size_t i;

	for (i = 0; i < g->ncomments; i++)
		comment(c, g->comments[i]);
	doc_start(c, "BGPPeer", g->name, b ? &b->meta.labels : NULL);
	kstr(c, "node", g->node);
	kstr(c, "nodeSelector", g->selector);
	if (b)
		kstr(c, "peerSelector",
		     selector_text(c, &b->peer_selector_text,
		                   b->peer_selector));
	if (b)
		kstr(c, "localWorkloadSelector",
		     selector_text(c, &b->local_workload_selector_text,
		                   b->local_workload_selector));
	kstr(c, "peerIP", g->peer_ip);
	if (g->asn)
		kint(c, "asNumber", g->asn);
	if (b && b->local_as_number.set)
		kint(c, "localASNumber", b->local_as_number.v);
	if (g->secret_name)
		secret_ref(c, "password", g->secret_name, g->secret_key);
	if (b && b->source_address.set)
		kstr(c, "sourceAddress", b->source_address.v);
	if (g->ttl)
		kint(c, "ttlSecurity", g->ttl);
	if (b && b->reachable_by.set)
		kaddr(c, "reachableBy", &b->reachable_by.v);
	if (b && b->keep_original_next_hop.set)
		kbool(c, "keepOriginalNextHop", b->keep_original_next_hop.v);
	if (b && b->next_hop_mode_text.set)
		kstr(c, "nextHopMode", b->next_hop_mode_text.v);
	if (b && b->max_restart_time.set)
		kdur(c, "maxRestartTime", b->max_restart_time.v);
	if (b && b->keepalive_time.set)
		kdur(c, "keepaliveTime", b->keepalive_time.v);
	if (b && b->num_allowed_local_as_numbers.set)
		kint(c, "numAllowedLocalASNumbers",
		     b->num_allowed_local_as_numbers.v);
	if (b)
		str_list(c, "filters", b->filters, b->nfilters);
	if (b && b->reverse_peering.set)
		kstr(c, "reversePeering", b->reverse_peering.v);
	doc_end(c);
}

/* ------------------------------------------------------------ plan */

static void
push_node(struct cctx *c, struct group *g, const struct rr_speaker *n)
{
	size_t i;
	for (i = 0; i < g->nnodes; i++)
		if (g->nodes[i] == n)
			return;
	*RR_PUSH(&c->a, g->nodes, g->nnodes, g->capnodes) = n;
}

/* The nodes a router neighbor (or listen range) serves. */
static size_t
neighbor_nodes(struct cctx *c, struct group *g, const struct rr_neighbor *nb)
{
	size_t i, j, n = 0;
	for (i = 0; i < c->m->nspeakers; i++) {
		const struct rr_speaker *s = c->m->speakers[i];
		if (s->kind != RR_SPK_CALICO)
			continue;
		for (j = 0; j < s->naddrs; j++)
			if (nb->is_range
			            ? rr_prefix_contains(&nb->range,
			                                 &s->addrs[j].p.addr)
			            : rr_addr_eq(&nb->peer,
			                         &s->addrs[j].p.addr)) {
				if (g)
					push_node(c, g, s);
				n++;
				break;
			}
	}
	return n;
}

/* A router neighbor that is a Calico node: by address when Node
 * resources were given, else every route-reflector client. */
static bool
client_neighbor(struct cctx *c, const struct rr_neighbor *nb)
{
	if (nb->vrf || (nb->shutdown.set && nb->shutdown.v))
		return false;
	if (c->nodes_known)
		return neighbor_nodes(c, NULL, nb) > 0;
	return nb->rr_client.set && nb->rr_client.v;
}

static void
group_neighbors(struct cctx *c, const struct rr_speaker *r)
{
	size_t i, j;
	for (i = 0; i < r->nneighbors; i++) {
		const struct rr_neighbor *nb = &r->neighbors[i];
		uint8_t fam = nb->is_range ? nb->range.addr.af : nb->peer.af;
		uint32_t as = rr_nb_rare(nb)->local_as.set
		                      ? rr_nb_rare(nb)->local_as.v
		                      : r->asn.v;
		bool pw = nb->password.set && nb->password.v;
		uint32_t ttl = nb->ttl_security.set ? nb->ttl_security.v : 0;
		struct rr_addr src;
		struct group *g = NULL;
		if (!client_neighbor(c, nb))
			continue;
		memset(&src, 0, sizeof(src));
		if (nb->update_source.set && nb->source_address.set)
			src = nb->source_address.v;
		for (j = 0; j < c->ngroups && !g; j++) {
			struct group *x = &c->groups[j];
			if (x->r == r && x->family == fam && x->asn == as &&
			    x->password == pw &&
			    (!pw || x->hash == nb->password_hash) &&
			    x->ttl == ttl && rr_addr_eq(&x->src, &src))
				g = x;
		}
		if (!g) {
			g = RR_PUSH(&c->a, c->groups, c->ngroups, c->capg);
			g->r = r;
			g->family = fam;
			g->asn = as;
			g->password = pw;
			g->hash = pw ? nb->password_hash : 0;
			g->ttl = ttl;
			g->src = src;
		}
		*RR_PUSH(&c->a, g->nbs, g->nnbs, g->capn) = nb;
		neighbor_nodes(c, g, nb);
	}
}

/* The AS of the cluster: what most node neighbors say the nodes have
 * (nodes with their own asNumber aside), ties to the lowest. */
static void
cluster_as(struct cctx *c)
{
	size_t i, j, k, best = 0;
	for (i = 0; i < c->ngroups; i++) {
		const struct group *g = &c->groups[i];
		size_t votes = 0;
		for (j = 0; j < c->ngroups; j++) {
			const struct group *h = &c->groups[j];
			if (h->asn != g->asn)
				continue;
			for (k = 0; k < h->nnbs; k++)
				votes++;
			for (k = 0; k < h->nnodes; k++)
				if (h->nodes[k]->node &&
				    h->nodes[k]->node->as_number.set)
					votes--;
		}
		if (!c->have_cluster_as || votes > best ||
		    (votes == best && g->asn < c->cluster_as)) {
			c->have_cluster_as = true;
			c->cluster_as = g->asn;
			c->as_from = g->r;
			best = votes;
		}
	}
}

/* Nodes whose AS the router's remote-as contradicts (after this run's
 * asNumber): the Node resources are not written here, so say it. */
static void
check_node_as(struct cctx *c)
{
	size_t i, j, k;
	char b[RR_ADDR_STRLEN];
	for (i = 0; i < c->ngroups; i++) {
		const struct group *g = &c->groups[i];
		for (j = 0; j < g->nnbs; j++) {
			const struct rr_neighbor *nb = g->nbs[j];
			struct group one = {0};
			if (nb->is_range || !nb->remote_as.set)
				continue;
			neighbor_nodes(c, &one, nb);
			for (k = 0; k < one.nnodes; k++) {
				const struct rr_speaker *n = one.nodes[k];
				uint32_t as = n->node && n->node->as_number.set
				                      ? n->node->as_number.v
				                      : c->cluster_as;
				if (as != nb->remote_as.v)
					rr_diag_add(
					        c->d, RR_SEV_WARNING, NULL,
					        &nb->loc,
					        "neighbor %s remote-as %u, "
					        "but node '%s' has AS %u: "
					        "set spec.bgp.asNumber: %u "
					        "on its Node (rrkit writes no "
					        "Node resources)",
					        rr_addr_str(&nb->peer, b),
					        nb->remote_as.v, n->name, as,
					        nb->remote_as.v);
			}
		}
	}
}

static const char *
dns_name(struct cctx *c, const char *s)
{
	char *o = rr_arena_strdup(&c->a, s ? s : "router"), *p;
	size_t n;
	for (p = o; *p; p++) {
		*p = (char)tolower((unsigned char)*p);
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.')
			*p = '-';
	}
	n = strlen(o);
	while (n && (o[n - 1] == '-' || o[n - 1] == '.'))
		o[--n] = '\0';
	while (*o == '-' || *o == '.')
		o++;
	return *o ? o : "router";
}

static bool
name_used(const struct cctx *c, const char *name)
{
	size_t i;
	for (i = 0; i < c->npeers; i++)
		if (!strcmp(c->peers[i].name, name))
			return true;
	for (i = 0; i < c->m->calico.nbgppeers; i++)
		if (c->m->calico.bgppeers[i].meta.name &&
		    !strcmp(c->m->calico.bgppeers[i].meta.name, name))
			return true;
	return false;
}

/* The router address the nodes of g dial. */
static bool
router_addr(struct cctx *c, const struct group *g, struct rr_addr *out)
{
	const struct rr_speaker *r = g->r;
	const struct rr_calico *cal = &c->m->calico;
	size_t i, j;

	/* with update-source IOS takes the session on that address only
	 * (refusing a connection to any other): the nodes must dial it */
	if (g->src.af == g->family) {
		*out = g->src;
		return true;
	}
	for (i = 0; i < cal->nbgppeers; i++) {
		const struct rr_bgppeer *bp = &cal->bgppeers[i];
		if (bp->peer_ip.af == g->family &&
		    rr_model_owner(c->m, &bp->peer_ip) == r) {
			*out = bp->peer_ip;
			return true;
		}
	}
	if (!r->addrs_inferred)
		for (i = 0; i < r->naddrs; i++) {
			const struct rr_prefix *p = &r->addrs[i].p;
			if (p->addr.af != g->family ||
			    p->len >= (g->family == RR_AF_INET ? 32 : 128))
				continue;
			for (j = 0; j < g->nnbs; j++)
				if (g->nbs[j]->is_range
				            ? rr_prefix_overlaps(
				                      p, &g->nbs[j]->range)
				            : rr_prefix_contains(
				                      p, &g->nbs[j]->peer)) {
					*out = p->addr;
					return true;
				}
		}
	if (g->family == RR_AF_INET && r->router_id.set) {
		*out = r->router_id.v;
		return true;
	}
	for (i = 0; i < r->naddrs; i++)
		if (r->addrs[i].p.addr.af == g->family) {
			*out = r->addrs[i].p.addr;
			return true;
		}
	return false;
}

static size_t
family_nodes(const struct cctx *c, uint8_t family)
{
	size_t i, j, n = 0;
	for (i = 0; i < c->m->nspeakers; i++) {
		const struct rr_speaker *s = c->m->speakers[i];
		if (s->kind != RR_SPK_CALICO)
			continue;
		for (j = 0; j < s->naddrs; j++)
			if (s->addrs[j].p.addr.af == family) {
				n++;
				break;
			}
	}
	return n;
}

static bool
in_group(const struct group *g, const struct rr_speaker *s)
{
	size_t i;
	for (i = 0; i < g->nnodes; i++)
		if (g->nodes[i] == s)
			return true;
	return false;
}

/* Whether an existing BGPPeer's scope selects exactly the group's nodes
 * (among the nodes with an address of that family). */
static bool
selects_exactly(const struct cctx *c, const struct rr_bgppeer *bp,
                const struct group *g)
{
	size_t i, j;
	if (!c->nodes_known)
		return true;
	if (bp->peer_selector || bp->local_workload_selector)
		return false;
	for (i = 0; i < c->m->nspeakers; i++) {
		const struct rr_speaker *s = c->m->speakers[i];
		bool fam = false, sel;
		if (s->kind != RR_SPK_CALICO)
			continue;
		for (j = 0; j < s->naddrs; j++)
			fam |= s->addrs[j].p.addr.af == g->family;
		if (!fam)
			continue;
		if (bp->node.set)
			sel = bp->node.v && s->name &&
			      !strcmp(bp->node.v, s->name);
		else if (bp->node_selector)
			sel = rr_selector_eval(bp->node_selector, &s->labels);
		else
			sel = !bp->node_selector_text.set || !bp->node_selector;
		if (sel != in_group(g, s))
			return false;
	}
	return true;
}

/* `kubernetes.io/hostname in {...}` when those labels pick exactly the
 * group's nodes; NULL otherwise. */
static const char *
hostname_selector(struct cctx *c, const struct group *g)
{
	const char **v = rr_arena_calloc(&c->a, g->nnodes, sizeof(*v));
	size_t i, j;
	char *s;

	for (i = 0; i < g->nnodes; i++) {
		v[i] = rr_labels_get(&g->nodes[i]->labels, HOSTNAME_LABEL);
		if (!v[i])
			return NULL;
		for (j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			const char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	}
	for (i = 0; i < c->m->nspeakers; i++) {
		const struct rr_speaker *s2 = c->m->speakers[i];
		const char *h;
		if (s2->kind != RR_SPK_CALICO || in_group(g, s2))
			continue;
		h = rr_labels_get(&s2->labels, HOSTNAME_LABEL);
		for (j = 0; h && j < g->nnodes; j++)
			if (!strcmp(h, v[j]))
				return NULL;
	}
	s = rr_arena_printf(&c->a, "%s in {", HOSTNAME_LABEL);
	for (i = 0; i < g->nnodes; i++) {
		if (i && !strcmp(v[i], v[i - 1]))
			continue;
		s = rr_arena_printf(&c->a, "%s%s\"%s\"", s, i ? ", " : "",
		                    v[i]);
	}
	return rr_arena_printf(&c->a, "%s}", s);
}

static void gcomment(struct cctx *c, struct gpeer *p, const char *fmt, ...)
        RR_PRINTF(3, 4);

static void
gcomment(struct cctx *c, struct gpeer *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	*RR_PUSH(&c->a, p->comments, p->ncomments, p->capc) =
	        rr_arena_vprintf(&c->a, fmt, ap);
	va_end(ap);
}

static const char *
neighbor_list(struct cctx *c, const struct group *g)
{
	char b[RR_PREFIX_STRLEN];
	const char *s = "";
	size_t i;
	for (i = 0; i < g->nnbs; i++) {
		const struct rr_neighbor *nb = g->nbs[i];
		if (i == MAX_LISTED && g->nnbs > MAX_LISTED + 1)
			return rr_arena_printf(&c->a, "%s and %zu more", s,
			                       g->nnbs - i);
		s = rr_arena_printf(&c->a, "%s%s%s%s", s, i ? ", " : "",
		                    nb->is_range ? "listen range " : "",
		                    nb->is_range ? rr_prefix_str(&nb->range, b)
		                                 : rr_addr_str(&nb->peer, b));
	}
	return s;
}

static struct gpeer *
new_gpeer(struct cctx *c, const char *name, const struct group *g,
          const char *ip, const struct rr_bgppeer *base)
{
	struct gpeer *p = RR_PUSH(&c->a, c->peers, c->npeers, c->capp);
	p->name = name;
	p->base = base;
	p->peer_ip = ip;
	p->asn = g->asn;
	p->ttl = g->ttl;
	return p;
}

static void
set_password(struct cctx *c, struct gpeer *p, const struct group *g)
{
	const char *rname = g->r->name ? g->r->name : "the router";
	if (!g->password)
		return;
	if (p->base && p->base->password.set) {
		p->secret_name = p->base->password.name;
		p->secret_key = p->base->password.key;
	} else {
		p->secret_name =
		        rr_arena_printf(&c->a, "%s-bgp-password", p->name);
		p->secret_key = "password";
	}
	gcomment(c, p,
	         "TCP MD5: key '%s' of Secret '%s' must hold %s's neighbor "
	         "password; create the Secret if it does not exist, in "
	         "calico-node's namespace (calico-system, or kube-system "
	         "without the operator), and let calico-node read it (Role "
	         "and RoleBinding)",
	         p->secret_key ? p->secret_key : "", p->secret_name, rname);
}

/* Where a planned BGPPeer comes from, and why its peerIP when the
 * router's update-source chose it. */
static void
from_comment(struct cctx *c, struct gpeer *p, const struct group *g)
{
	const struct rr_speaker *r = g->r;

	gcomment(c, p, "from router %s (%s:%u): neighbors %s", r->name,
	         r->loc.file, r->loc.line, neighbor_list(c, g));
	if (g->src.af && g->nnbs && g->nbs[0]->update_source.set)
		gcomment(c, p,
		         "peerIP: their update-source %s, the one address "
		         "IOS takes these sessions on",
		         g->nbs[0]->update_source.v);
}

static void
plan_group(struct cctx *c, const struct group *g, size_t ngroups_r)
{
	const struct rr_speaker *r = g->r;
	const struct rr_calico *cal = &c->m->calico;
	const struct rr_bgppeer *reuse = NULL;
	struct rr_addr addr;
	char b[RR_ADDR_STRLEN];
	const char *ip, *stem, *sel = NULL;
	size_t i;
	unsigned n = 2;

	if (!router_addr(c, g, &addr)) {
		rr_diag_add(c->d, RR_SEV_ERROR, NULL, &r->loc,
		            "router '%s' has IPv%u neighbors but no IPv%u "
		            "address rrkit knows: give --address %s=IP",
		            r->name, g->family, g->family, r->name);
		c->failed = true;
		return;
	}
	ip = rr_arena_strdup(&c->a, rr_addr_str(&addr, b));
	/* several existing BGPPeers fit (two that claim one session, lint's
	 * peer-conflict): the one with the lowest name, so the choice does
	 * not depend on the order the manifests were given in */
	for (i = 0; i < cal->nbgppeers; i++) {
		const struct rr_bgppeer *bp = &cal->bgppeers[i];
		size_t k;
		bool taken = false;
		if (!rr_addr_eq(&bp->peer_ip, &addr) || bp->peer_port)
			continue;
		for (k = 0; k < c->npeers; k++)
			taken |= c->peers[k].base == bp;
		if (!taken && selects_exactly(c, bp, g) &&
		    (!reuse || strcmp(bp->meta.name, reuse->meta.name) < 0))
			reuse = bp;
	}
	if (reuse) {
		struct gpeer *p = new_gpeer(c, reuse->meta.name, g, ip, reuse);
		p->node = reuse->node.set ? reuse->node.v : NULL;
		p->selector = selector_text(c, &reuse->node_selector_text,
		                            reuse->node_selector);
		from_comment(c, p, g);
		if (!c->nodes_known && !p->node && !p->selector)
			gcomment(c, p,
			         "every node peers with %s (rrkit was "
			         "given no Node resources to select "
			         "from)",
			         r->name);
		set_password(c, p, g);
		return;
	}
	stem = dns_name(c, r->name);
	if (ngroups_r > 1 && g->family == RR_AF_INET6)
		stem = rr_arena_printf(&c->a, "%s-v6", stem);
	if (ngroups_r > 1 && g->asn != r->asn.v)
		stem = rr_arena_printf(&c->a, "%s-as%u", stem, g->asn);
	if (c->nodes_known && g->nnodes != family_nodes(c, g->family) &&
	    !(sel = hostname_selector(c, g))) {
		/* one BGPPeer per node */
		for (i = 0; i < g->nnodes; i++) {
			const char *name =
			        rr_arena_printf(&c->a, "%s-%s", stem,
			                        dns_name(c, g->nodes[i]->name));
			const char *nm = name;
			struct gpeer *p;
			while (name_used(c, nm))
				nm = rr_arena_printf(&c->a, "%s-%u", name, n++);
			p = new_gpeer(c, nm, g, ip, NULL);
			p->node = g->nodes[i]->name;
			gcomment(c, p,
			         "from router %s (%s:%u): neighbor of "
			         "node %s",
			         r->name, r->loc.file, r->loc.line,
			         g->nodes[i]->name);
			set_password(c, p, g);
		}
		return;
	}
	{
		const char *nm = stem;
		struct gpeer *p;
		while (name_used(c, nm))
			nm = rr_arena_printf(&c->a, "%s-%u", stem, n++);
		p = new_gpeer(c, nm, g, ip, NULL);
		p->selector = sel;
		from_comment(c, p, g);
		if (!c->nodes_known)
			gcomment(c, p,
			         "every node peers with %s (rrkit was "
			         "given no Node resources to select "
			         "from)",
			         r->name);
		set_password(c, p, g);
	}
}

/* Existing BGPPeers toward a given router that no group took: gone. */
static void
dropped(struct cctx *c)
{
	const struct rr_calico *cal = &c->m->calico;
	size_t i, k;
	for (i = 0; i < cal->nbgppeers; i++) {
		const struct rr_bgppeer *bp = &cal->bgppeers[i];
		const struct rr_speaker *o = rr_model_owner(c->m, &bp->peer_ip);
		bool kept = false;
		if (!bp->peer_ip.af || !o || o->kind != RR_SPK_IOS)
			continue;
		for (k = 0; k < c->npeers; k++)
			kept |= c->peers[k].base == bp;
		if (!kept)
			rr_diag_add(c->d, RR_SEV_WARNING, NULL, &bp->meta.loc,
			            "BGPPeer '%s' points at router '%s' but "
			            "does not match its neighbors: left out; "
			            "delete it after applying the new ones",
			            bp->meta.name, o->name);
	}
}

/* BGPPeers toward no given router: printed back as they are. */
static void
keep_others(struct cctx *c)
{
	const struct rr_calico *cal = &c->m->calico;
	size_t i;
	for (i = 0; i < cal->nbgppeers; i++) {
		const struct rr_bgppeer *bp = &cal->bgppeers[i];
		const struct rr_speaker *o = rr_model_owner(c->m, &bp->peer_ip);
		struct gpeer *p;
		if (bp->peer_ip.af && o && o->kind == RR_SPK_IOS)
			continue;
		p = RR_PUSH(&c->a, c->peers, c->npeers, c->capp);
		p->name = bp->meta.name;
		p->base = bp;
		p->node = bp->node.set ? bp->node.v : NULL;
		p->selector = selector_text(c, &bp->node_selector_text,
		                            bp->node_selector);
		p->peer_ip = bp->peer_ip_text.set ? bp->peer_ip_text.v : NULL;
		p->asn = bp->as_number.set ? bp->as_number.v : 0;
		p->ttl = bp->ttl_security.set ? bp->ttl_security.v : 0;
		if (bp->password.set) {
			p->secret_name = bp->password.name;
			p->secret_key = bp->password.key;
		}
	}
}

static int
cmp_gpeer(const void *x, const void *y)
{
	const struct gpeer *a = x, *b = y;
	return strcmp(a->name, b->name);
}

static int
cmp_cfg(const void *x, const void *y)
{
	const struct rr_bgpconfig *const *a = x, *const *b = y;
	bool da = !strcmp((*a)->meta.name, "default"),
	     db = !strcmp((*b)->meta.name, "default");
	if (da != db)
		return da ? -1 : 1;
	return strcmp((*a)->meta.name, (*b)->meta.name);
}

static int
cmp_router(const void *x, const void *y)
{
	const struct rr_speaker *const *a = x, *const *b = y;
	return strcmp((*a)->name ? (*a)->name : "",
	              (*b)->name ? (*b)->name : "");
}

static void
header(struct cctx *c, const struct rr_speaker **rs, size_t nr)
{
	const char *s = "";
	size_t i;
	comment(c, "rrkit gen calico");
	if (!nr) {
		comment(c, "the Calico BGP configuration, printed canonically "
		           "(no router config given)");
		return;
	}
	for (i = 0; i < nr; i++)
		s = rr_arena_printf(&c->a, "%s%s%s (AS %u)", s, i ? ", " : "",
		                    rs[i]->name, rs[i]->asn.v);
	comment(c, rr_arena_printf(&c->a,
	                           "BGP peering of the Calico nodes "
	                           "with %s",
	                           s));
}

int
emit_calico(const struct rr_model *m, const struct emit_opts *o, char **out,
            size_t *len, struct rr_diags *d)
{
	struct cctx c;
	const struct rr_speaker **rs;
	const struct rr_bgpconfig **cfgs;
	size_t nr = 0, i, j, ncfg = m->calico.nbgpconfigs;
	bool have_default = false;
	yaml_event_t ev;

	(void)o;
	*out = NULL;
	*len = 0;
	memset(&c, 0, sizeof(c));
	c.m = m;
	c.d = d;
	rr_arena_init(&c.a);
	rs = rr_arena_calloc(&c.a, m->nspeakers + 1, sizeof(*rs));
	for (i = 0; i < m->nspeakers; i++) {
		if (m->speakers[i]->kind == RR_SPK_IOS &&
		    m->speakers[i]->asn.set)
			rs[nr++] = m->speakers[i];
		c.nodes_known |= m->speakers[i]->kind == RR_SPK_CALICO;
	}
	if (nr)
		qsort(rs, nr, sizeof(*rs), cmp_router);
	if (!nr && !ncfg && !m->calico.nbgppeers) {
		rr_diag_add(
		        d, RR_SEV_ERROR, NULL, NULL,
		        "no router config with 'router bgp' and no "
		        "BGPConfiguration or BGPPeer in the inputs: nothing "
		        "to generate");
		rr_arena_release(&c.a);
		return -1;
	}
	for (i = 0; i < nr; i++) {
		size_t before = c.ngroups;
		group_neighbors(&c, rs[i]);
		if (c.ngroups == before)
			rr_diag_add(d, RR_SEV_WARNING, NULL, &rs[i]->loc,
			            "router '%s' has no neighbor that is a "
			            "Calico node%s: no BGPPeer toward it is "
			            "written",
			            rs[i]->name,
			            c.nodes_known ? ""
			                          : " (without Node resources, "
			                            "the nodes are its "
			                            "route-reflector clients)");
	}
	cluster_as(&c);
	if (c.nodes_known)
		check_node_as(&c);
	for (i = 0; i < c.ngroups; i++) {
		size_t same = 0;
		for (j = 0; j < c.ngroups; j++)
			same += c.groups[j].r == c.groups[i].r;
		plan_group(&c, &c.groups[i], same);
	}
	dropped(&c);
	keep_others(&c);
	if (c.npeers)
		qsort(c.peers, c.npeers, sizeof(c.peers[0]), cmp_gpeer);
	cfgs = rr_arena_calloc(&c.a, ncfg + 1, sizeof(*cfgs));
	for (i = 0; i < ncfg; i++) {
		cfgs[i] = &m->calico.bgpconfigs[i];
		have_default |= !strcmp(cfgs[i]->meta.name, "default");
	}
	if (ncfg)
		qsort(cfgs, ncfg, sizeof(*cfgs), cmp_cfg);

	yaml_emitter_initialize(&c.e);
	yaml_emitter_set_output(&c.e, write_out, &c.o);
	yaml_emitter_set_unicode(&c.e, 1);
	yaml_emitter_set_width(&c.e, -1);
	yaml_emitter_set_indent(&c.e, 2);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	emit_ev(&c, &ev);
	header(&c, rs, nr);
	if (!have_default && c.have_cluster_as) {
		comment(&c,
		        rr_arena_printf(&c.a,
		                        "asNumber and the mesh: from "
		                        "router %s (%s:%u)",
		                        c.as_from->name, c.as_from->loc.file,
		                        c.as_from->loc.line));
		bgpconfig(&c, NULL, true);
	}
	for (i = 0; i < ncfg; i++) {
		bool dflt = !strcmp(cfgs[i]->meta.name, "default");
		if (dflt && c.have_cluster_as)
			comment(&c, rr_arena_printf(&c.a,
			                            "asNumber and the mesh: "
			                            "from router %s (%s:%u)",
			                            c.as_from->name,
			                            c.as_from->loc.file,
			                            c.as_from->loc.line));
		bgpconfig(&c, cfgs[i], dflt);
	}
	for (i = 0; i < c.npeers; i++)
		bgppeer(&c, &c.peers[i]);
	yaml_stream_end_event_initialize(&ev);
	emit_ev(&c, &ev);
	if (!c.failed) /* a failed emitter may not have its encoding yet */
		yaml_emitter_flush(&c.e);
	yaml_emitter_delete(&c.e);
	rr_arena_release(&c.a);
	if (c.failed) {
		free(c.o.p);
		return -1;
	}
	*out = c.o.p ? c.o.p : rr_xstrdup("");
	*len = c.o.n;
	return 0;
}
