#!/usr/bin/env python3
"""man_options.py — the man pages name every option the programs' --help names.

For each program: run `PROG --help`, collect every --option its text names,
read doc/man/PROG.1 (roff: \\- is '-', font escapes dropped) and fail on an
option the help names that the page does not, or one the page names that
the help does not (a stale option; --help, --version and systemctl's --now
are the page's own).  Also `man --warnings` must have nothing to say.

usage: man_options.py MANDIR PROG...
"""
import os
import re
import subprocess
import sys

MANDIR = sys.argv[1]
PAGE_ONLY = {"help", "version", "now"}
OPT = re.compile(r"(?<![\w-])--([a-z][a-z-]*[a-z])")
failures = []


def roff_text(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = "\n".join(l for l in text.splitlines() if not l.startswith('.\\"'))
    text = re.sub(r"\\f[BIRP]", "", text)
    return text.replace("\\-", "-").replace("\\&", "")


for prog in sys.argv[2:]:
    name = os.path.basename(prog)
    p = subprocess.run([prog, "--help"], capture_output=True, timeout=30,
                       stdin=subprocess.DEVNULL,
                       env=dict(os.environ, LC_ALL="C.UTF-8"))
    help_text = (p.stdout + p.stderr).decode("utf-8", "replace")
    if p.returncode != 0:
        failures.append("%s --help: exit %d" % (name, p.returncode))
    helps = set(OPT.findall(help_text))
    page = os.path.join(MANDIR, name + ".1")
    if not os.path.exists(page):
        failures.append("%s: no man page %s" % (name, page))
        continue
    mans = set(OPT.findall(roff_text(page)))
    # a help that names almost nothing was not read right
    if len(helps) < 3:
        failures.append("%s --help names only %s" % (name, sorted(helps)))
    for o in sorted(helps - mans):
        failures.append("%s: --help names --%s, %s.1 does not" % (name, o, name))
    for o in sorted(mans - helps - PAGE_ONLY):
        failures.append("%s.1 names --%s, --help does not" % (name, o))
    w = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", page],
                       capture_output=True, timeout=60,
                       env=dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8"))
    warn = w.stderr.decode("utf-8", "replace").strip()
    if w.returncode != 0 or warn:
        failures.append("%s.1: man --warnings: %s" % (name, warn[:300]))
    print("%s: %d options in --help, all in %s.1" % (name, len(helps), name)
          if not any(f.startswith(name) for f in failures) else
          "%s: see below" % name)

for f in failures:
    print("FAIL", f)
print("man_options: %s (%d failures)" % ("FAILED" if failures else "ok",
                                         len(failures)))
sys.exit(1 if failures else 0)
