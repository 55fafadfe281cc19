#!/usr/bin/env python3
"""pm4py against analytics, side by side: each job as whole processes, A B A B (one hyperfine run each), the
median of the pair ratios, written as a Markdown table (stdout, and --out FILE).

Set-up (Debian 12; nothing here installs anything):
  apt-get install hyperfine python3-pandas python3-numpy python3-lxml python3-networkx python3-scipy \
      python3-intervaltree python3-deprecation python3-graphviz python3-tqdm python3-pydotplus python3-tz python3-matplotlib
  pm4py 2.7.11.4's source (git tag 2.7.11.4 of process-intelligence-solutions/pm4py): PM4PY_SRC=/path/holding/pm4py
  analytics published with ReadyToRun (README, "The analytics command"): ANALYTICS=/path/to/analytics
Run from the repository root:
  PM4PY_SRC=... ANALYTICS=... /usr/bin/python3 tests/Analytics.Benchmarks/race/race.py --pairs 5 [--large DIR] [--out FILE]
--large DIR holds the large logs: s10m.csv + s10m.duckdb (10 M events) and m1.csv + m1.duckdb (1 M events);
their jobs are left out when missing. A job whose tools are missing is skipped with the reason.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LOGS = os.path.join("..", "shared", "real-logs")


def hyperfine_once(command, env):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    try:
        subprocess.run(["hyperfine", "-N", "--runs", "1", "--warmup", "0", "--export-json", out, "--style", "none", command],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        with open(out) as f:
            result = json.load(f)["results"][0]
        if any(code != 0 for code in result.get("exit_codes", [0])):
            raise RuntimeError(f"{command} exited with {result['exit_codes']}")
        return result["mean"]
    finally:
        os.remove(out)


def race(name, peer, ours, pairs, env):
    # One warm-up run of each, not counted (file cache, first JIT of Python's bytecode).
    hyperfine_once(peer, env)
    hyperfine_once(ours, env)
    p, o = [], []
    for _ in range(pairs):
        p.append(hyperfine_once(peer, env))
        o.append(hyperfine_once(ours, env))
    ratios = [a / b for a, b in zip(p, o)]
    row = {"job": name, "pm4py_s": statistics.median(p), "ours_s": statistics.median(o),
           "ratio": statistics.median(ratios), "ratio_min": min(ratios), "ratio_max": max(ratios),
           "pm4py": peer, "ours": ours}
    print(f"{name}: pm4py {row['pm4py_s']:.2f} s, ours {row['ours_s']:.3f} s, {row['ratio']:.1f}x "
          f"(pairs {min(ratios):.1f}-{max(ratios):.1f}x)", file=sys.stderr, flush=True)
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--large", default=None)
    ap.add_argument("--out", default=None)
    ap.add_argument("--only", default=None, help="run only jobs whose name contains this")
    ap.add_argument("--large-only", action="store_true", help="only the large logs' jobs")
    args = ap.parse_args()

    missing = [t for t in ("hyperfine",) if shutil.which(t) is None]
    src = os.environ.get("PM4PY_SRC")
    exe = os.environ.get("ANALYTICS")
    if src is None or not os.path.isdir(os.path.join(src, "pm4py")):
        missing.append("PM4PY_SRC (a folder holding pm4py 2.7.11.4's source)")
    if exe is None or not os.access(exe, os.X_OK):
        missing.append("ANALYTICS (the published analytics executable)")
    if missing:
        print("skipped: missing " + ", ".join(missing), file=sys.stderr)
        return 0
    env = dict(os.environ, PYTHONPATH=src)
    py = f"/usr/bin/python3 {os.path.join(HERE, 'pm4py_job.py')}"
    work = tempfile.mkdtemp(prefix="race-")
    rows = []

    def stored(log):
        """A store of ours and a pickled DataFrame of pm4py's, both made once from the same file."""
        base = os.path.join(work, os.path.basename(log).split(".")[0])
        if not os.path.exists(base + ".duckdb"):
            subprocess.run([exe, "ingest", log, "--db", base + ".duckdb", "--quiet"], check=True, stdout=subprocess.DEVNULL, env=env)
            subprocess.run(py.split() + ["store", log, base + ".pkl"], check=True, stdout=subprocess.DEVNULL, env=env)
        return base + ".duckdb", base + ".pkl"

    def want(name):
        return args.only is None or args.only in name

    for name, file in (("bpic2012", "bpic2012.xes.gz"), ("DomesticDeclarations", "DomesticDeclarations.xes.gz")) if not args.large_only else ():
        log = os.path.join(LOGS, file)
        fresh = os.path.join(work, "fresh.duckdb")
        ingest = f"sh -c 'rm -f {fresh}; exec {exe} ingest {log} --db {fresh} --quiet >/dev/null'"
        if want(f"XES import, {name}"):
            rows.append(race(f"XES import, {name}", f"{py} import {log}", ingest, args.pairs, env))
        if want(f"performance DFG from the XES file, {name}"):
            rows.append(race(f"performance DFG from the XES file, {name}", f"{py} dfg {log}",
                             f"sh -c 'rm -f {fresh}; {exe} ingest {log} --db {fresh} --quiet >/dev/null && exec {exe} mine dfg --db {fresh} --no-calendar --quiet >/dev/null'",
                             args.pairs, env))
        db, pkl = stored(log)
        # pm4py has no store: its user reads the log file and discovers (the first three rows); a stricter peer is
        # pm4py reading a DataFrame it pickled before (the last three), which leaves it mostly Python's and pm4py's start.
        jobs = [(f"performance DFG on a stored log, {name}", f"{py} dfg {log}", f"{exe} mine dfg --db {db} --no-calendar --quiet"),
                (f"business-hours performance DFG on a stored log, {name}", f"{py} dfg-bh {log}", f"{exe} mine dfg --db {db} --calendar utc-weekdays-9-17 --quiet"),
                (f"variants on a stored log, {name}", f"{py} variants {log}", f"{exe} mine variants --db {db} --quiet"),
                (f"performance DFG, {name}, pm4py from a pickled DataFrame", f"{py} dfg {pkl}", f"{exe} mine dfg --db {db} --no-calendar --quiet"),
                (f"business-hours performance DFG, {name}, pm4py from a pickled DataFrame", f"{py} dfg-bh {pkl}", f"{exe} mine dfg --db {db} --calendar utc-weekdays-9-17 --quiet"),
                (f"variants, {name}, pm4py from a pickled DataFrame", f"{py} variants {pkl}", f"{exe} mine variants --db {db} --quiet")]
        for job, peer, ours in jobs:
            if want(job):
                rows.append(race(job, peer, ours, args.pairs, env))
    if args.large:
        for stem, label, jobs in (("s10m", "10 M events", ("dfg",)), ("m1", "1 M events", ("dfg-bh",))):
            csv, db = os.path.join(args.large, stem + ".csv"), os.path.join(args.large, stem + ".duckdb")
            if not (os.path.exists(csv) and os.path.exists(db)):
                print(f"skipped {label}: {csv} or {db} missing", file=sys.stderr)
                continue
            pkl = os.path.join(work, stem + ".pkl")
            for job in jobs:
                name = f"{'business-hours ' if job == 'dfg-bh' else ''}performance DFG, {label} (stored)"
                if not want(name):
                    continue
                if not os.path.exists(pkl):
                    subprocess.run(py.split() + ["store", csv, pkl], check=True, stdout=subprocess.DEVNULL, env=env)
                calendar = "--calendar utc-weekdays-9-17" if job == "dfg-bh" else "--no-calendar"
                rows.append(race(name, f"{py} {job} {pkl}", f"{exe} mine dfg --db {db} {calendar} --quiet", args.pairs, env))

    load = os.getloadavg()
    lines = [f"Race of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.node()} ({os.cpu_count()} cores, "
             f"{platform.platform()}), load average at the end {load[0]:.2f}; pm4py 2.7.11.4 on Debian's python3 "
             f"{platform.python_version()}; {args.pairs} pairs per job, whole processes, A B A B, median of pair ratios.", "",
             "| job | pm4py | ours | ratio (median of pairs) | pair ratios |", "|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['job']} | {r['pm4py_s']:.2f} s | {r['ours_s']:.3f} s | {r['ratio']:.1f}× | {r['ratio_min']:.1f}–{r['ratio_max']:.1f}× |")
    text = "\n".join(lines)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
        with open(args.out + ".json", "w") as f:
            json.dump(rows, f, indent=1)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
