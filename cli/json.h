/*
 * A small streaming JSON writer (cli/ only): into a growable buffer, or
 * to a sink as it is produced (out_sink of cli/out.h writes to a file or
 * standard output), so a large document is never held whole.  Keys and strings are escaped per RFC 8259; output
 * is compact or indented.
 */
#ifndef RR_CLI_JSON_H
#define RR_CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

struct strbuf {
	char *p;
	size_t n, cap;
};
void sb_init(struct strbuf *b);
void sb_release(struct strbuf *b);
void sb_add(struct strbuf *b, const char *s, size_t n);
void sb_puts(struct strbuf *b, const char *s);
void sb_printf(struct strbuf *b, const char *fmt, ...) RR_PRINTF(2, 3);

/* Where a streamed document goes: n bytes at p. */
typedef void (*json_sink_fn)(void *ctx, const char *p, size_t n);

struct json {
	struct strbuf *b; /* the buffer, or NULL when writing to the sink */
	json_sink_fn sink;
	void *sink_ctx;
	int depth;
	bool first[64];
	bool after_key;
	bool pretty;
};
void json_init(struct json *j, struct strbuf *b, bool pretty);
void json_init_sink(struct json *j, json_sink_fn fn, void *ctx, bool pretty);
/* Raw text in place of a value's next characters (e.g. the decimals of a
 * number written with json_u64). */
void json_raw(struct json *j, const char *s);
void json_obj(struct json *j);
void json_end_obj(struct json *j);
void json_arr(struct json *j);
void json_end_arr(struct json *j);
void json_key(struct json *j, const char *k);
void json_str(struct json *j, const char *s); /* NULL -> null */
void json_u64(struct json *j, uint64_t v);
void json_i64(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* key + value shorthands */
void json_kstr(struct json *j, const char *k, const char *s);
void json_ku64(struct json *j, const char *k, uint64_t v);
void json_kbool(struct json *j, const char *k, bool v);
void json_knull(struct json *j, const char *k);
/* {"file","line","col"} or null when loc has no line */
void json_kloc(struct json *j, const char *k, const struct rr_loc *loc);
/* address text or null */
void json_kaddr(struct json *j, const char *k, const struct rr_addr *a);

#endif
