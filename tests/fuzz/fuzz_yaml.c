/*
 * libFuzzer target: the fast YAML reader (parsers/calico_fastyaml.c)
 * against libyaml.  Where the fast reader reads an input, libyaml must
 * read it too and build the same trees, node by node: type, style, tag,
 * value bytes, line, column, end line and weight (cal_yn_dump).  Where it
 * gives up, the input goes through libyaml as before (nothing to compare).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/calico_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *out;

static void
each(struct cal_ctx *c, const struct yn *root)
{
	(void)c;
	fputs("---\n", out);
	cal_yn_dump(out, root, 0);
}

/* The trees one reader builds, as text in *buf; its return value. */
static int
trees(const uint8_t *data, size_t size, enum cal_reader r, char **buf,
      size_t *len)
{
	struct rr_model *m = rr_model_new();
	struct rr_diags d;
	struct cal_ctx c;
	int rc;

	rr_diags_init(&d);
	memset(&c, 0, sizeof(c));
	c.m = m;
	c.d = &d;
	c.file = rr_model_file(m, "fuzz.yaml");
	c.text = (const char *)data;
	c.len = size;
	rr_arena_init(&c.tmp);
	cal_mark(&c);
	out = open_memstream(buf, len);
	if (!out)
		abort();
	rc = cal_yaml_load_with(&c, each, r);
	fclose(out);
	rr_arena_release(&c.tmp);
	rr_diags_release(&d);
	rr_model_free(m);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *fast = NULL, *slow = NULL;
	size_t nfast = 0, nslow = 0;

	if (trees(data, size, CAL_READ_FAST, &fast, &nfast) == 0) {
		if (trees(data, size, CAL_READ_LIBYAML, &slow, &nslow) != 0) {
			fprintf(stderr, "fast reader read what libyaml "
			                "refuses:\n%s", fast);
			abort();
		}
		if (nfast != nslow || memcmp(fast, slow, nfast)) {
			fprintf(stderr, "trees differ\nfast:\n%s\nlibyaml:\n%s",
			        fast, slow);
			abort();
		}
	}
	free(fast);
	free(slow);
	return 0;
}
