/*
 * Private to emitters/bird*.c: the text buffer and the per-node context
 * the three files calico-node's confd renders share.
 */
#ifndef RR_EMITTERS_BIRD_PRIV_H
#define RR_EMITTERS_BIRD_PRIV_H

#include "emitters/emitters.h"

#define BIRD_INT_MAX 2147483647u /* confd template.BirdIntMaxValue */

struct bout {
	char *p;
	size_t n, cap;
};

void bput(struct bout *o, const char *fmt, ...) RR_PRINTF(2, 3);

/* One node, one family: what getBGPConfig(ipVersion) gives the templates
 * (confd/pkg/backends/calico/bgp_processor.go). */
struct bctx {
	const struct rr_model *m;
	const struct rr_speaker *s;
	uint8_t af;      /* RR_AF_INET / RR_AF_INET6 */
	int v;           /* 4 or 6 */
	const struct rr_bgpconfig *def;  /* BGPConfiguration default */
	const struct rr_bgpconfig *node; /* BGPConfiguration node.<name> */
	uint32_t prio;   /* NormalRoutePriority of this family */
	const struct emit_bird_opts *opts;
	struct rr_diags *d;
	int rc;          /* -1 after an error diagnostic */
};

bool bird_has_addr(const struct bctx *b);

/* bird_filter.c: the BGPFilter functions (the "BGP Filters" section of
 * bird.cfg) and the calls a peer's import/export filter makes. */
void bird_filter_functions(struct bout *o, struct bctx *b);
void bird_filter_calls(struct bout *o, const struct bctx *b,
                       const struct rr_neighbor *nb, bool import);

/* bird_routes.c: bird_aggr.cfg and bird_ipam.cfg. */
void bird_aggr(struct bout *o, struct bctx *b);
void bird_ipam(struct bout *o, struct bctx *b);

/* "10.0.0.0-26": the key confd lists blocks and static routes by (the
 * templates range over them in this order). */
void bird_route_key(const struct rr_prefix *p, char buf[RR_PREFIX_STRLEN]);

#endif
