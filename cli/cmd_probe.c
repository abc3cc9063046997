/*
 * rrkit probe: one real BGP session to a router.  Connects over TCP
 * (optionally from --source, with a TCP MD5 signature per RFC 2385),
 * sends an OPEN that looks like calico-node's BIRD 1.6 (bgpsim profile)
 * and advertises no routes, reports what came back (the peer's OPEN and
 * whether it reached Established, or its NOTIFICATION, or a refused /
 * closed / timed-out connection), then closes with a Cease NOTIFICATION.
 *
 * The BGP exchange is bgpsim's state machine and codec; this file only
 * moves bytes between it and the socket.  Exit: 0 established, 1 refused
 * by the router (NOTIFICATION, connection refused or closed), 2 usage or
 * network error (including no answer within --timeout).
 */
#include "cli/cli.h"
#include "cli/opts.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bgp/bgp.h"
#include "cli/json.h"

enum probe_result {
	PR_ESTABLISHED = 0,
	PR_NOTIFICATION,
	PR_REFUSED,
	PR_CLOSED,
	PR_TIMEOUT,
	PR_ERROR,
};

static const char *const result_names[] = {
        [PR_ESTABLISHED] = "established", [PR_NOTIFICATION] = "notification",
        [PR_REFUSED] = "refused",         [PR_CLOSED] = "closed",
        [PR_TIMEOUT] = "timeout",         [PR_ERROR] = "error",
};

struct probe_opts {
	uint32_t asn;
	bool have_as;
	struct sockaddr_storage peer, source;
	socklen_t peerlen, sourcelen;
	char peer_text[RR_ADDR_STRLEN + 8];
	uint32_t router_id;
	bool have_id;
	long hold; /* -1: profile default */
	const char *password_file;
	int timeout_ms;
	bool json;
};

struct probe {
	struct probe_opts o;
	int fd;
	struct fsm f;
	enum probe_result result;
	const char *error; /* PR_ERROR: what failed */
	int err_no;
	bool notif_received;
	uint8_t code, subcode;
	struct timespec deadline;
};

static void
probe_usage(FILE *f)
{
	opts_usage(f, opts_command("probe"));
}

/* "IP", "IPv4:PORT", "[IPv6]:PORT" */
static int
parse_peer(const char *s, struct probe_opts *o)
{
	char host[RR_ADDR_STRLEN + 2];
	const char *port = NULL, *colon = strrchr(s, ':');
	struct rr_addr a;
	unsigned long p = BGP_PORT;
	size_t n;

	if (s[0] == '[') {
		const char *end = strchr(s, ']');
		if (!end || (size_t)(end - s - 1) >= sizeof(host))
			return -1;
		n = (size_t)(end - s - 1);
		memcpy(host, s + 1, n);
		host[n] = '\0';
		if (end[1] == ':')
			port = end + 2;
		else if (end[1])
			return -1;
	} else if (colon && strchr(s, ':') == colon) {
		n = (size_t)(colon - s);
		if (n >= sizeof(host))
			return -1;
		memcpy(host, s, n);
		host[n] = '\0';
		port = colon + 1;
	} else {
		if (strlen(s) >= sizeof(host))
			return -1;
		strcpy(host, s);
	}
	if (port) {
		char *end;
		errno = 0;
		p = strtoul(port, &end, 10);
		if (!*port || *end || errno || p == 0 || p > 65535)
			return -1;
	}
	if (rr_addr_parse(host, &a) < 0)
		return -1;
	memset(&o->peer, 0, sizeof(o->peer));
	if (a.af == RR_AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&o->peer;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)p);
		memcpy(&sin->sin_addr, a.b, 4);
		o->peerlen = sizeof(*sin);
		snprintf(o->peer_text, sizeof(o->peer_text), "%s:%lu", host, p);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&o->peer;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)p);
		memcpy(&sin6->sin6_addr, a.b, 16);
		o->peerlen = sizeof(*sin6);
		snprintf(o->peer_text, sizeof(o->peer_text), "[%s]:%lu", host,
		         p);
	}
	return 0;
}

static int
parse_source(const char *s, struct probe_opts *o)
{
	struct rr_addr a;

	if (rr_addr_parse(s, &a) < 0)
		return -1;
	memset(&o->source, 0, sizeof(o->source));
	if (a.af == RR_AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&o->source;
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, a.b, 4);
		o->sourcelen = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&o->source;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, a.b, 16);
		o->sourcelen = sizeof(*sin6);
	}
	return 0;
}

static int
parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (!*s || *end || errno || *out > max || s[0] == '-')
		return -1;
	return 0;
}

static int
parse_args(int argc, char **argv, struct probe_opts *o)
{
	bool have_peer = false;
	unsigned long v;
	const char *why;
	struct rr_addr a;
	struct opts p;
	int c, rc = -1;

	memset(o, 0, sizeof(*o));
	o->hold = -1;
	o->timeout_ms = 10000;
	opts_init(&p, opts_command("probe"), argc, argv);
	while ((c = opts_next(&p)) != OPTS_DONE) {
		switch (c) {
		case 'a':
			if (rr_asn_parse(p.arg, &o->asn, &why) < 0 ||
			    o->asn == 0) {
				cli_error("probe: bad AS number '%s'", p.arg);
				goto out;
			}
			o->have_as = true;
			break;
		case 'p':
			if (parse_peer(p.arg, o) < 0) {
				cli_error("probe: bad peer '%s' (want IP or "
				          "IP:PORT)",
				          p.arg);
				goto out;
			}
			have_peer = true;
			break;
		case 'r':
			if (rr_addr_parse(p.arg, &a) < 0 ||
			    a.af != RR_AF_INET || !rr_addr_v4(&a)) {
				cli_error("probe: bad router id '%s' (want a "
				          "non-zero IPv4 address)",
				          p.arg);
				goto out;
			}
			o->router_id = rr_addr_v4(&a);
			o->have_id = true;
			break;
		case 'H':
			if (parse_uint(p.arg, 65535, &v) < 0) {
				cli_error(
				        "probe: bad hold time '%s' (0..65535)",
				        p.arg);
				goto out;
			}
			o->hold = (long)v;
			break;
		case 's':
			if (parse_source(p.arg, o) < 0) {
				cli_error("probe: bad source address '%s'",
				          p.arg);
				goto out;
			}
			break;
		case 'P':
			o->password_file = p.arg;
			break;
		case 't':
			if (parse_uint(p.arg, 3600, &v) < 0 || v == 0) {
				cli_error("probe: bad timeout '%s' (1..3600 "
				          "seconds)",
				          p.arg);
				goto out;
			}
			o->timeout_ms = (int)v * 1000;
			break;
		case 'f':
			if (strcmp(p.arg, "json") && strcmp(p.arg, "text")) {
				cli_error("probe: unknown format '%s' (text or "
				          "json)",
				          p.arg);
				goto out;
			}
			o->json = !strcmp(p.arg, "json");
			break;
		default: /* OPTS_EXIT: --help (1), or a usage error said */
			rc = p.status == EXIT_CLEAN ? 1 : -2;
			goto out;
		}
	}
	rc = 0;
	if (p.optind < argc) {
		cli_error("probe: unexpected argument '%s'", argv[p.optind]);
		rc = -1;
	}
out:
	opts_release(&p);
	if (rc)
		return rc;
	if (!o->have_as || !have_peer) {
		cli_error("probe: --as and --peer are required");
		return -1;
	}
	if (o->sourcelen && o->source.ss_family != o->peer.ss_family) {
		cli_error("probe: --source and --peer are of different "
		          "address families");
		return -1;
	}
	return 0;
}

/* RFC 2385: the key from the file, trailing newline stripped. */
static int
read_password(const char *path, char *key, size_t cap, size_t *len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		cli_error("probe: cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	n = fread(key, 1, cap, f);
	if (ferror(f) || (n == cap && fgetc(f) != EOF)) {
		cli_error("probe: password in '%s' is longer than %zu bytes",
		          path, cap - 1);
		fclose(f);
		return -1;
	}
	fclose(f);
	while (n && (key[n - 1] == '\n' || key[n - 1] == '\r'))
		n--;
	if (!n) {
		cli_error("probe: password file '%s' is empty", path);
		return -1;
	}
	*len = n;
	return 0;
}

static int
set_md5(int fd, const struct probe_opts *o)
{
	struct tcp_md5sig sig;
	char key[TCP_MD5SIG_MAXKEYLEN + 1];
	size_t n;

	if (read_password(o->password_file, key, sizeof(key), &n) < 0)
		return -1;
	memset(&sig, 0, sizeof(sig));
	memcpy(&sig.tcpm_addr, &o->peer, o->peerlen);
	sig.tcpm_keylen = (uint16_t)n;
	memcpy(sig.tcpm_key, key, n);
	memset(key, 0, sizeof(key));
	if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig)) < 0) {
		cli_error("probe: cannot set the TCP MD5 signature: %s",
		          strerror(errno));
		memset(&sig, 0, sizeof(sig));
		return -1;
	}
	memset(&sig, 0, sizeof(sig));
	return 0;
}

static int
ms_left(const struct probe *p)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (p->deadline.tv_sec - now.tv_sec) * 1000 +
	     (p->deadline.tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms > 3600000 ? 3600000 : (int)ms;
}

/* Non-blocking connect bounded by the deadline: 0, or a result. */
static int
tcp_open(struct probe *p)
{
	int fd, err = 0;
	socklen_t elen = sizeof(err);
	struct pollfd pfd;

	fd = socket(p->o.peer.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		p->error = "socket";
		p->err_no = errno;
		return PR_ERROR;
	}
	p->fd = fd;
	if (p->o.password_file && set_md5(fd, &p->o) < 0)
		return -2;
	if (p->o.sourcelen &&
	    bind(fd, (struct sockaddr *)&p->o.source, p->o.sourcelen) < 0) {
		p->error = "bind to the source address";
		p->err_no = errno;
		return PR_ERROR;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		p->error = "fcntl";
		p->err_no = errno;
		return PR_ERROR;
	}
	if (connect(fd, (struct sockaddr *)&p->o.peer, p->o.peerlen) == 0)
		return 0;
	if (errno != EINPROGRESS)
		goto failed;
	pfd.fd = fd;
	pfd.events = POLLOUT;
	for (;;) {
		int r = poll(&pfd, 1, ms_left(p));
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return PR_TIMEOUT;
		break;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		err = errno;
	if (!err)
		return 0;
	errno = err;
failed:
	if (errno == ECONNREFUSED)
		return PR_REFUSED;
	if (errno == ETIMEDOUT)
		return PR_TIMEOUT;
	p->error = "connect";
	p->err_no = errno;
	return PR_ERROR;
}

static int
write_all(int fd, const uint8_t *b, size_t n)
{
	while (n) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && (errno == EINTR || errno == EAGAIN)) {
			struct pollfd pfd = {fd, POLLOUT, 0};
			(void)poll(&pfd, 1, 1000);
			continue;
		}
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Carry out the machine's actions.  Returns 1 when the probe is over
 * (result set), 0 to go on.  Timers are not run: --timeout bounds the
 * whole exchange and is shorter than any hold time that matters here.
 */
static int
run_actions(struct probe *p, struct fsm_actions *out)
{
	size_t i;
	int done = 0;

	for (i = 0; i < out->n; i++) {
		const struct fsm_action *a = &out->v[i];
		switch (a->kind) {
		case FSM_ACT_SEND:
			if (p->fd >= 0 &&
			    write_all(p->fd, bgp_fsm_action_bytes(out, a),
			              a->len) < 0 &&
			    !done) {
				p->result = PR_CLOSED;
				done = 1;
			}
			break;
		case FSM_ACT_ESTABLISHED:
			if (!done)
				p->result = PR_ESTABLISHED;
			done = 1;
			break;
		case FSM_ACT_DOWN:
			if (done)
				break;
			done = 1;
			if (a->down == FSM_DOWN_NOTIF_RECEIVED ||
			    a->down == FSM_DOWN_NOTIF_SENT ||
			    a->down == FSM_DOWN_FSM_ERROR ||
			    a->down == FSM_DOWN_HOLD_EXPIRED) {
				p->result = PR_NOTIFICATION;
				p->notif_received =
				        a->down == FSM_DOWN_NOTIF_RECEIVED;
				p->code = a->code;
				p->subcode = a->subcode;
			} else {
				p->result = PR_CLOSED;
			}
			break;
		default:
			break;
		}
	}
	return done;
}

/* Read and feed messages until the machine says it is over. */
static void
exchange(struct probe *p)
{
	static uint8_t buf[2 * BGP_EXT_MAX_LEN];
	struct fsm_actions *out = rr_xmalloc(sizeof(*out));
	size_t have = 0;

	out->n = out->used = 0;
	bgp_fsm_event(&p->f, FSM_EV_TCP_CONFIRMED, out);
	if (run_actions(p, out))
		goto done;
	for (;;) {
		struct pollfd pfd = {p->fd, POLLIN, 0};
		struct bgp_error e;
		ssize_t r;
		long m;
		int pr = poll(&pfd, 1, ms_left(p));

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0) {
			p->result = PR_TIMEOUT;
			goto done;
		}
		r = read(p->fd, buf + have, sizeof(buf) - have);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		out->n = out->used = 0;
		if (r <= 0) {
			/* EOF or reset: 8.1.3 TcpConnectionFails */
			bgp_fsm_event(&p->f, FSM_EV_TCP_FAILS, out);
			if (!run_actions(p, out))
				p->result = PR_CLOSED;
			goto done;
		}
		have += (size_t)r;
		while ((m = bgp_msg_frame(buf, have, &p->f.rx, &e)) != 0) {
			size_t len = m < 0 ? have : (size_t)m;
			if (m > 0 && (size_t)m > have)
				break; /* wait for the rest */
			out->n = out->used = 0;
			bgp_fsm_recv(&p->f, buf, len, out);
			if (run_actions(p, out))
				goto done;
			memmove(buf, buf + len, have - len);
			have -= len;
		}
	}
done:
	free(out);
}

/* Close politely: Cease if we got that far, then drain until EOF. */
static void
finish(struct probe *p)
{
	struct fsm_actions *out;
	int i;

	if (p->fd < 0)
		return;
	out = rr_xmalloc(sizeof(*out));
	out->n = out->used = 0;
	if (bgp_fsm_state(&p->f) != FSM_ST_IDLE) {
		bgp_fsm_event(&p->f, FSM_EV_MANUAL_STOP, out);
		for (size_t k = 0; k < out->n; k++)
			if (out->v[k].kind == FSM_ACT_SEND)
				(void)write_all(
				        p->fd,
				        bgp_fsm_action_bytes(out, &out->v[k]),
				        out->v[k].len);
	}
	free(out);
	(void)shutdown(p->fd, SHUT_WR);
	for (i = 0; i < 10; i++) {
		char junk[4096];
		struct pollfd pfd = {p->fd, POLLIN, 0};
		if (poll(&pfd, 1, 100) <= 0 ||
		    read(p->fd, junk, sizeof(junk)) <= 0)
			break;
	}
	close(p->fd);
	p->fd = -1;
}

static uint32_t
default_router_id(const struct probe *p)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (p->o.have_id)
		return p->o.router_id;
	if (p->o.peer.ss_family == AF_INET &&
	    getsockname(p->fd, (struct sockaddr *)&sin, &len) == 0)
		return ntohl(sin.sin_addr.s_addr);
	return 0x01010101; /* IPv6 transport: any non-zero id */
}

static void
id_str(uint32_t id, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", id >> 24, id >> 16 & 255,
	         id >> 8 & 255, id & 255);
}

/* The families both OPENs offer (RFC 4760 8: an OPEN without a
 * Multiprotocol capability offers IPv4 unicast), at most 8; their number */
#define PROBE_MAX_AFS 8
static size_t
common_afs(const struct probe *p, struct bgp_afs v[PROBE_MAX_AFS])
{
	size_t n = bgp_open_afs_common(
	        &p->f.local_open, bgp_fsm_peer_open(&p->f), v, PROBE_MAX_AFS);
	return n < PROBE_MAX_AFS ? n : PROBE_MAX_AFS;
}

static void
report_json(struct strbuf *b, const struct probe *p)
{
	const struct bgp_open *po = bgp_fsm_peer_open(&p->f);
	struct json j;
	char s[320];
	size_t i, k;

	json_init(&j, b, true);
	json_obj(&j);
	json_kstr(&j, "result", result_names[p->result]);
	json_kstr(&j, "peer", p->o.peer_text);
	json_key(&j, "peer_open");
	if (po) {
		json_obj(&j);
		json_ku64(&j, "as", bgp_open_asn(po));
		json_ku64(&j, "hold", po->hold);
		id_str(po->bgp_id, s, sizeof(s));
		json_kstr(&j, "router_id", s);
		json_key(&j, "capabilities");
		json_arr(&j);
		for (i = 0; i < po->nparams; i++)
			for (k = 0; k < po->params[i].ncaps; k++) {
				const struct bgp_cap *c =
				        &po->params[i].caps[k];
				const char *name = bgp_cap_name(c->code);
				const char *full = bgp_cap_str(c, s, sizeof(s));
				json_obj(&j);
				json_ku64(&j, "code", c->code);
				json_kstr(&j, "name", name);
				/* the value text after the name, if any */
				if (name && strlen(full) > strlen(name))
					json_kstr(&j, "value",
					          full + strlen(name) + 1);
				else if (!name)
					json_kstr(&j, "value", full);
				else
					json_knull(&j, "value");
				json_end_obj(&j);
			}
		json_end_arr(&j);
		json_end_obj(&j);
	} else {
		json_null(&j);
	}
	json_key(&j, "notification");
	if (p->result == PR_NOTIFICATION) {
		json_obj(&j);
		json_ku64(&j, "code", p->code);
		json_ku64(&j, "subcode", p->subcode);
		json_kstr(&j, "name",
		          bgp_notif_str(p->code, p->subcode, s, sizeof(s)));
		json_kstr(&j, "direction",
		          p->notif_received ? "received" : "sent");
		json_end_obj(&j);
	} else {
		json_null(&j);
	}
	if (po) {
		struct bgp_afs v[PROBE_MAX_AFS];
		size_t n = common_afs(p, v);
		json_ku64(&j, "negotiated_hold", p->f.hold);
		json_ku64(&j, "negotiated_keepalive", p->f.keepalive);
		json_key(&j, "negotiated_families");
		json_arr(&j);
		for (i = 0; i < n; i++) {
			bgp_afisafi_str(v[i].afi, v[i].safi, s, sizeof(s));
			json_str(&j, s);
		}
		json_end_arr(&j);
	} else {
		json_knull(&j, "negotiated_hold");
		json_knull(&j, "negotiated_keepalive");
		json_knull(&j, "negotiated_families");
	}
	if (p->result == PR_ERROR) {
		snprintf(s, sizeof(s), "%s: %s", p->error, strerror(p->err_no));
		json_kstr(&j, "error", s);
	}
	json_end_obj(&j);
	sb_puts(b, "\n");
}

static void
report_text(struct strbuf *b, const struct probe *p)
{
	const struct bgp_open *po = bgp_fsm_peer_open(&p->f);
	struct bgp_afs v[PROBE_MAX_AFS];
	char s[320], as[RR_ASN_STRLEN];
	size_t i, k, n;

	sb_printf(b, "peer %s: %s", p->o.peer_text, result_names[p->result]);
	if (p->result == PR_NOTIFICATION)
		sb_printf(b, " %s: %s (%u/%u)",
		          p->notif_received ? "received" : "sent",
		          bgp_notif_str(p->code, p->subcode, s, sizeof(s)),
		          p->code, p->subcode);
	if (p->result == PR_ERROR)
		sb_printf(b, ": %s: %s", p->error, strerror(p->err_no));
	sb_puts(b, "\n");
	if (!po)
		return;
	id_str(po->bgp_id, s, sizeof(s));
	sb_printf(b, "  peer OPEN: AS %s, hold %u, router id %s\n",
	          rr_asn_str(bgp_open_asn(po), as), po->hold, s);
	for (i = 0; i < po->nparams; i++)
		for (k = 0; k < po->params[i].ncaps; k++)
			sb_printf(b, "  capability %s\n",
			          bgp_cap_str(&po->params[i].caps[k], s,
			                      sizeof(s)));
	sb_printf(b, "  negotiated hold %u, keepalive %u\n", p->f.hold,
	          p->f.keepalive);
	n = common_afs(p, v);
	for (i = 0; i < n; i++) {
		bgp_afisafi_str(v[i].afi, v[i].safi, s, sizeof(s));
		sb_printf(b, "%s%s%s", i ? ", " : "  negotiated families ", s,
		          i + 1 == n ? "\n" : "");
	}
	if (!n)
		sb_printf(b, "  negotiated families none: the two OPENs share "
		             "no address family (RFC 4760), so the session "
		             "carries no route; most routers refuse it with "
		             "NOTIFICATION 2/7\n");
}

int
cmd_probe(int argc, char **argv)
{
	struct probe p;
	struct fsm_config cfg;
	struct bgp_profile prof = bgp_profile_bird16;
	struct strbuf out;
	int rc;

	memset(&p, 0, sizeof(p));
	p.fd = -1;
	rc = parse_args(argc, argv, &p.o);
	if (rc) { /* 1: --help printed; -2: a usage error printed */
		if (rc == -1)
			probe_usage(stderr);
		return rc > 0 ? EXIT_CLEAN : EXIT_USAGE;
	}
	clock_gettime(CLOCK_MONOTONIC, &p.deadline);
	p.deadline.tv_sec += p.o.timeout_ms / 1000;

	rc = tcp_open(&p);
	if (rc == -2) {
		close(p.fd);
		return EXIT_USAGE;
	}
	/* calico-node's OPEN, dialled at once (no connect delay) */
	prof.connect_delay = 0;
	/* one connection: a failure ends the probe, it never dials again */
	prof.tcp_fail_redial = false;
	memset(&cfg, 0, sizeof(cfg));
	cfg.profile = &prof;
	cfg.local_as = p.o.asn;
	cfg.remote_as = 0; /* report whatever AS the router has */
	cfg.router_id = rc == 0 ? default_router_id(&p) : 1;
	cfg.ipv6 = p.o.peer.ss_family == AF_INET6;
	if (p.o.hold == 0)
		cfg.hold_zero = true;
	else if (p.o.hold > 0)
		cfg.hold = (uint16_t)p.o.hold;
	bgp_fsm_init(&p.f, &cfg);
	if (rc == 0) {
		struct fsm_actions *o = rr_xmalloc(sizeof(*o));
		o->n = o->used = 0;
		/* ManualStart: the connect it asks for is the one made */
		bgp_fsm_event(&p.f, FSM_EV_MANUAL_START, o);
		free(o);
		exchange(&p);
		finish(&p);
	} else {
		p.result = (enum probe_result)rc;
		if (p.fd >= 0)
			close(p.fd);
	}
	sb_init(&out);
	if (p.o.json)
		report_json(&out, &p);
	else
		report_text(&out, &p);
	(void)cli_write_file("-", out.p, out.n);
	sb_release(&out);
	if (p.result == PR_ERROR)
		cli_error("probe: %s %s: %s", p.error, p.o.peer_text,
		          strerror(p.err_no));
	else if (p.result == PR_TIMEOUT)
		cli_error(
		        "probe: no answer from %s within %d s (a TCP MD5 key "
		        "that differs or is missing on one side looks like "
		        "this: the segments are dropped unanswered; so does a "
		        "filter on TCP port 179, or no route back)",
		        p.o.peer_text, p.o.timeout_ms / 1000);
	else if (p.result == PR_REFUSED)
		cli_error(
		        "probe: %s refused the connection (TCP reset): "
		        "nothing listens there, or the router has no neighbor "
		        "for this source address (IOS resets such a "
		        "connection)",
		        p.o.peer_text);
	else if (p.result == PR_CLOSED && !bgp_fsm_peer_open(&p.f))
		cli_error(
		        "probe: %s closed the connection before its OPEN, "
		        "without a NOTIFICATION: it has no neighbor for this "
		        "source address (BIRD, FRR, OpenBGPD and GoBGP close "
		        "such a connection), or holds that neighbor down after "
		        "a recent session or error (BIRD's error wait, "
		        "OpenBGPD's idle hold): try again in a minute, from "
		        "the address the router is configured with (--source)",
		        p.o.peer_text);
	bgp_fsm_release(&p.f);
	switch (p.result) {
	case PR_ESTABLISHED:
		return EXIT_CLEAN;
	case PR_NOTIFICATION:
	case PR_REFUSED:
	case PR_CLOSED:
		return EXIT_FINDINGS;
	default:
		return EXIT_USAGE;
	}
}
