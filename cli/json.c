/*
 * JSON writer and string buffer for the machine-readable outputs
 * (docs/json.md).
 */
#include "cli/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
sb_init(struct strbuf *b)
{
	b->p = NULL;
	b->n = b->cap = 0;
}

void
sb_release(struct strbuf *b)
{
	free(b->p);
	sb_init(b);
}

void
sb_add(struct strbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 256;
		while (ncap < b->n + n + 1)
			ncap *= 2;
		b->p = rr_xrealloc(b->p, ncap);
		b->cap = ncap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void
sb_puts(struct strbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

void
sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		sb_add(b, small, (size_t)n);
		return;
	}
	sb_add(b, "", 0);
	{
		char *big = rr_xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		sb_add(b, big, (size_t)n);
		free(big);
	}
}

void
json_init(struct json *j, struct strbuf *b, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->b = b;
	j->pretty = pretty;
	j->first[0] = true;
}

void
json_init_sink(struct json *j, json_sink_fn fn, void *ctx, bool pretty)
{
	json_init(j, NULL, pretty);
	j->sink = fn;
	j->sink_ctx = ctx;
}

static void
put(struct json *j, const char *s, size_t n)
{
	if (j->sink)
		j->sink(j->sink_ctx, s, n);
	else
		sb_add(j->b, s, n);
}

static void
puts_(struct json *j, const char *s)
{
	put(j, s, strlen(s));
}

void
json_raw(struct json *j, const char *s)
{
	puts_(j, s);
}

static void
indent(struct json *j)
{
	int i;
	if (!j->pretty)
		return;
	puts_(j, "\n");
	for (i = 0; i < j->depth; i++)
		puts_(j, "  ");
}

/* Separator before a value (not after a key). */
static void
pre_value(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		puts_(j, ",");
	j->first[j->depth] = false;
	if (j->depth > 0)
		indent(j);
}

static void
open_(struct json *j, const char *c)
{
	pre_value(j);
	puts_(j, c);
	if (j->depth + 1 >= (int)(sizeof(j->first) / sizeof(j->first[0])))
		RR_BUG("json nesting too deep");
	j->depth++;
	j->first[j->depth] = true;
}

static void
close_(struct json *j, const char *c)
{
	bool empty = j->first[j->depth];
	j->depth--;
	if (!empty)
		indent(j);
	puts_(j, c);
	if (j->depth == 0 && j->pretty)
		puts_(j, "\n");
}

void json_obj(struct json *j) { open_(j, "{"); }
void json_end_obj(struct json *j) { close_(j, "}"); }
void json_arr(struct json *j) { open_(j, "["); }
void json_end_arr(struct json *j) { close_(j, "]"); }

static void
escaped(struct json *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char u[8];
	puts_(j, "\"");
	for (; *p; p++) {
		switch (*p) {
		case '"': puts_(j, "\\\""); break;
		case '\\': puts_(j, "\\\\"); break;
		case '\n': puts_(j, "\\n"); break;
		case '\r': puts_(j, "\\r"); break;
		case '\t': puts_(j, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				snprintf(u, sizeof(u), "\\u%04x", *p);
				puts_(j, u);
			} else if (*p >= 0x80) {
				/* UTF-8 only (RFC 8259 §8.1): a byte that
				 * starts no character is Latin-1 */
				size_t k = rr_utf8_len((const char *)p);
				if (k)
					put(j, (const char *)p, k);
				else
					put(j, u, rr_utf8_put(*p, u));
				p += k ? k - 1 : 0;
			} else {
				put(j, (const char *)p, 1);
			}
		}
	}
	puts_(j, "\"");
}

void
json_key(struct json *j, const char *k)
{
	pre_value(j);
	escaped(j, k);
	puts_(j, j->pretty ? ": " : ":");
	j->after_key = true;
}

void
json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	pre_value(j);
	escaped(j, s);
}

void
json_u64(struct json *j, uint64_t v)
{
	char t[24];
	pre_value(j);
	snprintf(t, sizeof(t), "%llu", (unsigned long long)v);
	puts_(j, t);
}

void
json_i64(struct json *j, int64_t v)
{
	char t[24];
	pre_value(j);
	snprintf(t, sizeof(t), "%lld", (long long)v);
	puts_(j, t);
}

void
json_bool(struct json *j, bool v)
{
	pre_value(j);
	puts_(j, v ? "true" : "false");
}

void
json_null(struct json *j)
{
	pre_value(j);
	puts_(j, "null");
}

void json_kstr(struct json *j, const char *k, const char *s) { json_key(j, k); json_str(j, s); }
void json_ku64(struct json *j, const char *k, uint64_t v) { json_key(j, k); json_u64(j, v); }
void json_kbool(struct json *j, const char *k, bool v) { json_key(j, k); json_bool(j, v); }
void json_knull(struct json *j, const char *k) { json_key(j, k); json_null(j); }

void
json_kloc(struct json *j, const char *k, const struct rr_loc *loc)
{
	json_key(j, k);
	if (!loc || !loc->line) {
		json_null(j);
		return;
	}
	json_obj(j);
	json_kstr(j, "file", loc->file);
	json_ku64(j, "line", loc->line);
	json_ku64(j, "col", loc->col);
	json_end_obj(j);
}

void
json_kaddr(struct json *j, const char *k, const struct rr_addr *a)
{
	char buf[RR_ADDR_STRLEN];
	json_key(j, k);
	if (!a || !rr_addr_is_set(a))
		json_null(j);
	else
		json_str(j, rr_addr_str(a, buf));
}
