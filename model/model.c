/*
 * The model container: speakers, Calico resources, interned file names,
 * labels and selector evaluation.
 */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

struct rr_model *
rr_model_new(void)
{
	struct rr_model *m = rr_xcalloc(1, sizeof(*m));
	rr_arena_init(&m->arena);
	return m;
}

void
rr_model_free(struct rr_model *m)
{
	if (!m)
		return;
	rr_arena_release(&m->arena);
	free(m);
}

const char *
rr_model_file(struct rr_model *m, const char *path)
{
	size_t i;
	const char **slot;
	for (i = 0; i < m->nfiles; i++)
		if (!strcmp(m->files[i], path))
			return m->files[i];
	slot = RR_PUSH(&m->arena, m->files, m->nfiles, m->capfiles);
	*slot = rr_arena_strdup(&m->arena, path);
	return *slot;
}

struct rr_speaker *
rr_model_add_speaker(struct rr_model *m, enum rr_speaker_kind kind,
		     const char *name)
{
	struct rr_speaker **slot, *s;
	s = rr_arena_alloc(&m->arena, sizeof(*s));
	s->kind = kind;
	s->name = rr_arena_strdup(&m->arena, name);
	slot = RR_PUSH(&m->arena, m->speakers, m->nspeakers, m->capspk);
	*slot = s;
	return s;
}

const struct rr_nb_rare rr_nb_rare_none;

struct rr_nb_rare *
rr_nb_rare_set(struct rr_arena *a, struct rr_neighbor *n)
{
	if (!n->rare)
		n->rare = rr_arena_alloc(a, sizeof(struct rr_nb_rare));
	return n->rare;
}

struct rr_neighbor *
rr_speaker_add_neighbor(struct rr_model *m, struct rr_speaker *s)
{
	return RR_PUSH(&m->arena, s->neighbors, s->nneighbors, s->capnb);
}

const struct rr_speaker *
rr_model_find_speaker(const struct rr_model *m, const char *name)
{
	size_t i;
	for (i = 0; i < m->nspeakers; i++)
		if (m->speakers[i]->name && !strcmp(m->speakers[i]->name, name))
			return m->speakers[i];
	return NULL;
}

const struct rr_speaker *
rr_model_owner(const struct rr_model *m, const struct rr_addr *a)
{
	size_t i, j;
	for (i = 0; i < m->nspeakers; i++) {
		const struct rr_speaker *s = m->speakers[i];
		for (j = 0; j < s->naddrs; j++)
			if (rr_addr_eq(&s->addrs[j].p.addr, a))
				return s;
	}
	return NULL;
}

const char *
rr_labels_get(const struct rr_labels *l, const char *key)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			return l->v[i].value;
	return NULL;
}

void
rr_labels_set(struct rr_arena *a, struct rr_labels *l, const char *key,
	      const char *value, const struct rr_loc *loc)
{
	size_t i;
	struct rr_label *e = NULL;
	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			e = &l->v[i];
	if (!e) {
		e = RR_PUSH(a, l->v, l->n, l->cap);
		e->key = rr_arena_strdup(a, key);
	}
	e->value = rr_arena_strdup(a, value);
	if (loc)
		e->loc = *loc;
}

const struct rr_bgpconfig *
rr_calico_config(const struct rr_calico *c, const char *name)
{
	size_t i;
	for (i = 0; i < c->nbgpconfigs; i++)
		if (c->bgpconfigs[i].meta.name &&
		    !strcmp(c->bgpconfigs[i].meta.name, name))
			return &c->bgpconfigs[i];
	return NULL;
}

const struct rr_bgpfilter *
rr_calico_filter(const struct rr_calico *c, const char *name)
{
	size_t i;
	for (i = 0; i < c->nbgpfilters; i++)
		if (c->bgpfilters[i].meta.name &&
		    !strcmp(c->bgpfilters[i].meta.name, name))
			return &c->bgpfilters[i];
	return NULL;
}

/* A password from a Secret the inputs do not hold: it may well exist in
 * the cluster (a Secret given without the key is known to render none). */
bool
rr_password_unknown(const struct rr_calico *c, const struct rr_neighbor *n)
{
	const struct rr_secret_ref *ref =
		n->bgppeer ? &n->bgppeer->password : NULL;
	size_t i;

	if (!n->password_unresolved)
		return false;
	for (i = 0; ref && ref->name && i < c->nsecrets; i++)
		if (c->secrets[i].meta.name &&
		    !strcmp(c->secrets[i].meta.name, ref->name))
			return false;
	return true;
}
