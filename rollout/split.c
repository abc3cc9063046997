/*
 * Splitting a Calico YAML file into its resources (rollout.h,
 * ro_split_yaml): the documents between `---` lines, each named by its
 * top-level kind and metadata.name (and metadata.namespace), as
 * `calicoctl apply` and `kubectl apply` identify a resource.  Only the
 * block style Calico's manifests use is understood; anything else (a
 * List, flow style, a document without a name) makes the split fail and
 * the caller keeps the file whole.
 */
#include "rollout/rollout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the line [p, e) without its newline */
static const char *
line_end(const char *p, const char *e)
{
	const char *n = memchr(p, '\n', (size_t)(e - p));

	return n ? n : e;
}

static bool
blank_or_comment(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p == e || *p == '#';
}

/* `---` (or `...`) alone on its line, a comment allowed after it; *bad
 * when content follows the marker on the same line */
static bool
doc_marker(const char *p, const char *e, bool *bad)
{
	*bad = false;
	if (e - p < 3 || (memcmp(p, "---", 3) && memcmp(p, "...", 3)))
		return false;
	p += 3;
	if (p < e && *p != ' ' && *p != '\t' && *p != '\r')
		return false; /* "----", "---x": not a marker */
	*bad = !blank_or_comment(p, e);
	return true;
}

/*
 * The scalar after "key:" on [p, e): quotes and a trailing comment
 * removed.  False when it does not fit (or is empty, or flow style).
 */
static bool
scalar(const char *p, const char *e, char *out, size_t cap)
{
	const char *q;
	size_t n;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (p < e && (*p == '"' || *p == '\'')) {
		q = memchr(p + 1, *p, (size_t)(e - p - 1));
		if (!q || !blank_or_comment(q + 1, e))
			return false;
		p++;
		e = q;
	} else {
		for (q = p; q < e; q++)
			if (*q == '#' && q > p && (q[-1] == ' ' || q[-1] == '\t'))
				break;
		e = q;
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (p < e && strchr("{[&*!|>", *p))
			return false;
	}
	n = (size_t)(e - p);
	if (!n || n >= cap || memchr(p, '\\', n) || memchr(p, '\n', n))
		return false;
	memcpy(out, p, n);
	out[n] = 0;
	return true;
}

/* "key:" at p (then a space, a tab or the end of the line) */
static const char *
key(const char *p, const char *e, const char *k)
{
	size_t n = strlen(k);

	if ((size_t)(e - p) < n + 1 || memcmp(p, k, n) || p[n] != ':')
		return NULL;
	p += n + 1;
	if (p < e && *p != ' ' && *p != '\t' && *p != '\r')
		return NULL;
	return p;
}

/* the identity of the document [p, e): false when it has none */
static bool
identify(const char *p, const char *e, struct ro_doc *d)
{
	bool in_meta = false, any = false;
	int meta_indent = -1;
	const char *v;

	d->kind[0] = d->name[0] = d->ns[0] = d->api[0] = 0;
	while (p < e) {
		const char *l = line_end(p, e), *s = p;
		int indent = 0;
		while (s < l && *s == ' ')
			s++, indent++;
		if (blank_or_comment(p, l)) {
			p = l < e ? l + 1 : e;
			continue;
		}
		any = true;
		if (indent == 0) {
			in_meta = false;
			if (*s == '-' || *s == '{' || *s == '[' || *s == '\t' ||
			    *s == '%')
				return false;
			if ((v = key(s, l, "kind")) != NULL) {
				if (d->kind[0] ||
				    !scalar(v, l, d->kind, sizeof(d->kind)))
					return false;
			} else if ((v = key(s, l, "apiVersion")) != NULL) {
				if (d->api[0] ||
				    !scalar(v, l, d->api, sizeof(d->api)))
					return false;
			} else if ((v = key(s, l, "metadata")) != NULL) {
				if (!blank_or_comment(v, l) || meta_indent >= 0)
					return false;
				in_meta = true;
			}
		} else if (in_meta) {
			if (meta_indent < 0)
				meta_indent = indent;
			if (indent == meta_indent) {
				if ((v = key(s, l, "name")) != NULL) {
					if (d->name[0] ||
					    !scalar(v, l, d->name,
					            sizeof(d->name)))
						return false;
				} else if ((v = key(s, l, "namespace")) != NULL) {
					if (d->ns[0] ||
					    !scalar(v, l, d->ns, sizeof(d->ns)))
						return false;
				}
			}
		}
		p = l < e ? l + 1 : e;
	}
	if (!any)
		return true; /* only comments: not a resource */
	/* a List (kubectl's, or BGPPeerList...) holds several resources */
	return d->kind[0] && d->name[0] && d->api[0] && !strstr(d->kind, "List");
}

int
ro_split_yaml(const char *buf, size_t len, struct ro_doc **out,
              size_t *nout)
{
	const char *p = buf, *e = buf + len, *start = buf;
	unsigned line = 1, start_line = 1;
	struct ro_doc *v = NULL;
	size_t n = 0;
	bool bad;

	*out = NULL;
	*nout = 0;
	if (memchr(buf, 0, len))
		return -1;
	for (;;) {
		const char *l = p < e ? line_end(p, e) : e;
		bool end = p >= e, marker = !end && doc_marker(p, l, &bad);
		if (marker && bad) {
			free(v);
			return -1;
		}
		if (end || marker) {
			struct ro_doc d;
			memset(&d, 0, sizeof(d));
			if (!identify(start, p, &d)) {
				free(v);
				return -1;
			}
			if (d.kind[0]) {
				d.off = (size_t)(start - buf);
				d.len = (size_t)(p - start);
				d.line = start_line;
				v = rr_xrealloc(v, (n + 1) * sizeof(*v));
				v[n++] = d;
			}
			if (end)
				break;
			start = l < e ? l + 1 : e;
			start_line = line + 1;
		}
		p = l < e ? l + 1 : e;
		line++;
	}
	*out = v;
	*nout = n;
	return 0;
}

/* the next line of [*p, e) that is neither blank nor a comment, trailing
 * blanks removed; false at the end */
static bool
next_line(const char **p, const char *e, const char **s, size_t *n)
{
	while (*p < e) {
		const char *l = line_end(*p, e), *t = l;
		const char *b = *p;
		*p = l < e ? l + 1 : e;
		if (blank_or_comment(b, l))
			continue;
		while (t > b && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\r'))
			t--;
		*s = b;
		*n = (size_t)(t - b);
		return true;
	}
	return false;
}

bool
ro_same_doc(const char *a, size_t na, const char *b, size_t nb)
{
	const char *pa = a, *ea = a + na, *pb = b, *eb = b + nb, *sa, *sb;
	size_t la, lb;
	bool ha, hb;

	for (;;) {
		ha = next_line(&pa, ea, &sa, &la);
		hb = next_line(&pb, eb, &sb, &lb);
		if (!ha || !hb)
			return ha == hb;
		if (la != lb || memcmp(sa, sb, la))
			return false;
	}
}

/* Whether the line [q, l) starts with the key w (never reads past l: the
 * document need not be NUL-terminated). */
static bool
line_starts(const char *q, const char *l, const char *w)
{
	size_t n = strlen(w);
	return (size_t)(l - q) >= n && !memcmp(q, w, n);
}

char *
ro_node_peer_doc(const char *doc, size_t len, const char *node,
                 const char *name, size_t *outlen)
{
	const char *p = doc, *e = doc + len;
	/* the output grows by the comment, the name and the node line only */
	char *out = rr_xrealloc(NULL, 2 * len + 3 * strlen(node) +
	                                      strlen(name) + 256);
	size_t n = 0;
	int top = 0; /* 1 metadata, 2 spec, 3 other */
	int skip_ind = -1; /* skipping a subtree deeper than this */
	int spec_ind = -1; /* the indentation of spec's keys */
	bool meta = false, spec = false, spec_node = false;

	n += (size_t)sprintf(out + n, "# temporary: %s peers with both its "
	                              "old and new peers during the move\n",
	                     node);
	while (p < e) {
		const char *l = memchr(p, '\n', (size_t)(e - p));
		const char *q = p;
		int ind;
		if (!l)
			l = e;
		while (q < l && *q == ' ')
			q++;
		ind = (int)(q - p);
		if (q == l || *q == '#')
			goto next; /* blank or comment */
		if (skip_ind >= 0 && ind > skip_ind)
			goto next;
		skip_ind = -1;
		if (ind == 0) {
			top = line_starts(q, l, "metadata:") ? 1
			      : line_starts(q, l, "spec:")   ? 2
			                                     : 3;
			if ((top == 1 || top == 2) &&
			    l > q + (top == 1 ? 9 : 5) &&
			    q[top == 1 ? 9 : 5] != ' ')
				top = 3; /* "metadataX:" */
			if (top == 1) {
				/* once: a second top-level metadata (a
				 * duplicate key) would write the name again,
				 * past what the buffer was sized for */
				if (!meta)
					n += (size_t)sprintf(
					    out + n, "metadata:\n  name: %s\n",
					    name);
				meta = true;
				goto next;
			}
			if (top == 2) {
				spec = true;
				n += (size_t)sprintf(out + n, "spec:\n");
				goto next;
			}
		} else if (top == 1) {
			goto next; /* the new name only */
		} else if (top == 2) {
			if (!spec_node) {
				n += (size_t)sprintf(out + n, "%*snode: %s\n",
				                     ind, "", node);
				spec_node = true;
				spec_ind = ind;
			}
			if (ind == spec_ind && (line_starts(q, l, "node:") ||
			                        line_starts(q, l, "nodeSelector:"))) {
				skip_ind = ind;
				goto next;
			}
		}
		memcpy(out + n, p, (size_t)(l - p));
		n += (size_t)(l - p);
		out[n++] = '\n';
	next:
		p = l < e ? l + 1 : e;
	}
	if (!meta || !spec || !spec_node) {
		free(out);
		return NULL;
	}
	*outlen = n;
	return out;
}
