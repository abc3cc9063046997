/*
 * A fast reader for the block-style YAML that `kubectl get -o yaml`,
 * `calicoctl get -o yaml` and hand-written manifests use: block mappings
 * and sequences (kubectl's compact "- " at its key's indentation too),
 * single-line plain, single- and double-quoted scalars, "{}" and "[]",
 * comments, "---" and "..." markers, empty values, CRLF.  It builds the tree that
 * libyaml's events build in calico_yaml.c -- the same nodes, values,
 * styles and marks (line, col, eline) -- without libyaml's per-event
 * allocations.
 *
 * It reads only what it is sure of and gives up on the whole file at the
 * first thing outside that subset: any byte other than printable ASCII, LF
 * and CRLF (tabs, UTF-8, a BOM), flow collections other than an empty
 * one (JSON too), anchors,
 * aliases, tags, directives, '?' keys, block scalars, a scalar over more
 * than one line, a double-quoted escape other than \a \b \t \n \v \f \r
 * \e \" \/ \\ and "\ ", anything libyaml would call an error.  The caller
 * then undoes what the file's documents stored and reads it again with
 * libyaml, which says what is wrong with it and where.
 *
 * Marks follow libyaml 0.2.5 (src/scanner.c, src/parser.c): a scalar spans
 * its first character to the character after its last non-blank one; a
 * collection starts where its first key or '-' is; an empty mapping value
 * stands right after its ':', an empty sequence entry right after its '-',
 * an empty document at the token after "---" (the stream's end is forced
 * to column 0 of the next line).  tests/fuzz/fuzz_yaml.c compares the two
 * readers' trees node by node.
 */
#include "parsers/calico_priv.h"
#include "parsers/word8.h"

#include <string.h>

/* where the reader stands: the next token after blanks, comments and
 * line breaks */
enum at { AT_CONTENT, AT_START, AT_END, AT_EOF }; /* "---", "...", EOF */

struct fast {
	struct rr_arena *doc;
	/* the kids of the open collections, innermost last: a collection's
	 * array is allocated once, its size known, when it closes */
	struct rr_arena *tmp;
	struct yn **kids;
	size_t nkids, capkids;
	const char *t;
	size_t n;
	size_t p;      /* next byte */
	size_t bol;    /* first byte of the line */
	uint32_t line; /* 0-based */
	size_t nodes;
	enum at at;
};

#define GIVE_UP NULL

static inline bool
eol(const struct fast *f, size_t i)
{
	return i >= f->n || f->t[i] == '\n' || f->t[i] == '\r';
}

/* ' ', or the end of the line: libyaml's IS_BLANKZ without tabs (a tab
 * makes the reader give up) */
static inline bool
blankz(const struct fast *f, size_t i)
{
	return eol(f, i) || f->t[i] == ' ';
}

static inline uint32_t
col(const struct fast *f)
{
	return (uint32_t)(f->p - f->bol);
}

/* Skip blanks, comments and line breaks up to the next token; say what it
 * is.  A '#' starts a comment at the start of a line or after a blank. */
static void
next_token(struct fast *f)
{
	const char *t = f->t;

	for (;;) {
		while (f->p < f->n && t[f->p] == ' ')
			f->p++;
		if (f->p < f->n && t[f->p] == '#' &&
		    (f->p == f->bol || t[f->p - 1] == ' ')) {
			const char *nl = memchr(t + f->p, '\n', f->n - f->p);
			f->p = nl ? (size_t)(nl - t) : f->n;
			if (f->p > 0 && t[f->p - 1] == '\r' && f->p < f->n)
				f->p--;
		}
		if (f->p >= f->n) {
			f->at = AT_EOF;
			return;
		}
		if (t[f->p] == '\r')
			f->p++; /* CRLF: the LF follows (checked up front) */
		if (t[f->p] == '\n') {
			f->p++;
			f->bol = f->p;
			f->line++;
			continue;
		}
		break;
	}
	f->at = AT_CONTENT;
	if (f->p == f->bol && f->p + 3 <= f->n &&
	    ((t[f->p] == '-' && t[f->p + 1] == '-' && t[f->p + 2] == '-') ||
	     (t[f->p] == '.' && t[f->p + 1] == '.' && t[f->p + 2] == '.')) &&
	    blankz(f, f->p + 3))
		f->at = t[f->p] == '-' ? AT_START : AT_END;
}

/* the column of the next token, -1 for a document marker or the end */
static long
next_col(const struct fast *f)
{
	return f->at == AT_CONTENT ? (long)col(f) : -1;
}

static struct yn *
node(struct fast *f, enum yn_type type, uint32_t line, uint32_t c)
{
	struct yn *n = rr_arena_alloc(f->doc, sizeof(*n));

	n->type = (uint8_t)type;
	n->line = line + 1;
	n->col = c + 1;
	n->eline = line + 1;
	n->weight = 1;
	f->nodes++;
	return n;
}

static struct yn *
empty_scalar(struct fast *f, uint32_t line, uint32_t c)
{
	struct yn *n = node(f, YN_SCALAR, line, c);

	n->val = "";
	n->style = YN_PLAIN;
	return n;
}

static void
add_kid(struct fast *f, struct yn *parent, struct yn *kid)
{
	*RR_PUSH(f->tmp, f->kids, f->nkids, f->capkids) = kid;
	parent->n++;
	parent->weight += kid->weight;
}

/* A collection ends: its kids, the last parent->n pushed, move to it. */
static struct yn *
close_kids(struct fast *f, struct yn *parent)
{
	size_t n = parent->n;

	f->nkids -= n;
	parent->kids = rr_arena_alloc(f->doc, n * sizeof(*parent->kids));
	memcpy(parent->kids, f->kids + f->nkids, n * sizeof(*parent->kids));
	parent->cap = n;
	return parent;
}

/* How a plain scalar on one line ends. */
enum stop { STOP_EOL, STOP_COLON, STOP_COMMENT };

/*
 * A plain scalar from f->p (libyaml's scan_plain_scalar in the block
 * context, one line): up to ": " or ':' at the end of the line, " #" or
 * the end of the line; blanks at its end are not part of it.  f->p is left
 * at the ':' or after the last non-blank.
 */
static enum stop
plain(struct fast *f, size_t *end)
{
	/* the bytes that may end it or a run of its characters */
	static const bool stops[256] = {['\n'] = 1, ['\r'] = 1, [' '] = 1,
	                                [':'] = 1};
	const char *t = f->t;
	size_t i = f->p, last = f->p, n = f->n;

	for (;;) {
		size_t j = i;
		while (j < n && !stops[(unsigned char)t[j]])
			j++;
		if (j > i)
			last = i = j;
		if (eol(f, i)) {
			*end = last;
			f->p = last;
			return STOP_EOL;
		}
		if (t[i] == ' ') {
			while (i < n && t[i] == ' ')
				i++;
			if (i < n && t[i] == '#') {
				*end = last;
				f->p = last;
				return STOP_COMMENT;
			}
			continue;
		}
		/* a ':' */
		if (blankz(f, i + 1)) {
			*end = last;
			f->p = i;
			return STOP_COLON;
		}
		last = ++i;
	}
}

/* Whether a plain scalar may start at f->p (libyaml's fetch_next_token):
 * not at an indicator, except '-' before a non-blank. */
static bool
plain_start(const struct fast *f)
{
	char ch = f->t[f->p];

	if (ch == '-')
		return !blankz(f, f->p + 1);
	return !strchr("-?:,[]{}#&*!|>'\"%@`", ch);
}

/*
 * A quoted scalar on one line from its opening quote; f->p is left after
 * the closing one.  GIVE_UP at a line break inside, or an escape it does
 * not read.
 */
static struct yn *
quoted(struct fast *f)
{
	const char *t = f->t;
	char q = t[f->p];
	size_t i = f->p + 1, cap, len = 0;
	struct yn *n;
	char *v;

	/* the value is never longer than the text up to the line's end */
	{
		const char *nl = memchr(t + i, '\n', f->n - i);
		cap = (nl ? (size_t)(nl - t) : f->n) - i;
	}
	v = rr_arena_alloc(f->doc, cap + 1);
	for (;;) {
		char ch;
		if (eol(f, i))
			return GIVE_UP;
		ch = t[i];
		if (q == '\'') {
			if (ch == '\'') {
				if (i + 1 < f->n && t[i + 1] == '\'') {
					v[len++] = '\'';
					i += 2;
					continue;
				}
				break;
			}
		} else if (ch == '"') {
			break;
		} else if (ch == '\\') {
			if (eol(f, i + 1))
				return GIVE_UP;
			switch (t[i + 1]) {
			case 'a': ch = '\a'; break;
			case 'b': ch = '\b'; break;
			case 't': ch = '\t'; break;
			case 'n': ch = '\n'; break;
			case 'v': ch = '\v'; break;
			case 'f': ch = '\f'; break;
			case 'r': ch = '\r'; break;
			case 'e': ch = '\x1b'; break;
			case ' ': ch = ' '; break;
			case '"': ch = '"'; break;
			case '/': ch = '/'; break;
			case '\\': ch = '\\'; break;
			default: return GIVE_UP;
			}
			v[len++] = ch;
			i += 2;
			continue;
		}
		v[len++] = ch;
		i++;
	}
	v[len] = '\0';
	n = node(f, YN_SCALAR, f->line, col(f));
	n->style = YN_QUOTED;
	n->val = v;
	n->len = len;
	f->p = i + 1;
	return n;
}

/* A plain scalar node of text[start, end) on the current line. */
static struct yn *
plain_node(struct fast *f, size_t start, size_t end)
{
	struct yn *n = node(f, YN_SCALAR, f->line, (uint32_t)(start - f->bol));

	n->style = YN_PLAIN;
	n->val = rr_arena_strndup(f->doc, f->t + start, end - start);
	n->len = end - start;
	return n;
}

/* After a node that ends its line: blanks, a comment, then the next
 * token; GIVE_UP (false) if anything else is left on the line. */
static bool
end_of_line(struct fast *f)
{
	size_t i = f->p;

	while (i < f->n && f->t[i] == ' ')
		i++;
	if (!eol(f, i) && !(f->t[i] == '#' && i > 0 && f->t[i - 1] == ' '))
		return false;
	f->p = i;
	next_token(f);
	return true;
}

static struct yn *block(struct fast *f, int depth);

/* "{}" or "[]" alone on the rest of its line (a comment may follow): an
 * empty mapping or sequence, as kubectl writes "status: {}"; else
 * GIVE_UP. */
static struct yn *
empty_flow(struct fast *f)
{
	const char *t = f->t + f->p;
	struct yn *n;

	if (!(f->p + 1 < f->n && ((t[0] == '{' && t[1] == '}') ||
	                          (t[0] == '[' && t[1] == ']'))))
		return GIVE_UP;
	n = node(f, t[0] == '{' ? YN_MAP : YN_SEQ, f->line, col(f));
	f->p += 2;
	return end_of_line(f) ? n : GIVE_UP;
}

/* A key of the mapping at the current token, or GIVE_UP; f->p is left
 * after its ':'.  libyaml forgets a simple key over 1024 characters. */
static struct yn *
key(struct fast *f)
{
	size_t start = f->p, end;
	struct yn *k;

	if (f->t[f->p] == '\'' || f->t[f->p] == '"') {
		k = quoted(f);
		if (!k || f->p >= f->n || f->t[f->p] != ':' ||
		    !blankz(f, f->p + 1))
			return GIVE_UP;
	} else {
		if (!plain_start(f) || plain(f, &end) != STOP_COLON)
			return GIVE_UP;
		k = plain_node(f, start, end);
	}
	if (f->p - start > 1000)
		return GIVE_UP;
	f->p++; /* the ':' */
	return k;
}

/* A block sequence whose entries start with '-' at column c (at the
 * parent key's column when `indentless`: it ends at the next key). */
static struct yn *
sequence(struct fast *f, uint32_t c, bool indentless, int depth)
{
	struct yn *seq = node(f, YN_SEQ, f->line, c), *item;
	long nc;

	for (;;) {
		uint32_t line = f->line;
		f->p++; /* the '-' */
		while (f->p < f->n && f->t[f->p] == ' ')
			f->p++;
		if (eol(f, f->p) || f->t[f->p] == '#') {
			if (!end_of_line(f))
				return GIVE_UP;
			if (next_col(f) > (long)c)
				item = block(f, depth + 1);
			else
				item = empty_scalar(f, line, c + 1);
		} else {
			item = block(f, depth + 1);
		}
		if (!item)
			return GIVE_UP;
		add_kid(f, seq, item);
		nc = next_col(f);
		if (nc > (long)c)
			return GIVE_UP;
		if (nc < (long)c)
			return close_kids(f, seq);
		if (f->t[f->p] != '-' || !blankz(f, f->p + 1))
			return indentless ? close_kids(f, seq) : GIVE_UP;
	}
}

/* A block mapping at column c; the current token is its first key. */
static struct yn *
mapping(struct fast *f, uint32_t c, int depth)
{
	struct yn *map = node(f, YN_MAP, f->line, c), *k, *v;
	long nc;

	for (;;) {
		uint32_t line, colon;

		if (!(k = key(f)))
			return GIVE_UP;
		add_kid(f, map, k);
		line = f->line;
		colon = col(f); /* after the ':' */
		while (f->p < f->n && f->t[f->p] == ' ')
			f->p++;
		if (eol(f, f->p) || f->t[f->p] == '#') {
			if (!end_of_line(f))
				return GIVE_UP;
			nc = next_col(f);
			if (nc > (long)c)
				v = block(f, depth + 1);
			else if (nc == (long)c && f->t[f->p] == '-' &&
			         blankz(f, f->p + 1))
				v = depth + 1 > CAL_MAX_DEPTH - 4
				            ? GIVE_UP
				            : sequence(f, c, true, depth + 1);
			else
				v = empty_scalar(f, line, colon);
		} else if (f->t[f->p] == '\'' || f->t[f->p] == '"') {
			v = quoted(f);
			if (v && !end_of_line(f))
				return GIVE_UP;
		} else if (f->t[f->p] == '{' || f->t[f->p] == '[') {
			v = empty_flow(f);
		} else if (plain_start(f)) {
			size_t start = f->p, end;
			if (plain(f, &end) == STOP_COLON)
				return GIVE_UP; /* "a: b: c" */
			v = plain_node(f, start, end);
			if (!end_of_line(f))
				return GIVE_UP;
		} else {
			return GIVE_UP; /* "a: - b", "a: |", "a: {}", ... */
		}
		if (!v)
			return GIVE_UP;
		add_kid(f, map, v);
		nc = next_col(f);
		if (nc < (long)c)
			return close_kids(f, map);
		if (nc > (long)c)
			return GIVE_UP;
	}
}

/* The node at the current token (a sequence, a mapping or a scalar); the
 * caller saw that its column is deeper than the enclosing collection's. */
static struct yn *
block(struct fast *f, int depth)
{
	uint32_t c = col(f);
	struct yn *n;

	if (f->at != AT_CONTENT || depth > CAL_MAX_DEPTH - 4 ||
	    f->nodes > CAL_MAX_NODES / 2)
		return GIVE_UP;
	if (f->t[f->p] == '-' && blankz(f, f->p + 1))
		return sequence(f, c, false, depth);
	if (f->t[f->p] == '\'' || f->t[f->p] == '"') {
		size_t start = f->p;
		uint32_t line = f->line;
		n = quoted(f);
		if (!n)
			return GIVE_UP;
		if (f->p < f->n && f->t[f->p] == ':' && blankz(f, f->p + 1)) {
			f->p = start; /* a key: read it again as one */
			f->line = line;
			f->nodes--;
			return mapping(f, c, depth);
		}
		return end_of_line(f) ? n : GIVE_UP;
	}
	if (plain_start(f)) {
		size_t start = f->p, end;
		enum stop s = plain(f, &end);
		if (s == STOP_COLON) {
			f->p = start;
			return mapping(f, c, depth);
		}
		n = plain_node(f, start, end);
		return end_of_line(f) ? n : GIVE_UP;
	}
	if (f->t[f->p] == '{' || f->t[f->p] == '[')
		return empty_flow(f);
	return GIVE_UP;
}

/* Every byte printable ASCII, LF, or CR before LF. */
static bool
plain_ascii(const char *t, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char ch;
		if (i + 8 <= n) {
			/* LF xor 0x0a is 0, a printable byte stays one */
			uint64_t v = w8_load(t + i);
			if (!(v & W8_HIGHS) && !w8_has_byte(v, 0x7f) &&
			    !w8_has_between(v ^ (W8_ONES * '\n'), 0, 0x20)) {
				i += 8;
				continue;
			}
		}
		ch = (unsigned char)t[i];
		if (!(ch >= 0x20 && ch < 0x7f) && ch != '\n' &&
		    !(ch == '\r' && i + 1 < n && t[i + 1] == '\n'))
			return false;
		i++;
	}
	return true;
}

/* A "---" or "..." line: nothing but blanks and a comment after it. */
static bool
marker_line(struct fast *f)
{
	f->p += 3;
	return end_of_line(f);
}

int
cal_yaml_fast(struct cal_ctx *c, struct rr_arena *doc,
              void (*each)(struct cal_ctx *c, const struct yn *root))
{
	struct fast f;
	bool first = true;

	if (!plain_ascii(c->text, c->len))
		return 1;
	memset(&f, 0, sizeof(f));
	f.doc = doc;
	f.tmp = &c->tmp;
	f.t = c->text;
	f.n = c->len;
	next_token(&f);
	for (;;) {
		struct yn *root;

		if (f.at == AT_EOF)
			return 0;
		if (f.at == AT_END)
			return 1; /* "..." with no document open */
		if (f.at == AT_START) {
			if (!marker_line(&f))
				return 1; /* "--- value" */
			if (f.at == AT_CONTENT) {
				root = block(&f, 0);
			} else if (f.at == AT_EOF) {
				/* libyaml's stream end: column 0 of the line
				 * after the last character */
				uint32_t line = f.line;
				if (f.n && f.t[f.n - 1] != '\n')
					line++;
				root = empty_scalar(&f, line, 0);
			} else {
				root = empty_scalar(&f, f.line, 0);
			}
		} else if (first) {
			root = block(&f, 0);
		} else {
			return 1; /* a second document without "---" */
		}
		if (!root)
			return 1;
		if (f.at == AT_CONTENT)
			return 1; /* more after the document's root */
		while (f.at == AT_END)
			if (!marker_line(&f))
				return 1;
		if (f.at == AT_CONTENT)
			return 1; /* a document after "..." without "---" */
		each(c, root);
		rr_arena_reset(doc);
		first = false;
	}
}
