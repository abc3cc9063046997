/*
 * The diagnostic sink: findings and input errors with their locations.
 * Library code never prints; it adds diagnostics here and cli/ renders them.
 *
 * Two protections apply to every message as it is recorded, whoever wrote
 * it: an input value quoted with %s is cut to RR_DIAG_MAX_VALUE bytes with
 * "..." (a 5 MB value must not give a 5 MB message), and the words of a
 * secret the parsers registered on the line a message points at are
 * replaced by "<hidden>".
 */
#include "model/model.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define DIAG_DEFAULT_LIMIT 10000
#define DIAG_MAX_MSG 4096 /* a whole message, whatever its parts */
#define DIAG_HIDDEN "<hidden>"

/* ----------------------------------------- a string built in memory */

struct fbuf {
	char *p; /* NUL-terminated when not NULL */
	size_t n, cap;
};

/* (was open_memstream: it cleared a fresh 8 KiB per message, which made
 * a config of a thousand unknown lines slow, most of all under ASan) */
static void
fb_open(struct fbuf *b)
{
	b->p = NULL;
	b->n = b->cap = 0;
}

/* The string (free() it). */
static char *
fb_close(struct fbuf *b)
{
	if (!b->p)
		b->p = rr_xcalloc(1, 1);
	return b->p;
}

/* Room for k more bytes and a NUL. */
static void
fb_room(struct fbuf *b, size_t k)
{
	size_t cap = b->cap ? b->cap : 128;

	if (k >= SIZE_MAX / 2 - b->n)
		rr_oom();
	if (b->n + k < b->cap)
		return;
	while (cap <= b->n + k)
		cap *= 2;
	b->p = rr_xrealloc(b->p, cap);
	b->cap = cap;
}

static void
fb_add(struct fbuf *b, const char *s, size_t n)
{
	if (!n)
		return;
	fb_room(b, n);
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

/* n bytes of s, or fewer ending on a UTF-8 character boundary */
static size_t
char_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* A string argument, cut to `max` bytes (or its precision). */
static void
fb_value(struct fbuf *b, const char *s, long prec, size_t max)
{
	size_t n;

	if (!s)
		s = "(null)";
	n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
	if (n <= max) {
		fb_add(b, s, n);
		return;
	}
	fb_add(b, s, char_cut(s, max));
	fb_add(b, "...", 3);
}

/* ------------------------------------------ printf with values cut short */

enum { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_J, LEN_Z, LEN_T, LEN_BIGL };

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
static void
fb_printf1(struct fbuf *b, const char *spec, ...)
{
	va_list ap;

	va_list ap2;
	int k;

	va_start(ap, spec);
	va_copy(ap2, ap);
	k = vsnprintf(NULL, 0, spec, ap);
	if (k < 0)
		rr_oom();
	fb_room(b, (size_t)k);
	if (vsnprintf(b->p + b->n, (size_t)k + 1, spec, ap2) != k)
		rr_oom();
	b->n += (size_t)k;
	va_end(ap2);
	va_end(ap);
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

/*
 * One conversion of `fmt` at *pp (just past the '%'): its argument is taken
 * from `ap` with the type the conversion names and formatted alone, with
 * `*` widths and precisions made literal.  Strings are cut.
 */
static void
fb_conv(struct fbuf *b, const char **pp, va_list *ap, size_t max)
{
	const char *p = *pp;
	char spec[48];
	size_t k = 0, kw;
	long prec = -1;
	int len = LEN_NONE;
	char conv;

	spec[k++] = '%';
	while (*p && strchr("-+ #0", *p) && k < 8)
		spec[k++] = *p++;
	if (*p == '*') {
		int w = va_arg(*ap, int);
		p++;
		k += (size_t)snprintf(spec + k, sizeof(spec) - k, "%d", w);
	} else {
		while (*p >= '0' && *p <= '9' && k < 20)
			spec[k++] = *p++;
	}
	kw = k; /* flags and width: what a string keeps */
	if (*p == '.') {
		p++;
		if (*p == '*') {
			p++;
			prec = va_arg(*ap, int);
		} else {
			prec = 0;
			while (*p >= '0' && *p <= '9') {
				if (prec < 100000)
					prec = prec * 10 + (*p - '0');
				p++;
			}
		}
		if (prec >= 0)
			k += (size_t)snprintf(spec + k, sizeof(spec) - k, ".%ld",
					      prec);
	}
	switch (*p) {
	case 'h':
		len = p[1] == 'h' ? LEN_HH : LEN_H;
		p += p[1] == 'h' ? 2 : 1;
		break;
	case 'l':
		len = p[1] == 'l' ? LEN_LL : LEN_L;
		p += p[1] == 'l' ? 2 : 1;
		break;
	case 'j': len = LEN_J; p++; break;
	case 'z': len = LEN_Z; p++; break;
	case 't': len = LEN_T; p++; break;
	case 'L': len = LEN_BIGL; p++; break;
	default: break;
	}
	conv = *p;
	if (!conv)
		RR_BUG("incomplete conversion in a diagnostic format");
	*pp = p + 1;
	if (conv == 's') {
		if (len != LEN_NONE)
			RR_BUG("wide string in a diagnostic format");
		if (kw == 1) {
			fb_value(b, va_arg(*ap, const char *), prec, max);
		} else {
			struct fbuf v;
			char *t;
			fb_open(&v);
			fb_value(&v, va_arg(*ap, const char *), prec, max);
			t = fb_close(&v);
			memcpy(spec + kw, "s", 2);
			fb_printf1(b, spec, t);
			free(t);
		}
		return;
	}
	static const char *const lens[] = {
		[LEN_NONE] = "", [LEN_HH] = "hh", [LEN_H] = "h", [LEN_L] = "l",
		[LEN_LL] = "ll", [LEN_J] = "j", [LEN_Z] = "z", [LEN_T] = "t",
		[LEN_BIGL] = "L",
	};
	k += (size_t)snprintf(spec + k, sizeof(spec) - k, "%s%c", lens[len],
			      conv);
	switch (conv) {
	case 'd':
	case 'i':
		switch (len) {
		case LEN_L: fb_printf1(b, spec, va_arg(*ap, long)); break;
		case LEN_LL: fb_printf1(b, spec, va_arg(*ap, long long)); break;
		case LEN_J: fb_printf1(b, spec, va_arg(*ap, intmax_t)); break;
		case LEN_Z: fb_printf1(b, spec, va_arg(*ap, ssize_t)); break;
		case LEN_T: fb_printf1(b, spec, va_arg(*ap, ptrdiff_t)); break;
		default: fb_printf1(b, spec, va_arg(*ap, int)); break;
		}
		break;
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		switch (len) {
		case LEN_L: fb_printf1(b, spec, va_arg(*ap, unsigned long)); break;
		case LEN_LL:
			fb_printf1(b, spec, va_arg(*ap, unsigned long long));
			break;
		case LEN_J: fb_printf1(b, spec, va_arg(*ap, uintmax_t)); break;
		case LEN_Z: fb_printf1(b, spec, va_arg(*ap, size_t)); break;
		case LEN_T: fb_printf1(b, spec, va_arg(*ap, ptrdiff_t)); break;
		default: fb_printf1(b, spec, va_arg(*ap, unsigned)); break;
		}
		break;
	case 'c':
		fb_printf1(b, spec, va_arg(*ap, int));
		break;
	case 'p':
		fb_printf1(b, spec, va_arg(*ap, void *));
		break;
	case 'e': case 'E': case 'f': case 'F':
	case 'g': case 'G': case 'a': case 'A':
		if (len == LEN_BIGL)
			fb_printf1(b, spec, va_arg(*ap, long double));
		else
			fb_printf1(b, spec, va_arg(*ap, double));
		break;
	default:
		RR_BUG("unsupported conversion in a diagnostic format");
	}
}

/* vprintf into a malloc'd string, every %s value cut to RR_DIAG_MAX_VALUE
 * bytes and the whole message to DIAG_MAX_MSG.  A format of just "%s"
 * copies a message (lint's filtered sink): only the whole is bounded. */
static char *
format(const char *fmt, va_list ap0)
{
	struct fbuf b;
	va_list ap;
	const char *p = fmt;
	size_t max = strcmp(fmt, "%s") ? RR_DIAG_MAX_VALUE : DIAG_MAX_MSG;
	char *m;

	va_copy(ap, ap0);
	fb_open(&b);
	while (*p) {
		const char *pct = strchr(p, '%');
		if (!pct) {
			fb_add(&b, p, strlen(p));
			break;
		}
		fb_add(&b, p, (size_t)(pct - p));
		p = pct + 1;
		if (*p == '%') {
			fb_add(&b, "%", 1);
			p++;
			continue;
		}
		fb_conv(&b, &p, &ap, max);
	}
	va_end(ap);
	m = fb_close(&b);
	if (b.n > DIAG_MAX_MSG) /* room for it: b.n >= DIAG_MAX_MSG + 1 */
		memcpy(m + char_cut(m, DIAG_MAX_MSG - 3), "...", 4);
	return m;
}

/* --------------------------------------------------- secrets in sources */

static struct rr_source *
source_of(struct rr_diags *d, const char *path)
{
	size_t i;

	if (!path)
		return NULL;
	if (d->last_src < d->nsrc && (d->src[d->last_src].path == path ||
				      !strcmp(d->src[d->last_src].path, path)))
		return &d->src[d->last_src];
	for (i = d->nsrc; i-- > 0;)
		if (d->src[i].path == path || !strcmp(d->src[i].path, path)) {
			d->last_src = i;
			return &d->src[i];
		}
	return NULL;
}

/* The index of the first place at or after `line` in s->secrets. */
static size_t
secret_index(const struct rr_source *s, uint32_t line)
{
	size_t lo = 0, hi = s->nsecrets;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->secrets[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
rr_diags_secret(struct rr_diags *d, const char *path, uint32_t line,
		uint32_t col)
{
	struct rr_source *s = source_of(d, path);
	size_t i;

	if (!s || !line)
		return;
	if (!col)
		col = 1;
	i = secret_index(s, line);
	if (i < s->nsecrets && s->secrets[i].line == line) {
		if (s->secrets[i].col > col)
			s->secrets[i].col = col; /* the leftmost one counts */
		return;
	}
	/* parsers go line by line: the new place is nearly always last */
	RR_PUSH(&d->arena, s->secrets, s->nsecrets, s->capsecrets);
	memmove(&s->secrets[i + 1], &s->secrets[i],
		(s->nsecrets - 1 - i) * sizeof(s->secrets[0]));
	s->secrets[i].line = line;
	s->secrets[i].col = col;
}

uint32_t
rr_source_secret_col(const struct rr_source *s, uint32_t line)
{
	size_t i;

	if (!s)
		return 0;
	i = secret_index(s, line);
	return i < s->nsecrets && s->secrets[i].line == line ? s->secrets[i].col
							     : 0;
}

/* The bytes of line `line` of `s` (without its end of line); NULL if none.
 * The line index is built the first time a secret needs it. */
static const char *
line_of(struct rr_diags *d, struct rr_source *s, uint32_t line, size_t *len)
{
	const char *p, *nl, *end = s->text + s->len;
	size_t n;

	if (!s->lines) {
		n = 1;
		for (p = s->text; (nl = memchr(p, '\n', (size_t)(end - p)));
		     p = nl + 1)
			n++;
		s->lines = rr_arena_calloc(&d->arena, n, sizeof(size_t));
		s->nlines = 0;
		s->lines[s->nlines++] = 0;
		for (p = s->text; (nl = memchr(p, '\n', (size_t)(end - p)));
		     p = nl + 1)
			s->lines[s->nlines++] = (size_t)(nl + 1 - s->text);
	}
	if (line == 0 || line > s->nlines)
		return NULL;
	p = s->text + s->lines[line - 1];
	nl = memchr(p, '\n', (size_t)(end - p));
	*len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	return p;
}

/* The first occurrence of w[0..n) in p[0..m), or NULL. */
static const char *
find(const char *p, size_t m, const char *w, size_t n)
{
	const char *end = p + m;

	if (!n || n > m)
		return NULL;
	for (; (size_t)(end - p) >= n; p++) {
		p = memchr(p, w[0], (size_t)(end - p) - n + 1);
		if (!p)
			return NULL;
		if (!memcmp(p, w, n))
			return p;
	}
	return NULL;
}

static bool
word_byte(char ch)
{
	return ch != ' ' && ch != '\t' && ch != '\r' && ch != '"' &&
	       ch != '\'' && ch != ',' && ch != '}' && ch != ']';
}

static bool
alnum(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= 'A' && ch <= 'Z');
}

/*
 * Replace in `msg` (malloc'd) every occurrence of a word w[0..n) of a
 * secret -- and of its first 32 bytes, which is what a message that cut the
 * word shows -- by "<hidden>".  A word shorter than 4 bytes is hidden only
 * where it stands alone (a 1-byte secret must not garble every number).
 */
static char *
hide_word(char *msg, const char *w, size_t n)
{
	size_t probe = n < 32 ? n : 32, mlen = strlen(msg);
	struct fbuf b;
	const char *p = msg, *from = msg, *hit;
	bool changed = false;

	if (!n)
		return msg;
	fb_open(&b);
	while ((hit = find(p, mlen - (size_t)(p - msg), w, probe))) {
		size_t k = probe;
		while (k < n && hit[k] && hit[k] == w[k])
			k++;
		if (n < 4 && ((hit > msg && alnum(hit[-1])) || alnum(hit[k]))) {
			p = hit + 1;
			continue;
		}
		fb_add(&b, from, (size_t)(hit - from));
		fb_add(&b, DIAG_HIDDEN, strlen(DIAG_HIDDEN));
		p = from = hit + k;
		changed = true;
	}
	fb_add(&b, from, strlen(from));
	if (!changed) {
		free(fb_close(&b));
		return msg;
	}
	free(msg);
	return fb_close(&b);
}

/*
 * `msg` with the secret of the line `loc` points at hidden: the secret's
 * text as a whole (from its column to the end of the line, without
 * trailing blanks), and each of its words of 4 bytes or more.
 */
static char *
hide_secrets(struct rr_diags *d, const struct rr_loc *loc, char *msg)
{
	struct rr_source *s;
	const char *line;
	size_t len, i, end;
	uint32_t col;

	if (!loc || !loc->line || !(s = source_of(d, loc->file)) ||
	    !(col = rr_source_secret_col(s, loc->line)) ||
	    !(line = line_of(d, s, loc->line, &len)) || col - 1 >= len)
		return msg;
	for (end = len; end > col - 1 && strchr(" \t\r", line[end - 1]);)
		end--;
	msg = hide_word(msg, line + col - 1, end - (col - 1));
	for (i = col - 1; i < end;) {
		size_t j;
		if (!word_byte(line[i])) {
			i++;
			continue;
		}
		for (j = i; j < end && word_byte(line[j]); j++)
			;
		if (j - i >= 4)
			msg = hide_word(msg, line + i, j - i);
		i = j;
	}
	return msg;
}

/* The message as recorded: formatted, values cut, secrets hidden. */
static const char *
record(struct rr_diags *d, const struct rr_loc *loc, const char *fmt,
       va_list ap)
{
	char *m = hide_secrets(d, loc, format(fmt, ap));
	const char *r = rr_arena_strdup(&d->arena, m);
	free(m);
	return r;
}

/* ------------------------------------------------------------- the sink */

void
rr_diags_init(struct rr_diags *d)
{
	memset(d, 0, sizeof(*d));
	rr_arena_init(&d->arena);
}

void
rr_diags_release(struct rr_diags *d)
{
	rr_arena_release(&d->arena);
	memset(d, 0, sizeof(*d));
}

struct rr_diag *
rr_diag_vadd(struct rr_diags *d, enum rr_sev sev, const char *rule,
	     const struct rr_loc *loc, const char *fmt, va_list ap)
{
	size_t limit = d->limit ? d->limit : DIAG_DEFAULT_LIMIT;
	struct rr_diag *g;

	d->count[sev]++;
	if (d->n >= limit && sev != RR_SEV_FATAL) {
		d->dropped++;
		memset(&d->overflow, 0, sizeof(d->overflow));
		return &d->overflow;
	}
	g = RR_PUSH(&d->arena, d->v, d->n, d->cap);
	g->sev = sev;
	g->rule = rule;
	if (loc)
		g->loc = *loc;
	g->msg = record(d, loc, fmt, ap);
	return g;
}

struct rr_diag *
rr_diag_add(struct rr_diags *d, enum rr_sev sev, const char *rule,
	    const struct rr_loc *loc, const char *fmt, ...)
{
	va_list ap;
	struct rr_diag *g;

	va_start(ap, fmt);
	g = rr_diag_vadd(d, sev, rule, loc, fmt, ap);
	va_end(ap);
	return g;
}

void
rr_diag_note(struct rr_diags *d, struct rr_diag *g, const struct rr_loc *loc,
	     const char *fmt, ...)
{
	va_list ap;
	struct rr_diag_note *n;

	if (!g->msg) /* the overflow sink */
		return;
	n = RR_PUSH(&d->arena, g->notes, g->nnotes, g->capnotes);
	if (loc)
		n->loc = *loc;
	va_start(ap, fmt);
	n->msg = record(d, loc, fmt, ap);
	va_end(ap);
}

void
rr_diag_fix(struct rr_diags *d, struct rr_diag *g, const struct rr_loc *loc,
	    uint32_t len, const char *text, const char *what)
{
	struct rr_diag_fix *f;

	if (!g->msg || !loc || !loc->file || !loc->line) /* overflow sink */
		return;
	f = RR_PUSH(&d->arena, g->fixes, g->nfixes, g->capfixes);
	f->loc = *loc;
	f->len = len;
	f->text = rr_arena_strdup(&d->arena, text ? text : "");
	f->what = rr_arena_strdup(&d->arena, what ? what : "");
}

void
rr_diags_add_source(struct rr_diags *d, const char *path, const char *text,
		    size_t len)
{
	struct rr_source *s = RR_PUSH(&d->arena, d->src, d->nsrc, d->capsrc);
	s->path = path;
	s->text = text;
	s->len = len;
}

void
rr_diags_add_sources(struct rr_diags *to, const struct rr_diags *from)
{
	size_t i;

	for (i = 0; i < from->nsrc; i++) {
		const struct rr_source *f = &from->src[i];
		struct rr_source *s;
		rr_diags_add_source(to, f->path, f->text, f->len);
		s = &to->src[to->nsrc - 1];
		if (!f->nsecrets)
			continue;
		s->secrets = rr_arena_calloc(&to->arena, f->nsecrets,
					     sizeof(f->secrets[0]));
		memcpy(s->secrets, f->secrets,
		       f->nsecrets * sizeof(f->secrets[0]));
		s->nsecrets = s->capsecrets = f->nsecrets;
	}
}

const struct rr_source *
rr_diags_source(const struct rr_diags *d, const char *path)
{
	size_t i;
	if (!path)
		return NULL;
	for (i = d->nsrc; i-- > 0;)
		if (d->src[i].path == path || !strcmp(d->src[i].path, path))
			return &d->src[i];
	return NULL;
}

bool
rr_diags_has_fatal(const struct rr_diags *d)
{
	return d->count[RR_SEV_FATAL] > 0;
}

static int
loc_cmp(const struct rr_loc *a, const struct rr_loc *b)
{
	int c;
	if (a->file != b->file) {
		if (!a->file || !b->file)
			return a->file ? 1 : -1;
		c = strcmp(a->file, b->file);
		if (c)
			return c;
	}
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

struct keyed {
	struct rr_diag g;
	size_t pos;
};

static int
keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = loc_cmp(&x->g.loc, &y->g.loc);
	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void
rr_diags_sort(struct rr_diags *d)
{
	struct keyed *k;
	size_t i;

	if (d->n < 2)
		return;
	k = rr_xcalloc(d->n, sizeof(*k));
	for (i = 0; i < d->n; i++) {
		k[i].g = d->v[i];
		k[i].pos = i;
	}
	qsort(k, d->n, sizeof(*k), keyed_cmp); /* stable by pos */
	for (i = 0; i < d->n; i++)
		d->v[i] = k[i].g;
	free(k);
}
