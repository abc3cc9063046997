/*
 * The fixture most parser unit tests share (include after <cmocka.h>): a
 * fresh model and diagnostic sink per test, freed in teardown so the
 * sanitizer proves nothing leaks; reset() starts over inside a test.
 */
#ifndef RR_TESTS_TFIXTURE_H
#define RR_TESTS_TFIXTURE_H

#include "model/model.h"

struct fx {
	struct rr_model *m;
	struct rr_diags d;
};

static int
setup(void **state)
{
	struct fx *f = test_calloc(1, sizeof(*f));
	f->m = rr_model_new();
	rr_diags_init(&f->d);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	rr_diags_release(&f->d);
	rr_model_free(f->m);
	test_free(f);
	return 0;
}

/* A fresh model and sink inside one (table-driven) test. */
static inline void
reset(struct fx *f)
{
	rr_diags_release(&f->d);
	rr_model_free(f->m);
	f->m = rr_model_new();
	rr_diags_init(&f->d);
}

#endif
