"""One pm4py job as a whole process, for race.py: read a log, or read it and discover, and print a count.

Usage: pm4py_job.py JOB PATH [OUT]
  import     PATH.xes(.gz)             pm4py.read_xes
  store      PATH.xes(.gz)|.csv  OUT   read (XES, or a CSV with case_id, activity, timestamp) and pickle the
                                      DataFrame to OUT: pm4py's stored log, read back by the jobs below
  dfg        PATH(.xes.gz|.pkl)        performance DFG (pm4py.discover_performance_dfg)
  dfg-bh     PATH(.xes.gz|.pkl)        the same in business hours, Monday to Friday 09:00-17:00
  variants   PATH(.xes.gz|.pkl)        pm4py.get_variants
"""
import pickle
import sys

import pm4py

# Monday 00:00 = 0; pm4py's slots are seconds of the week.
WEEKDAYS_9_17 = [(d * 86400 + 9 * 3600, d * 86400 + 17 * 3600) for d in range(5)]


def load(path):
    if path.endswith(".pkl"):
        with open(path, "rb") as f:
            return pickle.load(f)
    if path.endswith(".csv"):
        import pandas as pd
        df = pd.read_csv(path, dtype={"case_id": str})
        # As the benchmark's csv export writes them (pandas 1.5 has no "ISO8601" format).
        df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True, format="%Y-%m-%dT%H:%M:%S.%fZ")
        return pm4py.format_dataframe(df, case_id="case_id", activity_key="activity", timestamp_key="timestamp")
    return pm4py.read_xes(path)


def main():
    job, path = sys.argv[1], sys.argv[2]
    log = load(path)
    if job == "import":
        print(len(log))
    elif job == "store":
        with open(sys.argv[3], "wb") as f:
            pickle.dump(log, f, protocol=pickle.HIGHEST_PROTOCOL)
        print(len(log))
    elif job == "dfg":
        print(len(pm4py.discover_performance_dfg(log)[0]))
    elif job == "dfg-bh":
        print(len(pm4py.discover_performance_dfg(log, business_hours=True, business_hour_slots=WEEKDAYS_9_17)[0]))
    elif job == "variants":
        print(len(pm4py.get_variants(log)))
    else:
        raise SystemExit(f"unknown job {job}")


if __name__ == "__main__":
    main()
