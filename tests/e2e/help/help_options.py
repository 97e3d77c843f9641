#!/usr/bin/env python3
"""help_options.py — every command's help names all its options.

For rostctl and rost-agg: read `--help`, collect the options each command's
line names, and run every command once with every option any help names.
An option its own help names must be taken (never "unknown option" /
"gäller inte" / "unrecognized option", never a crash); one it does not name
must be refused with exit 2.  The store and database paths do not exist, so
nothing is written anywhere.

usage: help_options.py ROSTCTL ROST-AGG WORKDIR
"""
import os
import re
import shutil
import subprocess
import sys

ROSTCTL, ROSTAGG, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
BAD = os.path.join(WORK, "does-not-exist", "x.db")
REFUSED = re.compile(r"unknown option|unrecognized option|gäller inte")
failures = []


def run(argv):
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=30, cwd=WORK,
                       env=dict(os.environ, LC_ALL="C.UTF-8"))
    return p.returncode, (p.stdout + p.stderr).decode("utf-8", "replace")


def opts_of(text):
    return set(re.findall(r"--([a-z][a-z-]*)", text))


def check(prog, cmd, pre, named, every, store):
    # the help must name something before it can be trusted
    for o in sorted(every):
        if o == "help":
            continue
        # --store/--db name a path that cannot exist: nothing is created
        argv = [prog] + cmd + pre + ["--" + o,
                                     BAD if o in ("store", "db") else "x"]
        if o not in ("store", "db", "config") and store and \
                store[0][2:] in named:
            argv += store
        rc, out = run(argv)
        where = "%s %s --%s" % (os.path.basename(prog), " ".join(cmd), o)
        if rc < 0 or rc >= 128 or "Assertion" in out or "runtime error" in out:
            failures.append("%s: crashed (%d): %s" % (where, rc, out[-300:]))
        elif o in named and REFUSED.search(out):
            failures.append("%s: named in the help but refused: %s"
                            % (where, out.strip()[:300]))
        elif o not in named and not (rc == 2 and REFUSED.search(out)):
            failures.append("%s: not in the help but not refused (%d): %s"
                            % (where, rc, out.strip()[:300]))


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    # ---- rostctl ----------------------------------------------------------
    rc, text = run([ROSTCTL, "--help"])
    if rc != 0:
        failures.append("rostctl --help: exit %d" % rc)
    cmds, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"^  ([a-z][a-z-]*) (.*)$", line)
        if m:
            cur = m.group(1)
            cmds[cur] = m.group(2)
        elif cur and re.match(r"^       ", line):
            cmds[cur] += " " + line      # calls: its subcommands' lines
        elif re.match(r"^      \S", line) or not line.strip():
            pass                          # the one-line description
        else:
            cur = None
    want = {"validate", "sets", "show", "counts", "export", "check",
            "set-pin", "calls", "sync", "enrol"}
    if set(cmds) != want:
        failures.append("rostctl --help lists %s" % sorted(cmds))
    every = set().union(*(opts_of(a) for a in cmds.values()))
    pre = {"validate": [BAD], "show": ["nojdhet-kiosk"], "calls": ["list"]}
    for c, a in sorted(cmds.items()):
        if c in ("validate", "sets"):
            continue                     # no options at all
        check(ROSTCTL, [c], pre.get(c, []), opts_of(a), every,
              ["--store", BAD])
    for o in ("mode", "track", "care", "span", "from", "to", "unit"):
        if o not in opts_of(cmds.get("counts", "")):
            failures.append("rostctl counts: help lacks --%s" % o)
    if "csv" not in opts_of(cmds.get("calls", "")):
        failures.append("rostctl calls: help lacks --csv")

    # ---- rost-agg ---------------------------------------------------------
    rc, text = run([ROSTAGG, "--help"])
    if rc != 0:
        failures.append("rost-agg --help: exit %d" % rc)
    acmds = {}
    for line in text.splitlines():
        m = re.match(r"^  rost-agg ([a-z]+) (.*)$", line)
        if m:
            acmds[m.group(1)] = m.group(2)
    every = set().union(*(opts_of(a) for a in acmds.values()))
    pre = {"revoke": ["x"], "publish": [os.path.join(WORK, "none.json")],
           "user": ["add", "n"], "token": ["add", "n"]}
    for c, a in sorted(acmds.items()):
        if c == "serve":
            continue     # its every option is config; it would listen
        check(ROSTAGG, [c], pre.get(c, []), opts_of(a), every,
              ["--db", BAD])
    for o in ("mode", "track", "care", "from", "to", "set", "version", "goal",
              "period", "span", "unit"):
        if o not in opts_of(acmds.get("report", "")):
            failures.append("rost-agg report: help lacks --%s" % o)

    left = sorted(n for n in os.listdir(WORK) if n != "does-not-exist")
    if left:
        failures.append("files created by a wrong option: %s" % left)
    for f in failures:
        print("FAIL", f)
    print("help_options: %s (%d failures)" % ("FAILED" if failures else "ok",
                                              len(failures)))
    return 1 if failures else 0


sys.exit(main())
