"""Building a large case file: time and peak memory of `build()` on a 150 MB cases.csv.

The file is made from the committed synthetic sample (data/raw/synthetic/cases.csv, which is
only read): its rows are repeated, each copy with new case ids, until the file reaches the size
asked for; the rest of data/raw is copied beside it into a temporary folder. The build runs in
a fresh interpreter, measured from outside with the standard library: wall time, CPU time
(user + system) and peak resident memory (`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`,
what `/usr/bin/time -v` reports as "Maximum resident set size"). Targets: under 60 s and under
1 GB peak on an idle core; on a shared, loaded machine the CPU time is the steadier figure.

Run: .venv/bin/python benchmarks/bench_build_large.py [--mb 150]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 60
TARGET_MB = 1024


def make_raw(folder: Path, megabytes: float) -> tuple[Path, int]:
    """A copy of data/raw whose synthetic cases.csv is about ``megabytes`` MB; (file, rows)."""
    from analysis import config

    raw = folder / "raw"
    shutil.copytree(config.RAW_DIR, raw)
    source = config.RAW_DIR / "synthetic" / "cases.csv"
    header, *body = source.read_text(encoding="utf-8").splitlines(keepends=True)
    target = int(megabytes * 1e6)
    path = raw / "synthetic" / "cases.csv"
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(header)
        size, copy = len(header), 0
        while size < target:
            for line in body:
                case_id, rest = line.split(",", 1)
                row = f"{case_id}-R{copy},{rest}" if copy else line
                out.write(row)
                size += len(row)
                rows += 1
            copy += 1
    return path, rows


def measure(raw: Path, processed: Path) -> dict:
    code = (
        "from analysis.data.build import build; "
        f"r = build(raw_dir=r'{raw}', processed_dir=r'{processed}'); print(r.rows['cases'])"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"build failed:\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "wall": wall,
        "cpu": cpu,
        "peak_mb": after.ru_maxrss / 1024,  # kilobytes on Linux
        "cases": int(done.stdout.split()[-1]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=150, help="size of cases.csv (default 150)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path, rows = make_raw(Path(tmp), args.mb)
        size = path.stat().st_size / 1e6
        got = measure(path.parent.parent, Path(tmp) / "processed")
    print(
        f"build_large: {size:.0f} MB cases.csv ({rows} rows, {got['cases']} cases built): "
        f"{got['wall']:.1f} s wall, {got['cpu']:.1f} s CPU, peak RSS {got['peak_mb']:.0f} MB "
        f"(targets < {TARGET_SECONDS} s and < {TARGET_MB} MB; fresh interpreter, imports "
        "included; peak RSS is the largest child process of this run, so of the build)"
    )


if __name__ == "__main__":
    main()
