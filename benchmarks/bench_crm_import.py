"""How fast is "your own data" on a big CRM export, next to a plain pandas read of the same file?

    python benchmarks/bench_crm_import.py                    # 1,000,000 opportunities, 5,000 reps
    python benchmarks/bench_crm_import.py --rows 50000 --reps 300

Writes a synthetic Salesforce-style export to a temporary folder, then runs, each in a fresh Python
process (so time and peak memory are its own): a plain one-off `pandas.read_csv` of the file, and
`course.crm.import_crm` (detect encoding and delimiter, read, map, check every row, footers and
blank lines) followed by the per-rep KPIs. Target: the import within 2x of the plain read, in
time and in peak memory. Exit code 1 if it is not met.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

STAGES = ["Prospecting", "Qualification", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost"]


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
        # Salesforce-style ids, like the example's (0065g00000000001AAB): text, as CRMs write them
        "Opportunity ID": np.char.add(np.char.add("0065g", np.char.zfill(np.arange(rows).astype(str), 11)), "AAB"),
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


PEAK = """
def peak_mb():  # this process's own high-water mark (ru_maxrss would carry the parent's over exec)
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
"""

PANDAS_READ = PEAK + """
import json, sys, time
import pandas as pd
t0, c0 = time.perf_counter(), time.process_time()
frame = pd.read_csv(sys.argv[1])
t1, c1 = time.perf_counter(), time.process_time()
print(json.dumps({"rows": len(frame), "read_s": t1 - t0, "read_cpu_s": c1 - c0, "peak_mb": peak_mb()}))
"""

COURSE_IMPORT = PEAK + """
import json, sys, time
import pandas as pd
from course.crm import import_crm
t0, c0 = time.perf_counter(), time.process_time()
data = import_crm(sys.argv[1], sys.argv[2])
t1, c1 = time.perf_counter(), time.process_time()
kpis = data.kpis()
t2 = time.perf_counter()
print(json.dumps({"rows": len(data.opportunities), "reps": len(kpis), "read_s": t1 - t0, "read_cpu_s": c1 - c0,
                  "kpis_s": t2 - t1, "peak_mb": peak_mb()}))
"""


def run_child(code: str, *args: Path) -> dict:
    """Run `code` in a fresh Python process, so time and peak memory are its own."""
    result = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=5_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        export, mapping = write_export(Path(folder), args.rows, args.reps)
        size_mb = export.stat().st_size / 1e6
        print(f"Synthetic export: {args.rows:,} opportunities, {args.reps:,} reps, {size_mb:,.0f} MB "
              f"(written in {time.perf_counter() - started:.1f} s)")
        plain = run_child(PANDAS_READ, export)
        course = run_child(COURSE_IMPORT, export, mapping)
    time_ratio = course["read_cpu_s"] / plain["read_cpu_s"]  # CPU time: steady on a shared machine
    memory_ratio = course["peak_mb"] / plain["peak_mb"]
    for label, run in (("plain pandas read_csv     ", plain), ("course.crm import + checks", course)):
        print(f"{label} : {run['read_s']:6.2f} s wall, {run['read_cpu_s']:6.2f} s CPU, "
              f"peak memory {run['peak_mb']:,.0f} MB")
    print(f"per-rep KPIs (data.kpis)   : {course['kpis_s']:6.2f} s wall ({course['reps']:,} reps)")
    print(f"import / plain read        : {time_ratio:6.2f}x CPU time, {memory_ratio:.2f}x peak memory")
    met = time_ratio <= 2 and memory_ratio <= 2
    print(f"target (within 2x of plain pandas, time and memory): {'met' if met else 'NOT met'}")
    assert course["rows"] == plain["rows"] == args.rows, "rows were lost on the way"
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
