"""How fast is "your own data" on a big CRM export? Time and peak memory of import + checks + per-rep KPIs.

    python benchmarks/bench_crm_import.py                    # 1,000,000 opportunities, 5,000 reps
    python benchmarks/bench_crm_import.py --rows 50000 --reps 300 --sample 5000

Writes a synthetic Salesforce-style export to a temporary folder, then, in a fresh Python process
(so its peak memory is its own), runs `course.crm.import_crm` (read, map, check every row) and
`course.metrics.rep_funnel_kpis`. For comparison it runs a naive row-by-row version (csv.DictReader,
one dict per rep) on a sample and extrapolates it to the full size. Target: under 20 s and 2 GB.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

STAGES = ["Prospecting", "Qualification", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost"]
COURSE = {"Prospecting": 0, "Qualification": 1, "Proposal/Price Quote": 2, "Negotiation/Review": 3, "Closed Won": 4}


def write_export(folder: Path, rows: int, reps: int, seed: int = 1) -> tuple[Path, Path]:
    """A synthetic export with the example's columns and mapping, built column by column (no row loop)."""
    from course.crm import example_files

    rng = np.random.default_rng(seed)
    days = pd.date_range("2022-01-01", "2025-06-30", freq="D")
    day_text = np.array([f"{d.month}/{d.day}/{d.year}" for d in days], dtype=object)
    created = rng.integers(0, len(days) - 200, rows)
    cycle = rng.integers(5, 200, rows)
    stage = rng.choice(len(STAGES), rows, p=[0.08, 0.08, 0.06, 0.04, 0.2, 0.54])
    furthest = np.where(stage == 5, rng.integers(0, 4, rows), np.minimum(stage, 4))
    owners = np.array([f"Rep {i:05d}" for i in range(reps)], dtype=object)
    frame = pd.DataFrame({
        "Opportunity ID": np.char.add("006", np.char.zfill(np.arange(rows).astype(str), 12)),
        "Opportunity Owner": owners[rng.integers(0, reps, rows)],
        "Owner Role": "AE",
        "Account Name": np.char.add("Account ", rng.integers(0, 50_000, rows).astype(str)),
        "Created Date": day_text[created],
        "Close Date": day_text[created + cycle],
        "Stage": np.array(STAGES, dtype=object)[stage],
        "Furthest Stage": np.where(stage == 5, np.array(STAGES, dtype=object)[furthest], ""),
        "Amount": np.round(rng.lognormal(np.log(30_000), 0.6, rows), 2),
        "Discount (%)": np.round(rng.gamma(2.0, 4.0, rows), 1),
    })
    export = folder / "opportunities_export.csv"
    frame.to_csv(export, index=False)
    return export, example_files()["mapping"]


CHILD = """
import json, sys, time
t0 = time.perf_counter()
from course.crm import import_crm
from course.metrics import rep_funnel_kpis
t_lib = time.perf_counter()
data = import_crm(sys.argv[1], sys.argv[2])
t1 = time.perf_counter()
kpis = rep_funnel_kpis(data.opportunities)
t2 = time.perf_counter()
import resource
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"rows": len(data.opportunities), "reps": len(kpis), "libraries_s": t_lib - t0, "import_s": t1 - t_lib, "kpis_s": t2 - t1,
                  "total_s": t2 - t0, "peak_mb": peak_kb / 1024}))
"""


def run_fast(export: Path, mapping: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", CHILD, str(export), str(mapping)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_naive(export: Path, sample: int) -> tuple[float, int]:
    """Row by row: parse, check and tally each row in Python dicts. Returns (seconds, rows done)."""
    started = time.perf_counter()
    tally: dict[str, dict[str, float]] = {}
    seen: set[str] = set()
    problems = done = 0
    with open(export, newline="", encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            if i >= sample:
                break
            done += 1
            if row["Opportunity ID"] in seen:
                problems += 1
            seen.add(row["Opportunity ID"])
            created = dt.datetime.strptime(row["Created Date"], "%m/%d/%Y")
            closed = dt.datetime.strptime(row["Close Date"], "%m/%d/%Y")
            amount = float(row["Amount"])
            problems += amount < 0
            stage = row["Stage"]
            rank = COURSE.get(stage, COURSE.get(row["Furthest Stage"], -1))
            t = tally.setdefault(row["Opportunity Owner"], dict.fromkeys(
                ["n", "qualified", "proposals", "negotiations", "won", "lost", "won_amount", "cycle"], 0.0))
            t["n"] += 1
            t["qualified"] += rank >= 1
            t["proposals"] += rank >= 2
            t["negotiations"] += rank >= 3
            t["won"] += stage == "Closed Won"
            t["lost"] += stage == "Closed Lost"
            if stage == "Closed Won":
                t["won_amount"] += amount
            if stage in ("Closed Won", "Closed Lost"):
                t["cycle"] += (closed - created).days
    for t in tally.values():  # the rates
        t["win_rate"] = t["won"] / (t["won"] + t["lost"]) if t["won"] + t["lost"] else float("nan")
    return time.perf_counter() - started, done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=5_000)
    parser.add_argument("--sample", type=int, default=20_000, help="rows for the naive baseline")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        export, mapping = write_export(Path(folder), args.rows, args.reps)
        size_mb = export.stat().st_size / 1e6
        print(f"Synthetic export: {args.rows:,} opportunities, {args.reps:,} reps, {size_mb:,.0f} MB "
              f"(written in {time.perf_counter() - started:.1f} s)")
        fast = run_fast(export, mapping)
        naive_s, done = run_naive(export, min(args.sample, args.rows))
    naive_full = naive_s * args.rows / done
    print(f"loading pandas and course  : {fast['libraries_s']:6.2f} s")
    print(f"course.crm import + checks : {fast['import_s']:6.2f} s")
    print(f"rep_funnel_kpis            : {fast['kpis_s']:6.2f} s   ({fast['reps']:,} reps)")
    print(f"total (fresh process)      : {fast['total_s']:6.2f} s   peak memory {fast['peak_mb']:,.0f} MB")
    print(f"naive row-by-row baseline  : {naive_s:6.2f} s on {done:,} rows "
          f"-> about {naive_full:,.1f} s for {args.rows:,} rows")
    print(f"speed-up                   : {naive_full / fast['total_s']:,.1f}x")
    target = fast["total_s"] < 20 and fast["peak_mb"] < 2048
    print(f"target (< 20 s, < 2 GB)    : {'met' if target else 'NOT met'}")
    assert fast["rows"] == args.rows, "rows were lost on the way"
    return 0 if target else 1


if __name__ == "__main__":
    raise SystemExit(main())
