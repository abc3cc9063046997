/*
 * libFuzzer target: parsers/selector.c, then evaluation and canonical
 * printing of what parsed; the printed form must parse back to itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rr_arena a;
	const struct rr_selector *s, *s2;
	const char *msg = NULL;
	size_t off = 0;
	char *text = malloc(size + 1);
	struct rr_labels l = {NULL, 0, 0};

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	rr_arena_init(&a);
	if (parse_selector(&a, text, &s, &msg, &off) == 0) {
		const char *p1, *p2;
		rr_labels_set(&a, &l, "a", "b", NULL);
		rr_labels_set(&a, &l, "x", "", NULL);
		(void)rr_selector_eval(s, &l);
		p1 = rr_selector_str(&a, s);
		if (parse_selector(&a, p1, &s2, &msg, &off) != 0)
			abort();
		p2 = rr_selector_str(&a, s2);
		if (strcmp(p1, p2) != 0)
			abort();
	} else if (!msg || off > size) {
		abort();
	}
	rr_arena_release(&a);
	free(text);
	return 0;
}
