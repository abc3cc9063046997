#!/usr/bin/env python3
"""lint/sim agreement on generated designs with real misconfigurations.

For every family of designs (families.py) and every applicable entry of the
catalogue of misconfigurations (mutations.py), for K seeds each, build the
files, run `rrkit lint --format json` and `rrkit sim --format json` on them
and check that the two tell one story:

  1. lint has an error iff sim's verdict is not ok (exit statuses 1 / 1,
     0 / 0; an input both refuse -- sim exit 2 with a lint error -- agrees);
  2. when sim's verdict carries causes (docs/json.md): none is marked
     unexplained and they account for every missing session and route; and
     once any cause in the run carries a rule id (the analysis wired into
     sim), every cause has one and a lint finding has the same rule id at
     the same file and line.

Then every design sample (samples/<design>/, not broken/ or gen/) must
lint clean (`lint --strict`: no finding) and sim must say ok.

Prints one diagnosis per disagreeing case (case id, seed, what differs,
the command that reproduces it) and `lint/sim agreement: N/M`.  Cases
listed in known-limits.txt (a glob over case ids, a kind, a note) are
reported apart; every other disagreement fails the run (exit 1; 2 on a
usage error or when rrkit cannot be run).

  run.py [--rrkit PATH] [--seed N] [--per K] [--jobs J] [--strict]
         [--family GLOB] [--mutation GLOB] [--case ID] [--keep DIR]
         [--every K] [--list] [--expect] [--quiet] [--frr]

--case ID builds one case (FAMILY/MUTATION/K) and, with --keep DIR,
leaves its files there; --strict fails on known limits too; --expect
also compares sim with the catalogue's expectation (informational);
--list prints the cases without running them; --every K runs every K-th
case only (the sanitizer build in `make check`); --frr with --keep also
writes each router's FRR translation under .frr/ (tests/interop).
"""
import argparse
import concurrent.futures
import fnmatch
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from families import FAMILIES  # noqa: E402
from mutations import CATALOGUE  # noqa: E402


def case_seed(seed, cid):
    return zlib.crc32(("%d/%s" % (seed, cid)).encode()) & 0x7fffffff


def build(seed, fam, mut_id, k):
    """The design of case FAM/MUT/K, or None when MUT does not apply."""
    cid = "%s/%s/%d" % (fam, mut_id, k)
    s = case_seed(seed, cid)
    rng = random.Random(s)
    d = FAMILIES[fam](rng, s)
    fn = [c for c in CATALOGUE if c[0] == mut_id][0][3]
    note = fn(d, rng)
    if note is None:
        return None, s
    if mut_id != "none":
        d.notes.append(note)
    return d, s


def cases(args):
    out = []
    for fam in FAMILIES:
        if not fnmatch.fnmatch(fam, args.family):
            continue
        for mid, _, expect, _ in CATALOGUE:
            if not fnmatch.fnmatch(mid, args.mutation):
                continue
            per = args.per + 1 if mid == "none" else args.per
            for k in range(1, per + 1):
                d, s = build(args.seed, fam, mid, k)
                if d is not None:
                    out.append(("%s/%s/%d" % (fam, mid, k), s, d, expect))
    return out


def run_json(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    try:
        doc = json.loads(p.stdout.decode("utf-8", "replace"))
    except ValueError:
        doc = None
    return p.returncode, doc, p.stderr.decode("utf-8", "replace")


def loc_of(x):
    """(file, line) of a finding or a cause, whatever the shape."""
    if not isinstance(x, dict):
        return None
    if isinstance(x.get("location"), dict):
        x = x["location"]
    elif isinstance(x.get("locations"), list) and x["locations"]:
        x = x["locations"][0]
    f = x.get("file")
    return (os.path.basename(f), x.get("line")) if f else None


def causes_of(verdict):
    c = verdict.get("causes")
    return c if isinstance(c, list) else None


def analysis_rules():
    """The rule ids the analysis reports under (analyze/analyze.h)."""
    path = os.path.join(HERE, "..", "..", "analyze", "analyze.h")
    out = set()
    for line in open(path):
        line = line.strip()
        if line.startswith("AZ_R_") and not line.startswith("AZ_R_COUNT"):
            out.add(line.split()[0].rstrip(",")[5:].lower().replace("_", "-"))
    return out


AZ_RULES = analysis_rules()


def compare_notes(ldoc, v):
    """sim carries, next to its verdict, the analysis's warnings and notes
    as lint prints them: same rule ids, locations, words."""
    bad = []
    if "warnings" not in v:
        return ["sim's verdict carries no warnings"]
    lw = sorted((f["rule"], loc_of(f), f["message"]) for f in ldoc["findings"]
                if f["severity"] == "warning" and f["rule"] in AZ_RULES)
    sw = sorted((f["rule"], loc_of(f), f["message"]) for f in v["warnings"])
    for x in sw:
        if x not in lw:
            bad.append("sim warning [%s] at %s not in lint's: %s" % (
                x[0], x[1], x[2][:100]))
    for x in lw:
        if x not in sw:
            bad.append("lint warning [%s] at %s not next to sim's verdict: %s"
                       % (x[0], x[1], x[2][:100]))
    ln = ldoc.get("verdict", {}).get("notes", [])
    sn = [n["message"] for n in v.get("notes", [])]
    if sorted(ln) != sorted(sn):
        bad.append("notes differ: lint %s, sim %s" % (ln, sn))
    if ldoc.get("verdict", {}).get("sessions_not_analysed") != \
            v.get("sessions_not_analysed"):
        bad.append("sessions not analysed: lint %s, sim %s" % (
            ldoc["verdict"].get("sessions_not_analysed"),
            v.get("sessions_not_analysed")))
    return bad


def compare(lint, sim):
    """What differs between lint's and sim's answers.

    Returns (differences, rule differences, whether sim's causes carry rule
    ids): the rule differences count only once sim carries rule ids at all
    (main() decides over the whole run), so the check tightens by itself
    when the analysis is wired into sim's verdict.
    """
    lrc, ldoc, lerr = lint
    src, sdoc, serr = sim
    bad, rbad = [], []
    for who, err in (("lint", lerr), ("sim", serr)):
        if "Sanitizer" in err or "runtime error" in err:
            bad.append("%s: sanitizer report: %s" % (who, " ".join(
                l for l in err.splitlines() if "ERROR" in l or
                "runtime error" in l)[:200]))
    if lrc not in (0, 1) or ldoc is None:
        return bad + ["lint exit %d: %s" % (
            lrc, " ".join(lerr.strip().splitlines()[:2]))], rbad, False
    errors = ldoc["summary"]["errors"]
    lint_err = errors > 0
    if lint_err != (lrc == 1):
        bad.append("lint exit %d with %d errors" % (lrc, errors))
    if src == 2 and lint_err:
        return bad, rbad, False  # both refuse the input
    if src not in (0, 1) or sdoc is None:
        return bad + ["sim exit %d: %s" % (
            src, " ".join(serr.strip().splitlines()[:2]))], rbad, False
    v = sdoc["verdict"]
    ok = bool(v.get("ok"))
    if ok != (src == 0):
        bad.append("sim exit %d with verdict ok=%s" % (src, ok))
    rules = sorted({f["rule"] for f in ldoc["findings"]
                    if f["severity"] == "error"})
    what = "%d/%d sessions, %d/%d routes" % (
        v["sessions_up"], v["sessions_expected"], v["routes_ok"],
        v["routes_expected"])
    if lint_err and ok:
        bad.append("lint errors [%s] but sim ok (%s)" % (", ".join(rules), what))
    if not lint_err and not ok:
        warn = sorted({f["rule"] for f in ldoc["findings"]})
        bad.append("lint no error%s but sim NOT OK (%s)" % (
            " (warnings [%s])" % ", ".join(warn) if warn else "", what))
    bad += compare_notes(ldoc, v)
    cs = causes_of(v)
    if cs is None or ok:
        return bad, rbad, False
    byrule = {}
    for f in ldoc["findings"]:
        byrule.setdefault(f["rule"], []).append(f)
    nsess = nroutes = 0
    has_rules = any(c.get("rule") for c in cs)
    for c in cs:
        nsess += c.get("sessions", 0) or 0
        nroutes += c.get("routes", 0) or 0
        rule = c.get("rule")
        msg = (c.get("message") or "")[:100]
        if c.get("unexplained"):
            bad.append("sim cause unexplained: %s" % msg)
            continue
        if not rule:
            rbad.append("sim cause without a rule id: %s" % msg)
            continue
        fs = byrule.get(rule)
        if not fs:
            rbad.append("sim cause [%s] has no lint finding: %s" % (rule, msg))
            continue
        where = loc_of(c)
        if where and not any(loc_of(f) == where for f in fs):
            rbad.append("sim cause [%s] at %s:%s, lint's at %s" % (
                rule, where[0], where[1],
                ", ".join("%s:%s" % loc_of(f) for f in fs if loc_of(f))))
    if nsess != v["sessions_expected"] - v["sessions_up"]:
        bad.append("sim causes count %d sessions, %d are down" % (
            nsess, v["sessions_expected"] - v["sessions_up"]))
    if nroutes != v["routes_expected"] - v["routes_ok"]:
        bad.append("sim causes count %d routes, %d are missing" % (
            nroutes, v["routes_expected"] - v["routes_ok"]))
    return bad, rbad, has_rules


def check_case(rrkit, tmp, c):
    cid, seed, d, expect = c
    w = os.path.join(tmp, cid.replace("/", "_"))
    d.write(w)
    lint = run_json([rrkit, "lint", "--format", "json", w])
    sim = run_json([rrkit, "sim", "--format", "json", w])
    bad = compare(lint, sim)
    sim_ok = sim[1]["verdict"]["ok"] if sim[0] in (0, 1) and sim[1] else None
    shutil.rmtree(w, ignore_errors=True)
    return cid, seed, bad, sim_ok, expect, d.notes


def design_samples():
    """samples/<design>/: every sample directory with inputs of its own."""
    root = os.path.join(HERE, "..", "..", "samples")
    out = []
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if name in ("broken", "gen") or not os.path.isdir(d):
            continue
        if any(f.endswith((".ios", ".yaml")) for f in os.listdir(d)):
            out.append(("samples/" + name, d))
    return out


def check_sample(rrkit, sid, d):
    """A design sample lints clean (no finding at all) and sim says ok."""
    lrc, ldoc, lerr = run_json([rrkit, "lint", "--strict", "--format", "json",
                                d])
    src, sdoc, serr = run_json([rrkit, "sim", "--format", "json", d])
    bad = []
    if lrc != 0 or not ldoc or ldoc["findings"]:
        bad.append("lint exit %d: %s" % (lrc, ", ".join(
            "%s:%s [%s]" % (os.path.basename(f["file"] or "-"), f["line"],
                            f["rule"]) for f in (ldoc or {}).get("findings", []))
            or lerr.strip()[:200]))
    if src != 0 or not sdoc or not sdoc["verdict"]["ok"]:
        v = (sdoc or {}).get("verdict", {})
        bad.append("sim exit %d: %s/%s sessions, %s/%s routes" % (
            src, v.get("sessions_up"), v.get("sessions_expected"),
            v.get("routes_ok"), v.get("routes_expected")))
    return sid, 0, (bad, [], False), None, "valid", ["design sample %s" % sid]


def load_limits():
    out = []
    path = os.path.join(HERE, "known-limits.txt")
    if not os.path.exists(path):
        return out
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pat, kind, note = (line.split(None, 2) + ["", ""])[:3]
        out.append((pat, kind, note))
    return out


def limit_for(limits, cid):
    for pat, kind, note in limits:
        if fnmatch.fnmatch(cid, pat):
            return kind, note
    return None



def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rrkit", default=os.path.join(HERE, "..", "..",
                                                    "build", "rrkit"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--family", default="*")
    ap.add_argument("--mutation", default="*")
    ap.add_argument("--case")
    ap.add_argument("--keep")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--strict", action="store_true")
    ap.add_argument("--expect", action="store_true")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--no-samples", action="store_true")
    ap.add_argument("--frr", action="store_true")
    args = ap.parse_args()
    rrkit = os.path.abspath(args.rrkit)
    if not os.access(rrkit, os.X_OK):
        print("agreement: no rrkit at %s (build it first)" % rrkit)
        return 2

    if args.case:
        try:
            fam, mid, k = args.case.split("/")
            d, s = build(args.seed, fam, mid, int(k))
        except (ValueError, KeyError, IndexError):
            print("agreement: no case '%s' (FAMILY/MUTATION/K)" % args.case)
            return 2
        if d is None:
            print("agreement: mutation '%s' does not apply to this design"
                  % mid)
            return 2
        todo = [(args.case, s, d, dict((c[0], c[2]) for c in CATALOGUE)[mid])]
    else:
        todo = cases(args)[::max(1, args.every)]
    if args.list:
        for cid, s, d, expect in todo:
            print("%-50s seed %-10d %-7s %s" % (cid, s, expect,
                                                "; ".join(d.notes)))
        print("%d cases" % len(todo))
        return 0
    if args.keep:
        for cid, s, d, _ in todo:
            w = os.path.join(args.keep, cid.replace("/", "_")) \
                if len(todo) > 1 else args.keep
            d.write(w, frr=args.frr)
        print("agreement: files of %d case(s) in %s" % (len(todo), args.keep))

    limits = load_limits()
    samples = [] if args.case or args.no_samples or args.every > 1 or \
        args.family != "*" or args.mutation != "*" else design_samples()
    tmp = tempfile.mkdtemp(prefix="rrkit-agree.")
    try:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
            res = list(ex.map(lambda c: check_case(rrkit, tmp, c), todo))
            sres = list(ex.map(lambda x: check_sample(rrkit, *x), samples))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    failing, known = [], []
    entries = {}  # known-limits entry -> [cases matched, cases disagreeing]
    # rule ids are checked once sim's causes carry them (in any case)
    rules_on = any(r[2][2] for r in res + sres)

    def tally(results):
        """How many agree; the others go to known or failing."""
        good = 0
        for cid, seed, (bad, rbad, _), _, _, notes in results:
            bad = bad + (rbad if rules_on else [])
            lim = limit_for(limits, cid)
            if lim:
                e = entries.setdefault(lim, [0, 0])
                e[0] += 1
                e[1] += 1 if bad else 0
            if not bad:
                good += 1
            elif lim:
                known.append((cid, seed, bad, lim))
            else:
                failing.append((cid, seed, bad, notes))
        return good

    sgood = tally(sres)
    agree = tally(res)
    exp = [(cid, expect, sim_ok) for cid, _, _, sim_ok, expect, _ in res
           if expect in ("break", "valid") and sim_ok is not None]
    exp_bad = [x for x in exp if x[2] != (x[1] == "valid")]

    me = os.path.relpath(os.path.abspath(__file__))
    for cid, seed, bad, notes in failing:
        if cid.startswith("samples/"):
            print("NOT CLEAN %s: %s" % (cid, "; ".join(bad)))
            print("  reproduce: %s lint --strict %s; %s sim %s" % (
                os.path.relpath(rrkit), cid, os.path.relpath(rrkit), cid))
            continue
        print("DISAGREE %s (seed %d): %s" % (cid, seed, "; ".join(notes)))
        for b in bad:
            print("  " + b)
        print("  reproduce: %s --seed %d --case %s --keep /tmp/%s && "
              "%s lint /tmp/%s; %s sim /tmp/%s" % (
                  me, args.seed, cid, cid.replace("/", "_"),
                  os.path.relpath(rrkit), cid.replace("/", "_"),
                  os.path.relpath(rrkit), cid.replace("/", "_")))
    if known and not args.quiet:
        kinds = {}
        for cid, seed, bad, (kind, note) in known:
            kinds.setdefault((kind, note), []).append((cid, bad))
        print("known limits (tests/agreement/known-limits.txt): %d cases"
              % len(known))
        for (kind, note), xs in sorted(kinds.items()):
            print("  [%s] %s: %d case(s), e.g. %s: %s" % (
                kind, note, len(xs), xs[0][0], xs[0][1][0]))
    for pat, kind, note in limits if args.every == 1 else []:
        e = entries.get((kind, note))
        if e and not e[1]:
            print("note: known-limits.txt '%s': its %d case(s) agree now: "
                  "remove it" % (pat, e[0]))
    if args.expect:
        print("sim vs the catalogue's expectation: %d/%d" % (
            len(exp) - len(exp_bad), len(exp)))
        for cid, expect, sim_ok in exp_bad:
            print("  %s: expected %s, sim %s" % (cid, expect,
                                                 "ok" if sim_ok else "NOT OK"))
    if not rules_on:
        print("note: sim's verdict carries no rule ids yet: checked that lint "
              "errs iff sim is not ok (and, where sim gives causes, that they "
              "count every miss)")
    nfam = len({c[0].split("/")[0] for c in todo})
    nmut = len({c[0].split("/")[1] for c in todo})
    print("%d cases: %d families x %d misconfigurations, seed %d"
          % (len(res), nfam, nmut, args.seed))
    if sres:
        print("design samples lint clean and sim ok: %d/%d" % (sgood,
                                                              len(sres)))
    print("lint/sim agreement: %d/%d" % (agree, len(res)))
    if failing or (args.strict and known):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
