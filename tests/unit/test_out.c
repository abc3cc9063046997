/*
 * cli/out.c: a file appears whole under its name only when out_close()
 * succeeds; a failed or abandoned output leaves the previous file and no
 * temporary; writes larger than the buffer arrive intact; a write error is
 * reported by out_close(); OUT_PRIVATE files are 0600.  (out.c needs libc
 * only, so the test compiles it in.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../cli/out.c"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/rrkit-out-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static size_t
entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int
teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	p = malloc((size_t)n + 1);
	*len = fread(p, 1, (size_t)n, f);
	fclose(f);
	p[*len] = '\0';
	return p;
}

static void
test_whole_or_nothing(void **state)
{
	char path[128], *got;
	struct out o;
	size_t len;
	(void)state;

	snprintf(path, sizeof(path), "%s/report", dir);
	assert_int_equal(out_open(&o, path, 0), 0);
	out_printf(&o, "first %d\n", 1);
	assert_int_equal(out_flush(&o), 0);
	/* written so far, but not under the name yet */
	assert_null(slurp(path, &len));
	assert_int_equal(out_close(&o), 0);
	got = slurp(path, &len);
	assert_string_equal(got, "first 1\n");
	free(got);
	assert_int_equal(entries(), 1);

	/* abandoned: the previous file stays, no temporary is left */
	assert_int_equal(out_open(&o, path, 0), 0);
	out_puts(&o, "second\n");
	out_flush(&o);
	assert_int_equal(entries(), 2);
	out_abort(&o);
	got = slurp(path, &len);
	assert_string_equal(got, "first 1\n");
	free(got);
	assert_int_equal(entries(), 1);
}

static void
test_large(void **state)
{
	char path[128], *got, *big;
	size_t len, i, n = 3 * OUT_BUFSZ + 17;
	struct out o;
	(void)state;

	big = malloc(n);
	for (i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	snprintf(path, sizeof(path), "%s/big", dir);
	assert_int_equal(out_open(&o, path, 0), 0);
	out_write(&o, "<", 1);
	out_write(&o, big, n); /* larger than the buffer */
	for (i = 0; i < 100000; i++)
		out_write(&o, big + i % 26, 1);
	assert_int_equal(o.bytes, 1 + n + 100000);
	assert_int_equal(out_close(&o), 0);
	got = slurp(path, &len);
	assert_int_equal(len, 1 + n + 100000);
	assert_int_equal(got[0], '<');
	assert_memory_equal(got + 1, big, n);
	assert_int_equal(got[1 + n + 99999], 'a' + 99999 % 26);
	free(got);
	free(big);
}

static void
test_errors(void **state)
{
	char path[128];
	struct out o;
	struct stat st;
	(void)state;

	/* no such directory: nothing is created */
	snprintf(path, sizeof(path), "%s/none/x", dir);
	assert_int_equal(out_open(&o, path, 0), -1);
	/* a device is written in place; a full one fails at the end */
	if (access("/dev/full", W_OK) == 0) {
		assert_int_equal(out_open(&o, "/dev/full", 0), 0);
		out_write(&o, "x", 1);
		assert_int_equal(out_close(&o), -1);
		assert_int_equal(stat("/dev/full", &st), 0);
		assert_true(S_ISCHR(st.st_mode));
	}
	/* private */
	snprintf(path, sizeof(path), "%s/secret", dir);
	assert_int_equal(out_open(&o, path, OUT_PRIVATE), 0);
	out_puts(&o, "k\n");
	assert_int_equal(out_close(&o), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(entries(), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_whole_or_nothing, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_large, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
