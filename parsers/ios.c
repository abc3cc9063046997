/*
 * parsers/ios.c: Cisco IOS / IOS-XE running-config text -> one RR_SPK_IOS
 * speaker, read as IOS reads it (Cisco IOS Configuration
 * Fundamentals and IP Routing: BGP Command Reference).
 *
 * The file is read line by line by mode, with IOS's fall-through: a line
 * that is not a command of the current mode is tried in global mode.
 * Indentation is only a hint: inside `router bgp` every BGP command is
 * taken whatever its column; elsewhere a line in column 1 starts a new
 * global command.  This file holds the line reader and tokenizer, global
 * mode (hostname, interfaces, banners, sections to skip, `end`) and the
 * speaker's addresses and router id; ios_bgp.c reads `router bgp`,
 * ios_inherit.c resolves peer-groups and templates into neighbors.
 */
#include "parsers/ios_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ----------------------------------------------------- diagnostics */

struct rr_loc
ios_loc(const struct ios_ctx *c, uint32_t col)
{
	struct rr_loc l = {c->file, c->ln.no, col ? col : 1};
	return l;
}

struct rr_loc
ios_wloc(const struct ios_ctx *c, size_t w)
{
	if (c->ln.n == 0)
		return ios_loc(c, c->ln.indent + 1);
	if (w >= c->ln.n) /* a missing word: just past the last one */
		return ios_loc(
		        c, c->ln.w[c->ln.n - 1].col +
		                   (uint32_t)strlen(c->ln.w[c->ln.n - 1].s));
	return ios_loc(c, c->ln.w[w].col);
}

void
ios_warn(struct ios_ctx *c, size_t w, const char *fmt, ...)
{
	struct rr_loc l = ios_wloc(c, w);
	va_list ap;

	va_start(ap, fmt);
	rr_diag_vadd(c->d, RR_SEV_WARNING, RR_RULE_PARSE_WARNING, &l, fmt, ap);
	va_end(ap);
}

void
ios_error(struct ios_ctx *c, size_t w, const char *fmt, ...)
{
	struct rr_loc l = ios_wloc(c, w);
	va_list ap;

	va_start(ap, fmt);
	rr_diag_vadd(c->d, RR_SEV_ERROR, RR_RULE_IOS_INVALID, &l, fmt, ap);
	va_end(ap);
}

void
ios_as_error(struct ios_ctx *c, size_t w, const char *why)
{
	struct rr_loc l = ios_wloc(c, w);

	if (w >= c->ln.n)
		rr_diag_add(c->d, RR_SEV_ERROR, RR_RULE_AS_INVALID, &l,
		            "missing AS number");
	else
		rr_diag_add(c->d, RR_SEV_ERROR, RR_RULE_AS_INVALID, &l,
		            "invalid AS number '%.40s': %s", c->ln.w[w].s, why);
}

int
ios_u32(struct ios_ctx *c, size_t w, uint32_t max, const char *what,
        uint32_t *out)
{
	const char *s;
	uint64_t v = 0;

	if (w >= c->ln.n) {
		ios_error(c, w, "missing %s", what);
		return -1;
	}
	s = c->ln.w[w].s;
	if (!*s)
		goto bad;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			goto bad;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			goto bad;
	}
	*out = (uint32_t)v;
	return 0;
bad:
	ios_error(c, w, "invalid %s '%.40s' (0 to %lu)", what, c->ln.w[w].s,
	          (unsigned long)max);
	return -1;
}

int
ios_asn(struct ios_ctx *c, size_t w, uint32_t *out)
{
	const char *why = "missing";

	if (w < c->ln.n && c->ln.w[w].len < 10) { /* asplain below 10^9 */
		const char *d = c->ln.w[w].s;
		uint32_t v = 0;
		while (*d >= '0' && *d <= '9')
			v = v * 10 + (uint32_t)(*d++ - '0');
		if (!*d && d != c->ln.w[w].s) {
			*out = v;
			return 0;
		}
	}
	if (w >= c->ln.n || rr_asn_parse(c->ln.w[w].s, out, &why) < 0) {
		ios_as_error(c, w, why);
		return -1;
	}
	/* asdot X.Y needs X >= 1: "0.5" is malformed (RFC 5396 §1) */
	if (strchr(c->ln.w[w].s, '.') && *out < 65536) {
		ios_as_error(c, w, "the asdot high part must be 1 to 65535");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------- tokenizer */

/* Length of the blank at p (0 if none): space, tab, CR, NUL, Latin-1
 * no-break space 0xA0 and its UTF-8 form C2 A0, both seen in configs pasted
 * from documents.  A table: this runs once per byte of the file. */
static const unsigned char blank_class[256] = {
        ['\0'] = 1, ['\t'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1,
        [' '] = 1,  [0xa0] = 1, [0xc2] = 2, /* 2: blank if A0 follows */
};

static inline size_t
blank_len(const char *p, const char *end)
{
	unsigned k = blank_class[(unsigned char)*p];

	if (k < 2)
		return k;
	return p + 1 < end && (unsigned char)p[1] == 0xa0 ? 2 : 0;
}

static void register_secret(struct ios_ctx *c);

/* Are the 8 bytes at p all printable ASCII but the blank (none of them
 * ends a word)?  A byte below 0x21 or from 0x80 sets a high bit. */
static inline bool
plain8(const char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return !(((v - 0x2121212121212121ull) | v) & 0x8080808080808080ull);
}

/* The words of the line, each a NUL-terminated string in l->buf: a copy
 * of the line with a NUL written where each word ends. */
static void
tokenize(struct ios_ctx *c, const char *raw, size_t len)
{
	struct ios_line *l = &c->ln;
	char *buf;
	const char *p, *end;
	size_t b;

	l->raw = raw;
	l->len = len;
	l->n = 0;
	if (l->cap < len + 1) {
		l->cap = len + 1 > 256 ? len + 1 : 256;
		free(l->buf);
		l->buf = rr_xmalloc(l->cap);
	}
	buf = l->buf;
	memcpy(buf, raw, len);
	buf[len] = '\0';
	p = buf;
	end = buf + len;
	while (p < end && (b = blank_len(p, end)))
		p += b;
	l->indent = (uint32_t)(p - buf);
	while (p < end && l->n < IOS_MAXW) {
		struct ios_word *w = &l->w[l->n++];
		const char *s = p;
		w->off = (size_t)(p - buf);
		w->col = (uint32_t)(w->off + 1);
		w->s = s;
		while (end - p >= 8 && plain8(p))
			p += 8;
		while (p < end && !blank_class[(unsigned char)*p])
			p++; /* the common case: no C2 byte */
		while (p < end && !blank_len(p, end)) {
			p++;
			while (p < end && !blank_class[(unsigned char)*p])
				p++;
		}
		w->len = (size_t)(p - s);
		if (p < end) {
			b = blank_len(p, end);
			buf[p - buf] = '\0';
			p += b;
		}
		while (p < end && (b = blank_len(p, end)))
			p += b;
	}
	register_secret(c);
}

/*
 * Where a line writes a secret -- the words after `password`, `secret`,
 * `key`, `key-string` or `community` (an encryption type digit stays
 * visible), whatever the command and its case -- is registered with the
 * diagnostics, so no excerpt or message ever shows it (model.h).
 */
static inline bool
secret_kw(const char *w, size_t n)
{
	static const struct {
		const char *s;
		size_t n;
	} kws[] = {
	        {"password", 8}, {"secret", 6},     {"key", 3},
	        {"key-string", 10}, {"community", 9},
	};
	size_t i;

	char f = (char)(w[0] | 0x20);

	if (n < 3 || n > 10 || (f != 'p' && f != 's' && f != 'k' && f != 'c'))
		return false;
	for (i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		if (kws[i].n == n && !strncasecmp(w, kws[i].s, n))
			return true;
	return false;
}

static void
register_secret(struct ios_ctx *c)
{
	const struct ios_line *l = &c->ln;
	const char *raw = l->raw, *p, *end = raw + l->len, *w;
	size_t b, i;
	bool after_kw = false;

	/* the words tokenize() found, then the rest of a longer line */
	for (i = 0; i < l->n; i++) {
		const struct ios_word *x = &l->w[i];
		w = raw + x->off;
		if (after_kw && !(x->len == 1 && *w >= '0' && *w <= '9' &&
		                  x->off + 1 < l->len)) {
			rr_diags_secret(c->d, c->file, l->no,
			                (uint32_t)x->off + 1);
			return;
		}
		if (!after_kw)
			after_kw = secret_kw(w, x->len);
	}
	if (l->n < IOS_MAXW)
		return;
	p = raw + l->w[l->n - 1].off + l->w[l->n - 1].len;
	while (p < end) {
		while (p < end && (b = blank_len(p, end)))
			p += b;
		if (p == end)
			return;
		w = p;
		while (p < end && !blank_len(p, end))
			p++;
		if (after_kw && !(p - w == 1 && *w >= '0' && *w <= '9' &&
		                  p < end)) {
			rr_diags_secret(c->d, c->file, c->ln.no,
			                (uint32_t)(w - raw + 1));
			return;
		}
		if (!after_kw)
			after_kw = secret_kw(w, (size_t)(p - w));
	}
}

const char *
ios_rest(struct ios_ctx *c, size_t w)
{
	const char *raw = c->ln.raw, *end = raw + c->ln.len;
	const char *p;

	if (w >= c->ln.n)
		return rr_arena_strdup(&c->m->arena, "");
	p = raw + c->ln.w[w].off;
	while (end > p) {
		if (end - p >= 2 && blank_len(end - 2, end) == 2)
			end -= 2; /* C2 A0 */
		else if (blank_len(end - 1, end))
			end--;
		else
			break;
	}
	return rr_arena_strndup(&c->m->arena, p, (size_t)(end - p));
}

/* ------------------------------------------------------ interfaces */

static struct rr_iface *
cur_iface(struct ios_ctx *c)
{
	return &c->s->ifaces[c->iface];
}

const struct rr_iface *
ios_find_iface(struct ios_ctx *c, const char *name)
{
	const char *canon = ios_iface_canon(&c->tmp, name);
	size_t i = (size_t)(uintptr_t)ios_htab_get(&c->ifaces, canon,
	                                           strlen(canon));
	return i ? &c->s->ifaces[i - 1] : NULL;
}

/* `interface NAME` (also `interface Gi 0/1`, written with a blank). */
static void
iface_enter(struct ios_ctx *c)
{
	const char *name, *canon;
	size_t i;
	struct rr_iface *f;

	if (c->ln.n < 2) {
		ios_warn(c, 1, "missing interface name");
		c->mode = IOS_M_SKIP;
		return;
	}
	if (c->ln.n >= 3 && c->ln.w[2].s[0] >= '0' && c->ln.w[2].s[0] <= '9')
		name = rr_arena_printf(&c->m->arena, "%s%s", c->ln.w[1].s,
		                       c->ln.w[2].s);
	else
		name = rr_arena_strdup(&c->m->arena, c->ln.w[1].s);
	canon = ios_iface_canon(&c->m->arena, name);
	i = (size_t)(uintptr_t)ios_htab_get(&c->ifaces, canon, strlen(canon));
	if (!i) {
		f = RR_PUSH(&c->m->arena, c->s->ifaces, c->s->nifaces,
		            c->s->capi);
		f->name = name;
		f->canon = canon;
		f->loc = ios_wloc(c, 0);
		i = c->s->nifaces;
		ios_htab_put(&c->tmp, &c->ifaces, canon, strlen(canon),
		             (void *)(uintptr_t)i);
	}
	c->iface = i - 1;
	c->vrrp3 = 0;
	c->mode = IOS_M_IFACE;
}

static void
iface_drop(struct rr_iface *f, uint8_t af, bool secondary_too)
{
	size_t i, o = 0;

	for (i = 0; i < f->naddrs; i++) {
		if (f->addrs[i].p.addr.af == af &&
		    (secondary_too || !f->addrs[i].secondary))
			continue;
		f->addrs[o++] = f->addrs[i];
	}
	f->naddrs = o;
}

/* ip address A M [secondary] | ip address A/len [secondary] */
static void
iface_ip_address(struct ios_ctx *c)
{
	struct rr_iface *f = cur_iface(c);
	struct rr_prefix p;
	struct rr_iface_addr *a;
	size_t k = 3;
	bool sec;

	if (c->ln.n < 3 || ios_kw(&c->ln, 2, "dhcp") ||
	    ios_kw(&c->ln, 2, "negotiated") || ios_kw(&c->ln, 2, "pool"))
		return; /* no static address to own */
	if (strchr(c->ln.w[2].s, '/')) {
		if (rr_prefix_parse(c->ln.w[2].s, &p, false) < 0 ||
		    p.addr.af != RR_AF_INET) {
			ios_error(c, 2, "invalid address '%.60s'",
			          c->ln.w[2].s);
			return;
		}
	} else {
		struct rr_addr tmp;
		if (rr_addr_parse(c->ln.w[2].s, &tmp) < 0 ||
		    tmp.af != RR_AF_INET) {
			ios_error(c, 2, "invalid address '%.60s'",
			          c->ln.w[2].s);
			return;
		}
		if (c->ln.n < 4) {
			ios_error(c, 3, "missing mask after '%s'",
			          c->ln.w[2].s);
			return;
		}
		if (rr_prefix_from_mask(c->ln.w[2].s, c->ln.w[3].s, &p) < 0) {
			ios_error(c, 3, "invalid mask '%.60s'", c->ln.w[3].s);
			return;
		}
		k = 4;
	}
	sec = ios_kw(&c->ln, k, "secondary");
	if (!sec)
		iface_drop(f, RR_AF_INET, false); /* a new primary replaces */
	a = RR_PUSH(&c->m->arena, f->addrs, f->naddrs, f->capa);
	a->p = p;
	a->secondary = sec;
	a->at = ios_wloc(c, 0);
}

/* ipv6 address P/len [anycast | eui-64 | link-local] */
static void
iface_ipv6_address(struct ios_ctx *c)
{
	struct rr_iface *f = cur_iface(c);
	struct rr_prefix p;
	struct rr_iface_addr *a;

	if (c->ln.n < 3 || !strchr(c->ln.w[2].s, ':'))
		return; /* autoconfig, dhcp, a general-prefix name */
	if (ios_kw(&c->ln, 3, "link-local") || ios_kw(&c->ln, 3, "eui-64"))
		return;
	if (rr_prefix_parse(c->ln.w[2].s, &p, false) < 0 ||
	    p.addr.af != RR_AF_INET6) {
		ios_error(c, 2, "invalid IPv6 address '%.60s'", c->ln.w[2].s);
		return;
	}
	if (!strchr(c->ln.w[2].s, '/')) {
		ios_error(c, 2, "missing prefix length in '%.60s'",
		          c->ln.w[2].s);
		return;
	}
	a = RR_PUSH(&c->m->arena, f->addrs, f->naddrs, f->capa);
	a->p = p;
	a->at = ios_wloc(c, 0);
}

static void
iface_vrf(struct ios_ctx *c, size_t w, bool no)
{
	struct rr_iface *f = cur_iface(c);
	const char *vrf = no || w >= c->ln.n
	                          ? NULL
	                          : rr_arena_strdup(&c->m->arena, c->ln.w[w].s);

	if (f->naddrs && !(vrf && f->vrf && !strcmp(vrf, f->vrf))) {
		ios_warn(c, 0,
		         "'vrf forwarding' removes the addresses configured "
		         "before it on '%s'",
		         f->name);
		f->naddrs = 0;
	}
	f->vrf = vrf;
}

/* A first-hop redundancy virtual address on the current interface. */
static void
add_vip(struct ios_ctx *c, enum rr_fhrp proto, uint32_t group, size_t w,
        bool secondary)
{
	struct rr_vip *v;
	struct rr_addr a;

	if (rr_addr_parse(c->ln.w[w].s, &a) < 0 || a.af != RR_AF_INET) {
		ios_error(c, w, "invalid virtual address '%.60s'",
		          c->ln.w[w].s);
		return;
	}
	v = RR_PUSH(&c->m->arena, c->s->vips, c->s->nvips, c->s->capvips);
	v->proto = proto;
	v->group = group;
	v->addr = a;
	v->secondary = secondary;
	v->iface = cur_iface(c)->canon;
	v->at = ios_wloc(c, 0);
}

/*
 * standby [N] ip [A [secondary]] (HSRP, group 0 when N is omitted),
 * vrrp N ip A [secondary], glbp N ip [A [secondary]]; VRRPv3 `vrrp N
 * address-family ipv4` opens a block of `address A [primary|secondary]`.
 * Other FHRP commands (priority, preempt, track, timers...) are skipped.
 */
static void
iface_fhrp(struct ios_ctx *c)
{
	const struct ios_line *l = &c->ln;
	enum rr_fhrp proto = ios_kw(l, 0, "standby") ? RR_FHRP_HSRP
	                     : ios_kw(l, 0, "vrrp")  ? RR_FHRP_VRRP
	                                             : RR_FHRP_GLBP;
	uint32_t group = 0;
	size_t w = 1;

	if (l->n > 1 && l->w[1].s[0] >= '0' && l->w[1].s[0] <= '9') {
		if (ios_u32(c, 1, 4095, "group number", &group) < 0)
			return;
		w = 2;
	}
	if (proto == RR_FHRP_VRRP && ios_kw(l, w, "address-family")) {
		c->vrrp3 = ios_kw(l, w + 1, "ipv4") ? group + 1 : 0;
		return;
	}
	if (!ios_kw(l, w, "ip") || w + 1 >= l->n)
		return; /* not an address, or learned from the active router */
	add_vip(c, proto, group, w + 1, ios_kw(l, w + 2, "secondary"));
}

static void
iface_vrrp3_address(struct ios_ctx *c)
{
	if (c->ln.n < 2 || !strchr(c->ln.w[1].s, '.'))
		return; /* an IPv6 address: not kept */
	add_vip(c, RR_FHRP_VRRP, c->vrrp3 - 1, 1,
	        ios_kw(&c->ln, 2, "secondary"));
}

/*
 * A line in interface mode.  Only addresses, shutdown and the VRF matter;
 * other interface commands are skipped.  Returns false for a column-1
 * line that is not one of those (a new global command).
 */
static bool
iface_line(struct ios_ctx *c)
{
	const struct ios_line *l = &c->ln;
	bool no = ios_kw(l, 0, "no");
	size_t b = no ? 1 : 0;

	if (ios_kw(l, b, "ip") && ios_kw(l, b + 1, "address")) {
		if (no)
			iface_drop(cur_iface(c), RR_AF_INET, true);
		else
			iface_ip_address(c);
	} else if (ios_kw(l, b, "ipv6") && ios_kw(l, b + 1, "address")) {
		if (no)
			iface_drop(cur_iface(c), RR_AF_INET6, true);
		else
			iface_ipv6_address(c);
	} else if (ios_kw(l, b, "shutdown") && l->n == b + 1) {
		cur_iface(c)->shutdown = !no;
	} else if (ios_kw(l, b, "vrf") && ios_kw(l, b + 1, "forwarding")) {
		iface_vrf(c, b + 2, no);
	} else if (ios_kw(l, b, "ip") && ios_kw(l, b + 1, "vrf") &&
	           ios_kw(l, b + 2, "forwarding")) {
		iface_vrf(c, b + 3, no);
	} else if (!no && (ios_kw(l, 0, "standby") || ios_kw(l, 0, "vrrp") ||
	                   ios_kw(l, 0, "glbp"))) {
		iface_fhrp(c);
	} else if (!no && c->vrrp3 && ios_kw(l, 0, "address") &&
	           l->indent > 1) {
		iface_vrrp3_address(c);
	} else if (ios_kw(l, 0, "exit") && l->n == 1) {
		c->mode = IOS_M_TOP;
	} else if (l->indent == 0 && !ios_kw(l, 0, "description")) {
		return false;
	}
	if (c->vrrp3 && l->indent <= 1 && !ios_kw(l, 0, "vrrp"))
		c->vrrp3 = 0; /* left the VRRPv3 block */
	return true;
}

/* ------------------------------------------------- banners, macros */

static const char *
find_delim(const char *p, const char *end, const char *d, size_t dlen)
{
	for (; p + dlen <= end; p++)
		if (!memcmp(p, d, dlen))
			return p;
	return NULL;
}

static bool
banner_type(const char *w)
{
	static const char *const types[] = {
	        "config-save", "exec",           "incoming", "login",
	        "motd",        "prompt-timeout", "slip-ppp",
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcasecmp(w, types[i]))
			return true;
	return false;
}

/*
 * banner TYPE <d>text<d>: the first non-blank character after the type
 * delimits the text, which may span lines; NVGEN prints the delimiter as
 * the two characters ^C, so ^C is one delimiter (IOS `banner` command).
 */
static void
banner_enter(struct ios_ctx *c)
{
	const char *raw = c->ln.raw, *end = raw + c->ln.len, *p;
	size_t w = 1;

	if (c->ln.n >= 2 && banner_type(c->ln.w[1].s)) {
		w = 2;
		if (c->ln.n < 3) {
			ios_warn(c, 1, "banner '%s' has no delimiter",
			         c->ln.w[1].s);
			return;
		}
	} else if (c->ln.n < 2) {
		ios_warn(c, 0, "banner has no delimiter");
		return;
	}
	p = raw + c->ln.w[w].off;
	if (p[0] == '^' && p + 1 < end && (p[1] == 'C' || p[1] == 'c')) {
		c->delim[0] = '^';
		c->delim[1] = p[1];
		c->dlen = 2;
	} else {
		c->delim[0] = p[0];
		c->dlen = 1;
	}
	p += c->dlen;
	if (find_delim(p, end, c->delim, c->dlen))
		return; /* closed on the same line; the rest is ignored */
	c->banner_at = ios_wloc(c, 0);
	c->mode = IOS_M_BANNER;
}

/* ---------------------------------------------------- global mode */

/* `ip route P M NEXTHOP|IFACE ...` in the default VRF: a way to reach a
 * neighbor besides the connected subnets (lint's peer-unreachable). */
static void
static_route(struct ios_ctx *c)
{
	const struct ios_line *l = &c->ln;
	struct rr_network *r;
	struct rr_prefix p;

	c->mode = IOS_M_SKIP;
	if (l->n >= 3 && ios_kw(l, 2, "vrf"))
		return; /* a VRF's route: not the default table */
	if (l->n < 5 || rr_prefix_from_mask(l->w[2].s, l->w[3].s, &p)) {
		ios_warn(c, l->n < 5 ? 0 : 2,
		         "expected 'ip route PREFIX MASK NEXTHOP|INTERFACE'");
		return;
	}
	r = RR_PUSH(&c->m->arena, c->s->static_routes, c->s->nstatic_routes,
	            c->s->capsr);
	r->p = rr_prefix_masked(&p);
	r->at = ios_wloc(c, 0);
}

/* router ospf|ospfv3|isis|eigrp|rip ... (and `ipv6 router ...`): the
 * IGP is recorded, its body skipped.  b: the index of the protocol. */
static void
igp(struct ios_ctx *c, size_t b)
{
	static const char *const igps[] = {"ospf", "ospfv3", "isis", "eigrp",
	                                   "rip"};
	const struct ios_line *l = &c->ln;
	struct rr_igp *g;
	size_t i, v;

	c->mode = IOS_M_SKIP;
	if (b >= l->n)
		return;
	for (i = 0; i < sizeof(igps) / sizeof(igps[0]); i++)
		if (!strcasecmp(l->w[b].s, igps[i]))
			break;
	if (i == sizeof(igps) / sizeof(igps[0]))
		return; /* odr, lisp, mobile...: not an IGP rrkit names */
	g = RR_PUSH(&c->m->arena, c->s->igps, c->s->nigps, c->s->capigps);
	g->proto = igps[i];
	g->at = ios_wloc(c, 0);
	if (b + 1 < l->n && !ios_kw(l, b + 1, "vrf"))
		g->id = rr_arena_strdup(&c->m->arena, l->w[b + 1].s);
	for (v = b + 1; v + 1 < l->n; v++)
		if (ios_kw(l, v, "vrf"))
			g->vrf = rr_arena_strdup(&c->m->arena, l->w[v + 1].s);
}

/* vrf definition X | ip vrf X */
static void
vrf_def(struct ios_ctx *c)
{
	const struct ios_line *l = &c->ln;
	struct rr_vrf *v;
	size_t i, w = 2;

	c->mode = IOS_M_SKIP;
	if (w >= l->n)
		return;
	for (i = 0; i < c->s->nvrfs; i++)
		if (!strcmp(c->s->vrfs[i].name, l->w[w].s))
			return;
	v = RR_PUSH(&c->m->arena, c->s->vrfs, c->s->nvrfs, c->s->capvrfs);
	v->name = rr_arena_strdup(&c->m->arena, l->w[w].s);
	v->at = ios_wloc(c, 0);
}

static void
top_line(struct ios_ctx *c)
{
	const struct ios_line *l = &c->ln;
	const char *w0 = l->w[0].s;

	c->mode = IOS_M_TOP;
	if (!strcasecmp(w0, "end")) {
		c->end_at = ios_wloc(c, 0);
		c->mode = IOS_M_END;
	} else if (!strcasecmp(w0, "hostname")) {
		if (l->n < 2) {
			ios_warn(c, 0, "missing host name");
			return;
		}
		c->hostname = rr_arena_strdup(&c->m->arena, l->w[1].s);
		c->hostname_at = ios_wloc(c, 0);
	} else if (!strcasecmp(w0, "interface")) {
		iface_enter(c);
	} else if (!strcasecmp(w0, "router") && ios_kw(l, 1, "bgp")) {
		ios_bgp_enter(c);
	} else if (!strcasecmp(w0, "router") || (!strcasecmp(w0, "ipv6") &&
	                                         ios_kw(l, 1, "router"))) {
		igp(c, !strcasecmp(w0, "ipv6") ? 2 : 1);
	} else if (!strcasecmp(w0, "route-map")) {
		ios_route_map_enter(c);
	} else if ((!strcasecmp(w0, "ip") || !strcasecmp(w0, "ipv6")) &&
	           ios_kw(l, 1, "prefix-list")) {
		ios_prefix_list(c, 1,
		                w0[2] == '\0' ? RR_AF_INET : RR_AF_INET6);
	} else if (!strcasecmp(w0, "ip") && ios_kw(l, 1, "as-path")) {
		ios_aspath_list(c, 1);
	} else if (!strcasecmp(w0, "ip") && ios_kw(l, 1, "community-list")) {
		ios_community_list(c, 1);
	} else if (!strcasecmp(w0, "ip") && ios_kw(l, 1, "bgp-community") &&
	           ios_kw(l, 2, "new-format")) {
		c->s->community_new_format = true;
	} else if ((!strcasecmp(w0, "vrf") && ios_kw(l, 1, "definition")) ||
	           (!strcasecmp(w0, "ip") && ios_kw(l, 1, "vrf") &&
	            l->n == 3)) {
		vrf_def(c);
	} else if (!strcasecmp(w0, "banner")) {
		banner_enter(c);
	} else if (!strcasecmp(w0, "ip") && ios_kw(l, 1, "route")) {
		static_route(c);
	} else if (!strcasecmp(w0, "macro") && ios_kw(l, 1, "name")) {
		c->mode = IOS_M_MACRO;
	} else if (!strcasecmp(w0, "exit")) {
		/* nothing to leave */
	} else if (!strcasecmp(w0, "no") || !strcasecmp(w0, "default")) {
		if (l->n < 2 || !ios_top_known(l->w[1].s))
			ios_warn(c, l->n < 2 ? 0 : 1,
			         "unknown command '%.40s %.40s'", w0,
			         l->n < 2 ? "" : l->w[1].s);
		c->mode = IOS_M_SKIP;
	} else if (ios_top_known(w0)) {
		c->mode = IOS_M_SKIP; /* a section rrkit does not read */
	} else {
		ios_warn(c, 0, "unknown command '%.40s'", w0);
		c->mode = IOS_M_SKIP;
	}
}

/* Returns false when parsing stops (text after `end`). */
static bool
handle_line(struct ios_ctx *c, const char *raw, size_t len)
{
	const struct ios_line *l = &c->ln;

	if (c->too_many)
		return false; /* memory stays bounded (IOS_MAX_ENTS) */
	if (c->mode == IOS_M_BANNER) {
		if (find_delim(raw, raw + len, c->delim, c->dlen))
			c->mode = IOS_M_TOP;
		return true;
	}
	tokenize(c, raw, len);
	if (l->n == 0 || l->w[0].s[0] == '!')
		return true; /* blank, or a comment / NVGEN separator */
	if (c->mode != IOS_M_END && c->mode != IOS_M_MACRO && l->n == 1 &&
	    !strcasecmp(l->w[0].s, "end")) {
		top_line(c); /* `end` leaves configuration from any mode */
		return true;
	}
	switch (c->mode) {
	case IOS_M_END:
		ios_warn(c, 0, "text after 'end' is ignored");
		return false;
	case IOS_M_MACRO:
		if (!strcmp(l->w[0].s, "@"))
			c->mode = IOS_M_TOP;
		return true;
	case IOS_M_BGP:
	case IOS_M_TSESS:
	case IOS_M_TPOL:
		if (ios_bgp_line(c))
			return true;
		break;
	case IOS_M_IFACE:
		if (iface_line(c))
			return true;
		break;
	case IOS_M_RMAP:
		if (ios_route_map_line(c))
			return true;
		break;
	case IOS_M_SKIP:
		if (l->indent > 0)
			return true;
		break;
	default:
		break;
	}
	top_line(c);
	return true;
}

/* ------------------------------------------------------ the speaker */

static const char *
base_name(struct rr_arena *a, const char *path)
{
	const char *b = strrchr(path, '/'), *dot;

	b = b ? b + 1 : path;
	dot = strrchr(b, '.');
	if (!dot || dot == b)
		return rr_arena_strdup(a, b);
	return rr_arena_strndup(a, b, (size_t)(dot - b));
}

/* Own addresses: every address of a non-shut default-VRF interface. */
static void
speaker_addrs(struct ios_ctx *c)
{
	struct rr_speaker *s = c->s;
	size_t i, k;

	for (i = 0; i < s->nifaces; i++) {
		const struct rr_iface *f = &s->ifaces[i];
		if (f->shutdown)
			continue;
		for (k = 0; k < f->naddrs; k++) {
			struct rr_iface_addr *a =
			        f->vrf ? RR_PUSH(&c->m->arena, s->vrf_addrs,
			                         s->nvrf_addrs, s->capvrfaddr)
			               : RR_PUSH(&c->m->arena, s->addrs,
			                         s->naddrs, s->capaddr);
			*a = f->addrs[k];
			a->vrf = f->vrf;
		}
	}
	for (i = k = 0; i < s->nvips; i++) {
		const struct rr_iface *f = ios_find_iface(c, s->vips[i].iface);
		if (!f || f->shutdown)
			continue;
		s->vips[k] = s->vips[i];
		s->vips[k++].vrf = f->vrf;
	}
	s->nvips = k;
}

/*
 * `bgp router-id interface X` (IOS-XE): X's primary IPv4 address.  When X
 * is missing, shut or has no address rrkit warns and takes what IOS picks
 * without a router-id command (an assumption: the device may keep 0.0.0.0
 * until X comes up).
 */
static bool
router_id_iface(struct ios_ctx *c)
{
	struct rr_speaker *s = c->s;
	const struct rr_iface *f = ios_find_iface(c, s->router_id_interface.v);
	size_t k;

	for (k = 0; f && !f->shutdown && !f->vrf && k < f->naddrs; k++) {
		const struct rr_iface_addr *a = &f->addrs[k];
		if (a->p.addr.af != RR_AF_INET || a->secondary)
			continue;
		s->router_id.set = true;
		s->router_id.v = a->p.addr;
		s->router_id.at = s->router_id_interface.at;
		s->router_id.via =
		        rr_arena_printf(&c->m->arena, "interface %s", f->canon);
		return true;
	}
	rr_diag_add(c->d, RR_SEV_WARNING, RR_RULE_PARSE_WARNING,
	            &s->router_id_interface.at,
	            "interface '%s' %s: the router id is taken from the other "
	            "interfaces",
	            s->router_id_interface.v,
	            !f             ? "is not configured"
	            : f->shutdown  ? "is shut down"
	            : f->vrf       ? "is in a VRF"
	                           : "has no IPv4 address");
	return false;
}

/*
 * Without `bgp router-id`, IOS takes the highest IPv4 address of an up
 * loopback, else the highest of an up interface (IOS `bgp router-id`).
 */
static void
router_id(struct ios_ctx *c)
{
	struct rr_speaker *s = c->s;
	const struct rr_iface *bf = NULL;
	const struct rr_iface_addr *best = NULL;
	int pass;
	size_t i, k;

	if (s->router_id.set || !s->bgp_configured)
		return;
	if (s->router_id_interface.set && router_id_iface(c))
		return;
	for (pass = 0; pass < 2 && !best; pass++) {
		for (i = 0; i < s->nifaces; i++) {
			const struct rr_iface *f = &s->ifaces[i];
			if (f->shutdown || f->vrf)
				continue;
			if (pass == 0 && strncmp(f->canon, "Loopback", 8))
				continue;
			for (k = 0; k < f->naddrs; k++) {
				const struct rr_iface_addr *a = &f->addrs[k];
				if (a->p.addr.af != RR_AF_INET || a->secondary)
					continue;
				if (!best || rr_addr_cmp(&a->p.addr,
				                         &best->p.addr) > 0) {
					best = a;
					bf = f;
				}
			}
		}
	}
	if (!best)
		return;
	s->router_id.set = true;
	s->router_id.v = best->p.addr;
	s->router_id.at = best->at;
	s->router_id.via =
	        rr_arena_printf(&c->m->arena, "interface %s", bf->canon);
}

static void
finish(struct ios_ctx *c, const char *path)
{
	struct rr_speaker *s = c->s;

	if (c->mode == IOS_M_BANNER)
		rr_diag_add(c->d, RR_SEV_WARNING, RR_RULE_PARSE_WARNING,
		            &c->banner_at, "banner is not terminated");
	s->name = c->hostname ? c->hostname : base_name(&c->m->arena, path);
	if (c->bgp_seen)
		s->loc = c->bgp_at;
	else if (c->hostname)
		s->loc = c->hostname_at;
	speaker_addrs(c);
	ios_policy_finish(c);
	ios_finish_bgp(c);
	router_id(c);
}

int
parse_ios(struct rr_model *m, const char *path, const char *text, size_t len,
          struct rr_diags *d)
{
	struct ios_ctx c;
	const unsigned char *u = (const unsigned char *)text;
	size_t i = 0, sp;
	uint32_t no = 0;

	memset(&c, 0, sizeof(c));
	c.m = m;
	c.d = d;
	c.file = rr_model_file(m, path);
	if (!text)
		len = 0;
	if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) ||
	                 (u[0] == 0xfe && u[1] == 0xff))) {
		struct rr_loc l = {c.file, 1, 1};
		rr_diag_add(d, RR_SEV_FATAL, NULL, &l,
		            "'%s' is UTF-16 text; IOS configurations are read "
		            "as ASCII or UTF-8",
		            path);
		return -1;
	}
	if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		i = 3;
	rr_arena_init(&c.tmp);
	/* a neighbor's lines (about 100 bytes) become about 1 KB of
	 * entities while read and 1 KB in the model: a big config takes
	 * big chunks from the start, not a series of small-page ones */
	rr_arena_expect(&c.tmp, len * 4);
	rr_arena_expect(&m->arena, len * 4);
	for (sp = 0; sp < m->nspeakers; sp++) /* IOS_MAX_ENTS: all configs */
		if (m->speakers[sp]->kind == RR_SPK_IOS)
			c.nents += m->speakers[sp]->nneighbors;
	c.s = rr_model_add_speaker(m, RR_SPK_IOS, "");
	c.s->file = c.file;
	c.s->default_ipv4_unicast.v = true;
	c.s->client_to_client.v = true;
	c.s->listen_limit.v = 100;
	c.s->maximum_paths.v = 1;
	c.s->maximum_paths_ibgp.v = 1;
	c.s->maximum_paths_eibgp.v = 1;
	c.s->default_local_pref.v = 100;
	c.s->enforce_first_as.v = true;
	while (i < len) {
		const char *e = memchr(text + i, '\n', len - i);
		size_t n = e ? (size_t)(e - (text + i)) : len - i;
		size_t k = n;
		while (k && text[i + k - 1] == '\r')
			k--;
		c.ln.no = ++no;
		if (!handle_line(&c, text + i, k))
			break;
		i += n + 1;
	}
	finish(&c, path);
	if (c.ln.buf)
		memset(c.ln.buf, 0, c.ln.cap);
	free(c.ln.buf);
	if (c.scratch)
		memset(c.scratch, 0, c.scratch_cap);
	free(c.scratch);
	rr_arena_release(&c.tmp);
	return 0;
}
