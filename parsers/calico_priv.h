/*
 * Private to parsers/calico*.c: the bounded YAML tree the Calico parser
 * walks, and the parse context.
 */
#ifndef RR_PARSERS_CALICO_PRIV_H
#define RR_PARSERS_CALICO_PRIV_H

#include "parsers/parsers.h"

#include <stdio.h>

/* Limits against YAML bombs (calico_yaml.c). */
#define CAL_MAX_BYTES (64u * 1024 * 1024)
#define CAL_MAX_DEPTH 64
#define CAL_MAX_NODES                                                          \
	2000000u /* nodes built, and nodes after alias expansion */
#define CAL_MAX_ALIASES 100

enum yn_type { YN_SCALAR, YN_SEQ, YN_MAP };

enum yn_style { YN_PLAIN, YN_QUOTED, YN_BLOCK };

struct yn {
	uint8_t type;  /* enum yn_type */
	uint8_t style; /* enum yn_style, scalars */
	bool open;     /* container still being built (recursive alias guard) */
	const char *tag; /* NULL, or the tag as libyaml resolved it */
	const char *val; /* scalars, NUL-terminated */
	size_t len;
	uint32_t line, col; /* 1-based */
	uint32_t eline;     /* scalars: the line they end on */
	struct yn **kids;   /* SEQ items; MAP key, value, key, value, ... */
	size_t n, cap;
	uint64_t weight; /* nodes after alias expansion */
};

enum cal_kind {
	K_BGPCONFIG,
	K_BGPPEER,
	K_NODE,
	K_IPPOOL,
	K_AFFINITY,
	K_BGPFILTER,
	K_SECRET,
	K_SERVICE,  /* Kubernetes v1 Service */
	K_EPSLICE,  /* discovery.k8s.io EndpointSlice */
	K_COUNT
};

extern const char *const cal_kind_names[K_COUNT];

/* name (+ namespace) -> index into the kind's array (calico_store.c) */
struct cal_index {
	size_t *slot; /* 0 empty, SIZE_MAX deleted, else index + 1 */
	size_t cap, used;
	bool built;
	bool dead; /* some entries of the array are tombstones */
};

/* What a parse call stored, to undo it when a later document turns out
 * to be malformed YAML (calico_store.c). */
struct cal_undo {
	size_t n[K_COUNT], nworkloads, next_order;
	bool present;
	struct cal_tomb { /* an earlier resource replaced: its name */
		struct rr_meta *meta;
		const char *name;
	} *tombs;
	size_t ntombs, captombs;
	size_t ndiags, dropped, count[RR_SEV_FATAL + 1];
};

struct cal_ctx {
	struct rr_model *m;
	struct rr_diags *d;
	const char *file; /* interned */
	const char *text;
	size_t len;
	const struct parse_calico_opts *o;
	struct rr_arena tmp; /* scratch; released after the parse */
	size_t skipped;      /* documents of kinds we do not read */
	bool legacy;         /* a legacy v1 resource was refused */
	int rc;
	struct cal_index idx[K_COUNT];
	struct cal_undo undo;
};

/*
 * Read the stream, handing each document's tree to `each` when the
 * document ends; the tree is freed after it (one document's tree in memory
 * at a time).  0, or -1 after a FATAL diagnostic: the documents handed over
 * before it stay handed over (the caller undoes what it did with them).
 */
int cal_yaml_load(struct cal_ctx *c,
                  void (*each)(struct cal_ctx *c, const struct yn *root));
/* The same with a chosen reader: CAL_READ_ANY is calico_fastyaml.c's
 * fast reader, and libyaml from the start where it gives up (what the
 * documents it handed over did undone: cal_undo); CAL_READ_LIBYAML
 * libyaml alone; CAL_READ_FAST the fast reader alone, 1 where it gives up
 * (tests compare the two). */
enum cal_reader { CAL_READ_ANY, CAL_READ_LIBYAML, CAL_READ_FAST };
int cal_yaml_load_with(struct cal_ctx *c,
                       void (*each)(struct cal_ctx *c, const struct yn *root),
                       enum cal_reader reader);
/* calico_fastyaml.c: 0 with every document handed to `each`, or 1 (it
 * gave up: nothing said; the documents handed over stay handed over). */
int cal_yaml_fast(struct cal_ctx *c, struct rr_arena *doc,
                  void (*each)(struct cal_ctx *c, const struct yn *root));

/* Add (or, in delete mode, remove) a resource; `res` starts with its
 * struct rr_meta.  cal_store_finish() compacts what was replaced. */
void cal_store(struct cal_ctx *c, enum cal_kind kind, void *res);
void cal_store_finish(struct cal_ctx *c);
/* Remember the model and the diagnostics as they are (before the first
 * document); cal_undo() puts them back: the documents of a file that is
 * not valid YAML store nothing and say nothing. */
void cal_mark(struct cal_ctx *c);
void cal_undo(struct cal_ctx *c);

struct rr_loc cal_loc(const struct cal_ctx *c, const struct yn *n);
/* The value of `key` in a mapping, or NULL. */
const struct yn *cal_map_get(const struct yn *map, const char *key);

/* calico_k8s.c: the fields of a Service / EndpointSlice document the route
 * generator reads (metadata already read into the struct's meta). */
void cal_k8s_service(struct cal_ctx *c, const struct yn *doc,
                     struct rr_k8s_service *s);
void cal_k8s_endpoint_slice(struct cal_ctx *c, const struct yn *doc,
                            struct rr_endpoint_slice *es);
bool cal_is_null(const struct yn *n);
/* A tree as text, one node a line (type/style line:col-eline weight, tag,
 * scalar length and bytes), for tests comparing the two readers. */
void cal_yn_dump(FILE *out, const struct yn *n, int depth);
/* Every document's tree of text[0..len) as one reader builds it, dumped
 * with cal_yn_dump ("---" before each) into a malloc'd *buf of *n bytes;
 * the reader's return value.  For the tests comparing the two readers
 * (tests/unit/test_calico_yaml.c, tests/fuzz/fuzz_yaml.c). */
int cal_yaml_trees(const char *text, size_t len, enum cal_reader r,
                   char **buf, size_t *n);
/* A tag other than the standard ones (!!str, !!int, ...). */
bool cal_odd_tag(const struct yn *n);

#endif
