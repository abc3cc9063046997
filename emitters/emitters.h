/*
 * emitters: the model becomes configuration text for the other side.
 *
 *   emit_ios     the Cisco IOS / IOS-XE route reflector (router bgp and
 *                what it needs: hostname, interfaces, static routes)
 *   emit_frr     the same router in FRR bgpd's dialect
 *   emit_calico  Calico manifests (projectcalico.org/v3, libyaml emitter):
 *                BGPConfiguration default and the BGPPeers
 *   emit_bird    the BIRD 1.6 config calico-node runs for one node
 *                (emitters/bird.c; the interop tests run it)
 *
 * emit_ios and emit_frr print one "router plan" (emitters/router.c: the one
 * walk of the model both share).  Every emitter is canonical, in the sense
 * of OpenBGPD's printconf: fixed order, only settings that differ from the
 * default, peers sorted by address, secrets never printed (passwords are
 * placeholders the user fills in), so that gen(parse(gen(parse(x)))) ==
 * gen(parse(x)) byte for byte.  Each returns the text in memory through
 * `out` (free it with emit_free); nothing is returned on error.  Fallible
 * functions return 0 or -1 and add diagnostics to the sink passed last:
 * RR_SEV_ERROR for inputs the emitter cannot serve, RR_SEV_WARNING for
 * settings it cannot express on the other side, RR_SEV_NOTE for choices it
 * made.  No global state; nothing is printed.
 *
 * This header depends on model/ and <stdio.h> only.
 */
#ifndef RR_EMITTERS_H
#define RR_EMITTERS_H

#include <stdio.h>

#include "model/model.h"

/* How the router names its Calico clients (Cisco IOS IP Routing: BGP Configuration Guide, "BGP Peer Groups",
 * "BGP Dynamic Neighbors"). */
enum emit_style {
	EMIT_STYLE_AUTO = 0,     /* the base router's style, else neighbor */
	EMIT_STYLE_NEIGHBOR,     /* one `neighbor X remote-as N` per node */
	EMIT_STYLE_PEER_GROUP,   /* peer-group CALICO, nodes as members */
	EMIT_STYLE_LISTEN_RANGE, /* bgp listen range <node subnet> */
};

#define EMIT_MAX_ROUTER_ADDRS 8

struct emit_opts {
	enum emit_style style;
	/* `hostname` line; NULL: the base router's own, else none. */
	const char *hostname;
	/* The addresses of the router to generate (--router); 0: the one
	 * router config given, else the address the nodes peer with. */
	struct rr_addr router[EMIT_MAX_ROUTER_ADDRS];
	size_t nrouter;
};

/* What a password placeholder says; the user replaces it. */
#define EMIT_PASSWORD_PLACEHOLDER "<FILL-IN>"
/* Default peer-group name for the Calico nodes. */
#define EMIT_GROUP_NAME "CALICO"

/* ------------------------------------------------------ router plan */

enum emit_afi { EMIT_AFI_V4 = 0, EMIT_AFI_V6, EMIT_AFI_COUNT };

/*
 * Per-neighbor settings rrkit does not derive from the Calico side: a
 * router config given to `gen` keeps them (for a Calico node neighbor,
 * whatever the style).
 */
struct emit_attrs {
	bool has_timers;
	uint32_t keepalive, hold, min_hold;
	const char *update_source;
	bool shutdown;
	bool next_hop_self, next_hop_self_all;
	bool next_hop_unchanged;
	const char *send_community; /* "both", "extended", "" (standard) */
	const char *route_map_in, *route_map_out;
	const char *prefix_list_in, *prefix_list_out;
	const char *filter_list_in, *filter_list_out;
	uint32_t maximum_prefix; /* 0: none */
	bool maximum_prefix_warning_only;
	uint8_t maximum_prefix_threshold;
	uint32_t maximum_prefix_restart;
	bool has_weight;
	uint32_t weight;
	uint32_t allowas_in; /* 0: none */
	bool as_override, soft_reconfig_in, remove_private_as;
	bool default_originate;
	const char *default_originate_map;
};

/* A neighbor or a peer-group, with what both dialects print for it. */
struct emit_peer {
	const char *group_name; /* set: a peer-group definition */
	struct rr_addr addr;    /* a neighbor's address */
	const char *member_of;  /* the peer-group a neighbor joins */
	const char *vrf;        /* NULL: the default VRF */
	uint8_t family;         /* RR_AF_INET / RR_AF_INET6 */
	bool has_remote_as;
	uint32_t remote_as;
	const char *description;
	bool password;             /* print the placeholder */
	const char *password_from; /* where the real one is, or NULL */
	uint32_t local_as;         /* 0: none */
	uint32_t ebgp_multihop;    /* 0: none */
	uint32_t ttl_security;     /* hops, 0: none */
	/* address-family settings, for the family of the peer */
	bool activate[EMIT_AFI_COUNT];
	bool rr_client;
	struct emit_attrs kept; /* from the router config */
	const char *node; /* the Calico node it serves, or NULL */
};

struct emit_range {
	struct rr_prefix p;
	const char *group;
};

struct emit_router {
	const char *hostname; /* NULL: no hostname line */
	const char *name;     /* for comments: hostname, else an address */
	uint32_t asn;
	bool has_router_id;
	struct rr_addr router_id;
	const char *cluster_id; /* as printed; NULL: none */
	uint32_t cluster_id_v;
	bool log_neighbor_changes;
	bool no_default_ipv4; /* `no bgp default ipv4-unicast` */
	bool no_client_to_client;
	bool has_timers;
	uint32_t keepalive, hold, min_hold;
	uint32_t listen_limit; /* 0: default */
	uint32_t confed_id;    /* 0: none */
	const uint32_t *confed_peers;
	size_t nconfed_peers;
	/* best-path and restart knobs of the router config */
	bool graceful_restart;
	bool compare_routerid;
	bool deterministic_med, always_compare_med, med_missing_as_worst;
	bool as_path_ignore, multipath_relax;
	uint32_t maximum_paths, maximum_paths_ibgp, maximum_paths_eibgp;
	bool has_ebgp; /* an eBGP neighbor (FRR: no bgp ebgp-requires-policy) */
	size_t nclients; /* Calico nodes served */

	struct emit_range *ranges;
	size_t nranges;
	struct emit_peer *groups; /* sorted by name */
	size_t ngroups;
	struct emit_peer *peers; /* default VRF by address, then VRFs */
	size_t npeers;

	/* from the base router config, as the model holds them */
	const struct rr_speaker *policy; /* route-maps and lists, or NULL */
	const struct rr_network *networks;
	size_t nnetworks;
	const char *const *redistribute;
	size_t nredistribute;

	/* comment lines for the top of the output (no comment leader) */
	const char **notes;
	size_t nnotes, capnotes;
};

/*
 * The one walk of the model the IOS and FRR emitters share: which router,
 * its process settings (from the base router config when one is given),
 * and one client per Calico node that peers with it, in the chosen style.
 * Everything is allocated in `a` (the caller releases it).  Returns 0, or
 * -1 with an RR_SEV_ERROR diagnostic.
 */
int emit_router_plan(const struct rr_model *m, const struct emit_opts *o,
                     struct rr_arena *a, struct emit_router *out,
                     struct rr_diags *d);

/* ------------------------------------------------------------ emitters */

int emit_ios(const struct rr_model *m, const struct emit_opts *o, char **out,
             size_t *len, struct rr_diags *d);
int emit_frr(const struct rr_model *m, const struct emit_opts *o, char **out,
             size_t *len, struct rr_diags *d);
int emit_calico(const struct rr_model *m, const struct emit_opts *o, char **out,
                size_t *len, struct rr_diags *d);

/* Free text an emitter returned. */
void emit_free(char *text);

/* The router's best-path knobs (`bgp bestpath ...`, `bgp
 * deterministic-med`, `bgp always-compare-med`): the same lines in IOS and
 * FRR, whose defaults match IOS's (all off in FRR 8's traditional
 * profile). */
void emit_bestpath_lines(FILE *f, const struct emit_router *r);

/* The address-family lines of kept settings (struct emit_attrs) of
 * neighbor or peer-group `id`, the same in both dialects but FRR's
 * `remove-private-AS`. */
void emit_kept_af_lines(FILE *f, const struct emit_attrs *k, const char *id,
                        bool frr);

/* "1.2.3.4" for an IPv4 prefix length (IOS masks), in buf. */
const char *emit_mask_str(uint8_t len, char buf[RR_ADDR_STRLEN]);

/* ------------------------------------------------------------ BIRD */

#define EMIT_BIRD_PASSWORD_PLACEHOLDER "<FILL-IN>"

struct emit_bird_opts {
	/* Write the real password (from the Calico Secret) instead of the
	 * placeholder: for a lab or a test, never by default. */
	bool secrets;
};

/* The three files calico-node's confd renders per family. */
enum emit_bird_file {
	EMIT_BIRD_MAIN = 0, /* bird.cfg / bird6.cfg */
	EMIT_BIRD_AGGR,     /* bird_aggr.cfg / bird6_aggr.cfg */
	EMIT_BIRD_IPAM,     /* bird_ipam.cfg / bird6_ipam.cfg */
};

/* "bird6_aggr.cfg" for (RR_AF_INET6, EMIT_BIRD_AGGR). */
const char *emit_bird_file_name(uint8_t af, enum emit_bird_file f);

/*
 * One of confd's files for Calico node `node`, byte for byte what
 * calico-node writes (Calico's node/filesystem/etc/calico/confd/templates
 * rendered by confd, blank lines left out as Calico's own template tests
 * compare them).  Returns 0 with the text in *out (free()), or -1 with an
 * error diagnostic (no such node, no router id, a BGPFilter confd cannot
 * render).
 */
int emit_bird_file(const struct rr_model *m, const char *node, uint8_t af,
		   enum emit_bird_file f, const struct emit_bird_opts *o,
		   char **out, size_t *len, struct rr_diags *d);

/*
 * bird.cfg (af RR_AF_INET) or bird6.cfg (RR_AF_INET6) for Calico node
 * `node` as one file BIRD can run: confd's bird.cfg with its two
 * `include` lines replaced by the files they name.
 */
int emit_bird(const struct rr_model *m, const char *node, uint8_t af,
	      const struct emit_bird_opts *o, char **out, size_t *len,
	      struct rr_diags *d);


#endif
