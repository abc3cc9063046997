/*
 * One measurement per process (so peak RSS is that of the measurement):
 *   bench_parse calico FILE     parse_calico + resolve_calico
 *   bench_parse ios FILE        parse_ios
 *   bench_parse both FILE...    parse every file + resolve (what `rrkit show` does)
 *   bench_parse lint FILE...    the same + every lint rule (`rrkit lint`)
 *   bench_parse analyze FILE... the analysis alone (analyze/: sessions and
 *                               routes), timed after parse + resolve
 *   bench_parse yamlscan FILE   baseline: a bare libyaml event scan
 *   bench_parse lines FILE      baseline: count the lines
 * Prints "<ms> <peak RSS KiB> <speakers/events/lines>": <ms> is the CPU
 * time (user + system) of the measured part, which a loaded machine does
 * not inflate as it does wall time.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#include "model/model.h"
#include "parsers/parsers.h"
#include "resolve/resolve.h"
#include "analyze/analyze.h"
#include "validate/validate.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (!f)
		exit(2);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		exit(2);
	buf[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static size_t
yaml_scan(const char *buf, size_t len)
{
	yaml_parser_t p;
	yaml_event_t e;
	size_t n = 0;
	int done = 0;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (!done) {
		if (!yaml_parser_parse(&p, &e))
			exit(3);
		done = e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
		n++;
	}
	yaml_parser_delete(&p);
	return n;
}

int
main(int argc, char **argv)
{
	size_t len, count = 0, i;
	char *buf, *extra[16];
	size_t nextra = 0;
	double t0, t1;
	struct rusage ru;

	if (argc < 3)
		return 2;
	if (strcmp(argv[1], "yamlscan") && strcmp(argv[1], "lines"))
		rr_mem_init(); /* the process-wide memory rrkit runs with */
	buf = slurp(argv[2], &len);
	if (argc > 18)
		return 2;
	t0 = now_ms();
	if (!strcmp(argv[1], "yamlscan")) {
		count = yaml_scan(buf, len);
	} else if (!strcmp(argv[1], "lines")) {
		for (i = 0; i < len; i++)
			count += buf[i] == '\n';
	} else {
		struct rr_model *m = rr_model_new();
		struct rr_diags d;
		struct resolve_opts o = { 0 };
		rr_diags_init(&d);
		if (!strcmp(argv[1], "ios")) {
			parse_ios(m, argv[2], buf, len, &d);
		} else if (!strcmp(argv[1], "calico")) {
			parse_calico(m, argv[2], buf, len, NULL, &d);
			resolve_calico(m, &o, &d);
		} else {
			/* both / lint: every file, told apart by content */
			int k;
			for (k = 2; k < argc; k++) {
				size_t fl;
				char *fb = k == 2 ? buf : slurp(argv[k], &fl);
				if (k == 2)
					fl = len;
				if (parse_detect(fb, fl) == PARSE_FMT_IOS)
					parse_ios(m, argv[k], fb, fl, &d);
				else
					parse_calico(m, argv[k], fb, fl, NULL, &d);
				if (k > 2)
					extra[nextra++] = fb;
			}
			resolve_calico(m, &o, &d);
		}
		count = 0;
		for (i = 0; i < m->nspeakers; i++)
			count += m->speakers[i]->nneighbors;
		if (!strcmp(argv[1], "lint")) {
			/* what `rrkit lint` does after loading: count findings */
			size_t before = d.n;
			val_run(m, &d);
			count = d.n - before;
		} else if (!strcmp(argv[1], "analyze")) {
			struct az *a;
			t0 = now_ms();
			a = az_run(m, NULL);
			count = az_verdict(a)->routes_expected;
			az_free(a);
		}
		if (d.count[RR_SEV_FATAL] || d.count[RR_SEV_ERROR])
			fprintf(stderr, "bench_parse: %zu errors\n",
				d.count[RR_SEV_FATAL] + d.count[RR_SEV_ERROR]);
		rr_diags_release(&d);
		rr_model_free(m);
	}
	t1 = now_ms();
	getrusage(RUSAGE_SELF, &ru);
	printf("%.2f %ld %zu\n", t1 - t0, ru.ru_maxrss, count);
	free(buf);
	while (nextra)
		free(extra[--nextra]);
	return 0;
}
