#!/usr/bin/env python3
"""Keep the examples in README.md real.

  tools/readme-examples.py BUILD_DIR [--update]

Every fenced block of README.md whose first line is `$ rrkit ...` is a
transcript: each `$ ` line is run (from the repository root, `rrkit` being
BUILD_DIR/rrkit, NO_COLOR=1, no standard input), `$ echo $?` prints the
status of the command before it, and the lines up to the next `$ ` are its
output (stdout and stderr as a terminal shows them).  Without --update the
script fails, printing a diff, when an example's output is not what rrkit
prints now; with --update it rewrites README.md.  Blocks that start with
anything else (`make bench`, usage synopses) are left alone.
"""
import difflib
import os
import subprocess
import sys
import tempfile


def run_block(cmds, env, root):
    out, last = [], 0
    for c in cmds:
        out.append("$ " + c)
        if c.strip() == "echo $?":
            out.append(str(last))
            continue
        r = subprocess.run(c, shell=True, cwd=root, env=env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=120)
        last = r.returncode
        text = r.stdout.rstrip("\n")
        if text:
            out.extend(text.split("\n"))
    return out


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    build = os.path.abspath(sys.argv[1])
    update = "--update" in sys.argv[2:]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "README.md")
    lines = open(path).read().split("\n")
    bindir = tempfile.mkdtemp()
    os.symlink(os.path.join(build, "rrkit"), os.path.join(bindir, "rrkit"))
    env = dict(os.environ, NO_COLOR="1",
               PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    new, i, bad, blocks = [], 0, 0, 0
    while i < len(lines):
        line = lines[i]
        new.append(line)
        if line.startswith("```") and i + 1 < len(lines) and \
                lines[i + 1].startswith("$ rrkit "):
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            old = lines[i + 1:j]
            cmds = [l[2:] for l in old if l.startswith("$ ")]
            got = run_block(cmds, env, root)
            blocks += 1
            if got != old:
                bad += 1
                if not update:
                    sys.stdout.writelines(difflib.unified_diff(
                        [l + "\n" for l in old], [l + "\n" for l in got],
                        "README.md (as written)", "rrkit now", n=1))
            new.extend(got)
            i = j
            continue
        i += 1
    os.unlink(os.path.join(bindir, "rrkit"))
    os.rmdir(bindir)
    if update:
        open(path, "w").write("\n".join(new))
        print("readme-examples: %d blocks, %d rewritten" % (blocks, bad))
        return 0
    print("readme-examples: %d passed, %d failed" % (blocks - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
