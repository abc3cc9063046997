/*
 * Private to parsers/calico*.c: field tables and their generic handlers.
 */
#ifndef RR_PARSERS_CALICO_FIELDS_H
#define RR_PARSERS_CALICO_FIELDS_H

#include <stdarg.h>

#include "parsers/calico_priv.h"

enum cal_ftype {
	CF_IGNORE,    /* known field, not kept */
	CF_STR,       /* rr_opt_str */
	CF_ENUM,      /* rr_opt_str, one of aux (exact case) */
	CF_ENUM_CI,   /* rr_opt_str, one of aux (any case) */
	CF_RAWSTR,    /* const char *, optionally one of aux */
	CF_BOOL,      /* rr_opt_bool */
	CF_BOOLSTR,   /* rr_opt_bool, also "true"/"false" strings */
	CF_U32,       /* rr_opt_u32, min..max */
	CF_ASN,       /* rr_opt_u32 */
	CF_DURATION,  /* rr_opt_u32, seconds */
	CF_ADDR,      /* rr_opt_addr, family min (0 any, 4, 6) */
	CF_CLUSTERID, /* rr_opt_str text at off, rr_opt_addr at off2 */
	CF_NODEADDR,  /* rr_opt_str at off, rr_prefix at off2, family min */
	CF_POOLCIDR,  /* rr_opt_str at off, rr_prefix at off2 (strict) */
	CF_PREFIX,    /* rr_prefix at off, rr_loc at off2 */
	CF_PEERIP,    /* rr_opt_str at off; base is a struct rr_bgppeer */
	CF_NEXTHOP,   /* rr_opt_str at off, enum rr_next_hop_mode at off2 */
	CF_SELECTOR,  /* rr_opt_str at off, selector pointer at off2;
	               * aux non-NULL: base is a rr_bgppeer (tag trap) */
	CF_STRLIST,   /* const char ** at off, size_t n (then cap) at off2 */
	CF_CIDRLIST,  /* rr_cidr_ent * at off, n, cap at off2 */
	CF_SECRETREF, /* rr_secret_ref */
	CF_SUB,       /* fn */
	CF_CUSTOM,    /* fn */
};

struct cal_field;
typedef void (*cal_fn)(struct cal_ctx *c, const struct cal_field *f,
                       const struct yn *v, void *base);

struct cal_field {
	const char *key;
	enum cal_ftype type;
	size_t off, off2;
	const void *aux;
	uint32_t min, max;
	cal_fn fn;
};

void cal_warn(struct cal_ctx *c, const struct yn *n, const char *fmt, ...)
        RR_PRINTF(3, 4);
void cal_invalid(struct cal_ctx *c, const struct yn *n, const char *fmt, ...)
        RR_PRINTF(3, 4);
bool cal_want(struct cal_ctx *c, const struct yn *n, enum yn_type t,
              const char *key);
int cal_yaml11_bool(const char *s);
const char *cal_str(struct cal_ctx *c, const struct yn *v, const char *key);
int cal_asn(struct cal_ctx *c, const struct yn *v, const char *key,
            uint32_t *out);
int cal_duration(const char *s, uint32_t *out);
int cal_peer_ip(const char *s, struct rr_addr *a, uint16_t *port);
void cal_walk(struct cal_ctx *c, const struct yn *map,
              const struct cal_field *tab, void *base, const char *where);

#endif
