/*
 * libFuzzer target: parsers/config.c (.rrkit.yaml) on arbitrary bytes.
 * Either it reads a configuration or it says where it could not, with a
 * located fatal diagnostic; never both, never neither.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "parsers/parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rr_arena a;
	struct rr_diags d;
	struct parse_config c;
	int rc;

	rr_arena_init(&a);
	rr_diags_init(&d);
	rc = parse_config(&a, "fuzz.yaml", (const char *)data, size, &c, &d);
	if ((rc < 0) != rr_diags_has_fatal(&d))
		abort();
	rr_diags_release(&d);
	rr_arena_release(&a);
	return 0;
}
