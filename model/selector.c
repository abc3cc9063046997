/*
 * Calico selector evaluation and canonical printing
 * (libcalico-go lib/selector/parser/ast.go).
 * Parsing lives in parsers/selector.c; evaluation is here so validators and
 * the simulator can use it with libc only.
 */
#include "model/model.h"

#include <string.h>

static bool
has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static bool
has_suffix(const char *s, const char *p)
{
	size_t ns = strlen(s), np = strlen(p);
	return ns >= np && !strcmp(s + ns - np, p);
}

static bool
in_set(const struct rr_selector *s, const char *v)
{
	size_t i;
	for (i = 0; i < s->nset; i++)
		if (!strcmp(s->set[i], v))
			return true;
	return false;
}

bool
rr_selector_eval(const struct rr_selector *s, const struct rr_labels *l)
{
	const char *v;

	if (!s)
		return true;
	switch (s->op) {
	case RR_SEL_ALL:
		return true;
	case RR_SEL_NOT:
		return !rr_selector_eval(s->a, l);
	case RR_SEL_AND:
		return rr_selector_eval(s->a, l) && rr_selector_eval(s->b, l);
	case RR_SEL_OR:
		return rr_selector_eval(s->a, l) || rr_selector_eval(s->b, l);
	default:
		break;
	}
	v = rr_labels_get(l, s->label);
	switch (s->op) {
	case RR_SEL_HAS:
		return v != NULL;
	case RR_SEL_EQ:
		return v && !strcmp(v, s->value);
	case RR_SEL_NE:
		return !v || strcmp(v, s->value) != 0;
	case RR_SEL_IN:
		return v && in_set(s, v);
	case RR_SEL_NOTIN:
		return !v || !in_set(s, v);
	case RR_SEL_CONTAINS:
		return v && strstr(v, s->value) != NULL;
	case RR_SEL_STARTS:
		return v && has_prefix(v, s->value);
	case RR_SEL_ENDS:
		return v && has_suffix(v, s->value);
	default:
		RR_BUG("selector op");
	}
}

/* A growable string in an arena. */
struct sbuf {
	struct rr_arena *a;
	char *p;
	size_t n, cap;
};

static void
sb_put(struct sbuf *b, const char *s)
{
	size_t k = strlen(s);
	if (b->n + k + 1 > b->cap) {
		size_t ncap = (b->cap + k + 1) * 2;
		char *np = rr_arena_alloc(b->a, ncap);
		if (b->n)
			memcpy(np, b->p, b->n);
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->n, s, k + 1);
	b->n += k;
}

static void
sb_quoted(struct sbuf *b, const char *v)
{
	const char *q = strchr(v, '"') ? "'" : "\"";
	sb_put(b, q);
	sb_put(b, v);
	sb_put(b, q);
}

static void
sel_print(struct sbuf *b, const struct rr_selector *s, int parent)
{
	static const char *const opname[] = {
		[RR_SEL_EQ] = " == ", [RR_SEL_NE] = " != ",
		[RR_SEL_CONTAINS] = " contains ", [RR_SEL_STARTS] = " starts with ",
		[RR_SEL_ENDS] = " ends with ", [RR_SEL_IN] = " in ",
		[RR_SEL_NOTIN] = " not in ",
	};
	size_t i;
	/* precedence: OR 1, AND 2, NOT 3 */
	int prec = s->op == RR_SEL_OR ? 1 : s->op == RR_SEL_AND ? 2 : 3;
	bool paren = prec < parent;

	if (paren)
		sb_put(b, "(");
	switch (s->op) {
	case RR_SEL_ALL:
		sb_put(b, s->is_global ? "global()" : "all()");
		break;
	case RR_SEL_HAS:
		sb_put(b, "has(");
		sb_put(b, s->label);
		sb_put(b, ")");
		break;
	case RR_SEL_NOT:
		sb_put(b, "!");
		sel_print(b, s->a, 3);
		break;
	case RR_SEL_AND:
	case RR_SEL_OR:
		sel_print(b, s->a, prec);
		sb_put(b, s->op == RR_SEL_AND ? " && " : " || ");
		sel_print(b, s->b, prec + 1);
		break;
	case RR_SEL_IN:
	case RR_SEL_NOTIN:
		sb_put(b, s->label);
		sb_put(b, opname[s->op]);
		sb_put(b, "{");
		for (i = 0; i < s->nset; i++) {
			if (i)
				sb_put(b, ", ");
			sb_quoted(b, s->set[i]);
		}
		sb_put(b, "}");
		break;
	default:
		sb_put(b, s->label);
		sb_put(b, opname[s->op]);
		sb_quoted(b, s->value);
		break;
	}
	if (paren)
		sb_put(b, ")");
}

const char *
rr_selector_str(struct rr_arena *a, const struct rr_selector *s)
{
	struct sbuf b = { a, NULL, 0, 0 };
	if (!s)
		return "all()";
	sel_print(&b, s, 0);
	return b.p ? b.p : "";
}
