#!/usr/bin/env python3
"""Helpers of tests/interop/rollout.sh (the rollout interop test).

  rollout.py frrdiff OLD.conf NEW.conf
      The vtysh commands that turn a running FRR bgpd configured from OLD
      into NEW (both written by `rrkit gen frr`), one per line, starting
      with `configure terminal`: what an engineer types on the router.
      A neighbor that disappears is removed whole (`no neighbor X`, which
      sends Cease/peer de-configured); a setting whose value changes is
      set again without a `no` first (`bgp cluster-id`, `timers bgp`).

  rollout.py windows T0 END NODES.txt DIR
      The loss windows seen in the node namespaces: DIR/NODE.initial is
      `ip route show proto bird` at T0 (epoch seconds), DIR/NODE.monitor is
      `ip -ts monitor route` from before T0.  For every node and every
      other node's block (NODES.txt lines: "NODE BLOCK..."), the intervals
      in [T0, END) when the node's kernel had no route to it, in seconds
      after T0, as JSON on standard output.  BIRD 1.6 changes a kernel
      route by deleting it and adding the new one (sysdep/linux/netlink.c
      krt_replace_rte): a gap shorter than REPLACE seconds is that, not a
      loss; those are counted under "replaced".

  rollout.py compare REAL.json PREDICTED.json STEPS.txt T0 TOLERANCE [LOGS.txt]
      Compare the real windows (`windows` above) with the ones `rrkit
      rollout --format json` predicts.  STEPS.txt lines "K STATE A B": step K
      was applied between A and B (epoch ms); T0 (epoch ms) is the real
      time 0.  A predicted time p after the rehearsal's step K (at_s) is
      real time (A - T0)/1000 + (p - at_s); the edges of a window must agree
      within TOLERANCE plus the time the step took to apply (B - A).
      LOGS.txt lines "NODE BIRD.log": the BIRD startup delays each node
      logged ("Startup delayed by N seconds due to errors", whole seconds)
      must be the waits the rehearsal reports for it (kind
      bird-startup-delay): in each step as many, the last one N seconds
      long and at the same time (TOLERANCE plus 1 s: BIRD's log has whole
      seconds).  Prints one line per node and block (or node's waits) that
      differs; exit 1 if any.

  rollout.py selftest
      Checks frrdiff, windows and compare on made-up inputs (a window 3 s
      off must be refused, one 1 s off accepted); rollout.sh runs it first.
"""
import datetime

REPLACE = 0.1
import json
import re
import sys


def frr_tree(path):
    """(context, line) pairs: context is the enclosing stanza lines."""
    out = []
    stack = []
    for raw in open(path):
        line = raw.rstrip("\n")
        s = line.strip()
        if not s or s.startswith("!") or s in ("end",):
            continue
        if s in ("exit", "exit-address-family"):
            if stack:
                stack.pop()
            continue
        indent = len(line) - len(line.lstrip(" "))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        ctx = tuple(x[1] for x in stack)
        out.append((ctx, s))
        if s.startswith("router bgp") or s.startswith("address-family"):
            stack.append((indent, s))
    return out


def key(line):
    """Lines with the same key set the same thing (one value)."""
    w = line.split()
    if w[0] == "neighbor" and len(w) >= 3:
        return " ".join(w[:3])
    if w[0] == "no":
        return line
    if w[:2] in (["bgp", "cluster-id"], ["bgp", "router-id"], ["timers", "bgp"]):
        return " ".join(w[:2])
    return line


def frrdiff(old_path, new_path):
    old = frr_tree(old_path)
    new = frr_tree(new_path)
    oldset = set(old)
    newset = set(new)
    newkeys = {(c, key(s)) for c, s in new}
    gone_nb = set()
    for c, s in old:
        w = s.split()
        if w[0] == "neighbor" and len(w) >= 3 and w[2] == "remote-as" \
                and not any(n[1].startswith("neighbor %s remote-as" % w[1]) for n in new):
            gone_nb.add(w[1])
    cmds = []
    cur = None

    def enter(ctx):
        nonlocal cur
        if cur == ctx:
            return
        cmds.append("end")
        cmds.append("configure terminal")
        cmds.extend(ctx)
        cur = ctx

    for c, s in old:
        if (c, s) in newset:
            continue
        w = s.split()
        if s.startswith("router bgp") or s.startswith("address-family"):
            continue
        # a gone neighbor's settings go with it, a 'no neighbor X
        # send-community' of `rrkit gen frr` too (set again after the
        # 'no neighbor X', FRR refuses it: the neighbor no longer exists)
        wn = w[1:] if w[0] == "no" else w
        if len(wn) >= 2 and wn[0] == "neighbor" and wn[1] in gone_nb:
            if wn is w and w[2] == "remote-as":
                enter(c)
                cmds.append("no neighbor %s" % w[1])
            continue
        if (c, key(s)) in newkeys:
            continue  # set again below
        enter(c)
        cmds.append(s[3:] if s.startswith("no ") else "no " + s)
    for c, s in new:
        if (c, s) in oldset:
            continue
        if s.startswith("router bgp") or s.startswith("address-family"):
            enter(c + (s,))
            continue
        enter(c)
        cmds.append(s)
    if cmds:
        cmds = cmds[1:] + ["end"]
    print("\n".join(cmds))


def stamp(s):
    # "[2026-12-04T05:36:33.308442]": local time, as ip(8) prints it
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%f").timestamp()


MON = re.compile(r"^\[([0-9T:.-]+)\]\s+(Deleted\s+)?(\S+)\s")


def windows(t0, end, nodes_txt, d):
    blocks = {}
    for line in open(nodes_txt):
        w = line.split()
        if w:
            blocks[w[0]] = w[1:]
    res = {"nodes": {}}
    for node in blocks:
        want = [b for n, bs in blocks.items() if n != node for b in bs]
        have = {}
        for line in open("%s/%s.initial" % (d, node)):
            w = line.split()
            if w:
                have[w[0]] = True
        wins = {b: [] for b in want}
        replaced = 0
        down = {b: 0.0 for b in want if not have.get(b)}
        try:
            mon = open("%s/%s.monitor" % (d, node)).read().splitlines()
        except OSError:
            mon = []
        for line in mon:
            m = MON.match(line)
            if not m or m.group(3) not in wins:
                continue
            t = stamp(m.group(1)) - t0
            if t < 0:
                continue
            if t >= end - t0:
                break
            b = m.group(3)
            if "proto bird" not in line and not m.group(2):
                continue
            if m.group(2):
                if b not in down:
                    down[b] = t
            elif b in down:
                t1 = down.pop(b)
                if t - t1 < REPLACE:
                    replaced += 1
                else:
                    wins[b].append([round(t1, 2), round(t, 2)])
        for b, t in down.items():
            wins[b].append([round(t, 2), None])
        res["nodes"][node] = {b: w for b, w in wins.items() if w}
        res.setdefault("replaced", {})[node] = replaced
    json.dump(res, sys.stdout, indent=1, sort_keys=True)
    print()


DELAYED = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) <\w+> \S+: "
                     r"Startup delayed by (\d+) seconds due to errors")


def bird_delays(path, t0):
    """(seconds after T0, N) of each startup delay BIRD logged"""
    out = []
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return out
    for line in lines:
        m = DELAYED.match(line)
        if m:
            t = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S").timestamp()
            out.append((t - t0 / 1000.0, int(m.group(2))))
    return out


def compare(real_path, pred_path, steps_path, t0, tol, logs_path=None):
    real = json.load(open(real_path))["nodes"]
    pred = json.load(open(pred_path))
    steps = []
    for line in open(steps_path):
        w = line.split()
        if len(w) == 4:
            steps.append(((int(w[2]) - t0) / 1000.0, (int(w[3]) - int(w[2])) / 1000.0))
    at = [st["at_s"] for st in pred.get("steps", [])]
    if len(at) != len(steps):
        print("the rehearsal has %d steps, the real run %d" % (len(at), len(steps)))
        return 1
    if not at:
        print("no steps")
        return 1

    def to_real(p):
        if p is None:
            return None, 0.0
        k = 0
        while k + 1 < len(at) and at[k + 1] <= p + 1e-9:
            k += 1
        return steps[k][0] + (p - at[k]), steps[k][1]

    want = {}
    for l in pred.get("losses", []):
        if l["start_s"] < at[0] - 1e-9:
            continue  # before the change: the current state converging
        if l["end_s"] is not None and l["end_s"] - l["start_s"] < REPLACE:
            continue
        s0, u0 = to_real(l["start_s"])
        s1, u1 = to_real(l["end_s"])
        want.setdefault((l["node"], l["prefix"]), []).append((s0, s1, max(u0, u1)))
    got = {}
    for node, bs in real.items():
        for b, ws in bs.items():
            got[(node, b)] = [(w[0], w[1]) for w in ws]
    bad = 0

    def fmt(ws):
        return " ".join("[%.2f, %s)" % (w[0], "end" if w[1] is None else "%.2f" % w[1])
                        for w in ws) or "none"

    for key in sorted(set(want) | set(got)):
        p = sorted(want.get(key, []), key=lambda w: w[0])
        r = sorted(got.get(key, []), key=lambda w: w[0])
        ok = len(p) == len(r)
        if ok:
            for (ps, pe, u), (rs, re_) in zip(p, r):
                if abs(ps - rs) > tol + u:
                    ok = False
                if (pe is None) != (re_ is None):
                    ok = False
                elif pe is not None and abs(pe - re_) > tol + u:
                    ok = False
        if not ok:
            bad += 1
            print("%s %s: real %s, rrkit rollout %s" % (key[0], key[1], fmt(r), fmt(p)))
        else:
            for (ps, pe, u), (rs, re_) in zip(p, r):
                print("%s %s: real [%.2f, %s), rrkit rollout [%.2f, %s): agree" % (
                    key[0], key[1], rs, "end" if re_ is None else "%.2f" % re_,
                    ps, "end" if pe is None else "%.2f" % pe), file=sys.stderr)
    # the startup delays: per node and step, how many, and the last one
    for line in open(logs_path) if logs_path else []:
        w = line.split()
        if len(w) != 2:
            continue
        node = w[0]
        got = {}
        for t, n in bird_delays(w[1], t0):
            k = 0
            while k + 1 < len(steps) and steps[k + 1][0] <= t + 1.0:
                k += 1
            if t < steps[0][0] - 1.0:
                continue  # before the change
            got.setdefault(k, []).append((t, n))
        want = {}
        for k, st in enumerate(pred.get("steps", [])):
            for x in st.get("waits", []):
                if x["speaker"] == node and x["kind"] == "bird-startup-delay":
                    want[k] = (to_real(x["at_s"]), x["seconds"], x["count"])
        for k in sorted(set(got) | set(want)):
            g = got.get(k, [])
            if k in want:
                (pt, u), secs, count = want[k]
                ok = (len(g) == count and g[-1][1] == secs and
                      abs(g[-1][0] - pt) <= tol + u + 1.0)
                p = "%d, the last %d s at %.2f" % (count, secs, pt)
            else:
                ok, p = False, "none"
            # BIRD's log has whole seconds: the second it began in
            r = ("%d, the last %d s in [%.2f, %.2f)" % (
                len(g), g[-1][1], g[-1][0], g[-1][0] + 1) if g else "none")
            line = "%s startup delays in step %d: real %s, rrkit rollout %s" % (
                node, k + 1, r, p)
            if ok:
                print(line + ": agree", file=sys.stderr)
            else:
                bad += 1
                print(line)
    return 1 if bad else 0


def selftest():
    import contextlib
    import io
    import os
    import tempfile
    d = tempfile.mkdtemp(prefix="rrkit-rollout-selftest.")
    bad = []

    def put(name, text):
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
        return os.path.join(d, name)

    def run(fn, *args):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            rc = fn(*args)
        return rc, out.getvalue()

    head = "frr defaults traditional\n!\nrouter bgp 64512\n bgp cluster-id %s\n"
    nb = " neighbor %s remote-as 64512\n"
    af = " address-family ipv4 unicast\n%s exit-address-family\nexit\n!\nend\n"
    cl = "  neighbor %s route-reflector-client\n"
    nc = "  no neighbor %s send-community extended\n"
    a = put("a.conf", head % "0.0.0.1" + nb % "10.0.0.10" + nb % "10.0.0.11" +
            af % (cl % "10.0.0.10" + cl % "10.0.0.11" + nc % "10.0.0.11"))
    b = put("b.conf", head % "0.0.0.2" + nb % "10.0.0.10" + nb % "10.0.0.12" +
            af % (cl % "10.0.0.10" + cl % "10.0.0.12"))
    _, got = run(frrdiff, a, b)
    want = ["configure terminal", "router bgp 64512", "no neighbor 10.0.0.11",
            "bgp cluster-id 0.0.0.2", "neighbor 10.0.0.12 remote-as 64512", "end",
            "configure terminal", "router bgp 64512", "address-family ipv4 unicast",
            "neighbor 10.0.0.12 route-reflector-client", "end"]
    if got.split("\n")[:-1] != want:
        bad.append("frrdiff: %r" % got)
    # windows: node-a loses node-b's block 2 s after T0 for 3 s; a
    # delete+add 0.1 ms apart is a replacement
    put("nodes.txt", "node-a 10.244.0.0/26\nnode-b 10.244.0.64/26\n")
    put("node-a.initial", "10.244.0.64/26 via 10.0.0.11 dev e0 proto bird\n")
    put("node-b.initial", "10.244.0.0/26 via 10.0.0.10 dev e0 proto bird\n")
    t0 = datetime.datetime(2026, 1, 1, 0, 0, 0).timestamp()
    r = "10.244.0.64/26 via 10.0.0.11 dev e0 proto bird metric 1024"
    put("node-a.monitor", "[2026-01-01T00:00:01.000000] Deleted %s\n"
        "[2026-01-01T00:00:01.000100] %s\n"
        "[2026-01-01T00:00:02.000000] Deleted %s\n"
        "[2026-01-01T00:00:05.000000] %s\n" % (r, r, r, r))
    _, got = run(windows, t0, t0 + 10, os.path.join(d, "nodes.txt"), d)
    real = json.loads(got)
    if real["nodes"] != {"node-a": {"10.244.0.64/26": [[2.0, 5.0]]}, "node-b": {}} \
            or real["replaced"]["node-a"] != 1:
        bad.append("windows: %r" % real)
    put("real.json", got)
    ms = int(t0 * 1000)
    put("steps.txt", "0 1-target %d %d\n" % (ms + 100, ms + 300))
    for off, ok in ((1.0, 0), (3.0, 1)):
        put("pred.json", json.dumps({"steps": [{"at_s": 30.0}], "losses": [
            {"node": "node-a", "prefix": "10.244.0.64/26", "start_s": 31.9,
             "end_s": 35.0 - off}]}))
        rc, _ = run(compare, os.path.join(d, "real.json"), os.path.join(d, "pred.json"),
                    os.path.join(d, "steps.txt"), ms, 1.5)
        if rc != ok:
            bad.append("compare: a window %.0f s off gave %d" % (off, rc))
    put("pred.json", json.dumps({"steps": [{"at_s": 30.0}], "losses": []}))
    rc, _ = run(compare, os.path.join(d, "real.json"), os.path.join(d, "pred.json"),
                os.path.join(d, "steps.txt"), ms, 1.5)
    if rc != 1:
        bad.append("compare: a real loss rrkit does not predict was accepted")
    # startup delays: BIRD logged a 5 s one 3 s after T0 (step 1 applied at
    # 0.1 s); the rehearsal's, at 32.0 s (2 s after its step), agrees; a
    # 10 s one, or none, does not
    put("bird.log", "2026-01-01 00:00:03 <TRACE> Node_10_0_0_1: "
        "Startup delayed by 5 seconds due to errors\n")
    put("logs.txt", "node-a %s\n" % os.path.join(d, "bird.log"))
    win = [{"node": "node-a", "prefix": "10.244.0.64/26", "start_s": 31.9,
            "end_s": 35.0}]
    for secs, ws, ok in ((5, 1, 0), (10, 1, 1), (5, 0, 1)):
        wt = [{"speaker": "node-a", "kind": "bird-startup-delay", "at_s": 32.0,
               "seconds": secs, "count": 1}][:ws]
        put("pred.json", json.dumps({"steps": [{"at_s": 30.0, "waits": wt}],
                                     "losses": win}))
        rc, _ = run(compare, os.path.join(d, "real.json"), os.path.join(d, "pred.json"),
                    os.path.join(d, "steps.txt"), ms, 1.5, os.path.join(d, "logs.txt"))
        if rc != ok:
            bad.append("compare: a %d s startup delay (%d predicted) gave %d" %
                       (secs, ws, rc))
    for f in os.listdir(d):
        os.unlink(os.path.join(d, f))
    os.rmdir(d)
    for m in bad:
        print("rollout.py selftest: " + m)
    return 1 if bad else 0


def main():
    a = sys.argv[1:]
    if a[:1] == ["frrdiff"] and len(a) == 3:
        frrdiff(a[1], a[2])
    elif a[:1] == ["windows"] and len(a) == 5:
        windows(float(a[1]), float(a[2]), a[3], a[4])
    elif a[:1] == ["selftest"]:
        sys.exit(selftest())
    elif a[:1] == ["compare"] and len(a) in (6, 7):
        sys.exit(compare(a[1], a[2], a[3], int(a[4]), float(a[5]),
                         a[6] if len(a) == 7 else None))
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
