/*
 * parsers/ios_*.c private interface: the per-parse context, the line
 * tokenizer, and the BGP entities (neighbors, listen ranges, peer-groups,
 * templates) as written, before inheritance is resolved into the model.
 * Everything here lives in one context the parse owns; nothing is global.
 */
#ifndef RR_PARSERS_IOS_PRIV_H
#define RR_PARSERS_IOS_PRIV_H

#include "parsers/parsers.h"

/* Words kept per line; later words are still part of rest-of-line text. */
#define IOS_MAXW 40

struct ios_word {
	const char *s; /* NUL-terminated copy in the scratch buffer */
	size_t off;    /* byte offset in the raw line */
	size_t len;    /* bytes in the raw line */
	uint32_t col;  /* 1-based */
};

struct ios_line {
	const char *raw; /* the line, without CR LF; not NUL-terminated */
	size_t len;
	uint32_t no;     /* 1-based */
	uint32_t indent; /* bytes of blanks before the first word */
	struct ios_word w[IOS_MAXW];
	size_t n;
	char *buf; /* scratch: the words, NUL-separated */
	size_t cap;
};

/* A small string-keyed hash table (keys are bytes, values pointers). */
struct ios_hent {
	uint64_t h;
	const char *key;
	size_t klen;
	void *val;
};
struct ios_htab {
	struct ios_hent *v;
	size_t cap, n;
};

enum ios_mode {
	IOS_M_TOP = 0,
	IOS_M_IFACE,
	IOS_M_BGP,   /* router bgp, possibly inside an address family */
	IOS_M_TSESS, /* template peer-session */
	IOS_M_TPOL,  /* template peer-policy */
	IOS_M_SKIP,  /* body of a top-level section rrkit does not read */
	IOS_M_BANNER,
	IOS_M_MACRO, /* macro name X ... @ */
	IOS_M_RMAP,  /* route-map NAME permit|deny SEQ */
	IOS_M_END,   /* after `end` */
};

enum ios_ent_kind {
	IOS_ENT_NB = 0, /* neighbor ADDRESS */
	IOS_ENT_RANGE,  /* bgp listen range */
	IOS_ENT_GROUP,  /* neighbor NAME peer-group */
	IOS_ENT_TSESS,  /* template peer-session */
	IOS_ENT_TPOL,   /* template peer-policy */
};

/* `inherit peer-policy NAME [SEQ]` */
struct ios_pinh {
	const char *name;
	uint32_t seq;
	struct rr_loc at;
};

/* Address-family settings of one entity in IPv4 or IPv6 unicast. */
/* Address-family settings few neighbors have: allocated when one is
 * written (ios_pol_rare), so 5,000 neighbors without any stay small. */
struct ios_pol_rare {
	struct rr_opt_str pl_in, pl_out, fl_in, fl_out, dl_in, dl_out;
	struct rr_opt_bool as_override, default_originate, remove_private_as;
	struct rr_opt_bool soft_in;
	const char *default_originate_map;
	struct rr_opt_u32 allowas_in, weight, max_prefix;
	bool max_prefix_warning;
	uint8_t max_prefix_threshold; /* percent, 0: none */
	uint32_t max_prefix_restart;  /* minutes, 0: none */
};

struct ios_pol {
	struct rr_opt_bool rr_client, nhs, nh_unchanged;
	bool nhs_all;
	struct rr_opt_str send_community; /* standard | extended | both */
	struct rr_opt_str rm_in, rm_out;
	struct ios_pol_rare *rare; /* NULL: none written */
	struct ios_pinh *inh;
	size_t ninh, capinh;
};

#define IOS_POL_V4 0
#define IOS_POL_V6 1

/* Session settings few neighbors have: allocated when one is written
 * (ios_ent_rare), so 5,000 neighbors without any stay small. */
struct ios_ent_rare {
	struct rr_opt_u32 local_as, keepalive, hold, min_hold;
	struct rr_opt_u32 ebgp_multihop, ttl_security, cluster_id;
	struct rr_opt_asns alternate_as;
	struct rr_opt_bool disable_cc;
	bool la_no_prepend, la_replace_as, la_dual_as; /* with local_as */
};

struct ios_ent {
	enum ios_ent_kind kind;
	const char *name; /* group or template name (model arena) */
	const char *vrf;  /* NULL: default VRF */
	struct rr_addr addr;
	struct rr_prefix range;
	struct rr_loc loc; /* the line that defined it */
	bool def_in_af;    /* defined inside an address-family block */
	enum rr_afi_safi def_af;

	/* session settings */
	struct rr_opt_u32 remote_as;
	struct rr_opt_bool password, shutdown, passive;
	uint64_t password_hash;
	struct rr_opt_str update_source, description;
	struct ios_ent_rare *rare; /* NULL: none written */

	/* address-family settings */
	struct rr_opt_bool act[RR_AFS_COUNT];
	/* IPv4 and IPv6 unicast, allocated when first written (most
	 * entities have one family: parsing 5,000 neighbors stays small) */
	struct ios_pol *pol[2];

	/* inheritance as written: v = the name */
	struct rr_opt_str group; /* neighbor X peer-group G / listen range */
	struct rr_opt_str sess;  /* inherit peer-session T */

	struct ios_ent *next; /* definition order */
	int state;            /* template resolution: 0 new, 1 busy, 2 done */
};

struct ios_ctx {
	struct rr_model *m;
	struct rr_diags *d;
	struct rr_speaker *s;
	const char *file;    /* interned */
	struct rr_arena tmp; /* entities, tables; released at the end */
	struct ios_line ln;
	char *scratch; /* type 7 decoding; wiped after use */
	size_t scratch_cap;

	enum ios_mode mode;
	size_t iface; /* index into s->ifaces in IOS_M_IFACE */
	const char *hostname;
	struct rr_loc hostname_at;

	/* banner */
	char delim[2];
	size_t dlen;
	struct rr_loc banner_at;
	struct rr_loc end_at;

	/* router bgp */
	bool bgp_seen, bgp_skip; /* skip: a second process, refused */
	struct rr_loc bgp_at;
	bool in_af;
	enum rr_afi_safi af;
	bool af_known; /* an address family rrkit models */
	const char *af_vrf;
	const char *af_text;  /* for messages: "address-family ipv4 vrf X" */
	struct ios_ent *tmpl; /* in IOS_M_TSESS / IOS_M_TPOL */
	uint32_t tmpl_indent;

	/* route-map entry being read (indexes: the arrays grow) */
	size_t rm, rm_entry;
	/* interface: VRRPv3 `vrrp N address-family ipv4` block (group + 1) */
	uint32_t vrrp3;
	/* pcre2 contexts in the model's arena (ios_policy.c) */
	void *re_gctx, *re_cctx, *re_mctx;

	struct ios_htab ents;   /* neighbors, groups, templates */
	struct ios_htab ifaces; /* canonical name -> index + 1 */
	struct ios_ent *first, *last;
	struct ios_ent *last_get; /* the neighbor ent_get found last */
	char nbt_text[48];        /* the last neighbor address read ... */
	size_t nbt_len;           /* (0: none) */
	struct rr_addr nbt_addr;  /* ... and its value */
	/* "interface X" of the last source address found, X its canon */
	const char *via_canon, *via;
	size_t nents;  /* entities made; reading stops past IOS_MAX_ENTS */
	bool too_many; /* ... and said so (a FATAL diagnostic) */
};

/* Neighbors, listen ranges, peer-groups and templates the configs of one
 * run may hold (counted over every config): each costs about 2 KB while it
 * is read, so this bounds memory (README, limits). */
#define IOS_MAX_ENTS 50000u

/* ------------------------------------------------------------ ios.c */

struct rr_loc ios_loc(const struct ios_ctx *c, uint32_t col);
struct rr_loc ios_wloc(const struct ios_ctx *c, size_t w);
/* The rest of the line from word w, right-trimmed, as a model string. */
const char *ios_rest(struct ios_ctx *c, size_t w);
/* ASCII case folding (strcasecmp's in the C locale rrkit runs in). */
static inline int
ios_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch;
}
/* !strcasecmp(a, b) inline: most calls compare a word with another
 * keyword and stop at the first or second letter. */
static inline bool
ios_ieq(const char *a, const char *b)
{
	for (;; a++, b++) {
		if (*a != *b && ios_lower((unsigned char)*a) !=
		                        ios_lower((unsigned char)*b))
			return false;
		if (!*a)
			return true;
	}
}
/* Is word w the keyword kw (any case)? */
static inline bool
ios_kw(const struct ios_line *l, size_t w, const char *kw)
{
	return w < l->n && ios_ieq(l->w[w].s, kw);
}
void ios_warn(struct ios_ctx *c, size_t w, const char *fmt, ...)
        RR_PRINTF(3, 4);
void ios_error(struct ios_ctx *c, size_t w, const char *fmt, ...)
        RR_PRINTF(3, 4);
/* Error at word w with the AS-invalid rule. */
void ios_as_error(struct ios_ctx *c, size_t w, const char *why);
/* Parse word w as a number 0..max; -1 and an error if it is not. */
int ios_u32(struct ios_ctx *c, size_t w, uint32_t max, const char *what,
            uint32_t *out);
int ios_asn(struct ios_ctx *c, size_t w, uint32_t *out);
/* The interface named (any abbreviation), or NULL. */
const struct rr_iface *ios_find_iface(struct ios_ctx *c, const char *name);

/* -------------------------------------------------------- ios_util.c */

void *ios_htab_get(const struct ios_htab *t, const void *key, size_t klen);
void ios_htab_put(struct rr_arena *a, struct ios_htab *t, const void *key,
                  size_t klen, void *val);
/* Canonical interface name (GigabitEthernet0/1 for gi0/1), in arena a. */
const char *ios_iface_canon(struct rr_arena *a, const char *name);
/* Decode a Cisco type 7 string into out (cap bytes); returns the length
 * or -1 when it is not a valid type 7 string. */
long ios_type7_decode(const char *s, char *out, size_t cap);
/* Is this IOS global configuration command (first word) known? */
bool ios_top_known(const char *w);
/* The classful length of an IPv4 network address (network A, no mask). */
uint8_t ios_classful_len(const struct rr_addr *a);

/* --------------------------------------------------------- ios_bgp.c */

/* Handle a line in IOS_M_BGP / IOS_M_TSESS / IOS_M_TPOL.  Returns false
 * when the command is not a BGP command (the caller tries global mode). */
bool ios_bgp_line(struct ios_ctx *c);
/* The hash key of an entity (kind, VRF, address bytes or name). */
size_t ios_ent_key(char *buf, size_t cap, enum ios_ent_kind kind,
                   const char *vrf, const void *key, size_t klen);
/* `router bgp ASN` (the line is current). */
void ios_bgp_enter(struct ios_ctx *c);

/* ------------------------------------------------------ ios_policy.c */

/* `route-map NAME [permit|deny] [SEQ]` (the line is current). */
void ios_route_map_enter(struct ios_ctx *c);
/* A line in IOS_M_RMAP; false: not a route-map command. */
bool ios_route_map_line(struct ios_ctx *c);
/* `[ip|ipv6] prefix-list ...`; b: the index of `prefix-list`. */
void ios_prefix_list(struct ios_ctx *c, size_t b, uint8_t af);
/* `ip as-path access-list ...`; b: the index of `as-path`. */
void ios_aspath_list(struct ios_ctx *c, size_t b);
/* `ip community-list ...`; b: the index of `community-list`. */
void ios_community_list(struct ios_ctx *c, size_t b);
/* A community: AA:NN, a 32-bit number, or a well-known name. */
int ios_community(const char *s, uint32_t *out);
/* Sort entries by sequence number at the end of the file. */
void ios_policy_finish(struct ios_ctx *c);

/* The address-family settings `k` of e, allocated on first use. */
struct ios_pol *ios_pol_of(struct ios_ctx *c, struct ios_ent *e, int k);
/* Its rare settings, allocated on first use. */
struct ios_pol_rare *ios_pol_rare(struct ios_ctx *c, struct ios_pol *p);
/* The rare session settings of e, allocated on first use. */
struct ios_ent_rare *ios_ent_rare(struct ios_ctx *c, struct ios_ent *e);

/* ----------------------------------------------------- ios_inherit.c */

/* Resolve inheritance and write the neighbors into the speaker. */
void ios_finish_bgp(struct ios_ctx *c);

#endif
