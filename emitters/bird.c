/*
 * emit_bird: the BIRD 1.6 configuration calico-node would run for one node
 * and one family (bird.cfg / bird6.cfg), from the resolved model: router
 * id, listen, the bgp_template of calico-semantics.md §3.5, one `protocol
 * bgp` per session with the statements of R16-R29 in template order, the
 * node's blocks as blackhole statics (R30), and an export function that
 * accepts what lies inside the IPPools and rejects export-disabled pools
 * (R32 a, e, h).  Kernel programming, BGPFilters and communities are left
 * out: the file is for running the node's BGP side (the interop tests of
 * rrkit sim, a lab), not a byte copy of confd's.
 *
 * Secrets: a password is written as the placeholder unless
 * `o->secrets` asks for the real value (the lab needs it; it is never the
 * default).
 */
#include "emitters/emitters.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct out {
	char *p;
	size_t n, cap;
};

static void
put(struct out *o, const char *fmt, ...) RR_PRINTF(2, 3);

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int k;
	for (;;) {
		size_t room = o->cap - o->n;
		va_start(ap, fmt);
		k = vsnprintf(o->p ? o->p + o->n : NULL, room, fmt, ap);
		va_end(ap);
		if (k < 0)
			rr_oom();
		if ((size_t)k < room) {
			o->n += (size_t)k;
			return;
		}
		o->cap = o->cap * 2 + (size_t)k + 256;
		o->p = rr_xrealloc(o->p, o->cap);
	}
}

static const char *
secret_value(const struct rr_model *m, const struct rr_secret_ref *ref)
{
	size_t i, j;
	if (!ref->set || !ref->name || !ref->key)
		return NULL;
	for (i = 0; i < m->calico.nsecrets; i++) {
		const struct rr_secret *s = &m->calico.secrets[i];
		if (!s->meta.name || strcmp(s->meta.name, ref->name))
			continue;
		for (j = 0; j < s->ndata; j++)
			if (!strcmp(s->data[j].key, ref->key))
				return s->data[j].value;
	}
	return NULL;
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

/* BIRD string literal: no quote or backslash may end it early. */
static void
put_quoted(struct out *o, const char *s)
{
	put(o, "\"");
	for (; *s; s++)
		if (*s == '"' || *s == '\\')
			put(o, "\\%c", *s);
		else if ((unsigned char)*s >= 0x20)
			put(o, "%c", *s);
	put(o, "\"");
}

static void
password(struct out *o, const struct rr_model *m, const struct rr_neighbor *nb,
	 const struct emit_bird_opts *opts)
{
	const char *v = NULL;
	if (!nb->password.set || !nb->password.v)
		return;
	if (opts && opts->secrets) {
		if (nb->scope == RR_SCOPE_MESH) {
			const struct rr_bgpconfig *d = default_config(m);
			v = d ? secret_value(m, &d->node_mesh_password) : NULL;
		} else if (nb->bgppeer) {
			v = secret_value(m, &nb->bgppeer->password);
		}
	}
	put(o, "  password ");
	put_quoted(o, v ? v : EMIT_BIRD_PASSWORD_PLACEHOLDER);
	put(o, ";\n");
}

static void
session(struct out *o, const struct rr_model *m, const struct rr_speaker *s,
	const struct rr_neighbor *nb, const struct emit_bird_opts *opts)
{
	char a[RR_ADDR_STRLEN];
	uint32_t local = nb->local_as.set ? nb->local_as.v : s->asn.v;

	put(o, "protocol bgp %s from bgp_template {\n", nb->name);
	if (nb->local_as.set) /* R16 */
		put(o, "  local as %u;\n", nb->local_as.v);
	put(o, "  neighbor %s", rr_addr_str(&nb->peer, a)); /* R17 */
	if (nb->port)
		put(o, " port %u", nb->port);
	put(o, " as %u;\n", nb->remote_as.v);
	if (nb->source_address.set) /* R18 */
		put(o, "  source address %s;\n",
		    rr_addr_str(&nb->source_address.v, a));
	if (nb->ttl_security.set && nb->ttl_security.v) /* R19 */
		put(o, "  ttl security on;\n  multihop %u;\n",
		    nb->ttl_security.v);
	else
		put(o, "  ttl security off;\n  multihop;\n");
	/* R20, R21 (BGPFilters and priorities left out) */
	put(o, "  import all;\n");
	put(o, "  export filter {\n    calico_export_to_bgp_peers(%s);\n"
	       "    reject;\n  };\n",
	    nb->remote_as.v == local ? "true" : "false");
	if (nb->passive) /* R22 */
		put(o, "  passive on;\n");
	if (nb->graceful_restart.set) /* R23 */
		put(o, "  graceful restart time %u;\n", nb->graceful_restart.v);
	if (nb->keepalive.set) /* R24 */
		put(o, "  keepalive time %u;\n", nb->keepalive.v);
	if (nb->rr_client.set && nb->rr_client.v) { /* R25 */
		struct rr_addr c = rr_addr_from_v4(nb->rr_cluster_id.v);
		put(o, "  rr client;\n  rr cluster id %s;\n", rr_addr_str(&c, a));
	}
	password(o, m, nb, opts); /* R26 */
	if (nb->next_hop == RR_NH_KEEP) /* R27 */
		put(o, "  next hop keep;\n");
	else if (nb->next_hop == RR_NH_SELF) /* R28 */
		put(o, "  next hop self;\n");
	if (nb->allow_local_as.set && nb->allow_local_as.v) /* R29 */
		put(o, "  allow local as %u;\n", nb->allow_local_as.v);
	put(o, "}\n");
}

/* R6: the connected subnets, which resolve the BGP next hops (`gateway
 * recursive`); ignoredInterfaces first, then Calico's own exclusions. */
static void
direct(struct out *o, const struct rr_model *m)
{
	const struct rr_bgpconfig *d = default_config(m);
	size_t i;
	put(o, "protocol direct {\n  interface ");
	for (i = 0; d && i < d->nignored_interfaces; i++) {
		put(o, "-");
		put_quoted(o, d->ignored_interfaces[i]);
		put(o, ", ");
	}
	put(o, "-\"cali*\", -\"kube-ipvs*\", \"*\";\n}\n");
}

/* R32: what the node sends to its peers. */
static void
export_function(struct out *o, const struct rr_model *m, uint8_t af)
{
	char b[RR_PREFIX_STRLEN];
	size_t i;

	put(o, "function calico_export_to_bgp_peers(bool internal_peer)\n{\n");
	for (i = 0; i < m->calico.nippools; i++) {
		const struct rr_ippool *p = &m->calico.ippools[i];
		if (p->cidr.addr.af == af && p->disable_bgp_export.set &&
		    p->disable_bgp_export.v)
			put(o, "  if ( net ~ %s ) then { reject; } # BGP export "
			       "is disabled.\n",
			    rr_prefix_str(&p->cidr, b));
	}
	for (i = 0; i < m->calico.nippools; i++) {
		const struct rr_ippool *p = &m->calico.ippools[i];
		if (p->cidr.addr.af == af &&
		    !(p->disable_bgp_export.set && p->disable_bgp_export.v))
			put(o, "  if ( net ~ %s ) then { accept; }\n",
			    rr_prefix_str(&p->cidr, b));
	}
	put(o, "  reject;\n}\n");
}

int
emit_bird(const struct rr_model *m, const char *node, uint8_t af,
	  const struct emit_bird_opts *opts, char **out, size_t *len,
	  struct rr_diags *d)
{
	const struct rr_speaker *s = NULL;
	struct out o = {0};
	char a[RR_ADDR_STRLEN], b[RR_PREFIX_STRLEN];
	bool has_addr = false;
	size_t i;

	*out = NULL;
	*len = 0;
	for (i = 0; i < m->nspeakers; i++)
		if (m->speakers[i]->kind == RR_SPK_CALICO &&
		    !strcmp(m->speakers[i]->name, node))
			s = m->speakers[i];
	if (!s) {
		rr_diag_add(d, RR_SEV_ERROR, NULL, NULL,
			    "no Calico node named '%s' in the inputs", node);
		return -1;
	}
	if (!s->router_id.set) {
		/* R2: no IPv4 address and no CALICO_ROUTER_ID */
		rr_diag_add(d, RR_SEV_ERROR, NULL, &s->loc,
			    "node '%s' has no router id (no IPv4 address and "
			    "no CALICO_ROUTER_ID): BIRD cannot start",
			    node);
		return -1;
	}
	for (i = 0; i < s->naddrs; i++)
		has_addr |= s->addrs[i].p.addr.af == af;
	put(&o, "# BIRD 1.6 configuration for Calico node %s (%s), as "
		"calico-node renders it;\n# generated by rrkit.\n",
	    node, af == RR_AF_INET6 ? "bird6.cfg" : "bird.cfg");
	put(&o, "router id %s;\n", rr_addr_str(&s->router_id.v, a));
	/* R4: confd writes it even into a disabled family's file */
	if (s->listen_port.set || s->bind_node_ip) {
		put(&o, "listen bgp");
		if (s->bind_node_ip)
			for (i = 0; i < s->naddrs; i++)
				if (s->addrs[i].p.addr.af == af) {
					put(&o, " address %s",
					    rr_addr_str(&s->addrs[i].p.addr, a));
					break;
				}
		if (s->listen_port.set)
			put(&o, " port %u", s->listen_port.v);
		put(&o, ";\n");
	}
	/* kernel/device/direct stay in a disabled family's file (R3) */
	put(&o, "protocol kernel {\n  learn;\n  persist;\n  scan time 2;\n"
		"  import all;\n  export none; # calico_kernel_programming: "
		"left out\n  graceful restart;\n  merge paths on;\n}\n");
	put(&o, "protocol device {\n  scan time 2;\n}\n");
	direct(&o, m);
	if (!has_addr) { /* R3 */
		put(&o, "# %s disabled on this node.\n",
		    af == RR_AF_INET6 ? "IPv6" : "IPv4");
		*out = o.p;
		*len = o.n;
		return 0;
	}
	put(&o, "protocol static {\n");
	for (i = 0; i < s->noriginates; i++) { /* R30 */
		const struct rr_prefix *p = &s->originates[i].p;
		if (p->addr.af == af &&
		    p->len < (af == RR_AF_INET6 ? 128 : 32))
			put(&o, "  route %s blackhole;\n", rr_prefix_str(p, b));
	}
	put(&o, "}\n");
	export_function(&o, m, af);
	put(&o, "template bgp bgp_template {\n"
		"  description \"Connection to BGP peer\";\n"
		"  local as %u;\n"
		"  gateway recursive;\n"
		"  add paths on;\n"
		"  graceful restart;\n"
		"  connect delay time 2;\n"
		"  connect retry time 5;\n"
		"  error wait time 5,30;\n}\n",
	    s->asn.v);
	for (i = 0; i < s->nneighbors; i++)
		if (s->neighbors[i].family == af)
			session(&o, m, s, &s->neighbors[i], opts);
	*out = o.p;
	*len = o.n;
	return 0;
}
