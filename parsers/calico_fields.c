/*
 * Generic field handlers for the Calico parser (netplan-style): each YAML
 * mapping is walked against a table of { key, type, offsetof, ... } and
 * every field of one type gets the same parsing and the same diagnostics.
 * Value formats: libcalico-go lib/validator/v3 and lib/numorstring;
 * YAML 1.1 scalars as sigs.k8s.io/yaml reads them (yes/no/on/off).
 */
#include "parsers/calico_fields.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AT(base, off, type) ((type *)(void *)((char *)(base) + (off)))

void
cal_warn(struct cal_ctx *c, const struct yn *n, const char *fmt, ...)
{
	va_list ap;
	struct rr_loc l = cal_loc(c, n);
	va_start(ap, fmt);
	rr_diag_vadd(c->d, RR_SEV_WARNING, RR_RULE_PARSE_WARNING, &l, fmt, ap);
	va_end(ap);
}

void
cal_invalid(struct cal_ctx *c, const struct yn *n, const char *fmt, ...)
{
	va_list ap;
	struct rr_loc l = cal_loc(c, n);
	va_start(ap, fmt);
	rr_diag_vadd(c->d, RR_SEV_ERROR, RR_RULE_CALICO_INVALID, &l, fmt, ap);
	va_end(ap);
}

static const char *
type_name(const struct yn *n)
{
	return n->type == YN_MAP   ? "a mapping"
	       : n->type == YN_SEQ ? "a list"
	                           : "a scalar";
}

bool
cal_want(struct cal_ctx *c, const struct yn *n, enum yn_type t, const char *key)
{
	static const char *const want[] = {"a scalar", "a list", "a mapping"};
	if (n->type == t)
		return true;
	cal_invalid(c, n, "'%s' must be %s, not %s", key, want[t],
	            type_name(n));
	return false;
}

/* YAML 1.1 booleans (go-yaml v2): 1 true, 0 false, -1 neither. */
int
cal_yaml11_bool(const char *s)
{
	static const char *const t[] = {"y",    "Y",    "yes",  "Yes",
	                                "YES",  "on",   "On",   "ON",
	                                "true", "True", "TRUE", NULL};
	static const char *const f[] = {"n",     "N",     "no",    "No",
	                                "NO",    "off",   "Off",   "OFF",
	                                "false", "False", "FALSE", NULL};
	size_t i;

	/* every one is 1-5 bytes long and starts with one of these: most
	 * scalars stop here (a 5,000-node manifest asks about 40,000) */
	if (!s[0] || strnlen(s, 6) > 5 || !strchr("yYoOtTnNfF", s[0]))
		return -1;
	for (i = 0; t[i]; i++)
		if (!strcmp(s, t[i]))
			return 1;
	for (i = 0; f[i]; i++)
		if (!strcmp(s, f[i]))
			return 0;
	return -1;
}

static bool
all_digits(const char *s, const char *set)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr(set, *s))
			return false;
	return true;
}

/*
 * A string field as calicoctl's typed decode reads it: YAML-1.1 booleans,
 * octal and float scalars that were not quoted turn into their Go text.
 * NULL for null (absent).  Returns text in the model arena.
 */
const char *
cal_str(struct cal_ctx *c, const struct yn *v, const char *key)
{
	struct rr_arena *a = &c->m->arena;
	int b;

	if (!cal_want(c, v, YN_SCALAR, key))
		return NULL;
	if (cal_is_null(v))
		return NULL;
	if (cal_odd_tag(v))
		cal_warn(c, v, "YAML tag '%s' on '%s' ignored", v->tag, key);
	if (v->style != YN_PLAIN || v->tag)
		return rr_arena_strndup(a, v->val, v->len);
	if ((b = cal_yaml11_bool(v->val)) >= 0) {
		cal_warn(c, v,
		         "'%s: %s' is a YAML 1.1 boolean: Calico reads the "
		         "string \"%s\"; quote the value",
		         key, v->val, b ? "true" : "false");
		return b ? "true" : "false";
	}
	if (v->len > 1 && v->val[0] == '0' && all_digits(v->val, "01234567")) {
		unsigned long long x = strtoull(v->val, NULL, 8);
		cal_warn(c, v,
		         "'%s: %s' is a YAML 1.1 octal number: Calico reads "
		         "\"%llu\"; quote the value",
		         key, v->val, x);
		return rr_arena_printf(a, "%llu", x);
	}
	{
		/* 1.10 -> "1.1" (a float formatted back by Go) */
		const char *dot = strchr(v->val, '.');
		if (dot && dot != v->val && all_digits(dot + 1, "0123456789") &&
		    v->val[v->len - 1] == '0') {
			char *t = rr_arena_strndup(a, v->val, v->len);
			size_t k = v->len;
			bool digits = true;
			const char *q;
			for (q = v->val; q < dot; q++)
				if (!isdigit((unsigned char)*q))
					digits = false;
			if (digits) {
				while (k > 0 && t[k - 1] == '0')
					t[--k] = '\0';
				if (k > 0 && t[k - 1] == '.')
					t[--k] = '\0';
				cal_warn(c, v,
				         "'%s: %s' is a YAML float: Calico "
				         "reads \"%s\"; quote the value",
				         key, v->val, t);
				return t;
			}
		}
	}
	return rr_arena_strndup(a, v->val, v->len);
}

static bool
one_of(const char *s, const char *const *list, bool ci)
{
	for (; *list; list++)
		if (ci ? !strcasecmp(s, *list) : !strcmp(s, *list))
			return true;
	return false;
}

static const char *
join_list(struct cal_ctx *c, const char *const *list)
{
	const char *s = "";
	for (; *list; list++)
		s = rr_arena_printf(&c->tmp, "%s%s%s", s, *s ? ", " : "",
		                    *list);
	return s;
}

/* Plain non-negative integer scalar; -1 with diagnostic otherwise. */
static int
get_uint(struct cal_ctx *c, const struct yn *v, const char *key, uint64_t max,
         uint64_t *out)
{
	uint64_t x = 0;
	const char *s = v->val;

	if (!cal_want(c, v, YN_SCALAR, key))
		return -1;
	if (v->style != YN_PLAIN) {
		cal_invalid(c, v, "'%s' must be a number, not a string", key);
		return -1;
	}
	if (*s == '+')
		s++;
	if (!all_digits(s, "0123456789")) {
		cal_invalid(c, v, "'%s' must be a number: '%s'", key, v->val);
		return -1;
	}
	for (; *s; s++) {
		x = x * 10 + (uint64_t)(*s - '0');
		if (x > max) {
			cal_invalid(c, v, "'%s' out of range: %s (max %llu)",
			            key, v->val, (unsigned long long)max);
			return -1;
		}
	}
	*out = x;
	return 0;
}

/* Go time.ParseDuration, rounded to whole seconds half away from zero. */
int
cal_duration(const char *s, uint32_t *out)
{
	static const struct {
		const char *u;
		double sec;
	} units[] = {
	        {"ns", 1e-9},        {"us", 1e-6}, {"\xc2\xb5s", 1e-6},
	        {"\xce\xbcs", 1e-6}, {"ms", 1e-3}, {"s", 1},
	        {"m", 60},           {"h", 3600},
	};
	double total = 0;
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!strcmp(s, "0")) {
		*out = 0;
		return 0;
	}
	if (!*s)
		return -1;
	while (*s) {
		double x = 0, scale = 1;
		bool any = false;
		size_t i, best = 0, bl = 0;
		while (isdigit((unsigned char)*s)) {
			x = x * 10 + (*s++ - '0');
			any = true;
		}
		if (*s == '.') {
			s++;
			while (isdigit((unsigned char)*s)) {
				scale /= 10;
				x += (*s++ - '0') * scale;
				any = true;
			}
		}
		if (!any)
			return -1;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t l = strlen(units[i].u);
			if (!strncmp(s, units[i].u, l) && l > bl) {
				best = i;
				bl = l;
			}
		}
		if (!bl)
			return -1;
		total += x * units[best].sec;
		s += bl;
		if (total > 4e9)
			return -1;
	}
	if (neg && total > 0)
		return -1;
	*out = (uint32_t)floor(total + 0.5);
	return 0;
}

/* Walk one field; the table row says how. */
static void field_value(struct cal_ctx *c, const struct cal_field *f,
                        const struct yn *v, void *base);

void
cal_walk(struct cal_ctx *c, const struct yn *map, const struct cal_field *tab,
         void *base, const char *where)
{
	size_t i;
	const struct cal_field *f;

	if (!cal_want(c, map, YN_MAP, where))
		return;
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct yn *k = map->kids[i], *v = map->kids[i + 1];
		if (k->type != YN_SCALAR) {
			cal_warn(c, k, "non-scalar key in '%s' skipped", where);
			continue;
		}
		for (f = tab; f->key; f++)
			if (f->key[0] == k->val[0] && !strcmp(f->key, k->val))
				break;
		if (!f->key) {
			cal_warn(c, k, "unknown field '%s' in '%s' skipped",
			         k->val, where);
			continue;
		}
		if (cal_is_null(v) && f->type != CF_SUB)
			continue;
		field_value(c, f, v, base);
	}
}

static void
set_opt_str(struct cal_ctx *c, void *base, size_t off, const struct yn *v,
            const char *s)
{
	struct rr_opt_str *o = AT(base, off, struct rr_opt_str);
	o->set = true;
	o->at = cal_loc(c, v);
	o->v = s;
}

static void
set_opt_u32(struct cal_ctx *c, void *base, size_t off, const struct yn *v,
            uint32_t x)
{
	struct rr_opt_u32 *o = AT(base, off, struct rr_opt_u32);
	o->set = true;
	o->at = cal_loc(c, v);
	o->v = x;
}

static void
set_opt_addr(struct cal_ctx *c, void *base, size_t off, const struct yn *v,
             const struct rr_addr *a)
{
	struct rr_opt_addr *o = AT(base, off, struct rr_opt_addr);
	o->set = true;
	o->at = cal_loc(c, v);
	o->v = *a;
}

int
cal_asn(struct cal_ctx *c, const struct yn *v, const char *key, uint32_t *out)
{
	const char *why = NULL;

	if (!cal_want(c, v, YN_SCALAR, key))
		return -1;
	if (v->style == YN_PLAIN && !v->tag) {
		if (v->len > 1 && v->val[0] == '0' &&
		    all_digits(v->val, "0123456789")) {
			if (all_digits(v->val, "01234567")) {
				unsigned long long x =
				        strtoull(v->val, NULL, 8);
				cal_warn(c, v,
				         "'%s: %s' has a leading zero: YAML "
				         "1.1 reads it as octal %llu; drop the "
				         "zero or quote it",
				         key, v->val, x);
				if (x > UINT32_MAX) {
					cal_invalid(c, v,
					            "invalid AS number '%s'",
					            v->val);
					return -1;
				}
				*out = (uint32_t)x;
				return 0;
			}
			cal_warn(c, v, "'%s: %s' has a leading zero; drop it",
			         key, v->val);
		} else if (strchr(v->val, '.')) {
			cal_warn(c, v,
			         "'%s: %s' unquoted is a YAML float; quote a "
			         "dotted AS number (\"%s\")",
			         key, v->val, v->val);
		}
	}
	if (rr_asn_parse(v->val, out, &why)) {
		cal_invalid(c, v, "invalid AS number '%s': %s", v->val,
		            why ? why : "bad format");
		return -1;
	}
	return 0;
}

/* peerIP: IP, IPv4:port, [IPv6]:port (libcalico-go validator.go
 * validateBGPPeerSpec). */
int
cal_peer_ip(const char *s, struct rr_addr *a, uint16_t *port)
{
	char host[64];
	const char *ps = NULL;
	size_t hl;
	const char *colon = strchr(s, ':');

	*port = 0;
	if (s[0] == '[') {
		const char *e = strchr(s, ']');
		if (!e || e[1] != ':')
			return -1;
		hl = (size_t)(e - s - 1);
		if (hl == 0 || hl >= sizeof(host))
			return -1;
		memcpy(host, s + 1, hl);
		host[hl] = '\0';
		if (rr_addr_parse(host, a) || a->af != RR_AF_INET6)
			return -1;
		ps = e + 2;
	} else if (colon && !strchr(colon + 1, ':')) {
		hl = (size_t)(colon - s);
		if (hl == 0 || hl >= sizeof(host))
			return -1;
		memcpy(host, s, hl);
		host[hl] = '\0';
		if (rr_addr_parse(host, a) || a->af != RR_AF_INET)
			return -1;
		ps = colon + 1;
	} else {
		return rr_addr_parse(s, a);
	}
	{
		unsigned long p = 0;
		if (!*ps || strlen(ps) > 5 || !all_digits(ps, "0123456789"))
			return -1;
		p = strtoul(ps, NULL, 10);
		if (p < 1 || p > 65535)
			return -1;
		*port = (uint16_t)p;
	}
	return 0;
}

static void
do_selector(struct cal_ctx *c, const struct cal_field *f, const struct yn *v,
            void *base)
{
	const struct rr_selector *sel;
	const char *msg = NULL;
	size_t off = 0;

	if (!cal_want(c, v, YN_SCALAR, f->key))
		return;
	if (cal_odd_tag(v)) {
		/* `nodeSelector: !has(x)`: the selector became a YAML tag
		 * (projectcalico/calico issue #2385). */
		if (f->aux)
			AT(base, 0, struct rr_bgppeer)->tagged_selector_at =
			        cal_loc(c, v);
		{
			struct rr_loc l = cal_loc(c, v);
			rr_diag_add(c->d, RR_SEV_ERROR, RR_RULE_SELECTOR_TAG,
			            &l,
			            "'%s' carries the YAML tag '%s': the "
			            "selector is lost and treated as absent%s; "
			            "quote selectors that start with '!'",
			            f->key, v->tag,
			            f->aux && !strcmp(f->key, "nodeSelector")
			                    ? " (the peer turns global)"
			                    : "");
		}
		return;
	}
	if (parse_selector(&c->m->arena, v->val, &sel, &msg, &off)) {
		struct rr_loc l = cal_loc(c, v);
		if (v->style == YN_PLAIN || v->style == YN_QUOTED)
			l.col += (uint32_t)off + (v->style == YN_QUOTED);
		rr_diag_add(c->d, RR_SEV_ERROR, RR_RULE_CALICO_INVALID, &l,
		            "invalid selector in '%s': %s", f->key, msg);
		return;
	}
	set_opt_str(c, base, f->off, v,
	            rr_arena_strndup(&c->m->arena, v->val, v->len));
	*AT(base, f->off2, const struct rr_selector *) = sel;
}

static void
push_str(struct cal_ctx *c, void *base, const struct cal_field *f,
         const char *s)
{
	const char ***vec = AT(base, f->off, const char **);
	size_t *n = AT(base, f->off2, size_t);
	const char **slot = rr_arena_push(&c->m->arena, (void **)vec, n, n + 1,
	                                  sizeof(char *));
	*slot = s;
}

static void
do_list(struct cal_ctx *c, const struct cal_field *f, const struct yn *v,
        void *base)
{
	size_t i;

	if (!cal_want(c, v, YN_SEQ, f->key))
		return;
	for (i = 0; i < v->n; i++) {
		const struct yn *it = v->kids[i];
		if (f->type == CF_STRLIST) {
			const char *s = cal_str(c, it, f->key);
			if (s)
				push_str(c, base, f, s);
		} else if (f->type == CF_CIDRLIST) {
			/* [{cidr: ...}] */
			struct rr_cidr_ent *e, **vec;
			size_t *n;
			const struct yn *cv = NULL;
			struct rr_prefix p;
			size_t k;
			if (!cal_want(c, it, YN_MAP, f->key))
				continue;
			for (k = 0; k + 1 < it->n; k += 2) {
				if (!strcmp(it->kids[k]->val ? it->kids[k]->val
				                             : "",
				            "cidr"))
					cv = it->kids[k + 1];
				else
					cal_warn(
					        c, it->kids[k],
					        "unknown field in '%s' skipped",
					        f->key);
			}
			if (!cv || cal_is_null(cv) ||
			    !cal_want(c, cv, YN_SCALAR, "cidr"))
				continue;
			if (rr_prefix_parse(cv->val, &p, true)) {
				cal_invalid(c, cv, "invalid CIDR '%s' in '%s'",
				            cv->val, f->key);
				continue;
			}
			vec = AT(base, f->off, struct rr_cidr_ent *);
			n = AT(base, f->off2, size_t);
			e = rr_arena_push(&c->m->arena, (void **)vec, n, n + 1,
			                  sizeof(*e));
			e->p = p;
			e->at = cal_loc(c, cv);
			e->text = rr_arena_strdup(&c->m->arena, cv->val);
		}
	}
}

static void
do_secret_ref(struct cal_ctx *c, const struct cal_field *f, const struct yn *v,
              void *base)
{
	struct rr_secret_ref *r = AT(base, f->off, struct rr_secret_ref);
	const struct yn *ref = NULL;
	size_t i;

	if (!cal_want(c, v, YN_MAP, f->key))
		return;
	for (i = 0; i + 1 < v->n; i += 2) {
		if (v->kids[i]->type == YN_SCALAR &&
		    !strcmp(v->kids[i]->val, "secretKeyRef"))
			ref = v->kids[i + 1];
		else
			cal_warn(c, v->kids[i], "unknown field in '%s' skipped",
			         f->key);
	}
	if (!ref || cal_is_null(ref) ||
	    !cal_want(c, ref, YN_MAP, "secretKeyRef"))
		return;
	r->set = true;
	r->at = cal_loc(c, ref);
	for (i = 0; i + 1 < ref->n; i += 2) {
		const struct yn *k = ref->kids[i], *x = ref->kids[i + 1];
		if (k->type != YN_SCALAR)
			continue;
		if (!strcmp(k->val, "name"))
			r->name = cal_str(c, x, "name");
		else if (!strcmp(k->val, "key"))
			r->key = cal_str(c, x, "key");
		else if (strcmp(k->val, "optional") != 0)
			cal_warn(c, k,
			         "unknown field '%s' in 'secretKeyRef' skipped",
			         k->val);
	}
}

static void
field_value(struct cal_ctx *c, const struct cal_field *f, const struct yn *v,
            void *base)
{
	const char *s;
	uint64_t u;
	uint32_t x;
	struct rr_addr a;
	struct rr_prefix p;

	switch (f->type) {
	case CF_IGNORE:
		return;
	case CF_STR:
		if ((s = cal_str(c, v, f->key)))
			set_opt_str(c, base, f->off, v, s);
		return;
	case CF_ENUM:
	case CF_ENUM_CI:
		if (!(s = cal_str(c, v, f->key)))
			return;
		if (!one_of(s, f->aux, f->type == CF_ENUM_CI)) {
			cal_invalid(c, v, "'%s: %s' is not one of %s", f->key,
			            s, join_list(c, f->aux));
			return;
		}
		set_opt_str(c, base, f->off, v, s);
		return;
	case CF_RAWSTR:
		if (!(s = cal_str(c, v, f->key)))
			return;
		if (f->aux && !one_of(s, f->aux, false))
			cal_invalid(c, v, "'%s: %s' is not one of %s", f->key,
			            s, join_list(c, f->aux));
		*AT(base, f->off, const char *) = s;
		return;
	case CF_BOOL:
	case CF_BOOLSTR: {
		int b;
		struct rr_opt_bool *o;
		if (!cal_want(c, v, YN_SCALAR, f->key))
			return;
		b = cal_yaml11_bool(v->val);
		if (v->style != YN_PLAIN &&
		    !(f->type == CF_BOOLSTR &&
		      (!strcmp(v->val, "true") || !strcmp(v->val, "false"))))
			b = -2;
		if (b < 0) {
			cal_invalid(c, v, "'%s' must be true or false: '%s'",
			            f->key, v->val);
			return;
		}
		o = AT(base, f->off, struct rr_opt_bool);
		o->set = true;
		o->at = cal_loc(c, v);
		o->v = b == 1;
		return;
	}
	case CF_U32:
		if (get_uint(c, v, f->key, f->max ? f->max : UINT32_MAX, &u))
			return;
		if (u < f->min) {
			cal_invalid(c, v, "'%s' out of range: %s (min %u)",
			            f->key, v->val, f->min);
			return;
		}
		set_opt_u32(c, base, f->off, v, (uint32_t)u);
		return;
	case CF_ASN:
		if (cal_asn(c, v, f->key, &x) == 0)
			set_opt_u32(c, base, f->off, v, x);
		return;
	case CF_DURATION:
		if (!(s = cal_str(c, v, f->key)))
			return;
		if (cal_duration(s, &x)) {
			cal_invalid(c, v,
			            "'%s: %s' is not a duration (like 10s, 2m, "
			            "1h30m)",
			            f->key, s);
			return;
		}
		set_opt_u32(c, base, f->off, v, x);
		return;
	case CF_ADDR:
		if (!(s = cal_str(c, v, f->key)))
			return;
		if (rr_addr_parse(s, &a) ||
		    (f->min && a.af != (uint8_t)f->min)) {
			cal_invalid(c, v, "'%s: %s' is not an IP%s address",
			            f->key, s,
			            f->min == 4   ? "v4"
			            : f->min == 6 ? "v6"
			                          : "");
			return;
		}
		set_opt_addr(c, base, f->off, v, &a);
		return;
	case CF_CLUSTERID:
		if (!(s = cal_str(c, v, f->key)))
			return;
		set_opt_str(c, base, f->off, v, s);
		if (rr_addr_parse(s, &a) || a.af != RR_AF_INET) {
			cal_invalid(c, v,
			            "'%s: %s' is not a dotted IPv4 address",
			            f->key, s);
			return;
		}
		set_opt_addr(c, base, f->off2, v, &a);
		return;
	case CF_NODEADDR:
		if (!(s = cal_str(c, v, f->key)))
			return;
		if (rr_prefix_parse(s, &p, false) ||
		    p.addr.af != (uint8_t)f->min) {
			cal_invalid(c, v,
			            "'%s: %s' is not an IPv%u address or CIDR",
			            f->key, s, f->min);
			return;
		}
		set_opt_str(c, base, f->off, v, s);
		*AT(base, f->off2, struct rr_prefix) = p;
		return;
	case CF_POOLCIDR: {
		int rc;
		if (!(s = cal_str(c, v, f->key)))
			return;
		rc = rr_prefix_parse(s, &p, true);
		if (rc == -2) {
			cal_invalid(c, v, "'%s: %s' is not strictly masked",
			            f->key, s);
			rr_prefix_parse(s, &p, false);
		} else if (rc) {
			cal_invalid(c, v, "'%s: %s' is not a valid CIDR",
			            f->key, s);
			return;
		}
		set_opt_str(c, base, f->off, v, s);
		*AT(base, f->off2, struct rr_prefix) = p;
		return;
	}
	case CF_PREFIX:
		if (!(s = cal_str(c, v, f->key)))
			return;
		if (rr_prefix_parse(s, &p, false)) {
			cal_invalid(c, v, "'%s: %s' is not a valid CIDR",
			            f->key, s);
			return;
		}
		*AT(base, f->off, struct rr_prefix) = p;
		*AT(base, f->off2, struct rr_loc) = cal_loc(c, v);
		return;
	case CF_PEERIP: {
		struct rr_bgppeer *bp = base;
		uint16_t port;
		if (!(s = cal_str(c, v, f->key)))
			return;
		if (strlen(s) > 64 || cal_peer_ip(s, &a, &port)) {
			cal_invalid(c, v,
			            "'peerIP: %s' is not IP, IPv4:port or "
			            "[IPv6]:port (port 1-65535)",
			            s);
			return;
		}
		set_opt_str(c, base, f->off, v, s);
		bp->peer_ip = a;
		bp->peer_port = port;
		return;
	}
	case CF_NEXTHOP: {
		static const char *const modes[] = {"Auto", "Self", "Keep",
		                                    NULL};
		if (!(s = cal_str(c, v, f->key)))
			return;
		if (!one_of(s, modes, false)) {
			cal_invalid(c, v, "'%s: %s' is not one of %s", f->key,
			            s, join_list(c, modes));
			return;
		}
		set_opt_str(c, base, f->off, v, s);
		*AT(base, f->off2, enum rr_next_hop_mode) =
		        s[0] == 'S'   ? RR_NH_SELF
		        : s[0] == 'K' ? RR_NH_KEEP
		                      : RR_NH_AUTO;
		return;
	}
	case CF_SELECTOR:
		do_selector(c, f, v, base);
		return;
	case CF_STRLIST:
	case CF_CIDRLIST:
		do_list(c, f, v, base);
		return;
	case CF_SECRETREF:
		do_secret_ref(c, f, v, base);
		return;
	case CF_SUB:
	case CF_CUSTOM:
		f->fn(c, f, v, base);
		return;
	}
}
