#!/usr/bin/env python3
"""The robustness sweep of issue 14.

Every reader of rrkit -- show (text, json), lint (text, json, sarif, junit,
github), gen cisco|calico|bird, sim (text with --pcap, json, dot) -- is fed
the samples, the corpus (../shared/corpus, when present) and inputs holding
planted secrets, each as it is and in mutated copies: byte flips at several
rates, lines duplicated, deleted and swapped, huge numbers, deep YAML,
anchors and aliases, tabs, CRLF, UTF-16 with a BOM, NUL bytes, Latin-1
bytes, 1 MB lines, truncation; plus a config with 10^6 neighbors, a file
whose name is not UTF-8, and a directory with symlink loops and a FIFO.

Each run has a time bound.  A run fails when it
  - ends on a signal, or prints a sanitizer report;
  - exits with a status other than 0, 1, 2 or 3 (sim: too large to
    simulate whole); 4, out of memory, counts as a failure: the bounds
    must keep memory down;
  - is still running when its time is up;
  - leaves a file behind (a temporary next to an output, anything else);
  - writes JSON that does not parse, or JSON, SARIF, JUnit, YAML or DOT
    that is not UTF-8;
  - shows a planted secret, its base64 or its type-7 form anywhere: stdout,
    stderr or an output file (while the mutated input still holds it as a
    secret: a flipped `password` keyword makes it a plain word).

  sweep.py --bin build/asan/rrkit [--short | --full] [--seed N] [--jobs N]
           [--keep DIR] [--time S]

Exit 0 when every run passed, 1 otherwise; failing inputs are kept in
--keep (default build/robust/failures) with the command and its stderr.
"""

import argparse
import base64
import concurrent.futures
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# --------------------------------------------------------------- secrets

T7KEY = b"dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"


def type7(pw, seed=9):
    """The IOS type 7 form of a password (what `service password-encryption`
    writes)."""
    return "%02d" % seed + "".join(
        "%02X" % (c ^ T7KEY[(seed + i) % len(T7KEY)]) for i, c in enumerate(pw.encode()))


class Secret:
    """A planted secret: its text, the other forms that must not appear
    either, and how the input must still hold it for it to count."""

    def __init__(self, text, forms, context):
        self.text = text
        self.forms = [text] + forms
        self.context = context  # function(decoded input text) -> bool


def ios_context(form):
    pat = re.compile(r"(?im)^[^\n!]*\b(password|secret|key|key-string|community)"
                     r"[ \t]+(?:[0-9][ \t]+)?" + re.escape(form))
    return lambda text: bool(pat.search(text))


def yaml_context(form):
    """The line holding `form` still sits under a data: or stringData: key."""
    def ok(text):
        lines = text.replace("\r\n", "\n").split("\n")
        for i, line in enumerate(lines):
            if form not in line or "\t" in line:
                continue
            ind = len(line) - len(line.lstrip(" "))
            for j in range(i - 1, -1, -1):
                up = lines[j]
                if not up.strip() or up.lstrip().startswith("#"):
                    continue
                uind = len(up) - len(up.lstrip(" "))
                if uind < ind:
                    if up.strip() in ("data:", "stringData:"):
                        return True
                    break
        return False
    return ok


S_T0 = "Ios-Type0-Pw-q7Xz"
S_T7 = "Ios-Type7-Pw-Kz93"
S_CAP = "Ios-Capital-Pw-Lm2w"
S_UNK = "Ios-Unknown-Pw-Hy6t"
S_B64 = "Calico-Data-Pw-Wq55"
S_STR = "Calico-String-Pw-Pm81"
S_BAD = "Calico-NotB64-Pw-Zt4!"
T7 = type7(S_T7)
B64 = base64.b64encode(S_B64.encode()).decode()

SECRETS = [
    Secret(S_T0, [], ios_context(S_T0)),
    Secret(S_T7, [T7], ios_context(T7)),
    Secret(S_CAP, [], ios_context(S_CAP)),
    Secret(S_UNK, [], ios_context(S_UNK)),
    Secret(S_B64, [B64], yaml_context(B64)),
    Secret(S_STR, [], yaml_context(S_STR)),
    Secret(S_BAD, [], yaml_context(S_BAD)),
]


def secret_case():
    """The seed with passwords on both sides, in every form rrkit reads."""
    ios = open(os.path.join(ROOT, "samples/seed/router.ios")).read()
    ios = ios.replace(
        " neighbor 192.168.1.10 description node-a\n",
        " neighbor 192.168.1.10 description node-a\n"
        " neighbor 192.168.1.10 password 0 %s\n" % S_T0)
    ios = ios.replace(
        " neighbor 192.168.1.11 description node-b\n",
        " neighbor 192.168.1.11 description node-b\n"
        " neighbor 192.168.1.11 password 7 %s\n" % T7)
    ios = ios.replace(
        " neighbor 192.168.1.12 description node-c\n",
        " neighbor 192.168.1.12 description node-c\n"
        " neighbor 192.168.1.12 Password %s\n" % S_CAP)
    ios = ios.replace(" bgp log-neighbor-changes\n",
                      " bgp log-neighbor-changes\n Password 0 %s\n" % S_UNK)
    cal = open(os.path.join(ROOT, "samples/seed/calico.yaml")).read()
    cal = cal.replace(
        "  peerIP: 192.168.1.1\n  asNumber: 64512\n",
        "  peerIP: 192.168.1.1\n  asNumber: 64512\n"
        "  password:\n    secretKeyRef:\n      name: bgp-secrets\n"
        "      key: rr1\n", 1)
    cal += ("---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: bgp-secrets\n"
            "  namespace: calico-system\ntype: Opaque\ndata:\n  rr1: %s\n"
            "  bad: %s\nstringData:\n  other: %s\n" % (B64, S_BAD, S_STR))
    return {"router.ios": ios.encode(), "calico.yaml": cal.encode()}


# ----------------------------------------------------------------- inputs

def read(path):
    with open(path, "rb") as f:
        return f.read()


def is_yaml(b):
    return re.search(rb"(?m)^(apiVersion|kind)\s*:", b[:65536]) is not None


def base_cases(corpus):
    """(name, {file: bytes}, mutable file) for every sample and corpus file;
    a corpus file gets the seed's other side."""
    seed = {"router.ios": read(os.path.join(ROOT, "samples/seed/router.ios")),
            "calico.yaml": read(os.path.join(ROOT, "samples/seed/calico.yaml"))}
    cases = [("secrets", secret_case(), None)]
    for dirpath, dirs, files in sorted(os.walk(os.path.join(ROOT, "samples"))):
        dirs.sort()
        names = sorted(f for f in files if f.endswith((".ios", ".yaml")))
        if names:
            rel = os.path.relpath(dirpath, ROOT)
            cases.append((rel, {f: read(os.path.join(dirpath, f)) for f in names}, None))
    if corpus and os.path.isdir(corpus):
        for dirpath, dirs, files in sorted(os.walk(corpus)):
            dirs.sort()
            for f in sorted(files):
                p = os.path.join(dirpath, f)
                if f.startswith(("README", "LICENSE")) or f.endswith((".tsv", ".md")):
                    continue
                if os.path.getsize(p) > (1 << 20):
                    continue
                b = read(p)
                other = "router.ios" if is_yaml(b) else "calico.yaml"
                name = "corpus/" + os.path.relpath(p, corpus)
                mine = "input.yaml" if is_yaml(b) else "input.ios"
                cases.append((name, {mine: b, other: seed[other]}, mine))
    return cases


# -------------------------------------------------------------- mutators

def _k(rng, n, rate):
    return max(1, int(n * rate + rng.random()))


def flip(rate):
    def m(rng, b):
        b = bytearray(b)
        for _ in range(_k(rng, len(b), rate) if b else 0):
            i = rng.randrange(len(b))
            b[i] = rng.randrange(256) if rng.random() < 0.5 else b[i] ^ (1 << rng.randrange(8))
        return bytes(b)
    m.__name__ = "flip-%g" % rate
    return m


def _lines(b):
    return b.splitlines(keepends=True) or [b""]


def line_dup(rng, b):
    ls = _lines(b)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(ls))
        ls.insert(i, ls[i])
    return b"".join(ls)


def line_del(rng, b):
    ls = _lines(b)
    for _ in range(rng.randint(1, 8)):
        if len(ls) > 1:
            del ls[rng.randrange(len(ls))]
    return b"".join(ls)


def line_swap(rng, b):
    ls = _lines(b)
    for _ in range(rng.randint(1, 8)):
        i, j = rng.randrange(len(ls)), rng.randrange(len(ls))
        ls[i], ls[j] = ls[j], ls[i]
    return b"".join(ls)


HUGE = [b"99999999999999999999999999", b"4294967296", b"4294967295", b"-1",
        b"65536", b"0", b"1e309", b"0x" + b"f" * 40, b"18446744073709551616",
        b"1.1.1.1.1", b"999.999.999.999", b"65535.65536", b"2" * 300]


def huge_numbers(rng, b):
    nums = list(re.finditer(rb"\d+", b))
    if not nums:
        return b + b"\n" + rng.choice(HUGE) + b"\n"
    out, last = [], 0
    for mt in sorted(rng.sample(nums, min(len(nums), rng.randint(1, 6))), key=lambda x: x.start()):
        out += [b[last:mt.start()], rng.choice(HUGE)]
        last = mt.end()
    return b"".join(out + [b[last:]])


def deep_yaml(rng, b):
    n = rng.choice([70, 200, 5000])
    if rng.random() < 0.5:
        deep = b"x: " + b"[" * n + b"]" * n + b"\n"
    else:
        deep = b"".join(b"  " * i + b"- a:\n" for i in range(min(n, 300)))
    ls = _lines(b)
    ls.insert(rng.randrange(len(ls) + 1), deep)
    return b"".join(ls)


def aliases(rng, b):
    r = rng.random()
    if r < 0.4:  # a billion laughs in front of the document
        bomb = [b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
        prev = b"a"
        for n in b"bcdefghij":
            n = bytes([n])
            bomb.append(n + b": &" + n + b" [" + b",".join([b"*" + prev] * 9) + b"]\n")
            prev = n
        return b"".join(bomb) + b"---\n" + b
    if r < 0.7:  # anchors on values, aliases elsewhere, merge keys
        ls = _lines(b)
        for i in range(len(ls)):
            if rng.random() < 0.2 and b": " in ls[i]:
                k, v = ls[i].split(b": ", 1)
                ls[i] = k + b": &x%d " % i + v
            elif rng.random() < 0.1 and b": " in ls[i]:
                k, _ = ls[i].split(b": ", 1)
                ls[i] = k + b": *x%d\n" % rng.randrange(len(ls))
        return b"".join(ls)
    return b.replace(b"spec:\n", b"spec:\n  <<: *nowhere\n", 1) + b"\nz: *undefined\n"


def tabs(rng, b):
    ls = _lines(b)
    for i in range(len(ls)):
        if rng.random() < 0.5:
            s = ls[i].lstrip(b" ")
            ls[i] = b"\t" * (len(ls[i]) - len(s)) + s
    return b"".join(ls)


def crlf(rng, b):
    r = rng.random()
    if r < 0.5:
        return b.replace(b"\n", b"\r\n")
    if r < 0.8:
        return b.replace(b"\n", b"\r")
    return b"".join(l.replace(b"\n", b"\r\n") if rng.random() < 0.5 else l for l in _lines(b))


def utf16(rng, b):
    t = b.decode("utf-8", "replace")
    if rng.random() < 0.5:
        return b"\xff\xfe" + t.encode("utf-16-le")
    return b"\xfe\xff" + t.encode("utf-16-be")


def nul(rng, b):
    b = bytearray(b)
    for _ in range(rng.randint(1, 5)):
        b.insert(rng.randrange(len(b) + 1), 0)
    return bytes(b)


def latin1(rng, b):
    b = bytearray(b)
    letters = [i for i, c in enumerate(b) if 97 <= c <= 122]
    for i in rng.sample(letters, min(len(letters), rng.randint(1, 20))):
        b[i] = rng.choice([0xe9, 0xe8, 0xfc, 0xff, 0xa0, 0x85, 0xc3, 0xed, 0xf4])
    return bytes(b)


def long_line(rng, b):
    big = rng.choice([b"a", b"9", b"x y ", b"\xc3\xa9"]) * (1 << 20)
    ls = _lines(b)
    i = rng.randrange(len(ls))
    if rng.random() < 0.5:  # a 1 MB value at the end of a line
        ls[i] = ls[i].rstrip(b"\r\n") + big + b"\n"
    else:
        ls.insert(i, big + b"\n")
    return b"".join(ls)


def truncate(rng, b):
    return b[:rng.randrange(len(b) + 1)]


MUTATORS = [flip(0.0005), flip(0.005), flip(0.05), line_dup, line_del, line_swap,
            huge_numbers, deep_yaml, aliases, tabs, crlf, utf16, nul, latin1,
            long_line, truncate]


# --------------------------------------------------------------- running

SAN = re.compile(rb"(ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|"
                 rb"UndefinedBehaviorSanitizer|SUMMARY: )")


def commands(files, node):
    """(name, argv tail, outputs: {file: kind}) for one case."""
    f = list(files)
    return [
        ("show", ["show"] + f, {"-": "text"}),
        ("show-json", ["show", "--format", "json"] + f, {"-": "json"}),
        ("lint", ["lint", "--format", "text", "--format", "json=out/l.json",
                  "--format", "sarif=out/l.sarif", "--format", "junit=out/l.xml",
                  "--format", "github=out/l.gh"] + f,
         {"-": "text", "out/l.json": "json", "out/l.sarif": "json",
          "out/l.xml": "xml", "out/l.gh": "utf8"}),
        ("gen-cisco", ["gen", "cisco", "--output", "out/g.ios"] + f, {"out/g.ios": "text"}),
        ("gen-calico", ["gen", "calico", "--output", "out/g.yaml"] + f, {"out/g.yaml": "yaml"}),
        ("gen-bird", ["gen", "bird", "--node", node, "--output", "out/b.conf"] + f,
         {"out/b.conf": "text"}),
        ("sim", ["sim", "--pcap", "out/s.pcap"] + f, {"-": "text", "out/s.pcap": "bin"}),
        ("sim-json", ["sim", "--format", "json"] + f, {"-": "json"}),
        ("sim-dot", ["sim", "--format", "dot"] + f, {"-": "utf8"}),
    ]


def check_output(kind, data):
    """None, or why the output is not what its format promises."""
    if kind in ("text", "bin") or not data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return "%s output is not UTF-8 (%s)" % (kind, e)
    try:
        if kind == "json":
            json.loads(text)
        elif kind == "xml":
            ET.fromstring(data)
        elif kind == "yaml":
            try:
                import yaml
            except ImportError:
                return None
            list(yaml.safe_load_all(text))
    except Exception as e:  # noqa: BLE001 -- any parse error is the finding
        return "%s output does not parse: %s" % (kind, str(e)[:200])
    return None


def run_one(job):
    """Run one command on one case in a fresh directory; a list of
    failures (empty when the run passed)."""
    rrkit, case, files, cmd, secrets, limit = job
    name, argv, outputs = cmd
    d = tempfile.mkdtemp(prefix="rrkit-robust-")
    fails = []
    try:
        for fn, data in files.items():
            p = os.path.join(d, os.fsdecode(fn) if isinstance(fn, bytes) else fn)
            with open(p, "wb") as fh:
                fh.write(data)
        os.mkdir(os.path.join(d, "out"))
        before = set(os.listdir(d))
        env = dict(os.environ, NO_COLOR="1", ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
                   UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
        t0 = time.time()
        try:
            p = subprocess.run([rrkit] + argv, cwd=d, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=limit, env=env)
            rc, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            rc, out, err = None, e.stdout or b"", e.stderr or b""
            fails.append("no end within %g s" % limit)
        secs = time.time() - t0
        if rc is not None and rc < 0:
            fails.append("killed by signal %s" % signal.Signals(-rc).name)
        elif rc is not None and rc not in (0, 1, 2, 3):
            fails.append("exit status %d" % rc)
        if SAN.search(err):
            fails.append("sanitizer report")
        left = sorted(set(os.listdir(d)) - before)
        made = sorted(os.listdir(os.path.join(d, "out")))
        extra = [f for f in made if "out/" + f not in outputs]
        if left or extra:
            fails.append("files left behind: %s" % ", ".join(left + ["out/" + f for f in extra]))
        blobs = {"stdout": out, "stderr": err}
        for f in made:
            blobs["out/" + f] = read(os.path.join(d, "out", f))
        if rc in (0, 1):
            for path, kind in outputs.items():
                why = check_output(kind, out if path == "-" else blobs.get(path, b""))
                if why:
                    fails.append("%s: %s" % (path, why))
        for s in secrets:
            for form in s.forms:
                fb = form.encode()
                for where, blob in blobs.items():
                    if fb in blob:
                        fails.append("secret %r (form %r) in %s" % (s.text, form, where))
        return case, name, argv, rc, secs, fails, err
    finally:
        shutil.rmtree(d, ignore_errors=True)


def live_secrets(files):
    """The planted secrets an input still holds as secrets."""
    text = ""
    for data in files.values():
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text += data.decode("utf-16", "replace") + "\n"
        else:
            text += data.decode("utf-8", "surrogateescape") + "\n"
    live = [s for s in SECRETS if any(f in text for f in s.forms) and s.context(text)]
    # a secret the input shows outside any secret context may be quoted
    return live


def node_of(files):
    for data in files.values():
        m = re.search(rb"(?m)^kind: Node\s*\nmetadata:\s*\n\s+name: (\S+)", data)
        if m:
            # an argument, so what execve takes: no NUL, and not a 1 MB
            # line (E2BIG past 128 KiB); a Node's name is at most 253
            name = m.group(1)[:253].decode("utf-8", "replace")
            if "\0" not in name:
                return name
    return "node-a"


# ---------------------------------------------------------- special cases

def neighbors_case(n):
    head = b"hostname big\ninterface Gi0/0\n ip address 10.0.0.1 255.0.0.0\nrouter bgp 64512\n"
    lines = [head]
    for i in range(n):
        a = (10 << 24) | (i + 2)
        lines.append(b" neighbor %d.%d.%d.%d remote-as 64512\n" %
                     (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255))
    return {"big.ios": b"".join(lines)}


def walk_case(rrkit, limit):
    """A directory with two symlinks to itself and a FIFO: the walk ends
    (each directory read once) and says what it skipped."""
    d = tempfile.mkdtemp(prefix="rrkit-robust-walk-")
    fails = []
    try:
        w = os.path.join(d, "w")
        os.mkdir(w)
        shutil.copy(os.path.join(ROOT, "samples/seed/router.ios"), w)
        shutil.copy(os.path.join(ROOT, "samples/seed/calico.yaml"), w)
        os.symlink(".", os.path.join(w, "l1"))
        os.symlink(".", os.path.join(w, "l2"))
        os.mkfifo(os.path.join(w, "fifo"))
        try:
            p = subprocess.run([rrkit, "lint", "w"], cwd=d, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=limit)
            rc = p.returncode
            if rc != 0:
                fails.append("exit status %d" % rc)
            if b"FIFO" not in p.stdout + p.stderr:
                fails.append("the FIFO is not said to be skipped")
            if SAN.search(p.stderr):
                fails.append("sanitizer report")
        except subprocess.TimeoutExpired:
            rc = None
            fails.append("the walk does not end within %g s" % limit)
        return ("walk-loop-fifo", "lint", ["lint", "w"], rc, 0, fails, b"")
    finally:
        shutil.rmtree(d, ignore_errors=True)


# ------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build/asan/rrkit"))
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--short", action="store_true", help="a minute or two (make check)")
    g.add_argument("--full", action="store_true", help="every case with every mutator")
    ap.add_argument("--rounds", type=int, default=1, help="--full: mutated copies per case and mutator")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--time", type=float, default=30, help="seconds per run")
    ap.add_argument("--corpus", default=os.environ.get(
        "RRKIT_CORPUS", os.path.join(ROOT, "..", "shared", "corpus")))
    ap.add_argument("--keep", default=os.path.join(ROOT, "build/robust/failures"))
    a = ap.parse_args()
    rrkit = os.path.abspath(a.bin)
    if not os.access(rrkit, os.X_OK):
        print("sweep: no %s (make %s)" % (a.bin, a.bin))
        return 2
    rng = random.Random(a.seed)
    cases = base_cases(a.corpus)
    if not os.path.isdir(a.corpus):
        print("sweep: no corpus at %s: samples only" % a.corpus)

    # the inputs: every case as it is, then mutated copies
    inputs = []  # (label, files)
    for name, files, target in cases:
        inputs.append((name, files))
    muts = []
    for name, files, target in cases:
        keys = [target] if target else sorted(files)
        for m in MUTATORS:
            for r in range(a.rounds if a.full else 1):
                muts.append((name, files, keys, m, r))
    if a.short:
        # every mutator on the secrets case and as many draws over the
        # other cases; the samples as they are run in the golden suites
        sec = [x for x in muts if x[0] == "secrets"]
        other = [x for x in muts if x[0] != "secrets"]
        muts = sec + rng.sample(other, min(len(other), len(MUTATORS)))
        inputs = [x for x in inputs if x[0] == "secrets"]
    for name, files, keys, m, r in muts:
        k = rng.choice(keys)
        mrng = random.Random("%d/%s/%s/%s/%d" % (a.seed, name, k, m.__name__, r))
        f2 = dict(files)
        f2[k] = m(mrng, files[k])
        inputs.append(("%s~%s:%s#%d" % (name, k, m.__name__, r), f2))
    # a name that is not UTF-8 (and holds a newline): it reaches every output
    seed = dict(cases[0][1])
    odd = {b"r\xe9seau\nrouter.ios": seed["router.ios"], "calico.yaml": seed["calico.yaml"]}
    inputs.append(("odd-file-name", odd))

    jobs = []
    for label, files in inputs:
        live = live_secrets(files)
        node = node_of(files)
        names = [os.fsdecode(k) if isinstance(k, bytes) else k for k in files]
        for cmd in commands(names, node):
            jobs.append((rrkit, label, files, cmd, live, a.time))
    big = neighbors_case(1000000 if a.full else 60000)
    for cmd in commands(["big.ios"], "node-a"):
        if cmd[0] in ("lint", "show-json") or a.full:
            jobs.append((rrkit, "neighbors-%s" % ("10^6" if a.full else "60000"), big, cmd, [],
                         max(a.time, 120)))

    t0 = time.time()
    nfail = nruns = 0
    slowest = (0, "")
    statuses = {}
    kinds = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        results = list(ex.map(run_one, jobs))
    results.append(walk_case(rrkit, a.time))
    for (case, name, argv, rc, secs, fails, err), job in zip(results, jobs + [None]):
        nruns += 1
        statuses[rc] = statuses.get(rc, 0) + 1
        if secs > slowest[0]:
            slowest = (secs, "%s %s" % (case, name))
        if not fails:
            continue
        nfail += 1
        for f in fails:
            key = re.sub(r"'.*", "", f)[:60]
            kinds[key] = kinds.get(key, 0) + 1
        print("FAIL %s %s: %s" % (case, name, "; ".join(fails)))
        if job is not None:
            keep = os.path.join(a.keep, "%04d" % nfail)
            os.makedirs(keep, exist_ok=True)
            for fn, data in job[2].items():
                fn = fn if isinstance(fn, str) else os.fsdecode(fn)
                with open(os.path.join(keep, fn.replace("/", "_").replace("\n", "_")), "wb") as fh:
                    fh.write(data)
            with open(os.path.join(keep, "cmd.txt"), "w", errors="surrogateescape") as fh:
                fh.write("%s %s\n%s\n" % (case, " ".join(argv), "\n".join(fails)))
            with open(os.path.join(keep, "stderr"), "wb") as fh:
                fh.write(err[-20000:])
    secs = time.time() - t0
    print("sweep: %d inputs, %d runs in %.0f s (slowest %.1f s: %s); exit statuses %s"
          % (len(inputs) + 2, nruns, secs, slowest[0], slowest[1],
             ", ".join("%s: %d" % ("timeout" if k is None else k, v)
                       for k, v in sorted(statuses.items(), key=lambda x: (x[0] is None, x[0] or 0)))))
    for k, v in sorted(kinds.items()):
        print("  %d x %s" % (v, k))
    print("sweep: %d passed, %d failed" % (nruns - nfail, nfail))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
