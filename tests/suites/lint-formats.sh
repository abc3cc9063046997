#!/bin/sh
# The CI report formats of `rrkit lint` (cli/report_ci.h, docs/ci.md),
# checked against real validators:
#   junit  xmllint --schema tests/schemas/junit.xsd (libxml2-utils), then
#          counts, unique classname+name pairs, one case per finding
#   sarif  ajv-cli (draft-07, ajv-formats) against the SARIF 2.1.0 schema in
#          tests/schemas/ (npm, installed by tools/npm-deps.sh into
#          BUILD/npm), then ruleIndex, fingerprints, no empty object/array
#   json   the shape of docs/json.md and the summary counts
#   github workflow-command escaping, errors first, 10 per level, the notice
# Part 1 builds a small driver against the report objects of BUILD and feeds
# it awkward findings (quotes, <&>, %, commas, colons, newlines, non-ASCII,
# invalid UTF-8, no location, duplicates, 40 findings for the caps).  Part 2
# runs the real `rrkit lint --format F --output FILE` over samples/seed,
# every samples/broken/* and all of them together.
#   tests/suites/lint-formats.sh BUILD_DIR
# Exit 0 pass, 1 failure, 77 skip (no `rrkit lint` yet, or no validator for
# SARIF: npm offline) with the reason printed.
O=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case "$O" in /*) ;; *) O="$(pwd)/$O" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0 skip_reason=""
ok() { pass=$((pass + 1)); }
bad() { failn=$((failn + 1)); echo "FAIL $*"; }

# --------------------------------------------------------------- validators
xsd="$root/tests/schemas/junit.xsd"
sarif_schema="$root/tests/schemas/sarif-schema-2.1.0.json"
have_xmllint=1
command -v xmllint >/dev/null 2>&1 || { have_xmllint=0; skip_reason="xmllint not installed (Debian libxml2-utils)"; }
command -v python3 >/dev/null 2>&1 || { echo "lint-formats: python3 missing, skipped"; exit 77; }
ajv="" pyjs=""
if "$root/tools/npm-deps.sh" "$O" >"$tmp/npm.log" 2>&1; then
	ajv="$O/npm/node_modules/.bin/ajv"
elif python3 -c 'import jsonschema' 2>/dev/null; then
	# without npm: Debian's python3-jsonschema (tools/deps.sh installs it)
	pyjs=1
	echo "lint-formats: SARIF validated with python3-jsonschema ($(grep '^npm-deps:' "$tmp/npm.log" | tail -1))"
else
	skip_reason="no SARIF schema validator ($(grep '^npm-deps:' "$tmp/npm.log" | tail -1))"
fi

# ---------------------------------------------------------- python checks
cat >"$tmp/check.py" <<'PY'
"""Checks of one rrkit lint report.  Usage:
  check.py json FILE STATUS STRICT      shape, counts, exit status
  check.py junit FILE JSON              counts, unique cases, findings
  check.py sarif FILE JSON              structure beyond the schema
  check.py github FILE JSON             escaping, order, caps, notice
  check.py samefp SARIF1 SARIF2         fingerprints survive moved lines
Prints one line per problem; exit 1 if any."""
import json, re, sys, urllib.parse
import xml.etree.ElementTree as ET
from collections import Counter

import os
RULE_HELP = os.environ.get('RULE_HELP') == '1'  # real rrkit runs: every rule documented
errs = []
def err(m):
    errs.append(m)

def load_json(p):
    with open(p, 'rb') as f:
        return json.loads(f.read().decode('utf-8'))  # strict UTF-8

def path(p):
    while p is not None and p.startswith('./'):
        p = p[2:].lstrip('/')
    return p

LOC = {'file', 'line', 'col'}
def check_loc(where, o):
    if o['file'] is not None and not isinstance(o['file'], str):
        err(f'{where}: file {o["file"]!r}')
    for k in ('line', 'col'):
        v = o[k]
        if v is not None and (not isinstance(v, int) or v < 1):
            err(f'{where}: {k} {v!r}')
    if (o['line'] is None) != (o['col'] is None):
        err(f'{where}: line and col must be null together')
    if o['file'] is None and o['line'] is not None:
        err(f'{where}: a line without a file')

def check_json(p, status, strict):
    d = load_json(p)
    if set(d) not in ({'findings', 'summary', 'verdict'}, {'findings', 'summary'}):
        err(f'top-level keys {sorted(d)}')
        return
    v = d.get('verdict')
    if v is not None and (set(v) != {'sessions_up', 'sessions_expected', 'sessions_not_analysed',
                  'routes_ok', 'routes_expected', 'routes_not_analysed',
                  'mesh_not_analysed', 'ok', 'notes'} or \
            not isinstance(v['ok'], bool) or not isinstance(v['notes'], list) or \
            v['sessions_up'] > v['sessions_expected'] or v['routes_ok'] > v['routes_expected']):
        err(f'verdict {v!r}')
    ne = nw = 0
    for i, f in enumerate(d['findings']):
        w = f'findings[{i}]'
        if set(f) != {'rule', 'severity', 'message', 'sessions', 'routes', 'notes'} | LOC:
            err(f'{w}: keys {sorted(f)}')
            continue
        if not isinstance(f['rule'], str) or not re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*', f['rule']):
            err(f'{w}: rule {f["rule"]!r}')
        if f['severity'] not in ('error', 'warning'):
            err(f'{w}: severity {f["severity"]!r}')
        ne += f['severity'] == 'error'
        nw += f['severity'] == 'warning'
        if not isinstance(f['message'], str):
            err(f'{w}: message')
        check_loc(w, f)
        if not isinstance(f['notes'], list):
            err(f'{w}: notes')
            continue
        for k, n in enumerate(f['notes']):
            if set(n) != {'message'} | LOC:
                err(f'{w}.notes[{k}]: keys {sorted(n)}')
                continue
            check_loc(f'{w}.notes[{k}]', n)
    s = d['summary']
    if not set(s) <= {'errors', 'warnings', 'files', 'dropped'} or \
            not {'errors', 'warnings', 'files'} <= set(s):
        err(f'summary keys {sorted(s)}')
        return
    if (s['errors'], s['warnings']) != (ne, nw):
        err(f'summary says {s["errors"]} errors, {s["warnings"]} warnings; findings have {ne}, {nw}')
    if not isinstance(s['files'], int) or s['files'] < 0:
        err(f'summary files {s["files"]!r}')
    if status is not None:
        want = 1 if ne or (strict and nw) else 0
        if status != want:
            err(f'exit status {status}, want {want} ({ne} errors, {nw} warnings, strict={strict})')

def findings(jp):
    return load_json(jp)['findings']

def check_junit(p, jp):
    fs = findings(jp)
    root = ET.parse(p).getroot()
    if root.tag != 'testsuites':
        err(f'root <{root.tag}>')
        return
    tot = Counter()
    keys = Counter()
    failing = Counter()
    clean = set()
    for ts in root.findall('testsuite'):
        c = Counter()
        for tc in ts.findall('testcase'):
            c['tests'] += 1
            keys[(tc.get('classname'), tc.get('name'))] += 1
            fl, er, sk = tc.findall('failure'), tc.findall('error'), tc.findall('skipped')
            c['failures'] += len(fl)
            c['errors'] += len(er)
            c['skipped'] += len(sk)
            if len(fl) + len(er) + len(sk) > 1:
                err(f'testcase {tc.get("name")!r}: more than one outcome')
            for e in fl + er:
                failing[tc.get('classname')] += 1
                want = ('error', 'warning') if e.tag == 'failure' else ('fatal',)
                if e.get('type') not in want:
                    err(f'<{e.tag} type={e.get("type")!r}>')
                if e.get('message') is None:
                    err(f'<{e.tag}> without message')
                if f'[{tc.get("classname")}]' not in (e.text or ''):
                    err(f'<{e.tag}> text lacks the finding: {e.text!r}')
                if tc.get('line') and not tc.get('file'):
                    err('testcase line without file')
            if not fl and not er:
                clean.add(tc.get('classname'))
            if tc.get('time') != '0':
                err(f'testcase time {tc.get("time")!r}')
        for k in ('tests', 'failures', 'errors', 'skipped'):
            if ts.get(k) != str(c[k]):
                err(f'testsuite {ts.get("name")}: {k}={ts.get(k)}, counted {c[k]}')
        tot += c
        tot['suites'] += 1
    for k in ('tests', 'failures', 'errors', 'skipped'):
        if root.get(k) != str(tot[k]):
            err(f'testsuites: {k}={root.get(k)}, counted {tot[k]}')
    names = [ts.get('name') for ts in root.findall('testsuite')]
    if len(set(names)) != len(names):
        err(f'testsuite names repeat: {names}')
    for k, n in keys.items():
        if n > 1:
            err(f'classname+name {k!r} appears {n} times')
    if failing != Counter(f['rule'] for f in fs):
        err(f'failing cases {dict(failing)} != findings {dict(Counter(f["rule"] for f in fs))}')
    both = clean & set(failing)
    if both:
        err(f'rules both clean and failing: {sorted(both)}')

def walk_empty(o, where, allow):
    if isinstance(o, dict):
        if not o:
            err(f'empty object at {where}')
        for k, v in o.items():
            walk_empty(v, f'{where}.{k}', allow)
    elif isinstance(o, list):
        if not o and where not in allow:
            err(f'empty array at {where}')
        for i, v in enumerate(o):
            walk_empty(v, f'{where}[{i}]', allow)

def check_phys(where, pl):
    al = pl.get('artifactLocation', {})
    uri = al.get('uri', '')
    if uri.startswith('./') or uri.startswith('/'):
        err(f'{where}: uri {uri!r} not relative')
    if not uri.startswith('file://') and al.get('uriBaseId') != '%SRCROOT%':
        err(f'{where}: relative uri without uriBaseId')
    r = pl.get('region')
    if r is not None:
        for k in ('startLine', 'startColumn'):
            if not isinstance(r.get(k), int) or r[k] < 1:
                err(f'{where}: region.{k} {r.get(k)!r}')
    return urllib.parse.unquote(uri[7:] if uri.startswith('file://') else uri), r

def check_sarif(p, jp):
    fs = findings(jp)
    d = load_json(p)
    walk_empty(d, '$', {'$.runs[0].results'})
    if d.get('version') != '2.1.0' or len(d.get('runs', [])) != 1:
        err('version/runs')
        return
    run = d['runs'][0]
    if run.get('columnKind') != 'unicodeCodePoints':
        err(f'columnKind {run.get("columnKind")!r}')
    drv = run['tool']['driver']
    if drv.get('name') != 'rrkit':
        err('driver name')
    rules = drv.get('rules', [])
    ids = [r['id'] for r in rules]
    if ids != sorted(set(ids)):
        err('rule ids not sorted and unique')
    for r in rules:
        if r.get('defaultConfiguration', {}).get('level') not in ('error', 'warning', 'note'):
            err(f'rule {r["id"]}: defaultConfiguration.level')
        if RULE_HELP and not (r.get('fullDescription', {}).get('text') and
                              r.get('help', {}).get('text') and r.get('help', {}).get('markdown')):
            err(f'rule {r["id"]}: no fullDescription or help (GitHub wants both)')
    fps = Counter()
    got = Counter()
    nfix = [0]
    for i, res in enumerate(run['results']):
        w = f'results[{i}]'
        if 'ruleIndex' in res and rules[res['ruleIndex']]['id'] != res['ruleId']:
            err(f'{w}: ruleIndex {res["ruleIndex"]} is not {res["ruleId"]}')
        if res['ruleId'] in ids and 'ruleIndex' not in res:
            err(f'{w}: no ruleIndex')
        if res.get('level') not in ('error', 'warning'):
            err(f'{w}: level {res.get("level")!r}')
        fp = res.get('partialFingerprints', {}).get('rrkit/v2', '')
        if not re.fullmatch(r'[0-9a-f]{16}:[1-9][0-9]*', fp):
            err(f'{w}: fingerprint {fp!r}')
        fps[fp] += 1
        file = line = None
        locs = res.get('locations', [])
        if len(locs) > 1:
            err(f'{w}: {len(locs)} locations')
        for loc in locs:
            file, r = check_phys(w, loc['physicalLocation'])
            line = r and r['startLine']
        for k, fx in enumerate(res.get('fixes', [])):
            try:
                ch = fx['artifactChanges'][0]
                rp = ch['replacements'][0]
                dr = rp['deletedRegion']
                if not (dr['startLine'] >= 1 and dr['endColumn'] >= dr['startColumn'] >= 1 and
                        isinstance(rp['insertedContent']['text'], str) and fx['description']['text']):
                    err(f'{w}.fixes[{k}]: {fx!r}')
                if file is not None and path(urllib.parse.unquote(ch['artifactLocation']['uri'])) != file:
                    pass  # a fix may change another file than the finding's
            except (KeyError, IndexError, TypeError) as e:
                err(f'{w}.fixes[{k}]: {e!r}')
        nfix[0] += len(res.get('fixes', []))
        for k, rl in enumerate(res.get('relatedLocations', [])):
            if rl.get('id') != k or 'message' not in rl:
                err(f'{w}.relatedLocations[{k}]: id/message')
            # GitHub shows a related location only when the message links it
            if f']({k})' not in res['message']['text']:
                err(f'{w}: relatedLocations[{k}] is not referenced from the message')
            check_phys(f'{w}.relatedLocations[{k}]', rl['physicalLocation'])
        got[(res['ruleId'], res['level'], file, line)] += 1
    for fp, n in fps.items():
        if n > 1:
            err(f'fingerprint {fp} on {n} results')
    # a finding without a file is shown at line 1 of an input (GitHub
    # takes no result without a location)
    want = Counter((f['rule'], f['severity'], path(f['file']), f['line']) for f in fs if f['file'])
    nofile = sum(1 for f in fs if not f['file'])
    for k in [k for k in got if k[3] == 1 and (k[0], k[1], None, None) in
              Counter((f['rule'], f['severity'], None, None) for f in fs if not f['file'])]:
        take = min(got[k] - want.get(k, 0), nofile)
        if take > 0:
            got[k] -= take
            got[(k[0], k[1], None, None)] += take
            nofile -= take
    got = +got
    want.update((f['rule'], f['severity'], None, None) for f in fs if not f['file'])
    if got != want:
        err(f'results differ from the json findings: {sorted((got - want).items())[:3]} / {sorted((want - got).items())[:3]}')

PROP = re.compile(r'(?:[^%:,\r\n]|%25|%0D|%0A|%3A|%2C)*')
DATA = re.compile(r'(?:[^%\r\n]|%25|%0D|%0A)*')
def unesc(s):
    return s.replace('%0D', '\r').replace('%0A', '\n').replace('%3A', ':').replace('%2C', ',').replace('%25', '%')

def check_github(p, jp, cap=10):
    fs = findings(jp)
    with open(p, 'rb') as f:
        text = f.read().decode('utf-8')
    if text and not text.endswith('\n'):
        err('no final newline')
    lines = text.split('\n')[:-1] if text else []
    seen = {'error': 0, 'warning': 0, 'notice': 0}
    order = []
    pool = Counter((f['rule'], f['severity'], path(f['file']), f['line'], f['col']) for f in fs)
    msgs = {}
    for f in fs:
        msgs.setdefault((f['rule'], path(f['file']), f['line']), []).append(f['message'])
    notice = None
    for ln in lines:
        m = re.fullmatch(r'::(error|warning|notice)(?: ([^:]*))?::(.*)', ln)
        if not m:
            err(f'not a workflow command: {ln!r}')
            continue
        lvl, props, data = m.groups()
        seen[lvl] += 1
        order.append(lvl)
        if not DATA.fullmatch(data):
            err(f'badly escaped data: {data!r}')
        pr = {}
        for kv in (props or '').split(','):
            k, _, v = kv.partition('=')
            if not PROP.fullmatch(v):
                err(f'badly escaped property {k}: {v!r}')
            pr[k] = unesc(v)
        if lvl == 'notice':
            notice = unesc(data)
            continue
        if set(pr) - {'file', 'line', 'col', 'title'} or 'title' not in pr:
            err(f'properties {sorted(pr)}')
        key = (pr.get('title'), lvl, pr.get('file'),
               int(pr['line']) if 'line' in pr else None,
               int(pr['col']) if 'col' in pr else None)
        if pool[key] <= 0:
            err(f'annotation matches no finding: {key}')
        pool[key] -= 1
        body = unesc(data)
        if not any(body.startswith(mm) for mm in msgs.get((key[0], key[2], key[3]), [])):
            err(f'message {body[:60]!r} is not the finding\'s')
    if order != sorted(order, key=['error', 'warning', 'notice'].index):
        err(f'not most severe first: {order[:30]}')
    total = Counter(f['severity'] for f in fs)
    for lvl in ('error', 'warning'):
        want = min(total[lvl], cap)
        if seen[lvl] != want:
            err(f'{seen[lvl]} ::{lvl} lines, want {want} of {total[lvl]}')
    left = {lvl: total[lvl] - seen[lvl] for lvl in ('error', 'warning')}
    if any(left.values()):
        if seen['notice'] != 1 or notice is None:
            err(f'{left} not annotated but {seen["notice"]} notices')
        else:
            for lvl, n in left.items():
                if n and not re.search(rf'\b{n} more {lvl}s?\b', notice):
                    err(f'notice {notice!r} does not say {n} more {lvl}')
    elif seen['notice']:
        err('a notice with nothing left out')

def identities(junit, sarif):
    """JUnit names and SARIF fingerprints are one identity: per rule, the
    same number of findings and the same occurrence numbers; no name
    carries a line:col."""
    jn = Counter()
    for tc in ET.parse(junit).getroot().iter('testcase'):
        if tc.find('failure') is None and tc.find('error') is None:
            continue
        name = tc.get('name')
        if re.search(r':[0-9]+:[0-9]+\b', name):
            err(f'junit name with a line:col: {name!r}')
        m = re.search(r' \[([0-9]+)\]$', name)
        jn[(tc.get('classname'), int(m.group(1)) if m else 1)] += 1
    sn = Counter()
    for res in load_json(sarif)['runs'][0]['results']:
        fp = res['partialFingerprints']['rrkit/v2']
        sn[(res['ruleId'], int(fp.split(':')[1]))] += 1
    if jn != sn:
        err(f'junit names and sarif fingerprints disagree: {sorted((jn - sn).items())[:3]} / {sorted((sn - jn).items())[:3]}')

def samenames(a, b):
    na = [tc.get('name') for tc in ET.parse(a).getroot().iter('testcase')]
    nb = [tc.get('name') for tc in ET.parse(b).getroot().iter('testcase')]
    if na != nb:
        err('junit names changed when only line numbers did')

def samefp(a, b):
    fa = [r['partialFingerprints'] for r in load_json(a)['runs'][0]['results']]
    fb = [r['partialFingerprints'] for r in load_json(b)['runs'][0]['results']]
    if fa != fb:
        err('fingerprints changed when only line numbers did')

def check_set(d, jp, status, strict):
    """All four formats of DIR/out.* and their shared identity."""
    for m, fn in (('json', lambda: check_json(jp, int(status) if status != '-' else None, strict == '1')),
                  ('junit', lambda: check_junit(f'{d}/out.junit', jp)),
                  ('sarif', lambda: check_sarif(f'{d}/out.sarif', jp)),
                  ('github', lambda: check_github(f'{d}/out.github', jp)),
                  ('identity', lambda: identities(f'{d}/out.junit', f'{d}/out.sarif'))):
        n = len(errs)
        try:
            fn()
        except Exception as e:
            err(f'{type(e).__name__}: {e}')
        errs[n:] = [f'{m}: {x}' for x in errs[n:]]

mode = sys.argv[1]
try:
    if mode == 'sets':  # FILE: one set a line, NAME DIR JSON STATUS STRICT RULE_HELP
        # (tab-separated); one process for all of them.  Prints
        # "FAIL NAME: ..." per problem and the number of sets that passed.
        passed = 0
        for line in open(sys.argv[2], encoding='utf-8'):
            name, d, jp, status, strict, rh = line.rstrip('\n').split('\t')
            RULE_HELP = rh == '1'
            n = len(errs)
            check_set(d, jp, status, strict)
            for x in errs[n:n + 20]:
                print(f'FAIL {name}: {x}')
            passed += len(errs) == n
        print(f'passed {passed}')
        sys.exit(0)
    elif mode == 'json':
        check_json(sys.argv[2], int(sys.argv[3]) if sys.argv[3] != '-' else None, sys.argv[4] == '1')
    elif mode == 'junit':
        check_junit(sys.argv[2], sys.argv[3])
    elif mode == 'sarif':
        check_sarif(sys.argv[2], sys.argv[3])
    elif mode == 'github':
        check_github(sys.argv[2], sys.argv[3])
    elif mode == 'samefp':
        samefp(sys.argv[2], sys.argv[3])
    elif mode == 'samenames':
        samenames(sys.argv[2], sys.argv[3])
except Exception as e:  # a malformed report: say so, do not crash
    err(f'{type(e).__name__}: {e}')
for m in errs[:20]:
    print(f'  {mode}: {m}')
sys.exit(1 if errs else 0)
PY

# check_set NAME JSONFILE STATUS STRICT DIR: the Python checks of
# DIR/out.{json,junit,sarif,github} and the schema validations of the
# junit and sarif files are queued and run in one batch each at the end
# (one Python process, one xmllint, one ajv).
mkdir -p "$tmp/v/junit" "$tmp/v/sarif"
check_set() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$5" "$2" "$3" "$4" "${RULE_HELP:-0}" >>"$tmp/sets"
	cp "$5/out.junit" "$tmp/v/junit/$1.xml"
	cp "$5/out.sarif" "$tmp/v/sarif/$1.json" # ajv-cli picks its parser by extension
}

# validate_queued: xmllint and ajv over everything check_set queued
validate_queued() {
	if [ -s "$tmp/sets" ]; then
		python3 "$tmp/check.py" sets "$tmp/sets" >"$tmp/sets.out" 2>&1
		grep -v '^passed ' "$tmp/sets.out"
		n=$(sed -n 's/^passed //p' "$tmp/sets.out")
		t=$(wc -l <"$tmp/sets")
		if [ -n "$n" ]; then
			pass=$((pass + n)); [ "$n" = "$t" ] || failn=$((failn + t - n))
		else
			bad "check.py sets did not run"
		fi
	fi
	set -- "$tmp"/v/junit/*.xml
	if [ $have_xmllint = 1 ] && [ -f "$1" ]; then
		xmllint --noout --schema "$xsd" "$@" >"$tmp/xmllint.out" 2>&1
		for f in "$@"; do
			if grep -qxF "$f validates" "$tmp/xmllint.out"; then ok; else
				bad "$(basename "$f" .xml): junit does not validate against tests/schemas/junit.xsd"
				grep -F "$f:" "$tmp/xmllint.out" | head -5
			fi
		done
	fi
	set -- "$tmp"/v/sarif/*.json
	if [ -n "$pyjs" ] && [ -f "$1" ]; then
		for f in "$@"; do
			if python3 - "$sarif_schema" "$f" <<'PYJS' >"$tmp/pyjs.out" 2>&1; then ok; else
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
v = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
for e in errs[:5]:
    print(list(e.path), e.message)
sys.exit(1 if errs else 0)
PYJS
				bad "$(basename "$f" .json): sarif does not validate against the SARIF 2.1.0 schema"
				head -c 1500 "$tmp/pyjs.out"; echo
			fi
		done
	fi
	if [ -n "$ajv" ] && [ -f "$1" ]; then
		args=""
		for f in "$@"; do args="$args -d $f"; done
		# shellcheck disable=SC2086
		"$ajv" validate --spec=draft7 -c ajv-formats --errors=text \
			-s "$sarif_schema" $args >"$tmp/ajv.out" 2>&1
		for f in "$@"; do
			if grep -qxF "$f valid" "$tmp/ajv.out"; then ok; else
				bad "$(basename "$f" .json): sarif does not validate against the SARIF 2.1.0 schema"
				grep -A3 -F "$f invalid" "$tmp/ajv.out" | head -c 1500; echo
			fi
		done
	fi
}

# ----------------------------------------------- part 1: the report driver
cat >"$tmp/drv.c" <<'C'
/* Awkward findings through cli/report_ci.h.
 * drv FORMAT [bulk=N] [shift=N] [uris] [clean] */
#include "cli/report_ci.h"

#include <stdlib.h>
#include <string.h>

static const struct report_rule rules[] = {
	{ "as-mismatch", "as", RR_SEV_ERROR, "remote-as differs", true, false },
	{ "calico-invalid", "calico", RR_SEV_ERROR, "Calico would reject it", true, false },
	{ "cluster-id-missing", "rr", RR_SEV_WARNING, "no cluster-id", true, false },
	{ "mesh-not-disabled", "topology", RR_SEV_WARNING, "mesh on", false, false },
	{ "node-isolated", "topology", RR_SEV_ERROR, "no session", true, false },
	{ "parse-warning", "input", RR_SEV_WARNING, "skipped a line", true, false },
	{ "pool-overlap", "pool", RR_SEV_ERROR, "pools overlap", true, false },
};

int
main(int argc, char **argv)
{
	struct rr_diags d;
	struct report_ctx c;
	struct rr_diag *g;
	unsigned sh = 0, bulk = 0, i;
	bool uris = false, clean = false;
	int rc;

	for (i = 2; i < (unsigned)argc; i++) {
		if (!strncmp(argv[i], "bulk=", 5))
			bulk = (unsigned)atoi(argv[i] + 5);
		else if (!strncmp(argv[i], "shift=", 6))
			sh = (unsigned)atoi(argv[i] + 6);
		else if (!strcmp(argv[i], "uris"))
			uris = true;
		else if (!strcmp(argv[i], "clean"))
			clean = true;
	}
	struct rr_loc a = { "router/rr1.ios", 42 + sh, 2 };
	struct rr_loc b = { "./calico/nodes.yaml", 7 + sh, 11 };
	struct rr_loc u = { "dir with space/\xc3\xbc%#?:,.yaml", 3 + sh, 0 };
	struct rr_loc fo = { "only-file.yaml", 0, 0 };
	struct rr_loc ab = { "/abs/path.ios", 9 + sh, 4 };

	rr_diags_init(&d);
	if (!clean) {
		g = rr_diag_add(&d, RR_SEV_ERROR, "as-mismatch", &a,
				"neighbor 192.168.1.10 remote-as 64513, but "
				"node 'node-a' has AS 64512");
		rr_diag_note(&d, g, &b, "node 'node-a' AS 64512 is set here");
		{
			struct rr_loc tok = { "router/rr1.ios", 42 + sh, 34 };
			rr_diag_fix(&d, g, &tok, 5, "64512",
			            "set remote-as to 64512");
		}
		rr_diag_note(&d, g, NULL, "a note without location, 50%% sure");
		rr_diag_add(&d, RR_SEV_WARNING, "cluster-id-missing", &a,
			    "quotes \"x\" 'y' <tag> & amp; %% 100%%25, "
			    "comma, colon: semi; tab\there ::error::x");
		g = rr_diag_add(&d, RR_SEV_ERROR, "calico-invalid", &u,
				"multi\nline\r\nnon-ASCII Z\xc3\xbcrich "
				"\xe2\x9c\x93 \xf0\x9d\x84\x9e ctl \x01\x1b[31m "
				"bad \xff\xc3( \xed\xa0\x80 \xef\xbf\xbe end");
		rr_diag_note(&d, g, &fo, "a note with a file only");
		rr_diag_add(&d, RR_SEV_ERROR, "node-isolated", NULL,
			    "finding without any location");
		rr_diag_add(&d, RR_SEV_WARNING, "parse-warning", &fo,
			    "file-level warning");
		rr_diag_add(&d, RR_SEV_FATAL, "calico-invalid", &ab,
			    "fatal finding at an absolute path");
		rr_diag_add(&d, RR_SEV_ERROR, "as-mismatch", &b, "same message");
		rr_diag_add(&d, RR_SEV_ERROR, "as-mismatch", &b, "same message");
		rr_diag_add(&d, RR_SEV_ERROR, "as-mismatch", &b,
			    "same message\nwith a second line");
		rr_diag_add(&d, RR_SEV_WARNING, "parse-warning", NULL, "%s", "");
		rr_diag_add(&d, RR_SEV_WARNING, "not-in-table", &a,
			    "a rule id the table does not list");
		/* not findings: ignored */
		rr_diag_add(&d, RR_SEV_NOTE, "as-mismatch", &a, "a note");
		rr_diag_add(&d, RR_SEV_ERROR, NULL, &a, "no rule id");
	}
	for (i = 0; i < bulk; i++) {
		struct rr_loc l = { "bulk.yaml", 100 + i + sh, 1 };
		rr_diag_add(&d, i % 3 ? RR_SEV_WARNING : RR_SEV_ERROR,
			    i % 3 ? "cluster-id-missing" : "node-isolated", &l,
			    "bulk finding %u", i);
	}
	memset(&c, 0, sizeof(c));
	c.d = &d;
	c.rules = rules;
	c.nrules = sizeof(rules) / sizeof(rules[0]);
	c.nfiles = 3;
	c.version = "0.1.0";
	if (uris) {
		c.information_uri = "https://example.org/rrkit";
		c.rules_uri = "https://example.org/rrkit/docs/rules.md";
	}
	if (!strcmp(argv[1], "json"))
		rc = report_json(stdout, &c);
	else if (!strcmp(argv[1], "junit"))
		rc = report_junit(stdout, &c);
	else if (!strcmp(argv[1], "github"))
		rc = report_github(stdout, &c);
	else
		rc = report_sarif(stdout, &c);
	rr_diags_release(&d);
	return rc ? 3 : 0;
}
C

# build_driver VARIANT_DIR OUT [extra cflags]
build_driver() {
	bd=$1 out=$2
	shift 2
	objs=""
	for o in report report_ci report_json report_junit report_github report_sarif json; do
		[ -f "$bd/cli/$o.o" ] || return 1
		objs="$objs $bd/cli/$o.o"
	done
	[ -f "$bd/gen/rules_doc.o" ] || return 1
	objs="$objs $bd/gen/rules_doc.o"
	[ -f "$bd/librrkit.a" ] || return 1
	# shellcheck disable=SC2046,SC2086
	${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror \
		-I"$root" $(pkg-config --cflags libxml-2.0) "$@" -o "$out" "$tmp/drv.c" \
		$objs "$bd/librrkit.a" $(pkg-config --libs libxml-2.0) 2>"$tmp/cc.err"
}

# driver_case NAME DRIVER ARGS...: run every format, check them all
driver_case() {
	name=$1 drv=$2
	shift 2
	d="$tmp/$name"
	mkdir -p "$d"
	for f in json junit sarif github; do
		if ! "$drv" $f "$@" >"$d/out.$f" 2>"$d/err.$f" || [ -s "$d/err.$f" ]; then
			bad "$name: driver $f failed"
			head -5 "$d/err.$f"
		fi
	done
	check_set "$name" "$d/out.json" - 0 "$d"
}

drivers=""
if build_driver "$O" "$tmp/drv"; then
	drivers="$tmp/drv"
else
	echo "lint-formats: report driver not built ($(head -1 "$tmp/cc.err" 2>/dev/null || echo "objects missing in $O/cli"))"
	bad "driver: cannot build against $O"
fi
if [ -f "$O/asan/cli/report_ci.o" ]; then
	if build_driver "$O/asan" "$tmp/drv-asan" -fsanitize=address,undefined \
		-fno-sanitize-recover=all; then
		drivers="$drivers $tmp/drv-asan"
	else
		bad "driver: cannot build against $O/asan"; head -3 "$tmp/cc.err"
	fi
fi
for drv in $drivers; do
	v=$(basename "$drv")
	driver_case "$v-awkward" "$drv"
	driver_case "$v-awkward-uris" "$drv" uris
	driver_case "$v-bulk" "$drv" bulk=40
	driver_case "$v-clean" "$drv" clean
done

if [ -x "$tmp/drv" ]; then
	d="$tmp/drv-awkward"
	# exact escaping (actions/toolkit core/command.ts)
	want='::error file=dir with space/ü%25#?%3A%2C.yaml,line=3,col=1,title=calico-invalid::multi%0Aline%0D%0Anon-ASCII Zürich ✓ 𝄞 ctl ��[31m bad ��( ��� ��� end%0Aonly-file.yaml: note: a note with a file only'
	if grep -qxF "$want" "$d/out.github"; then ok; else
		bad "github escaping: no line"; echo "  want: $want"; grep -F 'dir with' "$d/out.github"
	fi
	want='::warning file=router/rr1.ios,line=42,col=2,title=cluster-id-missing::quotes "x" '"'y'"' <tag> & amp; %25 100%2525, comma, colon: semi; tab	here ::error::x'
	if grep -qxF "$want" "$d/out.github"; then ok; else bad "github data escaping"; grep -F quotes "$d/out.github"; fi
	if grep -qxF '::error title=node-isolated::finding without any location' "$d/out.github"; then ok; else bad "github: finding without location"; fi
	# the clean rule is one passing case, the disabled one is skipped
	if grep -q '<testcase classname="pool-overlap" name="pools overlap" time="0"/>' "$d/out.junit" &&
		grep -A1 'classname="mesh-not-disabled"' "$d/out.junit" | grep -q '<skipped'; then ok; else
		bad "junit: passing/skipped cases"; grep -E 'pool-overlap|mesh-not' "$d/out.junit"
	fi
	# fingerprints do not depend on line numbers
	"$tmp/drv" sarif shift=5 >"$d/shifted.sarif"
	if python3 "$tmp/check.py" samefp "$d/out.sarif" "$d/shifted.sarif"; then ok; else bad "sarif fingerprints move with lines"; fi
	"$tmp/drv" junit shift=5 >"$d/shifted.junit"
	if python3 "$tmp/check.py" samenames "$d/out.junit" "$d/shifted.junit"; then ok; else bad "junit names move with lines"; fi
	# the mechanical fix of the as-mismatch finding
	if python3 -c 'import json,sys
r = [x for x in json.load(open(sys.argv[1]))["runs"][0]["results"] if x["ruleId"] == "as-mismatch" and x.get("fixes")]
f = r[0]["fixes"][0]
rp = f["artifactChanges"][0]["replacements"][0]
assert len(r) == 1 and f["description"]["text"] == "set remote-as to 64512"
assert f["artifactChanges"][0]["artifactLocation"]["uri"] == "router/rr1.ios"
assert rp["deletedRegion"] == {"startLine": 42, "startColumn": 34, "endColumn": 39}
assert rp["insertedContent"]["text"] == "64512"' "$d/out.sarif"; then ok; else bad "sarif fixes"; fi
	if grep -q '"helpUri": "https://example.org/rrkit/docs/rules.md#as-mismatch"' "$tmp/drv-awkward-uris/out.sarif" &&
		! grep -q helpUri "$d/out.sarif"; then ok; else bad "sarif helpUri"; fi
	# an unwritable stream is an I/O error, not a crash
	for f in json junit sarif github; do
		if [ -w /dev/full ]; then
			"$tmp/drv" $f >/dev/full 2>/dev/null
			if [ $? = 3 ]; then ok; else bad "$f: write error to /dev/full not reported"; fi
		fi
	done
fi

# ----------------------------------------------- part 2: rrkit lint itself
rrkit="$O/rrkit"
lint_missing=""
if [ ! -x "$rrkit" ]; then
	lint_missing="$rrkit not built"
else
	"$rrkit" lint --format json --output "$tmp/probe.json" "$root/samples/seed" >"$tmp/probe.out" 2>&1
	st=$?
	if [ ! -f "$tmp/probe.json" ] && grep -q 'not an rrkit command' "$tmp/probe.out"; then
		lint_missing="'rrkit lint' does not exist yet"
	fi
fi

# lint_case NAME [--strict] INPUT...
lint_case() {
	name=$1
	shift
	strict=0
	[ "$1" = "--strict" ] && strict=1
	d="$tmp/lint-$name"
	mkdir -p "$d"
	sts=""
	for f in json junit sarif github; do
		(cd "$root" && NO_COLOR=1 timeout 60 "$rrkit" lint --format $f --output "$d/out.$f" "$@" \
			>"$d/stdout.$f" 2>"$d/stderr.$f" </dev/null)
		st=$?
		sts="$sts $st"
		if [ ! -f "$d/out.$f" ]; then
			bad "$name: --format $f wrote no $d/out.$f (exit $st)"; head -3 "$d/stderr.$f"
			return
		fi
		if [ -s "$d/stdout.$f" ]; then bad "$name: --format $f --output also wrote to stdout"; fi
		if grep -q Sanitizer "$d/stderr.$f"; then bad "$name: sanitizer report"; fi
	done
	# shellcheck disable=SC2086
	set -- $sts
	if [ "$1" = "$2" ] && [ "$1" = "$3" ] && [ "$1" = "$4" ]; then ok; else
		bad "$name: exit status depends on the format:$sts"
	fi
	RULE_HELP=1 check_set "$name" "$d/out.json" "$1" $strict "$d"
}

if [ -z "$lint_missing" ]; then
	cd "$root" || exit 2
	lint_case seed samples/seed
	if python3 -c 'import json,sys; sys.exit(len(json.load(open(sys.argv[1]))["findings"]) != 0)' \
		"$tmp/lint-seed/out.json"; then ok; else bad "samples/seed is not clean"; fi
	all=""
	for dir in samples/broken/*/; do
		[ -d "$dir" ] || continue
		id=$(basename "$dir")
		lint_case "broken-$id" "$dir"
		all="$all $dir"
	done
	if [ -n "$all" ]; then
		# shellcheck disable=SC2086
		lint_case broken-all $all
		# shellcheck disable=SC2086
		lint_case broken-all-strict --strict $all
		if [ -x "$O/asan/rrkit" ]; then
			rrkit="$O/asan/rrkit"
			# shellcheck disable=SC2086
			lint_case asan-broken-all $all
			rrkit="$O/rrkit"
		fi
	fi
	# a copy of the seed with a name that needs escaping everywhere
	mkdir -p "$tmp/odd dir, with: %"
	sed 's/^ bgp log-neighbor-changes/ bgp log-neighbour-changes/' samples/seed/router.ios \
		>"$tmp/odd dir, with: %/rr ü.ios"
	cp samples/seed/calico.yaml "$tmp/odd dir, with: %/calico.yaml"
	lint_case odd-paths "$tmp/odd dir, with: %"
	# the real reports keep their identities when lines move: comments
	# added at the top of every input move every finding, the SARIF
	# fingerprints and the JUnit names stay
	for v in a b; do
		for s in as-mismatch pool-overlap cluster-id-shared; do
			mkdir -p "$tmp/move-$v/$s"
			for f in samples/broken/$s/*; do
				g="$tmp/move-$v/$s/$(basename "$f")"
				if [ $v = b ]; then
					case $f in *.ios) printf '!\n! moved\n!\n' ;; *) printf '# moved\n#\n#\n' ;; esac >"$g"
				fi
				cat "$f" >>"$g"
			done
		done
		(cd "$tmp/move-$v" && "$rrkit" lint --format sarif="$tmp/move-$v.sarif" \
			--format junit="$tmp/move-$v.junit" --format json="$tmp/move-$v.json" . >/dev/null 2>&1)
	done
	if python3 -c 'import json, sys
a, b = (json.load(open(f))["findings"] for f in sys.argv[1:])
assert len(a) == len(b) > 3, (len(a), len(b))
assert all(x["line"] + 3 == y["line"] for x, y in zip(a, b) if x["line"]), "lines did not move"' \
		"$tmp/move-a.json" "$tmp/move-b.json" &&
		python3 "$tmp/check.py" samefp "$tmp/move-a.sarif" "$tmp/move-b.sarif" &&
		python3 "$tmp/check.py" samenames "$tmp/move-a.junit" "$tmp/move-b.junit"; then ok; else
		bad "lint identities of real reports move with lines"
	fi
fi

validate_queued

# Microsoft's SARIF Multitool with GitHub's ingestion rules (GH1xxx/GH2xxx)
# and its SARIF best-practice rules over every report of `rrkit lint`:
# no error and no warning (npm @microsoft/sarif-multitool, a .NET build)
if "$root/tools/npm-deps.sh" "$O" multitool >"$tmp/npm-mt.log" 2>&1; then
	mt="$O/npm-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
	set --
	for f in "$tmp"/v/sarif/broken-*.json "$tmp"/v/sarif/seed.json "$tmp"/v/sarif/odd-paths.json; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
	n=$#
	if [ $n -gt 0 ] && DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 timeout 300 "$mt" validate \
		--rule-kind "Gh;Sarif" -o "$tmp/mt.sarif" "$@" >"$tmp/mt.out" 2>&1; then
		if grep -E ': (error|warning) [A-Z]+[0-9]+:' "$tmp/mt.out" >"$tmp/mt.bad"; then
			bad "sarif-multitool (GitHub rules): $(wc -l <"$tmp/mt.bad") problems"
			sed 's|.*/||' "$tmp/mt.bad" | head -10
		else
			ok
			echo "lint-formats: SARIF Multitool 5.7.0, GitHub rules: $n reports clean"
		fi
	else
		bad "sarif-multitool did not run"; tail -5 "$tmp/mt.out"
	fi
else
	echo "lint-formats: SARIF Multitool not installed ($(tail -1 "$tmp/npm-mt.log")): GitHub rules not checked"
fi
echo "lint-formats: $pass passed, $failn failed"
[ $failn = 0 ] || exit 1
if [ -n "$lint_missing" ]; then
	echo "lint-formats: skipped the rrkit lint part: $lint_missing"
	exit 77
fi
if [ -n "$skip_reason" ]; then
	echo "lint-formats: skipped some validation: $skip_reason"
	exit 77
fi
exit 0
