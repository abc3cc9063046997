#!/usr/bin/env python3
"""Self-test of run.py's comparison on hand-made lint and sim documents:
the checker must see each kind of disagreement it claims to see."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import compare  # noqa: E402


def lint(errors, findings=(), notes=(), unknown=0):
    return (1 if errors else 0, {"findings": list(findings), "summary": {
        "errors": errors, "warnings": 0, "files": 2}, "verdict": {
        "notes": list(notes), "sessions_not_analysed": unknown}}, "")


def sim(ok, up=3, exp=3, rok=6, rexp=6, causes=None, warnings=(), notes=(),
        unknown=0):
    v = {"sessions_up": up, "sessions_expected": exp, "routes_ok": rok,
         "routes_expected": rexp, "ok": ok, "warnings": list(warnings),
         "notes": [{"file": None, "line": None, "col": None, "message": n}
                   for n in notes], "sessions_not_analysed": unknown}
    if causes is not None:
        v["causes"] = causes
    return (0 if ok else 1, {"verdict": v}, "")


F = {"rule": "as-mismatch", "severity": "error", "file": "/t/rr1.ios",
     "line": 33, "col": 34, "message": "m", "notes": []}
W = {"rule": "peer-address-unknown", "severity": "warning",
     "file": "/t/calico.yaml", "line": 28, "col": 11, "message": "w",
     "notes": []}
N = "1 session toward addresses no input owns is not analysed"
C = {"rule": "as-mismatch", "message": "m", "sessions": 1, "routes": 4,
     "location": {"file": "/x/rr1.ios", "line": 33, "col": 34}}

CASES = [
    # (what, lint, sim, want differences, want rule differences, has rules)
    ("both clean", lint(0), sim(True), 0, 0, False),
    ("both broken, no causes", lint(1, [F]), sim(False, 2, 3, 2, 6), 0, 0,
     False),
    ("lint error, sim ok", lint(1, [F]), sim(True), 1, 0, False),
    ("lint clean, sim not ok", lint(0), sim(False, 2, 3, 2, 6), 1, 0, False),
    ("causes without rule ids", lint(1, [F]),
     sim(False, 2, 3, 2, 6, [dict(C, rule=None)]), 0, 1, False),
    ("cause explained by lint", lint(1, [F]), sim(False, 2, 3, 2, 6, [C]), 0,
     0, True),
    ("cause at another line", lint(1, [F]),
     sim(False, 2, 3, 2, 6, [dict(C, location={"file": "rr1.ios",
                                               "line": 30})]), 0, 1, True),
    ("cause with another rule", lint(1, [F]),
     sim(False, 2, 3, 2, 6, [dict(C, rule="password-mismatch")]), 0, 1, True),
    ("causes miss a route", lint(1, [F]),
     sim(False, 2, 3, 1, 6, [C]), 1, 0, True),
    ("unexplained cause", lint(1, [F]),
     sim(False, 2, 3, 2, 6, [dict(C, unexplained=True)]), 1, 0, True),
    ("both refuse the input", lint(1, [F]), (2, None, "inputs have errors"),
     0, 0, False),
    ("sim refuses, lint clean", lint(0), (2, None, "inputs have errors"), 1,
     0, False),
    ("warning next to both verdicts", lint(0, [W], [N], 1),
     sim(True, warnings=[W], notes=[N], unknown=1), 0, 0, False),
    ("warning only in lint", lint(0, [W], [N], 1),
     sim(True, notes=[N], unknown=1), 1, 0, False),
    ("warning only in sim", lint(0, [], [N], 1),
     sim(True, warnings=[W], notes=[N], unknown=1), 1, 0, False),
    ("warning at another line", lint(0, [W], [N], 1),
     sim(True, warnings=[dict(W, line=29)], notes=[N], unknown=1), 2, 0,
     False),
    ("a local rule's warning is lint's only",
     lint(0, [dict(W, rule="pool-encapsulation")]), sim(True), 0, 0, False),
    ("note only in lint", lint(0, [], [N]), sim(True), 1, 0, False),
    ("not analysed counted apart", lint(0, [], [], 1), sim(True), 1, 0,
     False),
    ("sanitizer", lint(0), (0, sim(True)[1], "==1==ERROR: AddressSanitizer"),
     1, 0, False),
]


def main():
    failed = 0
    for what, lt, st, nbad, nrbad, has in CASES:
        bad, rbad, got_has = compare(lt, st)
        if (len(bad), len(rbad), got_has) != (nbad, nrbad, has):
            failed += 1
            print("FAIL %s: %r %r %s" % (what, bad, rbad, got_has))
    print("compare self-test: %d/%d" % (len(CASES) - failed, len(CASES)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
