#!/bin/sh
# The CI templates of docs/ci/ work as pasted:
#   github-actions.yml  validated against the workflow schema
#                       (@action-validator/cli); its run: steps are run in
#                       order by bash as the runner runs them (-eo
#                       pipefail, GITHUB_STEP_SUMMARY, if: always(),
#                       hashFiles) on a clean and on a broken repository;
#                       the file the upload step names is validated
#                       against the SARIF schema and, where installed,
#                       Microsoft's SARIF Multitool with GitHub's rules
#   gitlab-ci.yml       run by gitlab-ci-local (GitLab's CI schema, the
#                       shell executor, artifacts when: always); the job's
#                       status, and its JUnit report against the XSD
# The "install rrkit" step needs the network and sudo: not run; rrkit
# under test is put on PATH instead.
#   tests/suites/ci-templates.sh BUILD_DIR
# Exit 77 (skip, reason printed) without npm or python3-yaml.
O=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case "$O" in /*) ;; *) O="$(pwd)/$O" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0
ok() { pass=$((pass + 1)); }
bad() { failn=$((failn + 1)); echo "FAIL $*"; }

python3 -c 'import yaml' 2>/dev/null || { echo "ci-templates: python3-yaml missing, skipped"; exit 77; }
if ! "$root/tools/npm-deps.sh" "$O" ci >"$tmp/npm.log" 2>&1; then
	echo "ci-templates: skipped: $(tail -1 "$tmp/npm.log")"
	exit 77
fi
"$root/tools/npm-deps.sh" "$O" >/dev/null 2>&1 && ajv="$O/npm/node_modules/.bin/ajv"
mt="$O/npm-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
[ -x "$mt" ] || "$root/tools/npm-deps.sh" "$O" multitool >/dev/null 2>&1 || mt=""
bin="$tmp/bin"
mkdir -p "$bin"
ln -s "$O/rrkit" "$bin/rrkit"
export PATH="$bin:$PATH"

# repo NAME SAMPLE: a git repository with the sample's files in router/
# and calico/, the inputs changed since origin/main (GitLab's rules:changes)
repo() {
	d="$tmp/$1"
	mkdir -p "$d"
	(cd "$d" && git init -q -b main && git config user.email ci@example.org &&
		git config user.name ci && git remote add origin https://gitlab.example/ops/net.git &&
		echo net >README && git add README && git commit -qm base &&
		git update-ref refs/remotes/origin/main HEAD &&
		mkdir router calico && cp "$root/samples/$2"/*.ios router/ &&
		cp "$root/samples/$2"/*.yaml calico/ && git add -A && git commit -qm inputs) ||
		bad "$1: cannot make the repository"
}

validate_sarif() { # NAME FILE
	if [ -n "$ajv" ]; then
		cp "$2" "$tmp/v.json" # ajv-cli picks its parser by the extension
		if "$ajv" validate --spec=draft7 -c ajv-formats -s "$root/tests/schemas/sarif-schema-2.1.0.json" \
			-d "$tmp/v.json" >"$tmp/ajv.out" 2>&1; then ok; else bad "$1: SARIF schema"; tail -3 "$tmp/ajv.out"; fi
	fi
	if [ -n "$mt" ]; then
		rm -f "$tmp/mt.sarif"
		DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 timeout 300 "$mt" validate --rule-kind "Gh;Sarif" \
			-o "$tmp/mt.sarif" "$2" >"$tmp/mt.out" 2>&1
		if grep -qE ': (error|warning) [A-Z]+[0-9]+:' "$tmp/mt.out"; then
			bad "$1: SARIF Multitool (GitHub rules)"; grep -E ': (error|warning) ' "$tmp/mt.out" | head -3
		else ok; fi
	fi
}

# ------------------------------------------------------ GitHub Actions
wf="$root/docs/ci/github-actions.yml"
if "$O/npm-ci/node_modules/.bin/action-validator" "$wf" >"$tmp/av.out" 2>&1; then ok; else
	bad "github-actions.yml: workflow schema"; cat "$tmp/av.out"
fi
cat >"$tmp/gha.py" <<'PY'
"""Run a workflow's run: steps as the runner does: bash -eo pipefail per
step, a failed step fails the job and later steps run only with
always() in their if:.  The uses: steps are checked, not run: the SARIF
upload's file must exist.  Prints one line per step; exit 1 when the job
fails.  Usage: gha.py WORKFLOW JOB WORKDIR SKIP_STEP_NAME"""
import os, re, subprocess, sys, yaml
wf, job, wd, skip = sys.argv[1:5]
steps = yaml.safe_load(open(wf))['jobs'][job]['steps']
failed = False
def cond(step):
    c = str(step.get('if', 'success()'))
    def hashfiles(m):
        return "'x'" if os.path.exists(os.path.join(wd, m.group(1))) else "''"
    c = re.sub(r"hashFiles\('([^']*)'\)", hashfiles, c)
    c = c.replace('always()', 'True').replace('success()', str(not failed))
    c = c.replace('&&', ' and ').replace('||', ' or ')
    return eval(c, {'__builtins__': {}}, {'True': True, 'False': False})
for s in steps:
    name = s.get('name') or s.get('uses')
    if name == skip:
        print(f'skip  {name}')
        continue
    if not cond(s):
        print(f'not run  {name}')
        continue
    if 'uses' in s:
        if s['uses'].startswith('github/codeql-action/upload-sarif'):
            f = os.path.join(wd, s['with']['sarif_file'])
            print(f'upload  {f}' if os.path.exists(f) else f'upload  MISSING {f}')
            failed |= not os.path.exists(f)
        else:
            print(f'uses  {name}')
        continue
    r = subprocess.run(['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', s['run']],
                       cwd=wd, capture_output=True, text=True,
                       env={**os.environ, **{k: str(v) for k, v in (s.get('env') or {}).items()}})
    open(os.path.join(os.environ['OUT'], re.sub(r'\W+', '_', name) + '.out'), 'w').write(r.stdout + r.stderr)
    print(f'run  {name}: exit {r.returncode}')
    failed |= r.returncode != 0
sys.exit(1 if failed else 0)
PY
# gha CASE SAMPLE WANT_STATUS
gha() {
	repo "gh-$1" "$2"
	d="$tmp/gh-$1"
	mkdir -p "$tmp/out-$1"
	: >"$tmp/summary-$1"
	OUT="$tmp/out-$1" GITHUB_STEP_SUMMARY="$tmp/summary-$1" \
		python3 "$tmp/gha.py" "$wf" lint "$d" "install rrkit" >"$tmp/gha-$1.log" 2>&1
	st=$?
	if [ $st = "$3" ]; then ok; else bad "github $1: job status $st, want $3"; cat "$tmp/gha-$1.log"; fi
	if grep -q '^upload  /' "$tmp/gha-$1.log"; then ok; else bad "github $1: no SARIF upload"; cat "$tmp/gha-$1.log"; fi
	if grep -q '^```$' "$tmp/summary-$1" && grep -q 'sessions up' "$tmp/summary-$1"; then ok; else
		bad "github $1: step summary"; cat "$tmp/summary-$1"
	fi
	[ -f "$d/rrkit.sarif" ] && validate_sarif "github $1" "$d/rrkit.sarif"
}
gha clean seed 0
gha broken broken/as-mismatch 1
# the annotation GitHub shows on the pull request, from the lint step's log
if grep -q '^::error file=router/router.ios,line=33,col=34,title=as-mismatch::' "$tmp/out-broken/rrkit_lint.out"; then ok; else
	bad "github broken: no ::error annotation"; head -3 "$tmp/out-broken/rrkit_lint.out"
fi
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$tmp/gh-broken/rrkit.sarif")
if [ "$n" = 1 ]; then ok; else bad "github broken: $n SARIF results, want 1"; fi

# ------------------------------------------------------------ GitLab
glci="$O/npm-ci/node_modules/.bin/gitlab-ci-local"
# glab CASE SAMPLE WANT_STATUS
glab() {
	repo "gl-$1" "$2"
	d="$tmp/gl-$1"
	cp "$root/docs/ci/gitlab-ci.yml" "$d/.gitlab-ci.yml"
	(cd "$d" && git add .gitlab-ci.yml && git commit -qm ci &&
		timeout 300 "$glci" rrkit-lint >"$tmp/gl-$1.log" 2>&1)
	st=$?
	if [ $st = "$3" ]; then ok; else bad "gitlab $1: gitlab-ci-local status $st, want $3"; tail -15 "$tmp/gl-$1.log"; fi
	if grep -q 'json schema validated' "$tmp/gl-$1.log"; then ok; else bad "gitlab $1: not schema-validated"; fi
	a="$d/.gitlab-ci-local/artifacts/rrkit-lint"
	if [ -f "$a/rrkit-junit.xml" ] && [ -f "$a/rrkit.sarif" ]; then ok; else
		bad "gitlab $1: artifacts not exported (when: always)"; ls -R "$d/.gitlab-ci-local" | head; return
	fi
	if command -v xmllint >/dev/null 2>&1; then
		if xmllint --noout --schema "$root/tests/schemas/junit.xsd" "$a/rrkit-junit.xml" 2>"$tmp/x.out"; then ok; else
			bad "gitlab $1: JUnit against the XSD"; head -3 "$tmp/x.out"
		fi
	fi
	validate_sarif "gitlab $1" "$a/rrkit.sarif"
}
glab clean seed 0
glab broken broken/as-mismatch 1
if grep -q 'classname="as-mismatch" name="router/router.ios: neighbor 192.168.1.11' \
	"$tmp/gl-broken/.gitlab-ci-local/artifacts/rrkit-lint/rrkit-junit.xml"; then ok; else
	bad "gitlab broken: the failing test case"
fi

echo "ci-templates: $pass passed, $failn failed"
[ $failn = 0 ]
