#!/usr/bin/env python3
"""Compare what real daemons report with what `rrkit sim` says.

  simcmp.py REAL.json SIM.json CASE
  simcmp.py --digest REAL.json      (what sim.sh compares to see convergence)
  simcmp.py --snapshot NS.txt DIR REAL.json [SIM.json]
                                    (parse sim.sh's raw snapshot DIR into
                                    REAL.json, then print its digest; with
                                    SIM.json a second line "pending N": the
                                    sessions sim has Established that are
                                    not up at both real ends yet)

REAL.json is tests/interop/sim.sh's snapshot: per speaker, BIRD's
`show protocols all` / `show route` (bird6's too on a node with an IPv6
address) or FRR's `show bgp ipv4|ipv6 unicast summary json` /
`show bgp ipv4|ipv6 unicast json`.  SIM.json is
`rrkit sim --format json` (docs/json.md).  Compared:

- sessions: the set of (speaker, peer address) that are Established; a
  real session counts only when the peer's daemon says so too (one end
  Established alone is no session: seen with GTSM on one BIRD side, where
  FRR reached Established while BIRD, dropping FRR's TTL-2 packets, did
  not and no route crossed);
- routes: each speaker's best route per prefix learned over BGP
  (prefix -> next hop); a speaker's own blocks are left out;
- multipath: for each FRR router, the next hops of the paths it installs
  for a prefix (best and multipath) against sim's best and `*m` paths;
- communities: the COMMUNITIES and LARGE_COMMUNITIES of each FRR router's
  best paths (sim.sh asks FRR prefix by prefix) against sim's best route.
- attributes: the AS_PATH of every speaker's best route (BIRD's
  BGP.as_path, FRR's path), and the LOCAL_PREF and MED of each FRR
  router's best paths (a missing MED counts as 0), against sim's best
  route (when sim's JSON carries them: `as_path`, `med`).

A speaker whose daemon did not answer (stopped by a fault) is left out and
said so.  Exit 0 when both agree, 1 otherwise (the differences printed).
"""
import json
import os
import re
import sys


def real_protocols(real, silent):
    """(node, BIRD protocol) of every Established Node_/Global_/Mesh_
    protocol: which one BIRD runs when two face one neighbor (the other
    waits for its lock, start/Idle)."""
    up = set()
    for name, r in real.items():
        if name in silent or r is None or r.get("kind") != "bird":
            continue
        for p in r.get("protocols") or []:
            if p["name"].startswith(("Node_", "Global_", "Mesh_")) and \
                    p.get("info", "").startswith("Established"):
                up.add((name, p["name"]))
    return up


def sim_protocols(sim, birds):
    return {(x["speaker"], x["protocol"]) for x in sim.get("sessions", [])
            if x["speaker"] in birds and x.get("protocol")
            and x.get("state") == "Established"}


def real_sessions(real):
    up, known, silent = set(), set(), []
    for name, r in real.items():
        if r is None:
            silent.append(name)
            continue
        if r.get("kind") == "bird":
            protos = r.get("protocols") or []
            if not r.get("answered", bool(protos)):
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
            peers = dict((s.get("ipv4Unicast") or s).get("peers", {}))
            s6 = r.get("summary6") or {}
            peers.update((s6.get("ipv6Unicast") or s6).get("peers", {}))
            for peer, st in peers.items():
                known.add((name, peer))
                if st.get("state") == "Established":
                    up.add((name, peer))
    return both_ends(real, up, silent), known, silent


def both_ends(real, up, silent):
    """The sessions of up whose other end, when it is a speaker of the
    run that answered, is Established toward this speaker too."""
    owner = {}
    for name, r in real.items():
        for a in (r or {}).get("addresses", []):
            owner[a] = name
    ends = {}
    for name, peer in up:
        ends.setdefault(name, set()).add(peer)
    out = set()
    for name, peer in up:
        other = owner.get(peer)
        if other is None or other in silent:
            out.add((name, peer))
            continue
        mine = {a for a, n in owner.items() if n == name}
        if ends.get(other, set()) & mine:
            out.add((name, peer))
    return out


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
            for prefix, paths in frr_table(r).items():
                for p in paths:
                    if not p.get("bestpath"):
                        continue
                    hops = [h.get("ip") for h in p.get("nexthops", [])]
                    hops = [h for h in hops
                            if h and h not in ("0.0.0.0", "::")]
                    if hops:
                        got[prefix] = hops[0]
        out[name] = got
    return out


def frr_table(r):
    """prefix -> paths of an FRR router, IPv4 and IPv6 unicast."""
    out = dict((r.get("routes") or {}).get("routes", {}))
    out.update((r.get("routes6") or {}).get("routes", {}))
    return out


def real_multipath(real, silent):
    """(router, prefix) -> the distinct next hops of FRR's best and
    multipath paths, where there are two or more (two reflectors sending
    one path are one next hop); (node, prefix) -> the gateways of BIRD's
    ECMP kernel route (`ip -j route`: merge paths on)."""
    out = {}
    for name, r in real.items():
        if name in silent or r is None:
            continue
        if r.get("kind") == "bird":
            # BIRD's merge paths: a kernel route with a nexthop per path
            for rt in r.get("kernel") or []:
                hops = sorted({h.get("gateway") for h in rt.get("nexthops", [])
                               if h.get("gateway")})
                if len(hops) > 1:
                    out[(name, rt.get("dst"))] = hops
            continue
        for prefix, paths in frr_table(r).items():
            hops = sorted({h.get("ip") for p in paths
                           if p.get("bestpath") or p.get("multipath")
                           for h in p.get("nexthops", [])[:1]})
            if len(hops) > 1:
                out[(name, prefix)] = hops
    return out


def sim_multipath(sim, silent):
    out = {}
    for r in sim.get("routes") or []:
        if r["speaker"] in silent or not (r.get("best") or r.get("multipath")):
            continue
        out.setdefault((r["speaker"], r["prefix"]), []).append(r["next_hop"])
    return {k: sorted(v) for k, v in out.items() if len(v) > 1}


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
    for r in sim.get("routes") or []:
        if not r.get("best") or r["speaker"] in silent:
            continue
        frm = r.get("from")
        if frm in (None, "", "local", "self", "originated"):
            continue
        routes.setdefault(r["speaker"], {})[r["prefix"]] = r["next_hop"]
    return up, known, routes


def real_delivery(real, silent):
    """How many (node, other node's block) pairs the real BIRDs hold.

    A node's own blocks are its blackhole routes; a block is delivered to
    another node when that node has a route for it.  Nodes that did not
    answer are left out.
    """
    own, have = {}, {}
    for name, r in real.items():
        if name in silent or r is None or r.get("kind") != "bird":
            continue
        own[name] = {rt["prefix"] for rt in r.get("routes") or []
                     if rt["next_hop"] == "self"}
        have[name] = {rt["prefix"] for rt in r.get("routes") or []}
    want = got = 0
    for n in own:
        for m in own:
            if m == n:
                continue
            for p in own[m] - own[n]:
                want += 1
                got += p in have[n]
    return got, want


def _json_or_none(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return None


def bird_protocols(text):
    out, cur = [], None
    for line in text.splitlines():
        m = re.match(r"^(\S+)\s+BGP\s+\S+\s+(\S+)\s+\S+\s*(.*)$", line)
        if m:
            cur = {"name": m.group(1), "state": m.group(2),
                   "info": m.group(3).strip()}
            out.append(cur)
            continue
        m = re.match(r"^\s+Neighbor address:\s+(\S+)", line)
        if m and cur is not None:
            cur["peer"] = m.group(1)
    return out


def bird_routes(text):
    """BIRD's `show route all`: each prefix's first (best) route.

    A BGP route (protocol Node_/Global_/Mesh_) gives its BGP.next_hop, the
    attribute sim reports (the gateway BIRD resolves it to may differ: a
    loopback peer behind a static route); a blackhole route is the node's
    own block ("self"); kernel, direct and other static routes are not BGP
    and are left out.
    """
    out, cur = [], None
    for line in text.splitlines():
        m = re.match(r"^([0-9a-fA-F:.]+/\d+)\s+(.*?)\[(\S+)", line)
        if m:
            cur = None
            how, proto = m.group(2), m.group(3)
            if how.startswith("blackhole"):
                out.append({"prefix": m.group(1), "next_hop": "self"})
            elif proto.startswith(("Node_", "Global_", "Mesh_")):
                gw = re.match(r"via\s+(\S+)", how)
                cur = {"prefix": m.group(1),
                       "next_hop": gw.group(1) if gw else None}
                out.append(cur)
            continue
        if re.match(r"^\s+(via|unreachable|blackhole|dev)\b", line):
            cur = None  # another path of the same prefix
            continue
        m = re.match(r"^\s+BGP\.next_hop:\s+(\S+)", line)
        if m and cur is not None:
            cur["next_hop"] = m.group(1)
        m = re.match(r"^\s+BGP\.as_path:\s*(.*?)\s*$", line)
        if m and cur is not None:
            cur["as_path"] = [int(x) for x in
                              re.findall(r"\d+", m.group(1))]
    return [r for r in out if r["next_hop"]]


def real_attrs(real, silent):
    """(speaker, prefix) -> {"as_path": [...]} of each best route, with
    "local_pref" and "med" (None when absent) for FRR's."""
    out = {}
    for name, r in real.items():
        if name in silent or r is None:
            continue
        if r.get("kind") == "bird":
            for rt in r.get("routes") or []:
                if rt["next_hop"] != "self" and "as_path" in rt:
                    out[(name, rt["prefix"])] = {"as_path": rt["as_path"]}
            continue
        for prefix, paths in frr_table(r).items():
            for p in paths:
                if not p.get("bestpath"):
                    continue
                out[(name, prefix)] = {
                    "as_path": [int(x) for x in
                                re.findall(r"\d+", p.get("path", ""))],
                    "local_pref": p.get("locPrf"),
                    "med": p.get("metric")}
    return out


def sim_attrs(sim):
    """(speaker, prefix) -> the same of sim's best routes, when sim's JSON
    carries them."""
    out = {}
    for r in sim.get("routes") or []:
        if not r.get("best") or r.get("next_hop") is None or \
                "as_path" not in r:
            continue
        out[(r["speaker"], r["prefix"])] = {
            "as_path": r["as_path"], "local_pref": r.get("local_pref"),
            "med": r.get("med")}
    return out


def frr_communities(path):
    """prefix -> sorted communities (standard and large) of FRR's best
    path, from `show bgp ipv4 unicast PREFIX json` outputs one after
    another; None when there is no such file."""
    try:
        text = open(path).read()
    except OSError:
        return None
    out, dec, i = {}, json.JSONDecoder(), 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        try:
            obj, i = dec.raw_decode(text, i)
        except ValueError:
            break
        prefix = obj.get("prefix")
        for p in obj.get("paths", []):
            if not (p.get("bestpath") or {}).get("overall"):
                continue
            c = (p.get("community") or {}).get("string", "")
            l = (p.get("largeCommunity") or {}).get("string", "")
            out[prefix] = sorted((c + " " + l).split())
    return out


def sim_communities(sim):
    """(speaker, prefix) -> sorted communities of sim's best route, when
    sim's JSON carries them."""
    out = {}
    for r in sim.get("routes") or []:
        if not r.get("best") or "communities" not in r:
            continue
        out[(r["speaker"], r["prefix"])] = sorted(
            r.get("communities", []) + r.get("large_communities", []))
    return out


def snapshot(ns_file, d, out, sim_file=None):
    """sim.sh's raw daemon outputs -> the REAL.json this script compares."""
    real, addrs = {}, {}
    try:
        # sim.sh's speakers.txt beside ns.txt: "kind name address/len..."
        for line in open(os.path.join(os.path.dirname(ns_file),
                                      "speakers.txt")):
            f = line.split()
            addrs[f[1]] = [a.split("/")[0] for a in f[2:]]
    except (OSError, IndexError):
        pass
    for line in open(ns_file):
        _, kind, name = line.split()
        base = os.path.join(d, name)
        if kind == "ios-router":
            real[name] = {"kind": "frr",
                          "summary": _json_or_none(base + ".summary"),
                          "routes": _json_or_none(base + ".routes"),
                          "summary6": _json_or_none(base + ".summary6"),
                          "routes6": _json_or_none(base + ".routes6"),
                          "communities": frr_communities(base + ".detail")}
        else:
            def text(suffix):
                try:
                    return open(base + suffix).read()
                except OSError:
                    return ""
            # a dual-stack node: bird and bird6 (.protocols6 ...)
            real[name] = {"kind": "bird",
                          "answered": "BIRD" in text(".protocols"),
                          "protocols": bird_protocols(text(".protocols")) +
                          bird_protocols(text(".protocols6")),
                          "routes": bird_routes(text(".routes")) +
                          bird_routes(text(".routes6")),
                          "kernel": (_json_or_none(base + ".kernel") or []) +
                          (_json_or_none(base + ".kernel6") or [])}
        real[name]["addresses"] = addrs.get(name, [])
    with open(out, "w") as f:
        json.dump(real, f)
    rc = digest(out)
    if sim_file:
        rup, _, silent = real_sessions(real)
        sup = sim_state(json.load(open(sim_file)), silent)[0]
        print("pending %d" % len(sup - rup))
    return rc


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
    if sys.argv[1] == "--snapshot":
        return snapshot(*sys.argv[2:6])
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
    # the daemons settled (sim.sh compares two equal snapshots): a sim
    # that never does (sessions colliding for ever) tells another story
    if (sim.get("run") or {}).get("stopped") == "time cap":
        bad.append("sim never settles (stopped by its time cap); the "
                   "real daemons did")
    birds = {k for k, r in real.items()
             if k not in silent and r and r.get("kind") == "bird"}
    rp, sp = real_protocols(real, silent), sim_protocols(sim, birds)
    for key in sorted(rp - sp):
        bad.append("%s: BIRD protocol %s Established, sim not" % key)
    for key in sorted(sp - rp):
        bad.append("%s: sim has BIRD protocol %s Established, real not"
                   % key)
    for name in sorted(set(rroutes) | set(sroutes)):
        if name in silent:
            continue
        rr, sr = rroutes.get(name, {}), sroutes.get(name, {})
        for p in sorted(set(rr) | set(sr)):
            if rr.get(p) != sr.get(p):
                bad.append("%s route %s: real via %s, sim via %s"
                           % (name, p, rr.get(p), sr.get(p)))
    rmp, smp = real_multipath(real, silent), sim_multipath(sim, silent)
    for key in sorted(set(rmp) | set(smp)):
        if rmp.get(key) != smp.get(key):
            bad.append("%s route %s: real multipath via %s, sim via %s"
                       % (key[0], key[1], " ".join(rmp.get(key, ["-"])),
                          " ".join(smp.get(key, ["-"]))))
    scomm = sim_communities(sim)
    for name, r in sorted(real.items()):
        comms = (r or {}).get("communities")
        if name in silent or not comms or not scomm:
            continue
        for p in sorted(comms):
            want = scomm.get((name, p))
            if want is not None and want != comms[p]:
                bad.append("%s route %s: real communities %s, sim %s"
                           % (name, p, " ".join(comms[p]) or "-",
                              " ".join(want) or "-"))
    rat, sat = real_attrs(real, silent), sim_attrs(sim)
    for key in sorted(set(rat) & set(sat)):
        for k in ("as_path", "local_pref", "med"):
            rv, sv = rat[key].get(k), sat[key][k]
            if k == "med":
                # a missing MED is 0 to the decision (without med
                # missing-as-worst); FRR shows 0 on paths it reflected
                # from a peer that sent none
                rv, sv = rv or 0, sv or 0
            if k in rat[key] and rv != sv:
                bad.append("%s route %s: real %s %s, sim %s"
                           % (key[0], key[1], k, rv, sv))
    if silent:
        print("left out (stopped, not answering): %s" % ", ".join(silent))
    for b in bad:
        print(b)
    got, want = real_delivery(real, silent)
    v = sim.get("verdict", {})
    print("real: %d/%d node blocks delivered (%s); sim: %s/%s routes (%s)"
          % (got, want, "ok" if got == want else "NOT OK",
             v.get("routes_ok"), v.get("routes_expected"),
             "ok" if v.get("ok") else "NOT OK"))
    nroutes = sum(len(v) for v in rroutes.values())
    print("%s: %d/%d sessions up, %d routes: %s"
          % (case, len(rup), len(rknown), nroutes,
             "agree" if not bad else "%d differences" % len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
