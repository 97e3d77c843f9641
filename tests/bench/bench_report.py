#!/usr/bin/env python3
"""bench_report.py — This file contains bench.sh's report: it reads the
benchmarks' logs, collects their BENCH lines and prints one table (figure,
median, spread, goal, met or not, the comparison where there is one) with
the machine line, and writes the same as JSON.

The one line format every benchmark prints (ctest -V may prefix "N: "):

    BENCH <figure> key=value key=value ...

  figure     one token, dotted, e.g. pg_query.indicator_unit_vs_region_24m.sqlite.1000000;
             bare words after it are joined to it with "." (older lines)
  values     a number (unit in the key: _ms, _s, _per_s, _mib, _pct) or a
             word without spaces; key="quoted text" is allowed
  goal=K<=N  the figure's goal on its own key K (or K>=N); the table shows K
  compare=G  figures with the same G are shown against each other

Lines with the same figure and the same word-valued keys (driver=x11, ...)
are one figure; over several runs the table gives the median of the runs
and their range, else the spread the line itself gives (min/max, p95).

usage: bench_report.py --json OUT.json --machine-before "LOAD" LOG...
"""
import argparse
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time

LINE = re.compile(r"^(?:\d+: )?BENCH (.*)$")
NUM = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
GOAL = re.compile(r"^([A-Za-z0-9_]+)(<=|>=)([-+]?[0-9.]+)$")
# Keys that never name a figure (times of day, loads, notes).
NOT_ID = {"goal", "compare", "text", "types", "build", "kiosk", "chromium", "png",
          "loadavg_start", "loadavg_end", "load1", "last_kib:", "woke:"}
PRIMARY = ("median_ms", "p95_ms", "median", "rate_per_s", "rate_median_per_s",
           "median_s", "value", "kiosk", "p50_ms", "seconds")


def number(v):
    m = NUM.match(v)
    return float(m.group(0)) if m else None


def parse_line(text):
    """(figure, id, {key: raw}) of one BENCH line, or None."""
    try:
        toks = shlex.split(text)
    except ValueError:
        toks = text.split()
    name, kv = [], {}
    for t in toks:
        if "=" in t and not t.startswith("="):
            k, v = t.split("=", 1)
            kv[k] = v
        elif not kv:
            name.append(t.rstrip(":"))
    if not name:
        return None
    figure = ".".join(name)
    ident = [k + "=" + v for k, v in kv.items()
             if k not in NOT_ID and not k.startswith("load") and
             number(v) is None and v not in ("-", "") and "/" not in v]
    if ident:
        figure += " [" + " ".join(ident) + "]"
    return figure, kv


def collect(logs):
    """{figure: {"bench": name, "runs": [kv, ...]}} in order of first sight."""
    figs = {}
    for path in logs:
        bench = os.path.basename(path).split(".")[0]
        try:
            with open(path, errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            continue
        for ln in lines:
            m = LINE.match(ln.strip())
            if not m:
                continue
            got = parse_line(m.group(1))
            if not got:
                continue
            fig, kv = got
            if fig == "machine":      # a benchmark's own machine note
                continue
            figs.setdefault(fig, {"bench": bench, "runs": []})["runs"].append(kv)
    return figs


def summarise(fig, entry):
    runs = entry["runs"]
    last = runs[-1]
    goal = GOAL.match(last.get("goal", ""))
    key = goal.group(1) if goal else next(
        (k for k in PRIMARY if k in last and number(last[k]) is not None),
        next((k for k, v in last.items() if number(v) is not None and
              not k.startswith("load")), None))
    vals = [number(r[key]) for r in runs if key and key in r and
            number(r[key]) is not None]
    row = {"figure": fig, "bench": entry["bench"], "key": key, "runs": len(runs),
           "values": vals, "median": statistics.median(vals) if vals else None,
           "last": last}
    if len(vals) > 1:
        row["spread"] = "runs %s–%s" % (fmt(min(vals)), fmt(max(vals)))
    else:
        parts = []
        suffix = key[key.find("_"):] if key and "_" in key else ""
        for k in ("min", "p90", "p95", "p99", "max"):
            cands = [k + suffix, k]
            if key and "median" in key:
                cands.insert(0, key.replace("median", k))
            if key and key.startswith("rate_"):
                cands.insert(0, "rate_" + k + key[4:])
            for cand in cands:
                if cand in last and cand != key and number(last[cand]) is not None:
                    parts.append("%s %s" % (k, fmt(number(last[cand]))))
                    break
        row["spread"] = ", ".join(parts)
    if goal:
        op, lim = goal.group(2), float(goal.group(3))
        row["goal"] = "%s %s %s" % (key, "≤" if op == "<=" else "≥", fmt(lim))
        if row["median"] is None:
            row["met"] = "unknown"
        else:
            ok = row["median"] <= lim if op == "<=" else row["median"] >= lim
            row["met"] = "yes" if ok else "no"
    if "compare" in last:
        row["compare"] = last["compare"]
    if "chromium" in last and number(last["chromium"]) is not None:
        row["comparison"] = "chromium %s (%s)" % (
            last["chromium"], last.get("chromium_per_kiosk", "-"))
    return row


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 100:
        return "%.0f" % v
    if abs(v) >= 10:
        return "%.1f" % v
    return "%.3g" % v


def machine(before):
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.startswith("model name"):
                    cpu = ln.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    with open("/proc/loadavg") as f:
        after = " ".join(f.read().split()[:3])
    disk = "?"
    try:
        out = subprocess.run(["df", "-hT", "."], capture_output=True, text=True,
                             timeout=10).stdout.splitlines()
        if len(out) > 1:
            c = out[1].split()
            disk = "%s %s, %s free" % (c[0], c[1], c[4])
        src = out[1].split()[0] if len(out) > 1 else ""
        rot = subprocess.run(["lsblk", "-ndo", "ROTA,MODEL", src],
                             capture_output=True, text=True, timeout=10).stdout.strip()
        if rot:
            disk += ", " + ("rotational" if rot.startswith("1") else "SSD") + \
                (" " + rot[1:].strip() if rot[1:].strip() else "")
    except (OSError, subprocess.SubprocessError, IndexError):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "load_before": before,
            "load_after": after, "disk": disk, "kernel": platform.release(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", required=True)
    ap.add_argument("--machine-before", default="?")
    ap.add_argument("--build", default="?")
    ap.add_argument("--failed", default="")
    ap.add_argument("--markdown", help="also write the table as Markdown "
                    "(what the README's Benchmarks section pastes)")
    ap.add_argument("logs", nargs="*")
    a = ap.parse_args()
    figs = collect(a.logs)
    rows = [summarise(f, e) for f, e in figs.items()]
    groups = {}
    for r in rows:
        if "compare" in r and r["median"] is not None:
            groups.setdefault(r["compare"], []).append(r)
    for r in rows:
        others = [o for o in groups.get(r.get("compare"), []) if o is not r]
        if others and r["median"]:
            r["comparison"] = "; ".join(
                "%s %s (%.2fx)" % (o["figure"].split(".")[-2] if o["figure"].count(".") >= 2
                                    else o["figure"], fmt(o["median"]),
                                    o["median"] / r["median"]) for o in others)
    m = machine(a.machine_before)
    m["build"] = a.build
    hdr = ("figure", "value", "spread", "goal", "met", "comparison")
    table = [hdr] + [(r["figure"], "%s %s" % (fmt(r["median"]), r["key"] or ""),
                      r.get("spread", ""), r.get("goal", ""), r.get("met", ""),
                      r.get("comparison", "")) for r in rows]
    w = [min(60, max(len(t[i]) for t in table)) for i in range(len(hdr))]
    for t in table:
        print("  ".join(c.ljust(w[i]) for i, c in enumerate(t)).rstrip())
    print("machine: %s, %d cores, load average before %s after %s, disk %s, "
          "kernel %s, %s build, %s" % (m["cpu"], m["cores"] or 0, m["load_before"],
                                       m["load_after"], m["disk"], m["kernel"],
                                       m["build"], m["date"]))
    mline = ("machine: %s, %d cores, load average before %s after %s, disk %s, "
             "kernel %s, %s build, %s" % (m["cpu"], m["cores"] or 0, m["load_before"],
                                          m["load_after"], m["disk"], m["kernel"],
                                          m["build"], m["date"]))
    failed = [x for x in a.failed.split() if x]
    if failed:
        print("failed benchmarks: " + " ".join(failed))
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write("| " + " | ".join(hdr) + " |\n")
            f.write("|" + "---|" * len(hdr) + "\n")
            for t in table[1:]:
                f.write("| " + " | ".join(c.replace("|", "\\|") for c in t) + " |\n")
            f.write("\n" + mline + ("; failed: " + " ".join(failed) if failed else "")
                    + "\n")
    out = {"machine": m, "failed": failed,
           "figures": [{k: v for k, v in r.items() if k != "last"} |
                       {"keys": r["last"]} for r in rows]}
    with open(a.json, "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
