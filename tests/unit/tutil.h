/*
 * Helpers the unit tests share (include after <cmocka.h>): reading a whole
 * file, and where the shared corpus is.
 */
#ifndef RR_TESTS_TUTIL_H
#define RR_TESTS_TUTIL_H

#include <stdio.h>
#include <stdlib.h>

/* The whole file, NUL-terminated (free it), or NULL when unreadable. */
static inline char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET)) {
		fclose(fp);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, (size_t)n, fp);
	buf[*len] = '\0';
	fclose(fp);
	return buf;
}

/* $RRKIT_SHARED, else ../shared (tests run from the repository root). */
static inline const char *
shared(void)
{
	const char *s = getenv("RRKIT_SHARED");
	return s && *s ? s : "../shared";
}

#endif
