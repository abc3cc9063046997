/*
 * emit_bird: the BIRD 1.6 configuration calico-node runs for one node, as
 * its confd renders it from Calico's templates
 * (node/filesystem/etc/calico/confd/templates/bird{,6}{,_aggr,_ipam}.cfg
 * .template, filled by confd/pkg/backends/calico/bgp_processor.go): byte
 * for byte, blank lines left out.  This file writes bird.cfg: the
 * communities function, kernel/device/direct protocols, router id and
 * listen, the bgp_template, the BGPFilter functions (bird_filter.c) and one
 * `protocol bgp` per session of the resolved model; bird_routes.c writes
 * bird_aggr.cfg and bird_ipam.cfg.
 *
 * Secrets: a password is written as the placeholder unless `o->secrets`
 * asks for the real value (a lab needs it; it is never the default).
 */
#include "emitters/bird_priv.h"

#include <stdarg.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
bput(struct bout *o, const char *fmt, ...)
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

void
bird_route_key(const struct rr_prefix *p, char buf[RR_PREFIX_STRLEN])
{
	char *slash;
	rr_prefix_str(p, buf);
	if ((slash = strchr(buf, '/')))
		*slash = '-';
}

bool
bird_has_addr(const struct bctx *b)
{
	size_t i;
	for (i = 0; i < b->s->naddrs; i++)
		if (b->s->addrs[i].p.addr.af == b->af)
			return true;
	return false;
}

static const struct rr_secret_kv *
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
				return &s->data[j];
	}
	return NULL;
}

/*
 * A BIRD 1.6 string literal.  BIRD's lexer (conf/cf-lex.l) reads
 * \"[^"\n]*\" with no escapes: every byte stands for itself, a backslash
 * too, and nothing can stand for a double quote or a line break.  Such a
 * string is refused (at `at`, naming `what`), never written: BIRD would
 * reject the file (confd writes it as it is, and calico-node's BIRD does).
 */
static void
put_quoted(struct bout *o, struct bctx *b, const char *s,
	   const struct rr_loc *at, const char *what)
{
	if (strpbrk(s, "\"\n")) {
		rr_diag_add(b->d, RR_SEV_ERROR, NULL, at,
			    "%s holds a double quote or a line break, which a "
			    "BIRD 1.6 string cannot: BIRD would refuse the "
			    "configuration",
			    what);
		b->rc = -1;
		return;
	}
	bput(o, "\"%s\"", s);
}

/* ------------------------------------------------------- debug */

/* getLogSeverityKVPair + populateNodeConfig: node.<name> wins over the
 * default; debug -> all, info or unset -> { states }, anything else ->
 * no debug lines. */
static const char *
log_level(const struct bctx *b)
{
	const struct rr_opt_str *l = NULL;
	if (b->node && b->node->log_severity_screen.set &&
	    *b->node->log_severity_screen.v)
		l = &b->node->log_severity_screen;
	else if (b->def && b->def->log_severity_screen.set &&
		 *b->def->log_severity_screen.v)
		l = &b->def->log_severity_screen;
	if (!l)
		return "";
	if (!strcasecmp(l->v, "debug"))
		return "debug";
	if (!strcasecmp(l->v, "info"))
		return "info";
	return "none";
}

static const char *
debug_mode(const struct bctx *b)
{
	const char *l = log_level(b);
	return !strcmp(l, "none") ? NULL : !strcmp(l, "debug") ? "all"
							       : "{ states }";
}

static const char *
peer_debug_mode(const struct bctx *b)
{
	const char *l = log_level(b);
	return !strcmp(l, "none")    ? NULL
	       : !strcmp(l, "debug") ? "debug all;"
				     : "debug { states, routes, filters, "
				       "events };";
}

/* ------------------------------------------------------- bird.cfg */

/* apply_communities(): prefixAdvertisements of this family. */
static void
communities(struct bout *o, const struct bctx *b)
{
	const struct rr_speaker *s = b->s;
	size_t i, j;

	bput(o, "function apply_communities ()\n{\n");
	for (i = 0; i < s->nadv_communities; i++) {
		const struct rr_community_rule *cr = &s->adv_communities[i];
		bool v6 = strchr(cr->cidr_text, ':') != NULL;
		if (v6 != (b->af == RR_AF_INET6) || !cr->nvalues)
			continue;
		bput(o, "      if ( net ~ %s ) then {\n", cr->cidr_text);
		for (j = 0; j < cr->nvalues; j++) {
			const char *c1 = strchr(cr->values[j], ':');
			const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
			if (c2)
				bput(o, "          bgp_large_community.add((%.*s, "
					"%.*s, %s));\n",
				     (int)(c1 - cr->values[j]), cr->values[j],
				     (int)(c2 - c1 - 1), c1 + 1, c2 + 1);
			else if (c1)
				bput(o, "          bgp_community.add((%.*s, "
					"%s));\n",
				     (int)(c1 - cr->values[j]), cr->values[j],
				     c1 + 1);
		}
		bput(o, "      }\n");
	}
	bput(o, "}\n");
}

static void
kernel_direct_templates(struct bout *o, struct bctx *b)
{
	const char *dm = debug_mode(b);
	size_t i;

	bput(o, "template kernel kernel_template {\n"
		"  learn;             # Learn all alien routes from the kernel\n"
		"  persist;           # Don't remove routes on bird shutdown\n"
		"  scan time 2;       # Scan kernel routing table every 2 "
		"seconds\n"
		"  import all;\n}\n");
	bput(o, "template direct direct_template {\n");
	if (dm)
		bput(o, "  debug %s;\n", dm);
	bput(o, "  interface ");
	for (i = 0; b->def && i < b->def->nignored_interfaces; i++) {
		bput(o, "-");
		put_quoted(o, b, b->def->ignored_interfaces[i],
			   &b->def->meta.loc, "an ignoredInterfaces entry");
		bput(o, ", ");
	}
	bput(o, "-\"cali*\", -\"kube-ipvs*\", \"*\";");
	if (!b->def || !b->def->nignored_interfaces)
		bput(o, " # Exclude cali* and kube-ipvs* but\n"
			"                                          # include "
			"everything else.  In\n"
			"                                          # IPVS-mode, "
			"kube-proxy creates a\n"
			"                                          # kube-ipvs0 "
			"interface. We exclude\n"
			"                                          # kube-ipvs0 "
			"because this interface\n"
			"                                          # gets an "
			"address for every in use\n"
			"                                          # cluster IP. "
			"We use static routes\n"
			"                                          # for when we "
			"legitimately want to\n"
			"                                          # export "
			"cluster IPs.");
	bput(o, "\n}\n");
}

static void
listen_line(struct bout *o, const struct bctx *b)
{
	const struct rr_speaker *s = b->s;
	const struct rr_addr *addr = NULL;
	char a[RR_ADDR_STRLEN];
	size_t i;

	if (s->bind_node_ip)
		for (i = 0; i < s->naddrs && !addr; i++)
			if (s->addrs[i].p.addr.af == b->af)
				addr = &s->addrs[i].p.addr;
	if (!addr && !s->listen_port.set)
		return;
	bput(o, "# BGP listen configuration\nlisten bgp");
	if (addr)
		bput(o, " address %s", rr_addr_str(addr, a));
	if (s->listen_port.set)
		bput(o, " port %u", s->listen_port.v);
	bput(o, ";\n");
}

static void
protocols(struct bout *o, struct bctx *b, bool self_contained)
{
	const char *dm = debug_mode(b);
	char a[RR_ADDR_STRLEN];

	bput(o, "# Generated by confd\n");
	if (self_contained) {
		bird_aggr(o, b);
		bird_ipam(o, b);
	} else {
		bput(o, "include \"%s\";\ninclude \"%s\";\n",
		     emit_bird_file_name(b->af, EMIT_BIRD_AGGR),
		     emit_bird_file_name(b->af, EMIT_BIRD_IPAM));
	}
	bput(o, "router id %s;\n", rr_addr_str(&b->s->router_id.v, a));
	listen_line(o, b);
	bput(o, "# Configure synchronization between routing tables and "
		"kernel.\n"
		"protocol kernel from kernel_template {\n"
		"  export filter calico_kernel_programming; # Default is "
		"export none\n"
		"  graceful restart;  # Turn on graceful restart to reduce "
		"potential flaps in\n"
		"                     # routes when reloading BIRD "
		"configuration.  With a full\n"
		"                     # automatic mesh, there is no way to "
		"prevent BGP from\n"
		"                     # flapping since multiple nodes update "
		"their BGP\n"
		"                     # configuration at the same time, GR is "
		"not guaranteed to\n"
		"                     # work correctly in this scenario.\n"
		"  merge paths on;    # Allow export multipath routes (ECMP)\n"
		"}\n"
		"# Watch interface up/down events.\n"
		"protocol device {\n");
	if (dm)
		bput(o, "  debug %s;\n", dm);
	bput(o, "  scan time 2;    # Scan interfaces every 2 seconds\n}\n"
		"protocol direct from direct_template {\n}\n");
}

static void
bgp_template(struct bout *o, const struct bctx *b)
{
	const char *pd = peer_debug_mode(b);
	bput(o, "# Template for all BGP clients\ntemplate bgp bgp_template {\n");
	if (pd)
		bput(o, "  %s\n", pd);
	bput(o, "  description \"Connection to BGP peer\";\n"
		"  local as %u;\n"
		"  gateway recursive; # This should be the default, but just "
		"in case.\n"
		"  add paths on;\n"
		"  graceful restart;  # See comment in kernel section about "
		"graceful restart.\n"
		"  connect delay time 2;\n"
		"  connect retry time 5;\n"
		"  error wait time 5,30;\n}\n",
	     b->s->asn.v);
}

static void
password(struct bout *o, struct bctx *b, const struct rr_neighbor *nb)
{
	const struct rr_secret_ref *ref = NULL;
	const struct rr_secret_kv *v = NULL;
	if (!nb->password.set || !nb->password.v)
		return;
	if (b->opts && b->opts->secrets) {
		if (nb->scope == RR_SCOPE_MESH)
			ref = b->def ? &b->def->node_mesh_password : NULL;
		else if (nb->bgppeer)
			ref = &nb->bgppeer->password;
		v = ref ? secret_value(b->m, ref) : NULL;
	}
	bput(o, "  password ");
	if (v)
		put_quoted(o, b, v->value, &v->at,
			   rr_arena_printf(&b->d->arena,
					   "the password in Secret '%s' key "
					   "'%s'",
					   ref->name, ref->key));
	else
		put_quoted(o, b, EMIT_BIRD_PASSWORD_PLACEHOLDER, NULL, "");
	bput(o, ";\n");
}

/* buildImportFilter / buildExportFilter. */
static void
peer_filters(struct bout *o, const struct bctx *b, const struct rr_neighbor *nb)
{
	bput(o, "  import filter {\n");
	bird_filter_calls(o, b, nb, true);
	bput(o, "    if (defined(bgp_local_pref)&&(bgp_local_pref > %u)) then\n"
		"      preference = 200;\n    accept;\n  };\n",
	     BIRD_INT_MAX - b->prio);
	bput(o, "  export filter {\n"
		"    if (defined(source) && source = RTS_BGP && "
		"defined(bgp_local_pref)) then {\n"
		"      krt_metric = %u - bgp_local_pref;\n"
		"    } else {\n"
		"      if (!defined(krt_metric)) then { krt_metric = %u; }\n"
		"      bgp_local_pref = %u - krt_metric;\n"
		"    }\n",
	     BIRD_INT_MAX, b->prio, BIRD_INT_MAX);
	bird_filter_calls(o, b, nb, false);
	bput(o, "    calico_export_to_bgp_peers(%s);\n    reject;\n"
		"  };  # Only want to export routes for workloads.\n",
	     nb->export_internal ? "true" : "false");
}

static void
session(struct bout *o, struct bctx *b, const struct rr_neighbor *nb)
{
	char a[RR_ADDR_STRLEN];

	bput(o, "protocol bgp %s from bgp_template {\n", nb->name);
	if (rr_nb_rare(nb)->local_as.set) /* R16 */
		bput(o, "  local as %u;\n", rr_nb_rare(nb)->local_as.v);
	bput(o, "  neighbor %s", rr_addr_str(&nb->peer, a)); /* R17 */
	if (nb->port)
		bput(o, " port %u", nb->port);
	bput(o, " as %u;\n", nb->remote_as.v);
	if (nb->source_address.set) /* R18 */
		bput(o, "  source address %s;  # The local address we use for "
			"the TCP connection\n",
		     rr_addr_str(&nb->source_address.v, a));
	if (nb->ttl_security.set && nb->ttl_security.v) /* R19 */
		bput(o, "  ttl security on;\n  multihop %u;\n",
		     nb->ttl_security.v);
	else
		bput(o, "  ttl security off;\n  multihop;\n");
	peer_filters(o, b, nb); /* R20, R21 */
	if (nb->passive) /* R22 */
		bput(o, "  passive on;\n");
	if (nb->graceful_restart.set) /* R23 */
		bput(o, "  graceful restart time %u;\n", nb->graceful_restart.v);
	if (nb->keepalive.set) /* R24 */
		bput(o, "  keepalive time %u;\n", nb->keepalive.v);
	if (nb->rr_client.set && nb->rr_client.v) { /* R25 */
		struct rr_addr c =
		        rr_addr_from_v4(rr_nb_rare(nb)->rr_cluster_id.v);
		bput(o, "  rr client;\n  rr cluster id %s;\n",
		     rr_addr_str(&c, a));
	}
	password(o, b, nb); /* R26 */
	if (nb->next_hop == RR_NH_KEEP) /* R27 */
		bput(o, "  next hop keep;\n");
	else if (nb->next_hop == RR_NH_SELF) /* R28 */
		bput(o, "  next hop self;\n");
	if (rr_nb_rare(nb)->allow_local_as.set &&
	    rr_nb_rare(nb)->allow_local_as.v) /* R29 */
		bput(o, "  allow local as %u;\n",
		     rr_nb_rare(nb)->allow_local_as.v);
	bput(o, "}\n");
}

static void
bird_main(struct bout *o, struct bctx *b, bool self_contained)
{
	size_t i, n = 0;

	communities(o, b);
	kernel_direct_templates(o, b);
	protocols(o, b, self_contained);
	if (!bird_has_addr(b)) { /* R3 */
		bput(o, "# IPv%d disabled on this node.\n", b->v);
		return;
	}
	bgp_template(o, b);
	bput(o, "# -------------- BGP Filters ------------------\n");
	bird_filter_functions(o, b);
	for (i = 0; i < b->s->nneighbors; i++)
		if (b->s->neighbors[i].family == b->af) {
			if (!n++)
				bput(o, "# BGP Protocol Configurations\n");
			session(o, b, &b->s->neighbors[i]);
		}
	if (!n)
		bput(o, "# No BGP peers configured for this node\n");
}

/* ------------------------------------------------------- entry */

const char *
emit_bird_file_name(uint8_t af, enum emit_bird_file f)
{
	static const char *const names[2][3] = {
		{"bird.cfg", "bird_aggr.cfg", "bird_ipam.cfg"},
		{"bird6.cfg", "bird6_aggr.cfg", "bird6_ipam.cfg"},
	};
	return names[af == RR_AF_INET6][f];
}

static int
setup(struct bctx *b, const struct rr_model *m, const char *node, uint8_t af,
      const struct emit_bird_opts *o, struct rr_diags *d)
{
	char name[300];
	size_t i;

	memset(b, 0, sizeof(*b));
	b->m = m;
	b->af = af == RR_AF_INET6 ? RR_AF_INET6 : RR_AF_INET;
	b->v = b->af == RR_AF_INET6 ? 6 : 4;
	b->opts = o;
	b->d = d;
	for (i = 0; i < m->nspeakers; i++)
		if (m->speakers[i]->kind == RR_SPK_CALICO &&
		    !strcmp(m->speakers[i]->name, node))
			b->s = m->speakers[i];
	if (!b->s) {
		rr_diag_add(d, RR_SEV_ERROR, NULL, NULL,
			    "no Calico node named '%s' in the inputs", node);
		return -1;
	}
	if (!b->s->router_id.set) {
		/* R2: no IPv4 address and no CALICO_ROUTER_ID; confd would
		 * write `router id ;`, which BIRD refuses */
		rr_diag_add(d, RR_SEV_ERROR, NULL, &b->s->loc,
			    "node '%s' has no router id (no IPv4 address and "
			    "no CALICO_ROUTER_ID): BIRD cannot start",
			    node);
		return -1;
	}
	b->def = rr_calico_config(&m->calico, "default");
	snprintf(name, sizeof(name), "node.%s", node);
	b->node = rr_calico_config(&m->calico, name);
	b->prio = 1024;
	if (b->def && b->v == 4 && b->def->ipv4_normal_route_priority.set)
		b->prio = b->def->ipv4_normal_route_priority.v;
	if (b->def && b->v == 6 && b->def->ipv6_normal_route_priority.set)
		b->prio = b->def->ipv6_normal_route_priority.v;
	return 0;
}

static int
render(const struct rr_model *m, const char *node, uint8_t af, int which,
       const struct emit_bird_opts *o, char **out, size_t *len,
       struct rr_diags *d)
{
	struct bctx b;
	struct bout t = {NULL, 0, 0};

	*out = NULL;
	*len = 0;
	if (setup(&b, m, node, af, o, d) < 0)
		return -1;
	switch (which) {
	case EMIT_BIRD_AGGR:
		bird_aggr(&t, &b);
		break;
	case EMIT_BIRD_IPAM:
		bird_ipam(&t, &b);
		break;
	default:
		bird_main(&t, &b, which < 0);
		break;
	}
	if (b.rc < 0) {
		free(t.p);
		return -1;
	}
	if (!t.p)
		bput(&t, "%s", "");
	*out = t.p;
	*len = t.n;
	return 0;
}

int
emit_bird_file(const struct rr_model *m, const char *node, uint8_t af,
	       enum emit_bird_file f, const struct emit_bird_opts *o,
	       char **out, size_t *len, struct rr_diags *d)
{
	return render(m, node, af, (int)f, o, out, len, d);
}

int
emit_bird(const struct rr_model *m, const char *node, uint8_t af,
	  const struct emit_bird_opts *o, char **out, size_t *len,
	  struct rr_diags *d)
{
	return render(m, node, af, -1, o, out, len, d);
}
