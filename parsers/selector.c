/*
 * Calico selector parser (libcalico-go
 * lib/selector/tokenizer/tokenizer.go and parser/parser.go).
 *
 * A hand-written recursive-descent parser over a small tokenizer.  Builds
 * struct rr_selector trees in the caller's arena; IN/NOTIN sets come out
 * sorted and de-duplicated.  Errors carry a static message and the byte
 * offset of the offending token.  Nesting is bounded so hostile input
 * cannot exhaust the stack.
 */
#include "parsers/parsers.h"

#include <stdlib.h>
#include <string.h>

#define SEL_MAX_DEPTH 128
#define SEL_MAX_LABEL 512

enum tok {
	T_EOF,
	T_LABEL,
	T_STRING,
	T_LPAREN,
	T_RPAREN,
	T_LBRACE,
	T_RBRACE,
	T_COMMA,
	T_EQ,
	T_NE,
	T_IN,
	T_NOTIN,
	T_CONTAINS,
	T_STARTS,
	T_ENDS,
	T_NOT,
	T_AND,
	T_OR,
	T_HAS, /* has(label): value = label */
	T_ALL,
	T_GLOBAL,
};

struct sp {
	struct rr_arena *a;
	const char *s;
	size_t pos; /* next char to lex */
	/* current token */
	enum tok t;
	size_t tpos;
	const char *v;
	size_t vlen;
	bool after_label;
	const char *err;
	size_t err_off;
	int depth;
};

static bool
is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' ||
	       c == '-';
}

static int
fail(struct sp *p, const char *msg, size_t off)
{
	if (!p->err) {
		p->err = msg;
		p->err_off = off;
	}
	return -1;
}

static void
skip_ws(struct sp *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')
		p->pos++;
}

/* Word operator after a label: `word` then optional blanks then `word2`,
 * followed by a non-identifier character. */
static size_t
match_word_op(const char *s, const char *w1, const char *w2)
{
	size_t n = strlen(w1), k;
	if (strncmp(s, w1, n) != 0)
		return 0;
	k = n;
	if (w2) {
		size_t m = strlen(w2);
		while (s[k] == ' ' || s[k] == '\t')
			k++;
		if (strncmp(s + k, w2, m) != 0)
			return 0;
		k += m;
	}
	if (is_ident(s[k]))
		return 0;
	return k;
}

static int
lex(struct sp *p)
{
	const char *s = p->s;
	char c;
	size_t k;
	bool after_label = p->after_label;

	p->after_label = false;
	skip_ws(p);
	p->tpos = p->pos;
	c = s[p->pos];
	p->v = NULL;
	p->vlen = 0;
	if (c == '\0') {
		p->t = T_EOF;
		return 0;
	}
	if (after_label) {
		static const struct {
			const char *w1, *w2;
			enum tok t;
		} ops[] = {
		        {"contains", NULL, T_CONTAINS},
		        {"starts", "with", T_STARTS},
		        {"ends", "with", T_ENDS},
		        {"not", "in", T_NOTIN},
		        {"in", NULL, T_IN},
		};
		size_t i;
		for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			k = match_word_op(s + p->pos, ops[i].w1, ops[i].w2);
			if (k) {
				p->t = ops[i].t;
				p->pos += k;
				return 0;
			}
		}
		if (c != '=' && c != '!')
			return fail(p, "expected operator after label", p->pos);
	}
	switch (c) {
	case '(':
		p->t = T_LPAREN;
		p->pos++;
		return 0;
	case ')':
		p->t = T_RPAREN;
		p->pos++;
		return 0;
	case '{':
		p->t = T_LBRACE;
		p->pos++;
		return 0;
	case '}':
		p->t = T_RBRACE;
		p->pos++;
		return 0;
	case ',':
		p->t = T_COMMA;
		p->pos++;
		return 0;
	case '=':
		if (s[p->pos + 1] != '=')
			return fail(p, "expected ==", p->pos);
		p->t = T_EQ;
		p->pos += 2;
		return 0;
	case '!':
		if (s[p->pos + 1] == '=') {
			p->t = T_NE;
			p->pos += 2;
		} else {
			p->t = T_NOT;
			p->pos++;
		}
		return 0;
	case '&':
		if (s[p->pos + 1] != '&')
			return fail(p, "expected &&", p->pos);
		p->t = T_AND;
		p->pos += 2;
		return 0;
	case '|':
		if (s[p->pos + 1] != '|')
			return fail(p, "expected ||", p->pos);
		p->t = T_OR;
		p->pos += 2;
		return 0;
	case '"':
	case '\'': {
		const char *e = strchr(s + p->pos + 1, c);
		if (!e)
			return fail(p, "unterminated string", p->pos);
		p->t = T_STRING;
		p->v = s + p->pos + 1;
		p->vlen = (size_t)(e - p->v);
		p->pos = (size_t)(e - s) + 1;
		return 0;
	}
	default:
		break;
	}
	if (strncmp(s + p->pos, "has(", 4) == 0) {
		size_t b = p->pos + 4, e;
		while (s[b] == ' ' || s[b] == '\t')
			b++;
		e = b;
		while (is_ident(s[e]))
			e++;
		if (e == b)
			return fail(p, "expected label in has()", b);
		if (e - b > SEL_MAX_LABEL)
			return fail(p, "label too long", b);
		p->v = s + b;
		p->vlen = e - b;
		while (s[e] == ' ' || s[e] == '\t')
			e++;
		if (s[e] != ')')
			return fail(p, "expected ) after has(label", e);
		p->t = T_HAS;
		p->pos = e + 1;
		return 0;
	}
	if (strncmp(s + p->pos, "all(", 4) == 0 ||
	    strncmp(s + p->pos, "global(", 7) == 0) {
		bool g = s[p->pos] == 'g';
		size_t e = p->pos + (g ? 7 : 4);
		while (s[e] == ' ' || s[e] == '\t')
			e++;
		if (s[e] != ')')
			return fail(p, "expected ) after all( or global(", e);
		p->t = g ? T_GLOBAL : T_ALL;
		p->pos = e + 1;
		return 0;
	}
	if (is_ident(c)) {
		k = p->pos;
		while (is_ident(s[k]))
			k++;
		if (k - p->pos > SEL_MAX_LABEL)
			return fail(p, "label too long", p->pos);
		p->t = T_LABEL;
		p->v = s + p->pos;
		p->vlen = k - p->pos;
		p->pos = k;
		p->after_label = true;
		return 0;
	}
	if (c == '\n' || c == '\r')
		return fail(p, "newline in selector", p->pos);
	return fail(p, "unexpected character", p->pos);
}

static struct rr_selector *
node(struct sp *p, enum rr_sel_op op)
{
	struct rr_selector *n = rr_arena_alloc(p->a, sizeof(*n));
	n->op = op;
	return n;
}

static int
cmpstr(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int parse_or(struct sp *p, struct rr_selector **out);

/* After `label in`: `{ [str (, str)* [,]] }`; current token is `{`. */
static int
parse_set(struct sp *p, struct rr_selector *n)
{
	const char **v = NULL;
	size_t nv = 0, cap = 0, i, j;

	if (p->t != T_LBRACE)
		return fail(p, "expected { after in", p->tpos);
	if (lex(p))
		return -1;
	while (p->t != T_RBRACE) {
		const char **slot;
		if (p->t != T_STRING)
			return fail(p, "expected string in set", p->tpos);
		slot = RR_PUSH(p->a, v, nv, cap);
		*slot = rr_arena_strndup(p->a, p->v, p->vlen);
		if (lex(p))
			return -1;
		if (p->t == T_COMMA) {
			if (lex(p))
				return -1;
		} else if (p->t != T_RBRACE) {
			return fail(p, "expected , or } in set", p->tpos);
		}
	}
	if (nv > 1)
		qsort(v, nv, sizeof(v[0]), cmpstr);
	for (i = 0, j = 0; i < nv; i++)
		if (j == 0 || strcmp(v[j - 1], v[i]) != 0)
			v[j++] = v[i];
	n->set = v;
	n->nset = j;
	return lex(p);
}

static int
parse_term(struct sp *p, struct rr_selector **out)
{
	struct rr_selector *n;
	enum tok op;

	switch (p->t) {
	case T_HAS:
		n = node(p, RR_SEL_HAS);
		n->label = rr_arena_strndup(p->a, p->v, p->vlen);
		*out = n;
		return lex(p);
	case T_ALL:
	case T_GLOBAL:
		n = node(p, RR_SEL_ALL);
		n->is_global = p->t == T_GLOBAL;
		*out = n;
		return lex(p);
	case T_LPAREN:
		if (++p->depth > SEL_MAX_DEPTH)
			return fail(p, "selector nested too deeply", p->tpos);
		if (lex(p) || parse_or(p, out))
			return -1;
		if (p->t != T_RPAREN)
			return fail(p, "expected )", p->tpos);
		p->depth--;
		return lex(p);
	case T_LABEL:
		break;
	case T_EOF:
		return fail(p, "unexpected end of selector", p->tpos);
	default:
		return fail(p, "expected label, has(), all() or (", p->tpos);
	}
	n = node(p, RR_SEL_EQ);
	n->label = rr_arena_strndup(p->a, p->v, p->vlen);
	*out = n;
	if (lex(p))
		return -1;
	op = p->t;
	switch (op) {
	case T_EQ:
		n->op = RR_SEL_EQ;
		break;
	case T_NE:
		n->op = RR_SEL_NE;
		break;
	case T_CONTAINS:
		n->op = RR_SEL_CONTAINS;
		break;
	case T_STARTS:
		n->op = RR_SEL_STARTS;
		break;
	case T_ENDS:
		n->op = RR_SEL_ENDS;
		break;
	case T_IN:
		n->op = RR_SEL_IN;
		break;
	case T_NOTIN:
		n->op = RR_SEL_NOTIN;
		break;
	default:
		return fail(p, "expected operator after label", p->tpos);
	}
	if (lex(p))
		return -1;
	if (op == T_IN || op == T_NOTIN)
		return parse_set(p, n);
	if (p->t != T_STRING)
		return fail(p, "expected string literal", p->tpos);
	n->value = rr_arena_strndup(p->a, p->v, p->vlen);
	return lex(p);
}

static int
parse_op(struct sp *p, struct rr_selector **out)
{
	size_t nots = 0;
	struct rr_selector *t;

	while (p->t == T_NOT) {
		nots++;
		if (lex(p))
			return -1;
	}
	if (parse_term(p, &t))
		return -1;
	if (nots % 2 && t->op == RR_SEL_NOT) {
		/* !(!x) is x, as an even count of ! cancels */
		t = t->a;
	} else if (nots % 2) {
		struct rr_selector *n = node(p, RR_SEL_NOT);
		n->a = t;
		t = n;
	}
	*out = t;
	return 0;
}

static int
parse_and(struct sp *p, struct rr_selector **out)
{
	struct rr_selector *l, *r, *n;

	if (parse_op(p, &l))
		return -1;
	while (p->t == T_AND) {
		if (lex(p) || parse_op(p, &r))
			return -1;
		n = node(p, RR_SEL_AND);
		n->a = l;
		n->b = r;
		l = n;
	}
	*out = l;
	return 0;
}

static int
parse_or(struct sp *p, struct rr_selector **out)
{
	struct rr_selector *l, *r, *n;

	if (parse_and(p, &l))
		return -1;
	while (p->t == T_OR) {
		if (lex(p) || parse_and(p, &r))
			return -1;
		n = node(p, RR_SEL_OR);
		n->a = l;
		n->b = r;
		l = n;
	}
	*out = l;
	return 0;
}

int
parse_selector(struct rr_arena *a, const char *text,
               const struct rr_selector **out, const char **err_msg,
               size_t *err_off)
{
	struct sp p;
	struct rr_selector *r = NULL;

	memset(&p, 0, sizeof(p));
	p.a = a;
	p.s = text ? text : "";
	*out = NULL;
	if (lex(&p))
		goto bad;
	if (p.t == T_EOF) {
		*out = node(&p, RR_SEL_ALL);
		return 0;
	}
	if (parse_or(&p, &r))
		goto bad;
	if (p.t != T_EOF) {
		fail(&p, "unexpected token after selector", p.tpos);
		goto bad;
	}
	*out = r;
	return 0;
bad:
	if (err_msg)
		*err_msg = p.err;
	if (err_off)
		*err_off = p.err_off;
	return -1;
}
