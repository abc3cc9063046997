/*
 * parsers: files become the model.  IOS text (ios.c), Calico YAML
 * (calico.c), Calico selectors (selector.c), format detection (detect.c),
 * and resolve (resolve.c): Calico resources -> the sessions each
 * calico-node opens, exactly as confd renders them.
 *
 * Every function takes the text already in memory (cli/ reads files), adds
 * what it read to the model, and reports problems to the diagnostic sink
 * passed last.  Return 0, or -1 when the input could not be used at all
 * (an RR_SEV_FATAL diagnostic says why).  No global state.
 */
#ifndef RR_PARSERS_H
#define RR_PARSERS_H

#include "model/model.h"

/* Rule ids the parsers emit (validate/ owns the full table). */
#define RR_RULE_PARSE_WARNING "parse-warning"
#define RR_RULE_CALICO_INVALID "calico-invalid"
#define RR_RULE_AS_INVALID "as-invalid"
#define RR_RULE_SELECTOR_TAG "selector-yaml-tag"

/* ------------------------------------------------------------ detect */

enum parse_format {
	PARSE_FMT_UNKNOWN = 0,
	PARSE_FMT_IOS, /* Cisco IOS / IOS-XE running-config text */
	PARSE_FMT_YAML, /* Kubernetes / Calico YAML (or JSON) manifests */
	PARSE_FMT_BINARY, /* NUL bytes or invalid text: refuse */
};

/* Which format a file is, by content (never by extension). */
enum parse_format parse_detect(const char *text, size_t len);
const char *parse_format_name(enum parse_format f);

/* --------------------------------------------------------------- IOS */

/*
 * Parse one IOS configuration into a new RR_SPK_IOS speaker (named by
 * `hostname`, else by the file's base name).  Unknown lines become
 * RR_RULE_PARSE_WARNING diagnostics and parsing goes on.  Peer-group and
 * template inheritance is resolved into each neighbor (rr_opt.via names the
 * group or template a value came from).
 */
int parse_ios(struct rr_model *m, const char *path, const char *text,
	      size_t len, struct rr_diags *d);

/* ------------------------------------------------------------ Calico */

struct parse_calico_opts {
	/* Documents name resources to delete (the confd corpus DELETE: steps)
	 * instead of creating/replacing them. */
	bool delete_mode;
};

/*
 * Parse Calico / Kubernetes YAML (single documents, multi-document
 * streams, typed *List and v1 List kinds) into m->calico.  A resource of
 * the same kind and name given later replaces the earlier one.  `o` may be
 * NULL.
 */
int parse_calico(struct rr_model *m, const char *path, const char *text,
		 size_t len, const struct parse_calico_opts *o,
		 struct rr_diags *d);

/* ---------------------------------------------------------- selector */

/*
 * Parse a Calico selector.  On error returns -1 and sets *err_msg (static
 * text) and *err_off (0-based byte offset into `text`).  The empty
 * selector parses as all().
 */
int parse_selector(struct rr_arena *a, const char *text,
		   const struct rr_selector **out, const char **err_msg,
		   size_t *err_off);

/* ----------------------------------------------------------- resolve */

struct parse_addr_hint {
	const char *speaker; /* IOS speaker name */
	struct rr_addr addr;
};

struct parse_resolve_opts {
	/* CALICO_ROUTER_ID: NULL unset, "hash", or an address (R2). */
	const char *router_id_env;
	/* --address NAME=IP for IOS configs without interfaces. */
	const struct parse_addr_hint *addr_hints;
	size_t naddr_hints;
	/* When a node has no confirmed BlockAffinity, originate nothing and say
	 * so in a note (default), or assume blocks from its pools. */
	bool assume_blocks;
	/* Largest full mesh (nodes per family) held in the model; a larger
	 * one is counted in m->mesh_sessions, not built.  0 = 300. */
	size_t max_mesh_nodes;
};

/*
 * Build one RR_SPK_CALICO speaker per Calico Node with the sessions
 * calico-node's confd renders for it (calico-semantics.md §3, R1-R29),
 * per family, sorted by BIRD protocol name; set what each node originates
 * (R30: confirmed block affinities).  Also give IOS speakers without
 * interfaces an address (hints, else inferred from the BGPPeers that point
 * at them, with a note).  Sets m->resolved.
 */
int parse_resolve(struct rr_model *m, const struct parse_resolve_opts *o,
		  struct rr_diags *d);

/* R2: the router id CALICO_ROUTER_ID=hash gives a node name. */
struct rr_addr parse_router_id_hash(const char *node_name);

#endif
