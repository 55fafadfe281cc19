"""pm4py's calls on a log already in memory (a notebook user's view), for comparison with our warm calls
(`Analytics.Benchmarks mine STORE`): the log is read once, then each call is timed five times and the median printed.

Usage: PYTHONPATH=PM4PY_SRC /usr/bin/python3 pm4py_inprocess.py LOG.xes.gz
"""
import statistics
import sys
import time

import pm4py

WEEKDAYS_9_17 = [(d * 86400 + 9 * 3600, d * 86400 + 17 * 3600) for d in range(5)]


def median_time(call, runs=5):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    log = pm4py.read_xes(sys.argv[1])
    jobs = [("performance DFG", lambda: pm4py.discover_performance_dfg(log)),
            ("business-hours performance DFG", lambda: pm4py.discover_performance_dfg(log, business_hours=True, business_hour_slots=WEEKDAYS_9_17)),
            ("variants", lambda: pm4py.get_variants(log))]
    for name, call in jobs:
        runs = 3 if "business" in name else 5
        print(f"{sys.argv[1]}: {name}: median {median_time(call, runs) * 1000:.1f} ms over {runs} calls", flush=True)


if __name__ == "__main__":
    main()
