/*
 * Where parsed Calico resources go: one array per kind in m->calico.  A
 * resource of the same kind and name (and namespace, for Secrets, Services
 * and EndpointSlices) replaces
 * the earlier one and takes the later position, as `calicoctl apply` in
 * order would; in delete mode the named resource is removed.  A hash index
 * built once per parse call keeps this linear; replaced entries become
 * tombstones that cal_store_finish() compacts away.
 */
#include "parsers/calico_priv.h"

#include <stddef.h>
#include <string.h>

#define DELETED SIZE_MAX

struct kvec {
	void **v;
	size_t *n, *cap;
	size_t size;
};

static struct kvec
kvec_of(struct rr_calico *k, enum cal_kind kind)
{
	struct kvec r = {NULL, NULL, NULL, 0};
#define KV(a, n_, c_)                                                          \
	do {                                                                   \
		r.v = (void **)&k->a;                                          \
		r.n = &k->n_;                                                  \
		r.cap = &k->c_;                                                \
		r.size = sizeof(k->a[0]);                                      \
	} while (0)
	/* clang-format off */
	switch (kind) {
	case K_BGPCONFIG: KV(bgpconfigs, nbgpconfigs, cap1); break;
	case K_BGPPEER: KV(bgppeers, nbgppeers, cap2); break;
	case K_NODE: KV(nodes, nnodes, cap3); break;
	case K_IPPOOL: KV(ippools, nippools, cap4); break;
	case K_AFFINITY: KV(affinities, naffinities, cap5); break;
	case K_BGPFILTER: KV(bgpfilters, nbgpfilters, cap6); break;
	case K_SECRET: KV(secrets, nsecrets, cap7); break;
	case K_SERVICE: KV(services, nservices, cap9); break;
	case K_EPSLICE: KV(endpoint_slices, nendpoint_slices, cap10); break;
	default: RR_BUG("kind");
	}
	/* clang-format on */
#undef KV
	return r;
}

static struct rr_meta *
entry(const struct kvec *kv, size_t i)
{
	return (struct rr_meta *)(void *)((char *)*kv->v + i * kv->size);
}

/* Namespaced kinds keep the namespace right after their meta. */
struct namespaced {
	struct rr_meta meta;
	const char *namespace_;
};

_Static_assert(offsetof(struct rr_secret, namespace_) ==
                       offsetof(struct namespaced, namespace_) &&
               offsetof(struct rr_k8s_service, namespace_) ==
                       offsetof(struct namespaced, namespace_) &&
               offsetof(struct rr_endpoint_slice, namespace_) ==
                       offsetof(struct namespaced, namespace_),
               "namespace right after meta");

static const char *
ns_of(enum cal_kind kind, const struct rr_meta *m)
{
	const struct namespaced *s = (const struct namespaced *)(const void *)m;
	if ((kind != K_SECRET && kind != K_SERVICE && kind != K_EPSLICE) ||
	    !s->namespace_)
		return "";
	return s->namespace_;
}

static uint64_t
key_hash(const char *name, const char *ns)
{
	uint64_t h = rr_hash64(name, strlen(name));
	return h ^ (rr_hash64(ns, strlen(ns)) * 0x9e3779b97f4a7c15ull);
}

static void
idx_insert(struct cal_index *x, uint64_t h, size_t i)
{
	size_t j = (size_t)h & (x->cap - 1);
	while (x->slot[j] && x->slot[j] != DELETED)
		j = (j + 1) & (x->cap - 1);
	x->slot[j] = i + 1;
	x->used++;
}

static void
idx_rebuild(struct cal_ctx *c, enum cal_kind kind, size_t want)
{
	struct cal_index *x = &c->idx[kind];
	struct kvec kv = kvec_of(&c->m->calico, kind);
	size_t i;

	x->cap = 64;
	while (x->cap < want * 2)
		x->cap *= 2;
	x->slot = rr_arena_calloc(&c->tmp, x->cap, sizeof(size_t));
	x->used = 0;
	x->built = true;
	for (i = 0; i < *kv.n; i++) {
		const struct rr_meta *m = entry(&kv, i);
		if (m->name)
			idx_insert(x, key_hash(m->name, ns_of(kind, m)), i);
	}
}

/* The slot holding `name`/`ns`, or NULL. */
static size_t *
idx_find(struct cal_ctx *c, enum cal_kind kind, const char *name,
         const char *ns)
{
	struct cal_index *x = &c->idx[kind];
	struct kvec kv = kvec_of(&c->m->calico, kind);
	size_t j;

	if (!x->built)
		idx_rebuild(c, kind, *kv.n + 16);
	j = (size_t)key_hash(name, ns) & (x->cap - 1);
	while (x->slot[j]) {
		if (x->slot[j] != DELETED) {
			const struct rr_meta *m = entry(&kv, x->slot[j] - 1);
			if (m->name && !strcmp(m->name, name) &&
			    !strcmp(ns_of(kind, m), ns))
				return &x->slot[j];
		}
		j = (j + 1) & (x->cap - 1);
	}
	return NULL;
}

void
cal_store(struct cal_ctx *c, enum cal_kind kind, void *res)
{
	struct rr_meta *meta = res;
	const char *ns = ns_of(kind, meta);
	struct cal_index *x = &c->idx[kind];
	struct kvec kv = kvec_of(&c->m->calico, kind);
	size_t *slot = idx_find(c, kind, meta->name, ns);
	void *dst;

	if (slot) {
		struct cal_tomb *t = RR_PUSH(&c->tmp, c->undo.tombs,
		                             c->undo.ntombs, c->undo.captombs);
		t->meta = entry(&kv, *slot - 1);
		t->name = t->meta->name;
		t->meta->name = NULL; /* tombstone */
		x->dead = true;
	}
	if (c->o && c->o->delete_mode) {
		if (slot)
			*slot = DELETED;
		else
			rr_diag_add(c->d, RR_SEV_NOTE, NULL, &meta->loc,
			            "%s '%s' to delete does not exist",
			            cal_kind_names[kind], meta->name);
		return;
	}
	meta->order = c->m->calico.next_order++;
	dst = rr_arena_push(&c->m->arena, kv.v, kv.n, kv.cap, kv.size);
	memcpy(dst, res, kv.size);
	c->m->calico_present = true;
	if (slot) {
		*slot = *kv.n; /* index + 1 of the new entry */
	} else {
		if ((x->used + 1) * 2 > x->cap)
			idx_rebuild(c, kind, *kv.n * 2);
		else
			idx_insert(x, key_hash(meta->name, ns), *kv.n - 1);
	}
}

void
cal_store_finish(struct cal_ctx *c)
{
	int k;

	for (k = 0; k < K_COUNT; k++) {
		struct kvec kv = kvec_of(&c->m->calico, (enum cal_kind)k);
		size_t i, j = 0;
		if (!c->idx[k].dead)
			continue;
		for (i = 0; i < *kv.n; i++) {
			struct rr_meta *m = entry(&kv, i);
			if (!m->name)
				continue;
			if (i != j)
				memcpy(entry(&kv, j), m, kv.size);
			j++;
		}
		*kv.n = j;
		c->idx[k].dead = false;
	}
}

void
cal_mark(struct cal_ctx *c)
{
	struct cal_undo *u = &c->undo;
	int k;

	memset(u, 0, sizeof(*u));
	for (k = 0; k < K_COUNT; k++)
		u->n[k] = *kvec_of(&c->m->calico, (enum cal_kind)k).n;
	u->nworkloads = c->m->calico.nworkloads;
	u->next_order = c->m->calico.next_order;
	u->present = c->m->calico_present;
	u->ndiags = c->d->n;
	u->dropped = c->d->dropped;
	memcpy(u->count, c->d->count, sizeof(u->count));
}

void
cal_undo(struct cal_ctx *c)
{
	struct cal_undo *u = &c->undo;
	size_t i;
	int k;

	/* the replaced entries were not compacted yet: names back, newest
	 * first, then the arrays cut to their old length */
	for (i = u->ntombs; i-- > 0;)
		u->tombs[i].meta->name = u->tombs[i].name;
	u->ntombs = 0;
	for (k = 0; k < K_COUNT; k++) {
		struct kvec kv = kvec_of(&c->m->calico, (enum cal_kind)k);
		if (*kv.n > u->n[k])
			*kv.n = u->n[k];
		c->idx[k].built = false;
		c->idx[k].dead = false;
	}
	if (c->m->calico.nworkloads > u->nworkloads)
		c->m->calico.nworkloads = u->nworkloads;
	c->m->calico.next_order = u->next_order;
	c->m->calico_present = u->present;
	if (c->d->n > u->ndiags)
		c->d->n = u->ndiags;
	c->d->dropped = u->dropped;
	memcpy(c->d->count, u->count, sizeof(u->count));
}
