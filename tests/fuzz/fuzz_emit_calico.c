/*
 * libFuzzer target: the Calico YAML emitter (emitters/calico.c) on hostile
 * names.  The input is split in three: a file name and router fields
 * (hostname, descriptions, peer-group names: any bytes, Latin-1, quotes,
 * '#', ': ', '---', control characters, newlines in the file name) laid
 * into an IOS config, and Calico YAML to merge into.  What gen calico
 * writes must be UTF-8 and must read back as YAML without an error: no
 * name can end a comment, a scalar or a document early.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emitters/emitters.h"
#include "parsers/parsers.h"
#include "resolve/resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next field: bytes up to a 0xfe separator (newlines kept only where
 * `line` is false: a config line cannot hold one). */
static char *
field(const uint8_t **p, const uint8_t *end, bool line)
{
	const uint8_t *q = *p;
	size_t n, i;
	char *s;

	while (q < end && *q != 0xfe)
		q++;
	n = (size_t)(q - *p);
	s = malloc(n + 1);
	for (i = 0; i < n; i++) {
		uint8_t c = (*p)[i];
		s[i] = (char)(c == 0 || (line && (c == '\n' || c == '\r')) ? 'x' : c);
	}
	s[n] = '\0';
	*p = q < end ? q + 1 : q;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	struct rr_model *m = rr_model_new(), *back;
	struct rr_diags d, d2;
	struct resolve_opts ro = {0};
	struct emit_opts eo = {0};
	char *path, *host, *desc, *group, *ios, *out = NULL;
	size_t len = 0, n;
	unsigned as = size ? 1u + data[0] * 251u : 64512u;

	rr_diags_init(&d);
	path = field(&p, end, false);
	host = field(&p, end, true);
	desc = field(&p, end, true);
	group = field(&p, end, true);
	n = strlen(host) + strlen(desc) * 2 + strlen(group) * 3 + 512;
	ios = malloc(n);
	snprintf(ios, n,
	         "hostname %s\ninterface Gi0/0\n ip address 10.0.0.1 "
	         "255.255.255.0\nrouter bgp %u\n neighbor %s peer-group\n"
	         " neighbor %s remote-as %u\n neighbor 10.0.0.2 peer-group %s\n"
	         " neighbor 10.0.0.3 remote-as %u\n neighbor 10.0.0.3 "
	         "description %s\n neighbor 10.0.0.2 description %s\n",
	         host, as, group, group, as, group, as, desc, desc);
	(void)parse_ios(m, *path ? path : "r.ios", ios, strlen(ios), &d);
	(void)parse_calico(m, "in.yaml", (const char *)p, (size_t)(end - p),
	                   NULL, &d);
	ro.max_mesh_nodes = 20;
	if (!rr_diags_has_fatal(&d) && resolve_calico(m, &ro, &d) == 0 &&
	    emit_calico(m, &eo, &out, &len, &d) == 0) {
		if (memchr(out, '\0', len) || rr_utf8(&m->arena, out) != out) {
			fprintf(stderr, "gen calico wrote bytes that are not "
			                "UTF-8 text:\n%.*s\n", (int)len, out);
			abort();
		}
		back = rr_model_new();
		rr_diags_init(&d2);
		if (parse_calico(back, "out.yaml", out, len, NULL, &d2) < 0 &&
		    rr_diags_has_fatal(&d2)) {
			fprintf(stderr, "gen calico wrote YAML that does not "
			                "read back (%s):\n%.*s\n",
			        d2.n ? d2.v[0].msg : "?", (int)len, out);
			abort();
		}
		rr_diags_release(&d2);
		rr_model_free(back);
		emit_free(out);
	}
	free(ios);
	free(path);
	free(host);
	free(desc);
	free(group);
	rr_diags_release(&d);
	rr_model_free(m);
	return 0;
}
