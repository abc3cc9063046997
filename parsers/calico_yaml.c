/*
 * The YAML layer of the Calico parser: libyaml events become a small tree
 * per document, in a scratch arena reused from one document to the next (a
 * 5,000-node manifest never holds the whole file's tree), with hard limits
 * against hostile input (bytes, nesting depth, node count, alias count and
 * alias expansion), so every later walk is linear and bounded.  libyaml
 * marks are 0-based: add 1.
 */
#include "parsers/calico_priv.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

struct anchor {
	const char *name;
	struct yn *node;
};

struct builder {
	struct cal_ctx *c;
	struct yn **stack;
	size_t depth, capstack;
	struct anchor *anchors;
	size_t nanchors, capanchors;
	size_t nodes;
	size_t aliases;
	uint64_t expanded; /* extra nodes that aliases stand for */
	struct yn *root;
	/* the tree of the document being read: handed to `each` when the
	 * document ends, then cleared for the next one */
	struct rr_arena doc;
	void (*each)(struct cal_ctx *c, const struct yn *root);
};

struct rr_loc
cal_loc(const struct cal_ctx *c, const struct yn *n)
{
	struct rr_loc l = {c->file, n ? n->line : 0, n ? n->col : 0};
	return l;
}

bool
cal_is_null(const struct yn *n)
{
	if (!n)
		return true;
	if (n->type != YN_SCALAR || n->style != YN_PLAIN)
		return false;
	if (n->tag && strcmp(n->tag, YAML_NULL_TAG) != 0 && n->tag[0] != '?')
		return false;
	return n->len == 0 || (n->len == 1 && n->val[0] == '~') ||
	       (n->len == 4 && (!strcmp(n->val, "null") ||
	                        !strcmp(n->val, "Null") ||
	                        !strcmp(n->val, "NULL")));
}

void
cal_yn_dump(FILE *out, const struct yn *n, int depth)
{
	size_t i;

	fprintf(out, "%*s%u/%u %u:%u-%u w%llu", depth, "", n->type, n->style,
	        n->line, n->col, n->eline, (unsigned long long)n->weight);
	if (n->tag)
		fprintf(out, " !<%s>", n->tag);
	if (n->type == YN_SCALAR) {
		fprintf(out, " %zu '", n->len);
		fwrite(n->val, 1, n->len, out);
		fputc('\'', out);
	}
	fputc('\n', out);
	for (i = 0; i < n->n; i++)
		cal_yn_dump(out, n->kids[i], depth + 1);
}

static FILE *trees_out; /* cal_yaml_trees' stream, for dump_doc */

static void
dump_doc(struct cal_ctx *c, const struct yn *root)
{
	(void)c;
	fputs("---\n", trees_out);
	cal_yn_dump(trees_out, root, 0);
}

int
cal_yaml_trees(const char *text, size_t len, enum cal_reader r, char **buf,
               size_t *n)
{
	struct rr_model *m = rr_model_new();
	struct rr_diags d;
	struct cal_ctx c;
	int rc;

	rr_diags_init(&d);
	memset(&c, 0, sizeof(c));
	c.m = m;
	c.d = &d;
	c.file = rr_model_file(m, "trees.yaml");
	c.text = text;
	c.len = len;
	rr_arena_init(&c.tmp);
	cal_mark(&c);
	trees_out = open_memstream(buf, n);
	if (!trees_out)
		rr_oom();
	rc = cal_yaml_load_with(&c, dump_doc, r);
	fclose(trees_out);
	trees_out = NULL;
	rr_arena_release(&c.tmp);
	rr_diags_release(&d);
	rr_model_free(m);
	return rc;
}

bool
cal_odd_tag(const struct yn *n)
{
	return n->tag && strncmp(n->tag, "tag:yaml.org,2002:", 18) != 0 &&
	       strcmp(n->tag, "!") != 0;
}

/* line:col (1-based) of a byte offset, for reader errors. */
static void
offset_loc(const struct cal_ctx *c, size_t off, struct rr_loc *l)
{
	size_t i;
	l->file = c->file;
	l->line = 1;
	l->col = 1;
	if (off > c->len)
		off = c->len;
	for (i = 0; i < off; i++) {
		if (c->text[i] == '\n') {
			l->line++;
			l->col = 1;
		} else if (((unsigned char)c->text[i] & 0xc0) != 0x80) {
			l->col++;
		}
	}
}

static int
fatal_at(struct cal_ctx *c, uint32_t line, uint32_t col, const char *what)
{
	struct rr_loc l = {c->file, line, col};

	cal_undo(c);
	rr_diag_add(c->d, RR_SEV_FATAL, NULL, &l, "%s", what);
	return -1;
}

/* Whether text[i..) starts a `data` or `stringData` key. */
static bool
data_key_at(const char *t, size_t i, size_t n)
{
	static const char *const keys[] = {"data", "stringData"};
	size_t k, m;

	if (i > 0 && !memchr(" \t\r\n{,\"'", t[i - 1], 8))
		return false;
	for (k = 0; k < 2; k++) {
		m = strlen(keys[k]);
		if (i + m > n || memcmp(t + i, keys[k], m))
			continue;
		i += m;
		if (i < n && (t[i] == '"' || t[i] == '\''))
			i++;
		while (i < n && (t[i] == ' ' || t[i] == '\t'))
			i++;
		return i < n && t[i] == ':';
	}
	return false;
}

/*
 * A syntax error inside a Secret's data or stringData must not be quoted:
 * when the document holds such a key up to the error line (libyaml gives
 * up before rrkit knows the kind), the whole line is registered as secret.
 */
static bool
hide_error_line(struct cal_ctx *c, uint32_t line)
{
	const char *t = c->text;
	size_t n = c->len, i = 0, start = 0, bol, first, eol;
	uint32_t no = 1;

	for (; i < n && no < line; i++)
		if (t[i] == '\n') {
			no++;
			if (i + 4 <= n && (!memcmp(t + i + 1, "---", 3) ||
			                   !memcmp(t + i + 1, "...", 3)))
				start = i + 1; /* a new document */
		}
	if (no < line)
		return false;
	bol = first = i;
	while (first < n && (t[first] == ' ' || t[first] == '\t'))
		first++; /* the indentation stays visible */
	for (eol = bol; eol < n && t[eol] != '\n'; eol++)
		;
	for (i = start; i < eol; i++)
		if (data_key_at(t, i, eol)) {
			rr_diags_secret(c->d, c->file, line,
			                (uint32_t)(first - bol) + 1);
			return true;
		}
	return false;
}

static int
libyaml_error(struct cal_ctx *c, const yaml_parser_t *p)
{
	struct rr_loc l;
	const char *prob = p->problem ? p->problem : "malformed YAML";

	cal_undo(c);

	if (p->error == YAML_READER_ERROR) {
		offset_loc(c, p->problem_offset, &l);
		/* the byte's value would be a byte of the secret */
		if (p->problem_value != -1 && !hide_error_line(c, l.line))
			rr_diag_add(c->d, RR_SEV_FATAL, NULL, &l,
			            "not valid YAML text: %s (#%X)", prob,
			            (unsigned)p->problem_value);
		else
			rr_diag_add(c->d, RR_SEV_FATAL, NULL, &l,
			            "not valid YAML text: %s", prob);
		return -1;
	}
	if (p->error == YAML_MEMORY_ERROR)
		rr_oom();
	l.file = c->file;
	l.line = (uint32_t)p->problem_mark.line + 1;
	l.col = (uint32_t)p->problem_mark.column + 1;
	hide_error_line(c, l.line);
	if (p->context)
		rr_diag_add(c->d, RR_SEV_FATAL, NULL, &l,
		            "malformed YAML: %s %s", prob, p->context);
	else
		rr_diag_add(c->d, RR_SEV_FATAL, NULL, &l, "malformed YAML: %s",
		            prob);
	return -1;
}

static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static struct yn *
new_node(struct builder *b, const yaml_event_t *e, enum yn_type t,
         const yaml_char_t *tag, const yaml_char_t *anchor)
{
	struct yn *n = rr_arena_alloc(&b->doc, sizeof(*n));

	n->type = (uint8_t)t;
	n->line = (uint32_t)e->start_mark.line + 1;
	n->col = (uint32_t)e->start_mark.column + 1;
	/* a block scalar ends at column 0 of the line after it */
	n->eline = (uint32_t)e->end_mark.line +
	           (e->end_mark.column || e->end_mark.line == e->start_mark.line
	                    ? 1
	                    : 0);
	n->weight = 1;
	if (tag)
		n->tag = rr_arena_strdup(&b->doc, (const char *)tag);
	if (anchor) {
		struct anchor *a = RR_PUSH(&b->doc, b->anchors, b->nanchors,
		                           b->capanchors);
		a->name = rr_arena_strdup(&b->doc, (const char *)anchor);
		a->node = n;
	}
	return n;
}

static int
attach(struct builder *b, struct yn *n, const yaml_event_t *e)
{
	struct cal_ctx *c = b->c;

	if (b->depth == 0) {
		if (b->root)
			return fatal_at(c, n->line, n->col,
			                "two document roots");
		b->root = n;
	} else {
		struct yn *parent = b->stack[b->depth - 1];
		struct yn **slot =
		        RR_PUSH(&b->doc, parent->kids, parent->n, parent->cap);
		*slot = n;
	}
	if (++b->nodes > CAL_MAX_NODES)
		return fatal_at(
		        c, (uint32_t)e->start_mark.line + 1,
		        (uint32_t)e->start_mark.column + 1,
		        "document too large: more than 2000000 YAML nodes");
	return 0;
}

static int
on_alias(struct builder *b, const yaml_event_t *e)
{
	struct cal_ctx *c = b->c;
	const char *name = (const char *)e->data.alias.anchor;
	uint32_t line = (uint32_t)e->start_mark.line + 1;
	uint32_t col = (uint32_t)e->start_mark.column + 1;
	struct yn *target = NULL;
	size_t i;

	if (++b->aliases > CAL_MAX_ALIASES)
		return fatal_at(c, line, col,
		                "too many YAML aliases (more than 100): "
		                "refusing a possible alias bomb");
	for (i = b->nanchors; i-- > 0;)
		if (!strcmp(b->anchors[i].name, name)) {
			target = b->anchors[i].node;
			break;
		}
	if (!target)
		return fatal_at(c, line, col,
		                "YAML alias to an undefined anchor");
	if (target->open)
		return fatal_at(c, line, col, "recursive YAML alias");
	b->expanded = sat_add(b->expanded, target->weight);
	if (sat_add(b->expanded, b->nodes) > CAL_MAX_NODES)
		return fatal_at(c, line, col,
		                "YAML alias expansion exceeds 2000000 nodes: "
		                "refusing an alias bomb");
	if (b->depth == 0)
		return attach(b, target, e);
	/* attach without counting as a new node; weight is added on close */
	{
		struct yn *parent = b->stack[b->depth - 1];
		struct yn **slot =
		        RR_PUSH(&b->doc, parent->kids, parent->n, parent->cap);
		*slot = target;
	}
	return 0;
}

static int
on_event(struct builder *b, const yaml_event_t *e)
{
	struct cal_ctx *c = b->c;
	struct yn *n;

	switch (e->type) {
	case YAML_DOCUMENT_START_EVENT:
		b->root = NULL;
		return 0;
	case YAML_DOCUMENT_END_EVENT:
		if (b->root)
			b->each(c, b->root);
		b->root = NULL;
		b->anchors = NULL; /* anchors are per document */
		b->nanchors = b->capanchors = 0;
		rr_arena_reset(&b->doc);
		return 0;
	case YAML_SCALAR_EVENT:
		n = new_node(b, e, YN_SCALAR, e->data.scalar.tag,
		             e->data.scalar.anchor);
		n->val = rr_arena_strndup(&b->doc,
		                          (const char *)e->data.scalar.value,
		                          e->data.scalar.length);
		n->len = e->data.scalar.length;
		switch (e->data.scalar.style) {
		case YAML_PLAIN_SCALAR_STYLE:
		case YAML_ANY_SCALAR_STYLE:
			n->style = YN_PLAIN;
			break;
		case YAML_SINGLE_QUOTED_SCALAR_STYLE:
		case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
			n->style = YN_QUOTED;
			break;
		default:
			n->style = YN_BLOCK;
			break;
		}
		return attach(b, n, e);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (b->depth >= CAL_MAX_DEPTH)
			return fatal_at(
			        c, (uint32_t)e->start_mark.line + 1,
			        (uint32_t)e->start_mark.column + 1,
			        "YAML nested too deeply (more than 64 levels)");
		if (e->type == YAML_SEQUENCE_START_EVENT)
			n = new_node(b, e, YN_SEQ, e->data.sequence_start.tag,
			             e->data.sequence_start.anchor);
		else
			n = new_node(b, e, YN_MAP, e->data.mapping_start.tag,
			             e->data.mapping_start.anchor);
		n->open = true;
		if (attach(b, n, e))
			return -1;
		{
			struct yn **slot = RR_PUSH(&c->tmp, b->stack, b->depth,
			                           b->capstack);
			*slot = n;
		}
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT: {
		size_t i;
		if (b->depth == 0)
			RR_BUG("yaml stack underflow");
		n = b->stack[--b->depth];
		n->open = false;
		n->weight = 1;
		for (i = 0; i < n->n; i++)
			n->weight = sat_add(n->weight, n->kids[i]->weight);
		return 0;
	}
	default:
		return 0;
	}
}

int
cal_yaml_load(struct cal_ctx *c,
              void (*each)(struct cal_ctx *c, const struct yn *root))
{
	return cal_yaml_load_with(c, each, CAL_READ_ANY);
}

int
cal_yaml_load_with(struct cal_ctx *c,
                   void (*each)(struct cal_ctx *c, const struct yn *root),
                   enum cal_reader reader)
{
	yaml_parser_t p;
	yaml_event_t e;
	struct builder b;
	int rc = 0;
	bool done = false;

	if (c->len > CAL_MAX_BYTES)
		return fatal_at(c, 0, 0,
		                "file too large for a Calico manifest (more "
		                "than 64 MiB)");
	memset(&b, 0, sizeof(b));
	b.c = c;
	b.each = each;
	rr_arena_init(&b.doc);
	if (reader != CAL_READ_LIBYAML) {
		size_t skipped = c->skipped;
		bool legacy = c->legacy;
		int crc = c->rc;

		rc = cal_yaml_fast(c, &b.doc, each);
		if (rc == 0 || reader == CAL_READ_FAST) {
			rr_arena_release(&b.doc);
			return rc;
		}
		/* given up: forget what its documents did, read it again */
		cal_undo(c);
		c->skipped = skipped;
		c->legacy = legacy;
		c->rc = crc;
		rr_arena_reset(&b.doc);
		rc = 0;
	}
	if (!yaml_parser_initialize(&p))
		rr_oom();
	yaml_parser_set_input_string(&p, (const unsigned char *)c->text,
	                             c->len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	while (!done) {
		if (!yaml_parser_parse(&p, &e)) {
			rc = libyaml_error(c, &p);
			break;
		}
		done = e.type == YAML_STREAM_END_EVENT;
		if (e.type == YAML_ALIAS_EVENT)
			rc = on_alias(&b, &e);
		else
			rc = on_event(&b, &e);
		yaml_event_delete(&e);
		if (rc)
			break;
	}
	yaml_parser_delete(&p);
	rr_arena_release(&b.doc);
	return rc ? -1 : 0;
}
