/*
 * rrkit model: the one representation every job reads.
 *
 * Parsers fill it (IOS text, Calico YAML), resolve turns the Calico
 * resources into calico-node speakers with their sessions, and after that
 * the model is read-only: validators, emitters and the simulator take
 * `const struct rr_model *`.  Everything carries a source location so a
 * diagnostic can point at the exact line that set a value.  All memory of a
 * model lives in its arena: rr_model_free() releases everything.
 *
 * This header depends on libc only.
 */
#ifndef RR_MODEL_H
#define RR_MODEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define RR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define RR_NORETURN __attribute__((noreturn))
#else
#define RR_PRINTF(f, a)
#define RR_NORETURN
#endif

/* ---------------------------------------------------------------- arena */

struct rr_arena_chunk;
struct rr_arena {
	struct rr_arena_chunk *head;
	size_t used_total; /* bytes handed out, for bench/peak figures */
	size_t expect;     /* rr_arena_expect */
};

void rr_arena_init(struct rr_arena *a);
/* Process-wide memory settings, once (see model/arena.c). */
void rr_mem_init(void);
void rr_arena_release(struct rr_arena *a);
/* The caller expects to allocate about `bytes` in all: an arena expecting
 * much takes big chunks from the start (fewer page faults). */
void rr_arena_expect(struct rr_arena *a, size_t bytes);
/* Free everything but the newest chunk, which is cleared and kept for what
 * comes next (scratch memory reused without fresh pages). */
void rr_arena_reset(struct rr_arena *a);
/* Zeroed, aligned for any type.  Never NULL: out of memory aborts. */
void *rr_arena_alloc(struct rr_arena *a, size_t size);
void *rr_arena_calloc(struct rr_arena *a, size_t n, size_t size);
char *rr_arena_strdup(struct rr_arena *a, const char *s);
char *rr_arena_strndup(struct rr_arena *a, const char *s, size_t n);
char *rr_arena_printf(struct rr_arena *a, const char *fmt, ...) RR_PRINTF(2, 3);
char *rr_arena_vprintf(struct rr_arena *a, const char *fmt, va_list ap)
	RR_PRINTF(2, 0);
/*
 * Grow an arena-backed array: *v has *n used of *cap elements of size
 * `size`; returns a pointer to a new zeroed element at index *n (and
 * increments *n).  Old storage stays in the arena (bump allocator).
 */
void *rr_arena_push(struct rr_arena *a, void **v, size_t *n, size_t *cap,
		    size_t size);
#define RR_PUSH(arena, vec, n, cap)                                          \
	((__typeof__(&(vec)[0]))rr_arena_push((arena), (void **)&(vec), &(n), \
					      &(cap), sizeof((vec)[0])))

/* Out of memory: one line on stderr ("rrkit: out of memory"), then exit
 * with status RR_EXIT_NOMEM (atexit handlers run: no temporary file stays). */
#define RR_EXIT_NOMEM 4
RR_NORETURN void rr_oom(void);
/* A broken invariant (a bug in rrkit, never bad input). */
RR_NORETURN void rr_bug(const char *file, int line, const char *msg);
#define RR_BUG(msg) rr_bug(__FILE__, __LINE__, (msg))
void *rr_xmalloc(size_t n);
void *rr_xcalloc(size_t n, size_t size);
void *rr_xrealloc(void *p, size_t n);
char *rr_xstrdup(const char *s);

/* ----------------------------------------------------------------- UTF-8 */

/* Length (1..4) of the well-formed UTF-8 character (RFC 3629 §4) that `s`
 * starts with, 0 when its first byte starts none.  `s` NUL-terminated. */
size_t rr_utf8_len(const char *s);
/* Code point `c` as UTF-8 (a surrogate or c > U+10FFFF as U+FFFD); its
 * length. */
size_t rr_utf8_put(uint32_t c, char out[4]);
/* `s` when it is valid UTF-8, else a copy in `a` where each byte that
 * starts no well-formed character is read as Latin-1 (ISO 8859-1, as an
 * IOS config saved on an old system is): what JSON, YAML and DOT outputs
 * write.  NULL stays NULL. */
const char *rr_utf8(struct rr_arena *a, const char *s);

/* ------------------------------------------------------------ locations */

/* 1-based line and column; line 0 means "no location". */
struct rr_loc {
	const char *file;
	uint32_t line;
	uint32_t col;
};

/* ---------------------------------------------------- addresses, prefixes */

enum rr_af { RR_AF_NONE = 0, RR_AF_INET = 4, RR_AF_INET6 = 6 };

struct rr_addr {
	uint8_t af; /* enum rr_af */
	uint8_t b[16]; /* network byte order; IPv4 in b[0..3] */
};

struct rr_prefix {
	struct rr_addr addr;
	uint8_t len;
};

#define RR_ADDR_STRLEN 46 /* INET6_ADDRSTRLEN */
#define RR_PREFIX_STRLEN 50

/* Parse "1.2.3.4" or "2001:db8::1".  Returns 0 or -1. */
int rr_addr_parse(const char *s, struct rr_addr *out);
/* Parse "A/len" (or a bare address: full length).  With `strict`, host bits
 * must be zero.  Returns 0, -1 on syntax, -2 when host bits are set. */
int rr_prefix_parse(const char *s, struct rr_prefix *out, bool strict);
/* "A" + dotted mask "255.255.255.0" (IOS); -1 if the mask is not contiguous */
int rr_prefix_from_mask(const char *addr, const char *mask, struct rr_prefix *out);
const char *rr_addr_str(const struct rr_addr *a, char buf[RR_ADDR_STRLEN]);
const char *rr_prefix_str(const struct rr_prefix *p, char buf[RR_PREFIX_STRLEN]);
int rr_addr_cmp(const struct rr_addr *a, const struct rr_addr *b);
bool rr_addr_eq(const struct rr_addr *a, const struct rr_addr *b);
bool rr_addr_is_set(const struct rr_addr *a);
/* Address with host bits cleared to the prefix length. */
struct rr_prefix rr_prefix_masked(const struct rr_prefix *p);
bool rr_prefix_contains(const struct rr_prefix *p, const struct rr_addr *a);
bool rr_prefix_overlaps(const struct rr_prefix *a, const struct rr_prefix *b);
int rr_prefix_cmp(const struct rr_prefix *a, const struct rr_prefix *b);
uint32_t rr_addr_v4(const struct rr_addr *a); /* host byte order */
struct rr_addr rr_addr_from_v4(uint32_t host_order);

/* ------------------------------------------------------------------ ASNs */

/*
 * Parse an ASN in asplain ("64512", 0..4294967295) or asdot ("1.10" =
 * 65546, each half 0..65535).  Returns 0 or -1; `why` (may be NULL) gets
 * a static reason on failure.  Range policy (0, 23456, ...) is lint's job.
 */
int rr_asn_parse(const char *s, uint32_t *out, const char **why);
#define RR_ASN_STRLEN 12
const char *rr_asn_str(uint32_t asn, char buf[RR_ASN_STRLEN]);

/* ---------------------------------------------------------- diagnostics */

enum rr_sev {
	RR_SEV_NOTE = 0,
	RR_SEV_WARNING,
	RR_SEV_ERROR,
	/* The input is unreadable or invalid (exit status 2). */
	RR_SEV_FATAL,
};

struct rr_diag_note {
	struct rr_loc loc;
	const char *msg;
};

/* A mechanical fix of a finding (SARIF "fixes"): replace `len` bytes of
 * line loc.line from column loc.col with `text` (len 0 inserts, "" deletes). */
struct rr_diag_fix {
	struct rr_loc loc;
	uint32_t len;
	const char *text;
	const char *what; /* "set remote-as to 64512" */
};

struct rr_diag {
	enum rr_sev sev;
	const char *rule; /* rule id, e.g. "parse-warning"; NULL for input errors */
	struct rr_loc loc;
	const char *msg;
	struct rr_diag_note *notes;
	size_t nnotes, capnotes;
	/* a finding of the analysis (analyze/): the sessions it keeps down
	 * and the (node, block) routes it keeps from arriving */
	uint64_t sessions, routes;
	struct rr_diag_fix *fixes; /* where the fix is mechanical */
	size_t nfixes, capfixes;
};

/* Where a secret is written: from column `col` to the end of line `line`
 * (rr_diags_secret). */
struct rr_secret_at {
	uint32_t line, col;
};

/* A source text the renderer may quote (caret lines).  Not owned. */
struct rr_source {
	const char *path;
	const char *text;
	size_t len;
	struct rr_secret_at *secrets; /* sorted by line */
	size_t nsecrets, capsecrets;
	size_t *lines; /* line start offsets, built when a secret needs them */
	size_t nlines;
};

struct rr_diags {
	struct rr_arena arena;
	struct rr_diag *v;
	size_t n, cap;
	size_t count[RR_SEV_FATAL + 1];
	struct rr_source *src;
	size_t nsrc, capsrc;
	size_t limit; /* stop recording past this many (0 = 10000) */
	size_t dropped;
	struct rr_diag overflow; /* returned past the limit; never rendered */
	size_t last_src; /* rr_diags_secret's lookup cache */
};

void rr_diags_init(struct rr_diags *d);
void rr_diags_release(struct rr_diags *d);
/* Returns the new diagnostic (to attach notes), never NULL. */
struct rr_diag *rr_diag_add(struct rr_diags *d, enum rr_sev sev,
			    const char *rule, const struct rr_loc *loc,
			    const char *fmt, ...) RR_PRINTF(5, 6);
struct rr_diag *rr_diag_vadd(struct rr_diags *d, enum rr_sev sev,
			     const char *rule, const struct rr_loc *loc,
			     const char *fmt, va_list ap) RR_PRINTF(5, 0);
void rr_diag_note(struct rr_diags *d, struct rr_diag *diag,
		  const struct rr_loc *loc, const char *fmt, ...)
	RR_PRINTF(4, 5);
/* A mechanical fix of `diag` (struct rr_diag_fix); strings are copied. */
void rr_diag_fix(struct rr_diags *d, struct rr_diag *diag,
		 const struct rr_loc *loc, uint32_t len, const char *text,
		 const char *what);
void rr_diags_add_source(struct rr_diags *d, const char *path,
			 const char *text, size_t len);
const struct rr_source *rr_diags_source(const struct rr_diags *d,
					const char *path);
/* Every source of `from`, with its secrets (a filtered copy of a sink). */
void rr_diags_add_sources(struct rr_diags *to, const struct rr_diags *from);
/*
 * Secrets in sources.  A parser registers where a secret is written (an
 * IOS password, a Kubernetes Secret's value) before it adds diagnostics
 * about that line; from then on no rendering quotes it: a source excerpt
 * shows "<hidden>" from `col` to the end of the line, and the secret's
 * words are replaced by "<hidden>" in the messages and notes of that line.
 * `col` is a diagnostic's column (1-based); a source that was not added
 * with rr_diags_add_source() cannot be quoted and is ignored.
 */
void rr_diags_secret(struct rr_diags *d, const char *path, uint32_t line,
		     uint32_t col);
/* The column from which line `line` of `s` is secret, or 0. */
uint32_t rr_source_secret_col(const struct rr_source *s, uint32_t line);
/*
 * Messages and notes quote input values cut to this many bytes (on a
 * character boundary) followed by "...": a 5 MB value gives a short message.
 */
#define RR_DIAG_MAX_VALUE 256
bool rr_diags_has_fatal(const struct rr_diags *d);
/* Sort by file, line, col (stable). */
void rr_diags_sort(struct rr_diags *d);

/* --------------------------------------------------- optional settings */

/*
 * A setting as written: whether it was set, its value, where, and through
 * which peer-group or template it was inherited (NULL when written on the
 * neighbor itself).
 */
#define RR_OPT_FIELDS                                                        \
	bool set;                                                            \
	struct rr_loc at;                                                    \
	const char *via
/* A small value sits next to `set` (no padding: 32 bytes, not 40;
 * a neighbor holds dozens).  Initialize by field name only. */
struct rr_opt_u32 { bool set; uint32_t v; struct rr_loc at; const char *via; };
struct rr_opt_bool { bool set; bool v; struct rr_loc at; const char *via; };
struct rr_opt_str { RR_OPT_FIELDS; const char *v; };
struct rr_opt_addr {
	bool set;
	struct rr_addr v;
	struct rr_loc at;
	const char *via;
};

/* -------------------------------------------------------------- labels */

struct rr_label {
	const char *key, *value;
	struct rr_loc loc;
};
struct rr_labels {
	struct rr_label *v;
	size_t n, cap;
};
const char *rr_labels_get(const struct rr_labels *l, const char *key);
/* Set or replace. */
void rr_labels_set(struct rr_arena *a, struct rr_labels *l, const char *key,
		   const char *value, const struct rr_loc *loc);

/* ------------------------------------------------------------ selectors */

/* A parsed Calico selector (parsers/selector.c builds it, anyone may
 * evaluate it: rr_selector_eval lives in model/ so validate and bgpsim can
 * use it without the parser). */
enum rr_sel_op {
	RR_SEL_ALL, /* all(), global(), empty */
	RR_SEL_HAS,
	RR_SEL_EQ,
	RR_SEL_NE,
	RR_SEL_IN,
	RR_SEL_NOTIN,
	RR_SEL_CONTAINS,
	RR_SEL_STARTS,
	RR_SEL_ENDS,
	RR_SEL_NOT,
	RR_SEL_AND,
	RR_SEL_OR,
};
struct rr_selector {
	enum rr_sel_op op;
	bool is_global; /* written global() */
	const char *label; /* HAS, EQ..ENDS, IN, NOTIN */
	const char *value; /* EQ..ENDS */
	const char **set; /* IN, NOTIN: sorted, unique */
	size_t nset;
	struct rr_selector *a, *b; /* NOT (a), AND/OR (a, b) */
};
bool rr_selector_eval(const struct rr_selector *s, const struct rr_labels *l);
/* Canonical text (libcalico-go selector String()), allocated in the arena. */
const char *rr_selector_str(struct rr_arena *a, const struct rr_selector *s);

/* ---------------------------------------------------- Calico resources */

/*
 * Calico resources as written (one struct per kind).  Every field keeps the
 * location of its value; `loc` is the document start.  Field names follow
 * the YAML names.  `api` is the apiVersion text.
 */
struct rr_secret_ref {
	RR_OPT_FIELDS;
	const char *name, *key;
};

struct rr_meta {
	const char *name;
	const char *api; /* "projectcalico.org/v3", "crd.projectcalico.org/v1", "v1" */
	struct rr_loc loc; /* the document / list item */
	struct rr_loc name_at;
	struct rr_labels labels;
	size_t order; /* position in the input, across files */
};

struct rr_cidr_ent {
	struct rr_prefix p;
	struct rr_loc at;
	const char *text; /* as written ("10.0.0.1" has no prefix length) */
};

struct rr_community_def {
	const char *name, *value;
	struct rr_loc at;
};

struct rr_prefix_adv {
	struct rr_prefix cidr;
	const char **communities;
	size_t ncommunities, capc;
	struct rr_loc at;
	const char *cidr_text; /* as written (confd prints it verbatim) */
};

struct rr_bgpconfig {
	struct rr_meta meta;
	struct rr_opt_str log_severity_screen;
	struct rr_opt_bool node_to_node_mesh_enabled;
	struct rr_opt_u32 as_number;
	struct rr_cidr_ent *service_cluster_ips;
	size_t nservice_cluster_ips, cap1;
	struct rr_cidr_ent *service_external_ips;
	size_t nservice_external_ips, cap2;
	struct rr_cidr_ent *service_lb_ips;
	size_t nservice_lb_ips, cap3;
	struct rr_opt_str service_lb_aggregation;
	struct rr_community_def *communities;
	size_t ncommunities, cap4;
	struct rr_prefix_adv *prefix_advertisements;
	size_t nprefix_advertisements, cap5;
	struct rr_opt_u32 listen_port;
	struct rr_secret_ref node_mesh_password;
	struct rr_opt_u32 node_mesh_max_restart_time; /* seconds */
	struct rr_opt_str bind_mode; /* None | NodeIP */
	const char **ignored_interfaces;
	size_t nignored_interfaces, cap6;
	struct rr_opt_addr local_workload_peering_ipv4, local_workload_peering_ipv6;
	struct rr_opt_str program_cluster_routes;
	struct rr_opt_u32 ipv4_normal_route_priority, ipv6_normal_route_priority;
};

enum rr_next_hop_mode {
	RR_NH_AUTO = 0, /* unset or Auto: BIRD default */
	RR_NH_SELF,
	RR_NH_KEEP,
};

struct rr_bgppeer {
	struct rr_meta meta;
	struct rr_opt_str node;
	struct rr_opt_str node_selector_text; /* as written */
	const struct rr_selector *node_selector; /* NULL: absent or invalid */
	struct rr_opt_str peer_ip_text; /* as written, may carry :port */
	struct rr_addr peer_ip; /* host part, parsed */
	uint16_t peer_port; /* 0 = none given */
	struct rr_opt_str peer_selector_text;
	const struct rr_selector *peer_selector;
	struct rr_opt_u32 as_number;
	struct rr_opt_u32 local_as_number;
	struct rr_opt_bool keep_original_next_hop;
	struct rr_opt_str next_hop_mode_text;
	enum rr_next_hop_mode next_hop_mode;
	struct rr_secret_ref password;
	struct rr_opt_str source_address; /* UseNodeIP | None */
	struct rr_opt_u32 max_restart_time; /* seconds, rounded */
	struct rr_opt_u32 keepalive_time; /* seconds, rounded */
	struct rr_opt_u32 num_allowed_local_as_numbers;
	struct rr_opt_u32 ttl_security;
	struct rr_opt_addr reachable_by;
	const char **filters;
	size_t nfilters, capf;
	struct rr_opt_str local_workload_selector_text;
	const struct rr_selector *local_workload_selector;
	struct rr_opt_str reverse_peering; /* Auto | Manual */
	/* A selector scalar that carried a YAML tag (`nodeSelector: !has(x)`
	 * unquoted): the value is lost and the peer turns global. */
	struct rr_loc tagged_selector_at;
	struct rr_loc *filters_at; /* where each filters[] entry is written */
};

struct rr_node {
	struct rr_meta meta;
	bool k8s; /* Kubernetes v1 Node with projectcalico.org annotations */
	bool has_bgp; /* spec.bgp present (v3) / any BGP annotation (k8s) */
	struct rr_opt_str ipv4_address_text;
	struct rr_prefix ipv4_address; /* address + subnet length; af 0 if unset */
	struct rr_opt_str ipv6_address_text;
	struct rr_prefix ipv6_address;
	struct rr_opt_u32 as_number;
	struct rr_opt_str route_reflector_cluster_id_text;
	struct rr_opt_addr route_reflector_cluster_id; /* IPv4 */
	struct rr_opt_addr ipv4_ipip_tunnel_addr;
	struct rr_prefix *pod_cidrs; /* spec.podCIDRs (k8s) */
	size_t npod_cidrs, capp;
	/* spec.wireguard.interfaceIPv4Address / IPv6 (or the k8s
	 * annotations): Felix routes to WireGuard peers, not BIRD */
	struct rr_opt_addr wireguard_ipv4, wireguard_ipv6;
};

struct rr_ippool {
	struct rr_meta meta;
	struct rr_opt_str cidr_text;
	struct rr_prefix cidr;
	struct rr_opt_u32 block_size;
	struct rr_opt_str ipip_mode, vxlan_mode; /* Never | Always | CrossSubnet */
	struct rr_opt_bool nat_outgoing, disabled, disable_bgp_export;
	struct rr_opt_str node_selector_text;
	const struct rr_selector *node_selector;
	const char **allowed_uses;
	size_t nallowed_uses, capu;
};

struct rr_block_affinity {
	struct rr_meta meta;
	struct rr_opt_str node;
	struct rr_prefix cidr;
	struct rr_loc cidr_at;
	struct rr_opt_str state; /* confirmed (or empty) | pending | pendingDeletion */
	struct rr_opt_bool deleted;
};

/* One operation of an Accept rule (BGPFilterOperation: exactly one of
 * addCommunity, prependASPath, setPriority). */
enum rr_bgpfilter_opk {
	RR_BFOP_ADD_COMMUNITY = 0,
	RR_BFOP_PREPEND_AS_PATH,
	RR_BFOP_SET_PRIORITY,
};
struct rr_bgpfilter_op {
	enum rr_bgpfilter_opk kind;
	const char *community; /* ADD_COMMUNITY: "a:b" or "a:b:c" as written */
	uint32_t *asns;        /* PREPEND_AS_PATH: the prefix, in order */
	size_t nasns, capasns;
	uint32_t priority;     /* SET_PRIORITY */
	struct rr_loc at;
};

struct rr_bgpfilter_rule {
	const char *action, *cidr, *match_operator, *source, *interface,
		*peer_type;
	int32_t prefix_min, prefix_max; /* -1 unset */
	struct rr_loc at;
	struct rr_prefix cidr_p;  /* cidr parsed; af 0 when absent or invalid */
	bool prefix_length;       /* prefixLength written (min/max may not be) */
	const char *community;    /* communities.values[0] as written */
	uint32_t *as_path_prefix; /* asPathPrefix, in order */
	size_t nas_path_prefix, capasp;
	struct rr_opt_u32 priority;
	struct rr_bgpfilter_op *ops; /* operations, in order */
	size_t nops, capops;
};
struct rr_bgpfilter {
	struct rr_meta meta;
	/* export v4, import v4, export v6, import v6 */
	struct rr_bgpfilter_rule *rules[4];
	size_t nrules[4], caprules[4];
};

struct rr_secret_kv {
	const char *key;
	const char *value; /* kept only to resolve presence; never printed */
	struct rr_loc at;
};
struct rr_secret {
	struct rr_meta meta;
	const char *namespace_;
	struct rr_secret_kv *data;
	size_t ndata, capd;
};

/* A local workload (pod) that a localWorkloadSelector BGPPeer selected,
 * as calico-node's endpoint-status files record it (R15).  `node` NULL:
 * local to whichever node reads the file. */
struct rr_workload {
	const char *name, *iface, *bgp_peer, *node;
	struct rr_prefix *nets;
	size_t nnets, capn;
	struct rr_loc loc;
};

/* A Kubernetes address as written, parsed (af 0 when it is not an IP). */
struct rr_k8s_ip {
	struct rr_addr a;
	const char *text;
	struct rr_loc at;
};

/* Kubernetes v1 Service: what calico-node's route generator reads to
 * advertise a Service's own addresses (Calico confd routes.go). */
struct rr_k8s_service {
	struct rr_meta meta;
	const char *namespace_; /* "default" when not written */
	struct rr_opt_str type; /* ClusterIP (default), NodePort, LoadBalancer, ... */
	struct rr_opt_str external_traffic_policy; /* Cluster | Local */
	struct rr_opt_str cluster_ip; /* spec.clusterIP ("None": headless) */
	struct rr_k8s_ip *cluster_ips; /* spec.clusterIPs, else clusterIP */
	size_t ncluster_ips, cap1;
	struct rr_k8s_ip *external_ips; /* spec.externalIPs */
	size_t nexternal_ips, cap2;
	struct rr_k8s_ip *lb_ingress; /* status.loadBalancer.ingress[].ip */
	size_t nlb_ingress, cap3;
	struct rr_k8s_ip lb_ip; /* spec.loadBalancerIP (text NULL: unset) */
	/* spec.ipFamilies, else the families of the cluster IPs (what the
	 * API server defaults it to) */
	bool family_v4, family_v6;
};

struct rr_k8s_endpoint {
	struct rr_k8s_ip *addresses;
	size_t naddresses, capa;
	const char *node_name; /* NULL: not written */
	struct rr_opt_bool ready; /* conditions.ready; unset counts as ready */
	struct rr_loc at;
};

/* discovery.k8s.io/v1 EndpointSlice. */
struct rr_endpoint_slice {
	struct rr_meta meta;
	const char *namespace_; /* "default" when not written */
	const char *service_name; /* label kubernetes.io/service-name */
	const char *address_type; /* IPv4 | IPv6 | FQDN */
	struct rr_k8s_endpoint *endpoints;
	size_t nendpoints, cape;
};

struct rr_calico {
	struct rr_bgpconfig *bgpconfigs;
	size_t nbgpconfigs, cap1;
	struct rr_bgppeer *bgppeers;
	size_t nbgppeers, cap2;
	struct rr_node *nodes;
	size_t nnodes, cap3;
	struct rr_ippool *ippools;
	size_t nippools, cap4;
	struct rr_block_affinity *affinities;
	size_t naffinities, cap5;
	struct rr_bgpfilter *bgpfilters;
	size_t nbgpfilters, cap6;
	struct rr_secret *secrets;
	size_t nsecrets, cap7;
	struct rr_workload *workloads;
	size_t nworkloads, cap8;
	struct rr_k8s_service *services;
	size_t nservices, cap9;
	struct rr_endpoint_slice *endpoint_slices;
	size_t nendpoint_slices, cap10;
	size_t next_order;
	/* CALICO_ROUTER_ID as calico-node's env would set it (NULL = unset). */
	const char *router_id_env;
};

/* ------------------------------------------------- IOS route policy */

/*
 * Route policy objects of an IOS router as written (route-map, ip
 * prefix-list, ip as-path access-list, ip community-list), each entry with
 * its location.  Evaluation lives in model/policy.c (libc only).  The
 * regular expressions of as-path and expanded community lists are compiled
 * by the parser (pcre2, the only module allowed to link it) and matched
 * through `match`: callers outside parsers/ never see pcre2.
 */
struct rr_regex {
	const char *text; /* as written (IOS syntax, `_` included) */
	const char *pcre; /* the translation compiled; NULL: did not compile */
	void *code, *data, *mctx; /* opaque, allocated in the model's arena */
	/* 1 match, 0 no match, -1 the match could not be decided (a
	 * resource limit: hostile pattern).  Reuses the match data: one
	 * model is matched from one thread at a time. */
	int (*match)(const struct rr_regex *re, const char *s, size_t n);
};

/* What a policy decides for a route. */
enum rr_policy_verdict {
	RR_POLICY_DENY = 0,
	RR_POLICY_PERMIT,
	/* a clause rrkit does not evaluate decided it (ACL, continue, ...) */
	RR_POLICY_UNKNOWN,
};

struct rr_pl_entry {
	uint32_t seq;
	bool permit;
	struct rr_prefix p;
	uint8_t ge, le; /* 0: not written */
	struct rr_loc at;
};
struct rr_prefix_list {
	const char *name;
	uint8_t af; /* RR_AF_INET (ip prefix-list) or RR_AF_INET6 */
	struct rr_pl_entry *v; /* sorted by seq */
	size_t n, cap;
	struct rr_loc at; /* first line */
};

struct rr_aspath_entry {
	bool permit;
	struct rr_regex re;
	struct rr_loc at;
};
struct rr_aspath_list {
	const char *name; /* "1".."500" or a name */
	struct rr_aspath_entry *v; /* in configuration order */
	size_t n, cap;
	struct rr_loc at;
};

/* Well-known communities (RFC 1997, RFC 8326). */
#define RR_COMM_NO_EXPORT 0xFFFFFF01u
#define RR_COMM_NO_ADVERTISE 0xFFFFFF02u
#define RR_COMM_LOCAL_AS 0xFFFFFF03u /* NO_EXPORT_SUBCONFED */
#define RR_COMM_GSHUT 0xFFFF0000u

struct rr_comm_entry {
	bool permit;
	/* standard: every community listed must be on the route; `internet`
	 * alone (n == 0, any) matches every route */
	uint32_t *comms;
	size_t ncomms, capc;
	bool any;
	struct rr_regex re; /* expanded lists */
	struct rr_loc at;
};
struct rr_community_list {
	const char *name; /* "1".."500" or a name */
	bool expanded; /* 100-500, or `expanded NAME` */
	struct rr_comm_entry *v; /* in configuration order */
	size_t n, cap;
	struct rr_loc at;
};

enum rr_rm_match_kind {
	RR_RM_MATCH_PREFIX_LIST = 0, /* match ip[v6] address prefix-list N.. */
	RR_RM_MATCH_AS_PATH,         /* match as-path N.. */
	RR_RM_MATCH_COMMUNITY,       /* match community N.. [exact-match] */
	RR_RM_MATCH_OTHER,           /* anything else: not evaluated */
};
struct rr_rm_match {
	enum rr_rm_match_kind kind;
	const char **names; /* any one of them matching is a match */
	size_t nnames, capn;
	bool exact; /* community exact-match */
	bool ipv6;  /* match ipv6 address prefix-list */
	const char *text; /* the line after `match`, for messages */
	struct rr_loc at;
};

enum rr_rm_set_kind {
	RR_RM_SET_LOCAL_PREF = 0, /* set local-preference N */
	RR_RM_SET_WEIGHT,         /* set weight N */
	RR_RM_SET_METRIC,         /* set metric N (`+N`/`-N`: delta) */
	RR_RM_SET_NEXT_HOP,       /* set ip next-hop A */
	RR_RM_SET_NEXT_HOP_PEER,  /* set ip next-hop peer-address */
	RR_RM_SET_NEXT_HOP_SELF,  /* set ip next-hop self */
	RR_RM_SET_COMMUNITY,      /* set community C.. [additive] | none */
	RR_RM_SET_COMM_DELETE,    /* set comm-list L delete */
	RR_RM_SET_PREPEND,        /* set as-path prepend A.. | last-as N */
	RR_RM_SET_ORIGIN,         /* set origin igp|egp|incomplete: v 0|1|2 */
	RR_RM_SET_OTHER,          /* anything else: not applied */
};
struct rr_rm_set {
	enum rr_rm_set_kind kind;
	uint32_t v;       /* local-pref, weight, metric, origin, last-as N */
	int8_t delta;     /* metric: +1 add v, -1 subtract v, 0 set */
	bool additive;    /* community */
	bool none;        /* set community none */
	bool last_as;     /* prepend last-as v */
	struct rr_addr nh;
	uint32_t *list; /* communities, or ASNs to prepend (in order) */
	size_t nlist, caplist;
	const char *name; /* comm-list name */
	const char *text; /* the line after `set` */
	struct rr_loc at;
};

struct rr_rm_entry {
	uint32_t seq;
	bool permit;
	struct rr_rm_match *matches; /* all must match (AND) */
	size_t nmatches, capm;
	struct rr_rm_set *sets;
	size_t nsets, caps;
	bool has_continue; /* `continue [N]`: not evaluated */
	struct rr_loc at;
};
struct rr_route_map {
	const char *name;
	struct rr_rm_entry *v; /* sorted by seq */
	size_t n, cap;
	struct rr_loc at;
};

/* The facts of a route a policy looks at. */
struct rr_route_facts {
	struct rr_prefix prefix;
	const char *aspath; /* IOS text: "65001 65002 {1,2}", "" when empty */
	const uint32_t *comms;
	size_t ncomms;
};

/* What the permitting route-map entry sets (fields .set when written). */
struct rr_rm_actions {
	const struct rr_rm_entry *entry; /* NULL: denied or no entry */
	const struct rr_rm_set *v[RR_RM_SET_OTHER + 1]; /* last of each kind */
	bool other; /* a set clause rrkit does not apply */
};

struct rr_speaker; /* below */
const struct rr_route_map *rr_route_map_find(const struct rr_speaker *s,
					     const char *name);
const struct rr_prefix_list *rr_prefix_list_find(const struct rr_speaker *s,
						 const char *name, uint8_t af);
const struct rr_aspath_list *rr_aspath_list_find(const struct rr_speaker *s,
						 const char *name);
const struct rr_community_list *
rr_community_list_find(const struct rr_speaker *s, const char *name);
/* IOS semantics: the first entry that matches decides, none: deny. */
enum rr_policy_verdict rr_prefix_list_eval(const struct rr_prefix_list *l,
					   const struct rr_prefix *p);
enum rr_policy_verdict rr_aspath_list_eval(const struct rr_aspath_list *l,
					   const char *aspath);
/* `new_format`: `ip bgp-community new-format` (expanded lists then match
 * "AA:NN" text, else the 32-bit decimal IOS shows). */
enum rr_policy_verdict rr_community_list_eval(const struct rr_community_list *l,
					      const uint32_t *c, size_t n,
					      bool new_format);
/*
 * A route-map on a route, as IOS applies it: entries in sequence order,
 * the first whose match clauses all match decides (no clause: matches);
 * permit applies its set clauses (`act`, may be NULL); no entry matches:
 * deny.  An undefined route-map (rm NULL) denies everything; a match
 * clause naming an undefined list does not match.  RR_POLICY_UNKNOWN when
 * a clause rrkit does not evaluate (RR_RM_MATCH_OTHER, `continue`) could
 * have decided.
 */
enum rr_policy_verdict rr_route_map_eval(const struct rr_speaker *s,
					 const struct rr_route_map *rm,
					 const struct rr_route_facts *r,
					 struct rr_rm_actions *act);

/* ------------------------------------------- IOS interfaces, IGPs, VRFs */

/* First-hop redundancy protocols: a virtual address a group of routers
 * answers ARP for.  BGP never runs on it: not one of the router's own
 * addresses. */
enum rr_fhrp {
	RR_FHRP_HSRP = 1, /* standby [N] ip A [secondary] */
	RR_FHRP_VRRP,     /* vrrp N ip A [secondary] | VRRPv3 address A */
	RR_FHRP_GLBP,     /* glbp N ip A [secondary] */
};
struct rr_vip {
	enum rr_fhrp proto;
	uint32_t group;
	struct rr_addr addr;
	bool secondary;
	const char *iface; /* canonical name */
	const char *vrf;   /* the interface's VRF, NULL: default */
	struct rr_loc at;
};

/* An IGP process (router ospf|ospfv3|isis|eigrp|rip): rrkit does not
 * model IGPs, so reachability through one is assumed, never judged. */
struct rr_igp {
	const char *proto; /* "ospf", "ospfv3", "isis", "eigrp", "rip" */
	const char *id;    /* process id / tag / AS as written, may be NULL */
	const char *vrf;
	struct rr_loc at;
};

/* `vrf definition X` / `ip vrf X` */
struct rr_vrf {
	const char *name;
	struct rr_loc at;
};

struct rr_asn_at {
	uint32_t asn;
	struct rr_loc at;
};
/* A list of ASNs as written (alternate-as), with the line's location. */
struct rr_opt_asns {
	RR_OPT_FIELDS;
	const struct rr_asn_at *v;
	size_t n;
};

/* ----------------------------------------------------- speakers, sessions */

enum rr_speaker_kind { RR_SPK_IOS = 0, RR_SPK_CALICO };

/* Calico session scopes (BIRD protocol name prefixes, R15 in resolve/resolve.h). */
enum rr_scope {
	RR_SCOPE_NONE = 0, /* IOS neighbors */
	RR_SCOPE_MESH,
	RR_SCOPE_GLOBAL,
	RR_SCOPE_NODE,
	RR_SCOPE_LOCAL_WORKLOAD,
};

/* Address families a neighbor is activated in (IOS). */
enum rr_afi_safi {
	RR_AFS_IPV4 = 0, /* ipv4 unicast */
	RR_AFS_IPV6,
	RR_AFS_VPNV4,
	RR_AFS_VPNV6,
	RR_AFS_IPV4_MULTICAST,
	RR_AFS_OTHER,
	RR_AFS_COUNT
};

struct rr_neighbor {
	struct rr_loc loc; /* the line that defines it (remote-as, BGPPeer, ...) */
	/* BIRD protocol name for Calico (Node_192_168_1_1), NULL for IOS */
	const char *name;
	enum rr_scope scope;

	bool is_range; /* IOS bgp listen range: `range` instead of `peer` */
	struct rr_prefix range;
	struct rr_addr peer;
	uint16_t port; /* 0 = default (179) */
	const char *vrf; /* NULL = default VRF */

	struct rr_opt_u32 remote_as;
	struct rr_opt_bool rr_client;
	bool passive; /* never initiates (Calico passive on, IOS listen range) */

	struct rr_opt_bool password; /* a password is configured */
	uint64_t password_hash; /* FNV-1a of the secret, for comparison only */
	bool password_unresolved; /* Calico Secret/key not found */

	/* IOS: activation in IPv4 and IPv6 unicast after `bgp default
	 * ipv4-unicast` is applied (af[RR_AFS_IPV4].set false and .v true =
	 * implied); every family, these two included: rr_nb_af(n, k). */
	struct rr_opt_bool af[RR_AFS_IPV6 + 1];
	uint8_t family; /* Calico: RR_AF_INET (bird.cfg) or RR_AF_INET6 */

	struct rr_opt_str update_source; /* IOS interface name */
	struct rr_opt_addr source_address; /* resolved local address, if known */
	struct rr_opt_bool shutdown;
	struct rr_opt_u32 keepalive, hold;  /* seconds */
	struct rr_opt_u32 graceful_restart; /* seconds (Calico) */
	struct rr_opt_str description;
	struct rr_opt_u32 ebgp_multihop; /* TTL */
	struct rr_opt_u32 ttl_security; /* hops */
	enum rr_next_hop_mode next_hop;
	struct rr_opt_bool next_hop_self; /* IOS next-hop-self */
	bool next_hop_self_all;
	struct rr_opt_str send_community;
	const char *peer_group; /* IOS peer-group it belongs to */
	const char *session_template, *policy_template;
	const char **filters; /* Calico BGPFilter names */
	size_t nfilters;

	/* Calico: the BGPPeer resource (NULL for mesh) and the node that is
	 * the remote when it is a Calico node (NULL otherwise). */
	const struct rr_bgppeer *bgppeer;
	const char *remote_node;
	bool export_internal; /* calico_export_to_bgp_peers(true) */

	/* settings few neighbors have: read them with rr_nb_rare(n), set
	 * them with rr_nb_rare_set() */
	struct rr_nb_rare *rare;
};

/*
 * Per-neighbor settings few neighbors have, apart so a neighbor without
 * any stays small (the 20,000 sessions of 5,000 nodes and two reflectors
 * hold none).  All .set when written; inherited values carry .via like
 * the rest.  rr_nb_rare(n) never returns NULL: a neighbor without them
 * reads rr_nb_rare_none (nothing set).
 */
struct rr_nb_rare {
	struct rr_opt_u32 local_as; /* IOS local-as / Calico localASNumber */
	struct rr_opt_u32
	        rr_cluster_id;      /* Calico: `rr cluster id` (IPv4 as u32) */
	struct rr_opt_u32 min_hold; /* seconds (IOS timers K H M) */
	struct rr_opt_str route_map_in, route_map_out;
	struct rr_opt_u32 allow_local_as; /* Calico numAllowedLocalASNumbers */
	/* Calico reachableBy: confd routes the peer's address (/32, /128)
	 * via this gateway, so the session goes through it or nowhere */
	struct rr_opt_addr reachable_by;
	/* IOS activation in the families past IPv6 unicast (VPNv4 ...):
	 * af_more[k - RR_AFS_VPNV4]; read with rr_nb_af(n, k) */
	struct rr_opt_bool af_more[RR_AFS_COUNT - RR_AFS_VPNV4];
	struct rr_opt_asns alternate_as; /* remote-as A alternate-as B C .. */
	struct rr_opt_bool as_override;
	struct rr_opt_u32 allowas_in; /* N (`allowas-in` alone: 3) */
	struct rr_opt_u32 weight;
	struct rr_opt_u32 maximum_prefix;
	bool maximum_prefix_warning_only;
	/* maximum-prefix N [THRESHOLD] [restart M]: the warning threshold
	 * (percent, 0: not written) and the minutes after which IOS brings
	 * the neighbor back (0: not before 'clear ip bgp') */
	uint8_t maximum_prefix_threshold;
	uint32_t maximum_prefix_restart;
	struct rr_opt_str prefix_list_in, prefix_list_out;
	struct rr_opt_str filter_list_in, filter_list_out; /* as-path lists */
	struct rr_opt_str distribute_list_in, distribute_list_out; /* ACLs */
	struct rr_opt_bool default_originate;
	const char *default_originate_map;
	struct rr_opt_bool remove_private_as;
	struct rr_opt_bool disable_connected_check;
	/* transport connection-mode passive|active as written (the
	 * neighbor's `passive` is the outcome, true for listen ranges too) */
	struct rr_opt_bool transport_passive;
	bool local_as_no_prepend, local_as_replace_as, local_as_dual_as;
	struct rr_opt_bool soft_reconfig_in;
};
extern const struct rr_nb_rare rr_nb_rare_none;
static inline const struct rr_nb_rare *
rr_nb_rare(const struct rr_neighbor *n)
{
	return n->rare ? n->rare : &rr_nb_rare_none;
}
/* The rare settings of n to write, allocated in `a` on first use (a copy
 * of n made before shares them: set them before copying a neighbor). */
struct rr_nb_rare *rr_nb_rare_set(struct rr_arena *a, struct rr_neighbor *n);
/* Activation of n in address family k (enum rr_afi_safi). */
static inline const struct rr_opt_bool *
rr_nb_af(const struct rr_neighbor *n, int k)
{
	return k <= RR_AFS_IPV6 ? &n->af[k]
	                        : &rr_nb_rare(n)->af_more[k - RR_AFS_VPNV4];
}
/* The families n is activated for, bit k for enum rr_afi_safi k: what an
 * IOS neighbor offers in its OPEN (one Multiprotocol capability each). */
static inline unsigned
rr_nb_af_mask(const struct rr_neighbor *n)
{
	unsigned m = 0;
	int k;

	for (k = 0; k < RR_AFS_COUNT; k++)
		if (rr_nb_af(n, k)->v)
			m |= 1u << k;
	return m;
}

/* The families a side offers in its OPEN (RFC 4760: one Multiprotocol
 * capability each), for the analysis and the simulator alike: an IOS
 * neighbor those it is activated for, calico-node's BIRD (bird or bird6)
 * its session's own. */
static inline unsigned
rr_offered_afs(const struct rr_neighbor *n, bool bird, bool ipv6)
{
	if (bird)
		return 1u << (ipv6 ? RR_AFS_IPV6 : RR_AFS_IPV4);
	return rr_nb_af_mask(n);
}

struct rr_iface_addr {
	struct rr_prefix p;
	bool secondary;
	struct rr_loc at;
	const char *vrf; /* IOS speaker->vrf_addrs: the VRF (else NULL) */
};

struct rr_iface {
	const char *name; /* as written */
	const char *canon; /* canonical (GigabitEthernet0/1 for Gi0/1) */
	struct rr_iface_addr *addrs;
	size_t naddrs, capa;
	const char *vrf;
	bool shutdown;
	struct rr_loc loc;
};

struct rr_network {
	struct rr_prefix p;
	const char *vrf;
	struct rr_loc at;
};

/* What a Calico node originates into BGP (its blackhole statics) and why
 * (confd bird_aggr.cfg: IP blocks, then static routes). */
enum rr_origin_kind {
	RR_ORIG_BLOCK = 0,     /* a confirmed block affinity (or assumed) */
	RR_ORIG_SVC_CLUSTER,   /* a serviceClusterIPs range */
	RR_ORIG_SVC_EXTERNAL,  /* a serviceExternalIPs range (not a /32, /128) */
	RR_ORIG_SVC_LB,        /* a serviceLoadBalancerIPs range (aggregated) */
	RR_ORIG_SVC_IP,        /* a Service's own address, /32 or /128 */
};

struct rr_origin {
	struct rr_prefix p;
	struct rr_loc at;
	bool assumed; /* synthesized from a pool, not a confirmed affinity */
	enum rr_origin_kind kind;
	bool implicit; /* a block whose affinity state is empty */
	/* RR_ORIG_SVC_IP: the first Service (namespace/name) that makes the
	 * node advertise it, and whether that is for its Local policy */
	const char *service;
	bool local_policy;
};

/* A prefixAdvertisement as confd applies it on a node (apply_communities):
 * routes inside `cidr` get these communities on export. */
struct rr_community_rule {
	struct rr_prefix cidr;
	const char *cidr_text; /* as written */
	const char **values;   /* "a:b" / "a:b:c", unique, sorted as text */
	size_t nvalues;
	struct rr_loc at;
};

/* A static route confd writes for a BGPPeer's reachableBy (bird_aggr.cfg
 * "Static routes needed for ... BGP peers"): the peer's address via the
 * gateway.  Not exported into BGP (outside every pool). */
struct rr_peer_route {
	struct rr_prefix p;
	struct rr_addr via;
	bool global; /* from a global BGPPeer (else node-specific) */
	const struct rr_bgppeer *bgppeer;
	struct rr_loc at; /* the reachableBy value */
};

struct rr_speaker {
	enum rr_speaker_kind kind;
	const char *name; /* hostname / node name */
	struct rr_loc loc;
	const char *file; /* the file it came from */

	struct rr_opt_u32 asn; /* local AS (Calico: effective, R1) */
	struct rr_opt_addr router_id;
	struct rr_opt_u32 cluster_id; /* IOS bgp cluster-id / Calico RR id */
	const char *cluster_id_text; /* as written */
	struct rr_opt_u32 keepalive, hold, min_hold; /* timers bgp */
	struct rr_opt_bool default_ipv4_unicast; /* default on */
	bool log_neighbor_changes;
	struct rr_opt_u32 listen_limit; /* IOS: default 100 (.set false) */
	struct rr_opt_u32 listen_port; /* Calico listenPort (R4) */
	bool bind_node_ip;
	bool bgp_configured; /* IOS: has `router bgp`; Calico: has an address */

	struct rr_iface *ifaces;
	size_t nifaces, capi;
	/* Addresses the speaker owns (IOS: non-shut interfaces; Calico: the
	 * BGP addresses), with prefix length of the subnet. */
	struct rr_iface_addr *addrs;
	size_t naddrs, capaddr;
	bool addrs_inferred; /* IOS: no interfaces, address given/inferred */

	struct rr_labels labels; /* Calico node labels */
	const struct rr_node *node; /* Calico: the Node resource */

	struct rr_origin *originates;
	size_t noriginates, capo;
	struct rr_network *networks; /* IOS network statements */
	size_t nnetworks, capn;
	/* IOS `ip route P M ...` (default VRF): what a neighbor address may
	 * be reached through besides connected subnets. */
	struct rr_network *static_routes;
	size_t nstatic_routes, capsr;
	const char **redistribute;
	size_t nredistribute, capr;

	struct rr_neighbor *neighbors;
	size_t nneighbors, capnb;

	/* Calico: the communities confd adds on export (node.<name>
	 * prefixAdvertisements, else the default BGPConfiguration's), per
	 * family in the order written; and the reachableBy routes. */
	struct rr_community_rule *adv_communities;
	size_t nadv_communities, capac;
	struct rr_peer_route *peer_routes;
	size_t npeer_routes, cappr;

	/* IOS: `bgp client-to-client reflection` (default on; .set when
	 * written) and `bgp confederation identifier` / `peers`. */
	struct rr_opt_bool client_to_client;
	struct rr_opt_u32 confed_id;
	uint32_t *confed_peers;
	size_t nconfed_peers, capconfed;

	/* IOS, added for issue 16. */
	/* `bgp router-id interface X`: X as written; router_id then holds
	 * X's address (.via "interface <canon>") when X has one */
	struct rr_opt_str router_id_interface;
	/* maximum-paths N (eBGP), ibgp N, eibgp N: default 1 (.set false) */
	struct rr_opt_u32 maximum_paths, maximum_paths_ibgp,
		maximum_paths_eibgp;
	struct rr_opt_bool bestpath_compare_routerid;
	struct rr_opt_bool bestpath_always_compare_med, deterministic_med;
	struct rr_opt_bool bestpath_med_missing_as_worst;
	struct rr_opt_bool bestpath_as_path_ignore, bestpath_multipath_relax;
	struct rr_opt_u32 default_local_pref; /* default 100 (.set false) */
	struct rr_opt_bool enforce_first_as;  /* default on */
	struct rr_opt_bool graceful_restart;  /* bgp graceful-restart */
	bool community_new_format; /* ip bgp-community new-format */
	/* addresses of non-shut interfaces in a VRF (.vrf set): not in
	 * `addrs`, which is the default table only */
	struct rr_iface_addr *vrf_addrs;
	size_t nvrf_addrs, capvrfaddr;
	struct rr_vip *vips; /* HSRP / VRRP / GLBP, non-shut interfaces */
	size_t nvips, capvips;
	struct rr_igp *igps;
	size_t nigps, capigps;
	struct rr_vrf *vrfs;
	size_t nvrfs, capvrfs;
	struct rr_route_map *route_maps;
	size_t nroute_maps, caprm;
	struct rr_prefix_list *prefix_lists;
	size_t nprefix_lists, cappl;
	struct rr_aspath_list *aspath_lists;
	size_t naspath_lists, capal;
	struct rr_community_list *community_lists;
	size_t ncommunity_lists, capcl;
};

/* ----------------------------------------------------------------- model */

struct rr_model {
	struct rr_arena arena;
	struct rr_speaker **speakers; /* IOS routers first, then Calico nodes */
	size_t nspeakers, capspk;
	struct rr_calico calico; /* resources as written */
	bool calico_present; /* any Calico resource was read */
	bool resolved;
	/* Full mesh sessions (both ends counted once per node) and whether
	 * resolve left them out because the mesh was too large to hold. */
	uint64_t mesh_sessions;
	bool mesh_elided;
	/* R13: two BGPPeers that map to the same session (scope, IP, port)
	 * with different settings; confd keeps whichever it visits first. */
	struct rr_peer_conflict {
		const struct rr_bgppeer *kept, *lost;
		const char *node; /* NULL: a global session */
		struct rr_addr peer;
		uint16_t port;
		size_t more; /* further nodes with the same conflict */
	} *peer_conflicts;
	size_t npeer_conflicts, cappc;
	/* The service ranges calico-node routes (serviceClusterIPs, the
	 * serviceExternalIPs and aggregated serviceLoadBalancerIPs that are
	 * not single addresses): originated by every node not excluded,
	 * never programmed into a node's kernel. */
	struct rr_service_range {
		struct rr_prefix p;
		enum rr_origin_kind kind;
		struct rr_loc at;
	} *service_ranges;
	size_t nservice_ranges, capsvr;
	/* A BGPPeer naming a BGPFilter that does not exist: calico-node
	 * skips it silently (the session runs without that filter). */
	struct rr_missing_filter {
		const struct rr_bgppeer *bgppeer;
		const char *name;
		struct rr_loc at;
	} *missing_filters;
	size_t nmissing_filters, capmf;
	/* Interned file names (every rr_loc.file points into here). */
	const char **files;
	size_t nfiles, capfiles;
};

/* ------------------------------------------ Calico's BIRD filters */

/* The facts of a route a Calico node's BIRD filter looks at. */
struct rr_bird_route {
	struct rr_prefix net;
	bool bgp; /* source = RTS_BGP (else the node's own static route) */
	bool has_lp;
	uint32_t lp; /* bgp_local_pref */
	const uint32_t *comms; /* COMMUNITIES */
	size_t ncomms;
	const uint32_t *lcomms; /* LARGE_COMMUNITIES, three words each */
	size_t nlcomm_words;
	const uint32_t *aspath; /* the leading AS_SEQUENCE of the path */
	size_t naspath_seq;
};

enum rr_bird_verdict {
	RR_BIRD_CONTINUE = 0, /* no rule matched: the filter goes on */
	RR_BIRD_ACCEPT,       /* ends the whole filter, accepted */
	RR_BIRD_REJECT,       /* ends it, rejected (also a BIRD runtime error) */
};

/*
 * One BGPFilter function (`list`: 0 exportV4, 1 importV4, 2 exportV6, 3
 * importV6) on a route, as BIRD runs the function confd writes: the first
 * rule whose conditions all hold decides (*rule: it, or NULL).  `same_as`
 * is the peer-type flag confd passes (peer AS == the node's).  A rule on
 * `interface` never matches (no interface names in the model): *unknown
 * (may be NULL) is set when one was passed over.
 */
enum rr_bird_verdict rr_bgpfilter_eval(const struct rr_bgpfilter *f,
				       size_t list, bool same_as,
				       const struct rr_bird_route *r,
				       const struct rr_bgpfilter_rule **rule,
				       bool *unknown);
/*
 * The BGPFilters of a Calico session in one direction, in the BGPPeer's
 * order, as BIRD runs the functions confd calls from the session's import
 * or export filter: the first filter whose rule decides ends it (*filter,
 * *rule: that filter and rule, else NULL).  Names without a BGPFilter are
 * skipped, as calico-node skips them.
 */
struct rr_neighbor;
enum rr_bird_verdict rr_bgpfilters_eval(const struct rr_calico *c,
					const struct rr_neighbor *nb,
					bool import,
					const struct rr_bird_route *r,
					const struct rr_bgpfilter **filter,
					const struct rr_bgpfilter_rule **rule);
/* The LOCAL_PREF calico-node gives a normal route of family `af`
 * (2147483647 minus the default BGPConfiguration's normal route
 * priority, 1024 unless set). */
struct rr_model;
uint32_t rr_calico_normal_lp(const struct rr_model *m, uint8_t af);
/* Whether the session's filters have a rule in that direction. */
bool rr_bgpfilters_active(const struct rr_calico *c,
			  const struct rr_neighbor *nb, bool import);
/* Whether one of them matches on `interface` (never decided here). */
bool rr_bgpfilters_interface(const struct rr_calico *c,
			     const struct rr_neighbor *nb);
/* `v` ("a:b" or "a:b:c") is among the route's communities. */
bool rr_bird_has_community(const struct rr_bird_route *r, const char *v);

/* Where a prefix lies among the IPPools. */
enum rr_calico_pool {
	RR_CALICO_POOL_NONE = 0,
	RR_CALICO_POOL_IN,
	RR_CALICO_POOL_NO_EXPORT, /* inside a pool with disableBGPExport */
};
enum rr_calico_pool rr_calico_pool_of(const struct rr_calico *c,
				      const struct rr_prefix *p);

enum rr_calico_export {
	RR_CALICO_EXPORT_OK = 0,
	RR_CALICO_EXPORT_DISABLED,      /* an export-disabled pool */
	RR_CALICO_EXPORT_BENEATH_BLOCK, /* inside a block of the node */
	RR_CALICO_EXPORT_OUTSIDE,       /* no block, static route or pool */
};
struct rr_speaker;
/*
 * calico_export_to_bgp_peers() of node `s` on a route (`pool`: where it
 * lies, rr_calico_pool_of; `prio`: the family's normal route priority):
 * the node's blocks, nothing beneath them unless its priority is
 * elevated, its static routes, on a route reflector the LB and external
 * service ranges, then the pools.
 */
enum rr_calico_export rr_calico_export(const struct rr_model *m,
				       const struct rr_speaker *s,
				       const struct rr_bird_route *r,
				       enum rr_calico_pool pool, uint32_t prio);

/* A BGPConfiguration ("default", "node.<name>") or BGPFilter by name. */
const struct rr_bgpconfig *rr_calico_config(const struct rr_calico *c,
					    const char *name);
/* The neighbor's TCP MD5 password comes from a Secret the inputs do not
 * hold (it is assumed to match the peer's; see analyze/ and bgpsim/). */
bool rr_password_unknown(const struct rr_calico *c,
                         const struct rr_neighbor *n);
const struct rr_bgpfilter *rr_calico_filter(const struct rr_calico *c,
					    const char *name);

struct rr_model *rr_model_new(void);
void rr_model_free(struct rr_model *m);
/* Intern a file name (paths compare by pointer afterwards). */
const char *rr_model_file(struct rr_model *m, const char *path);
struct rr_speaker *rr_model_add_speaker(struct rr_model *m,
					enum rr_speaker_kind kind,
					const char *name);
struct rr_neighbor *rr_speaker_add_neighbor(struct rr_model *m,
					    struct rr_speaker *s);
const struct rr_speaker *rr_model_find_speaker(const struct rr_model *m,
					       const char *name);
/* The speaker owning `a` (any of its addresses), or NULL. */
const struct rr_speaker *rr_model_owner(const struct rr_model *m,
					const struct rr_addr *a);
/* 64-bit FNV-1a, used for password comparison (never printed). */
uint64_t rr_hash64(const void *p, size_t n);
/* SHA-256 (FIPS 180-4): Calico hashes node names (CALICO_ROUTER_ID=hash)
 * and long BGPFilter names with it. */
void rr_sha256(const void *data, size_t len, uint8_t out[32]);

#endif
