/*
 * parsers: files become the model.  IOS text (ios.c), Calico YAML
 * (calico.c), Calico selectors (selector.c) and format detection
 * (detect.c).  What the resources mean for each node (its sessions and
 * routes) is resolve/'s job.
 *
 * Every function takes the text already in memory (cli/ reads files), adds
 * what it read to the model, and reports problems to the diagnostic sink
 * passed last.  Return 0, or -1 when the input could not be used at all
 * (an RR_SEV_FATAL diagnostic says why).  No global state.
 */
#ifndef RR_PARSERS_H
#define RR_PARSERS_H

#include "model/model.h"

/* Rule ids the parsers emit (validate/ owns the full table). */
#define RR_RULE_PARSE_WARNING "parse-warning"
#define RR_RULE_CALICO_INVALID "calico-invalid"
#define RR_RULE_AS_INVALID "as-invalid"
#define RR_RULE_SELECTOR_TAG "selector-yaml-tag"
/* A line IOS refuses: the router runs without it, and so does rrkit. */
#define RR_RULE_IOS_INVALID "ios-invalid"

/* ------------------------------------------------------------ detect */

enum parse_format {
	PARSE_FMT_UNKNOWN = 0,
	PARSE_FMT_IOS, /* Cisco IOS / IOS-XE running-config text */
	PARSE_FMT_YAML, /* Kubernetes / Calico YAML (or JSON) manifests */
	PARSE_FMT_BINARY, /* NUL bytes or invalid text: refuse */
};

/* Which format a file is, by content (never by extension). */
enum parse_format parse_detect(const char *text, size_t len);
const char *parse_format_name(enum parse_format f);

/* --------------------------------------------------------------- IOS */

/*
 * Parse one IOS configuration into a new RR_SPK_IOS speaker (named by
 * `hostname`, else by the file's base name).  Unknown lines become
 * RR_RULE_PARSE_WARNING diagnostics and parsing goes on.  Peer-group and
 * template inheritance is resolved into each neighbor (rr_opt.via names the
 * group or template a value came from).
 */
int parse_ios(struct rr_model *m, const char *path, const char *text,
	      size_t len, struct rr_diags *d);

/* ------------------------------------------------------------ Calico */

struct parse_calico_opts {
	/* Documents name resources to delete (the confd corpus DELETE: steps)
	 * instead of creating/replacing them. */
	bool delete_mode;
};

/*
 * Parse Calico / Kubernetes YAML (single documents, multi-document
 * streams, typed *List and v1 List kinds) into m->calico.  A resource of
 * the same kind and name given later replaces the earlier one.  `o` may be
 * NULL.
 */
int parse_calico(struct rr_model *m, const char *path, const char *text,
		 size_t len, const struct parse_calico_opts *o,
		 struct rr_diags *d);

/* ---------------------------------------------------------- selector */

/*
 * Parse a Calico selector.  On error returns -1 and sets *err_msg (static
 * text) and *err_off (0-based byte offset into `text`).  The empty
 * selector parses as all().
 */
int parse_selector(struct rr_arena *a, const char *text,
		   const struct rr_selector **out, const char **err_msg,
		   size_t *err_off);

/* ------------------------------------------------------------ config */

/* .rrkit.yaml (parsers/config.c): per-rule severity, excluded paths, the
 * baseline file, strict.  Strings live in the arena given. */
enum parse_config_sev {
	PARSE_CONFIG_OFF = 1,
	PARSE_CONFIG_WARNING,
	PARSE_CONFIG_ERROR,
};

struct parse_config_rule {
	const char *id; /* as written: the caller checks it exists */
	enum parse_config_sev sev;
	struct rr_loc loc;
};

struct parse_config {
	const char *path;
	struct parse_config_rule *rules;
	size_t nrules, caprules;
	const char **exclude; /* fnmatch(3) patterns */
	size_t nexclude, capexclude;
	const char *baseline; /* as written (relative to the file), or NULL */
	int strict;           /* -1 unset, 0 or 1 */
};

/* Errors are RR_SEV_FATAL diagnostics at their line and column; -1. */
int parse_config(struct rr_arena *a, const char *path, const char *text,
                 size_t len, struct parse_config *out, struct rr_diags *d);

#endif
