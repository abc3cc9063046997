#!/usr/bin/env python3
"""Compare what real daemons report with what `rrkit sim` says.

  simcmp.py REAL.json SIM.json CASE
  simcmp.py --digest REAL.json      (what sim.sh compares to see convergence)

REAL.json is tests/interop/sim.sh's snapshot: per speaker, BIRD's
`show protocols all` / `show route` or FRR's `show bgp ipv4 unicast
summary json` / `show bgp ipv4 unicast json`.  SIM.json is
`rrkit sim --format json` (docs/json.md).  Compared:

- sessions: the set of (speaker, peer address) that are Established;
- routes: each speaker's best route per prefix learned over BGP
  (prefix -> next hop); a speaker's own blocks are left out.

A speaker whose daemon did not answer (stopped by a fault) is left out and
said so.  Exit 0 when both agree, 1 otherwise (the differences printed).
"""
import json
import sys


def real_sessions(real):
    up, known, silent = set(), set(), []
    for name, r in real.items():
        if r is None:
            silent.append(name)
            continue
        if r.get("kind") == "bird":
            protos = r.get("protocols") or []
            if not protos:
                silent.append(name)
            for p in protos:
                if not p["name"].startswith(("Node_", "Global_", "Mesh_")):
                    continue
                peer = p.get("peer")
                if not peer:
                    continue
                known.add((name, peer))
                if p.get("info", "").startswith("Established"):
                    up.add((name, peer))
        else:
            s = r.get("summary")
            if not s:
                silent.append(name)
                continue
            peers = (s.get("ipv4Unicast") or s).get("peers", {})
            for peer, st in peers.items():
                known.add((name, peer))
                if st.get("state") == "Established":
                    up.add((name, peer))
    return up, known, silent


def real_routes(real, silent):
    out = {}
    for name, r in real.items():
        if name in silent or r is None:
            continue
        got = {}
        if r.get("kind") == "bird":
            for rt in r.get("routes") or []:
                if rt["next_hop"] != "self":
                    got[rt["prefix"]] = rt["next_hop"]
        else:
            table = (r.get("routes") or {}).get("routes", {})
            for prefix, paths in table.items():
                for p in paths:
                    if not p.get("bestpath"):
                        continue
                    hops = [h.get("ip") for h in p.get("nexthops", [])]
                    hops = [h for h in hops if h and h != "0.0.0.0"]
                    if hops:
                        got[prefix] = hops[0]
        out[name] = got
    return out


def sim_state(sim, silent):
    up, known = set(), set()
    for s in sim.get("sessions", []):
        key = (s["speaker"], s["peer_address"])
        if s["speaker"] in silent:
            continue
        known.add(key)
        if s.get("state") == "Established":
            up.add(key)
    routes = {}
    for r in sim.get("routes", []):
        if not r.get("best") or r["speaker"] in silent:
            continue
        frm = r.get("from")
        if frm in (None, "", "local", "self", "originated"):
            continue
        routes.setdefault(r["speaker"], {})[r["prefix"]] = r["next_hop"]
    return up, known, routes


def digest(path):
    """What converging means: the Established set and the best routes."""
    real = json.load(open(path))
    up, known, silent = real_sessions(real)
    routes = real_routes(real, silent)
    print(json.dumps([sorted(up), sorted(known), silent,
                      sorted((k, sorted(v.items())) for k, v in routes.items())]))
    return 0


def main():
    if sys.argv[1] == "--digest":
        return digest(sys.argv[2])
    real = json.load(open(sys.argv[1]))
    sim = json.load(open(sys.argv[2]))
    case = sys.argv[3] if len(sys.argv) > 3 else "?"
    rup, rknown, silent = real_sessions(real)
    sup, sknown, sroutes = sim_state(sim, silent)
    rroutes = real_routes(real, silent)
    bad = []
    for key in sorted(rup - sup):
        bad.append("session %s -> %s: real Established, sim not" % key)
    for key in sorted(sup - rup):
        bad.append("session %s -> %s: sim Established, real not" % key)
    for name in sorted(set(rroutes) | set(sroutes)):
        if name in silent:
            continue
        rr, sr = rroutes.get(name, {}), sroutes.get(name, {})
        for p in sorted(set(rr) | set(sr)):
            if rr.get(p) != sr.get(p):
                bad.append("%s route %s: real via %s, sim via %s"
                           % (name, p, rr.get(p), sr.get(p)))
    if silent:
        print("left out (stopped, not answering): %s" % ", ".join(silent))
    for b in bad:
        print(b)
    nroutes = sum(len(v) for v in rroutes.values())
    print("%s: %d/%d sessions up, %d routes: %s"
          % (case, len(rup), len(rknown), nroutes,
             "agree" if not bad else "%d differences" % len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
