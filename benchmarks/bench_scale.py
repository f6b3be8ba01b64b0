"""Benchmark at real scale (issue 15): the 150,000-respondent, 100-organisation demo wave.

Prints, from one run, side by side and measured as the user sees it (wall time of the commands):

* the machine state (``uptime``: load average; the machine may be shared) and the floor:
  papermill executing an empty notebook + nbconvert's export of it (median and range of 5);
* ``ikto batch`` into an empty folder (validate, prepare, every organisation report, the group
  report, Excel, index, privacy audit), with a per-phase split from the batch's own log;
* the naive pipeline (papermill CLI + nbconvert CLI per organisation) on 4 organisations, its
  time per report (range) and the extrapolation to all reports on 2 cores; the ratio;
* a report's time on its worker against the floor; the audit's share of the batch;
* ``ikto report ORG`` alone (results prepared) against floor + 1.5 x that report's batch time;
* the unchanged rerun's wall time (twice: range);
* peak memory (largest resident set of a child process: the batch, a dask worker, a kernel);
* what a fresh install costs more than a warm one, where it can be measured (see the end).

    python benchmarks/bench_scale.py [--respondents 150000] [--orgs 100] [--keep DIR]

It takes minutes: run it once, not in a loop.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

PY = sys.executable
LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (\w+) (.*)$")
REPORT_LINE = re.compile(r"^(\S+): (ok|failed) in ([\d.]+) s on (\S+)(.*)$")


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), e.get("PYTHONPATH", "")) if p)
    return e


def ikto(*args: str, check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    """Wall seconds of ``ikto ARGS`` as a user runs it (a new Python process)."""
    t0 = time.perf_counter()
    run = subprocess.run([PY, "-m", "ikto_lib.cli", *args], capture_output=True, text=True,
                         env=env(), cwd=str(ROOT))
    seconds = time.perf_counter() - t0
    if check and run.returncode not in (0, 1):
        raise SystemExit(f"ikto {' '.join(args)} exited {run.returncode}:\n{run.stderr[-3000:]}")
    return seconds, run


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def parse_log(path: Path) -> tuple[list[tuple[datetime, str]], dict[str, dict]]:
    lines, reports = [], {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        m = LOG_LINE.match(raw)
        if not m:
            continue
        when = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f")
        lines.append((when, m.group(3)))
        r = REPORT_LINE.match(m.group(3))
        if r:
            parts = dict(re.findall(r"(execute|export|excel) ([\d.]+)", r.group(5)))
            reports[r.group(1)] = {"status": r.group(2), "seconds": float(r.group(3)),
                                   "worker": r.group(4), "when": when,
                                   **{k: float(v) for k, v in parts.items()}}
    return lines, reports


def first(lines, needle: str) -> datetime | None:
    return next((w for w, msg in lines if needle in msg), None)


def rng(values) -> str:
    values = list(values)
    return (f"{statistics.median(values):.2f} s (range {min(values):.2f}-{max(values):.2f}, "
            f"n={len(values)})")


def naive(notebook: Path, prepared: Path, orgs: list[str], wave: str, previous: str,
          tmp: Path) -> list[float]:
    """papermill CLI + nbconvert CLI per organisation, one after the other."""
    times = []
    for org in orgs:
        out = tmp / f"naive-{org}.ipynb"
        t0 = time.perf_counter()
        subprocess.run([PY, "-m", "papermill", str(notebook), str(out), "-p", "org", org,
                        "-p", "wave", wave, "-p", "previous_wave", previous, "-p", "language",
                        "nl", "-p", "prepared", str(prepared), "-k", "python3", "--cwd",
                        str(ROOT), "--no-progress-bar", "--log-level", "ERROR"],
                       check=True, capture_output=True, env=env())
        subprocess.run([PY, "-m", "nbconvert", "--to", "html", "--no-input", str(out)],
                       check=True, capture_output=True, env=env())
        times.append(time.perf_counter() - t0)
    return times


def cold_imports(tmp: Path) -> tuple[float, float]:
    """Seconds to import the report's stack with empty matplotlib/bytecode caches vs warm."""
    code = "import matplotlib.pyplot, pandas, pyarrow, ikto_lib.report.sections"
    cold_env = {**env(), "MPLCONFIGDIR": str(tmp / "mpl-cold"),
                "PYTHONPYCACHEPREFIX": str(tmp / "pyc-cold")}
    t0 = time.perf_counter()
    subprocess.run([PY, "-c", code], check=True, env=cold_env, capture_output=True)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run([PY, "-c", code], check=True, env=env(), capture_output=True)
    return cold, time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--respondents", type=int, default=150_000)
    ap.add_argument("--orgs", type=int, default=100)
    ap.add_argument("--naive", type=int, default=4, help="organisations for the naive pipeline")
    ap.add_argument("--keep", help="work in this folder (kept) instead of a temporary one")
    args = ap.parse_args(argv)
    from bench_batch import floor_seconds

    print(f"machine: {os.cpu_count()} cores; at start: {uptime()}")
    floor, floor_pm, floor_export, floors = floor_seconds()
    print(f"floor (papermill on an empty notebook + nbconvert export, in-process): {rng(floors)}")

    tmp_ctx = tempfile.TemporaryDirectory() if not args.keep else None
    tmp = Path(args.keep or tmp_ctx.name)
    tmp.mkdir(parents=True, exist_ok=True)
    demo, out = tmp / "demo", tmp / "out"
    t_demo, _ = ikto("demo", "--out", str(demo), "--respondents", str(args.respondents),
                     "--orgs", str(args.orgs))
    print(f"demo wave: {args.respondents} respondents, {args.orgs} organisations, written in "
          f"{t_demo:.1f} s (not part of the batch)")
    wave, prev = demo / "2015", demo / "2013"
    batch_args = ("batch", str(wave), "--previous", str(prev), "--out", str(out))

    # -- the whole batch into an empty folder --------------------------------------------------
    started = datetime.now()
    t_batch, run = ikto(*batch_args)
    peak = peak_mb()
    logs = sorted((out / "2015" / "logs").glob("batch-*.log"))
    lines, reports = parse_log(logs[-1])
    t_log0 = lines[0][0]
    t_prep = first(lines, "report(s) to run") or t_log0
    org_reports = {k: v for k, v in reports.items() if k != "group" and v["status"] == "ok"}
    t_rep_end = max(v["when"] for v in reports.values()) if reports else t_prep
    audit_s = next((float(m.group(1)) for _, msg in lines
                    if (m := re.search(r"privacy audit took ([\d.]+) s", msg))), 0.0)
    t_done = first(lines, "done:") or lines[-1][0]
    print(f"\nikto batch into an empty folder: {t_batch:.1f} s wall (exit {run.returncode}; "
          f"{len(org_reports)} organisation reports ok + group "
          f"{reports.get('group', {}).get('status', '-')}); target <= 120 s")
    print(f"  start-up (Python, imports, load and validate both waves): "
          f"{(t_log0 - started).total_seconds():.1f} s")
    print(f"  prepare: {(t_prep - t_log0).total_seconds():.1f} s")
    print(f"  reports (HTML + Excel, 2 workers, incl. cluster and kernel start): "
          f"{(t_rep_end - t_prep).total_seconds():.1f} s")
    print(f"  index + privacy audit: {(t_done - t_rep_end).total_seconds():.1f} s, of which the "
          f"audit {audit_s:.1f} s = {100 * audit_s / t_batch:.0f}% of the batch (target <= 10%)")
    print(f"  exit: {t_batch - (t_done - started).total_seconds():.1f} s")
    if org_reports:
        secs = [v["seconds"] for v in org_reports.values()]
        per = statistics.median(secs)
        print(f"  a report on its worker: median {per:.2f} s, max {max(secs):.2f} s (the first on "
              f"each worker pays the kernel start) = {per / floor:.2f} x the floor "
              f"(target <= 2)")
        for part in ("execute", "export", "excel"):
            vals = [v[part] for v in org_reports.values() if part in v]
            if vals:
                print(f"    {part:8s} median {statistics.median(vals):.2f} s")
    print(f"  peak memory of a child process: {peak:.0f} MB")

    # -- unchanged rerun ----------------------------------------------------------------------
    reruns = [ikto(*batch_args)[0] for _ in range(2)]
    print(f"\nunchanged rerun (ikto batch, wall): {rng(reruns)}; target <= 2 s")

    # -- ikto report ORG alone ----------------------------------------------------------------
    if org_reports:
        org = sorted(org_reports, key=lambda o: org_reports[o]["seconds"])[len(org_reports) // 2]
        singles = [ikto("report", org, str(wave), "--previous", str(prev), "--out",
                        str(out))[0] for _ in range(2)]
        target = floor + 1.5 * org_reports[org]["seconds"]
        print(f"ikto report {org} alone (results prepared, wall): {rng(singles)}; target "
              f"floor + 1.5 x its batch time = {floor:.2f} + 1.5 x "
              f"{org_reports[org]['seconds']:.2f} = {target:.2f} s")

    # -- the naive pipeline -------------------------------------------------------------------
    if org_reports:
        chosen = sorted(org_reports)[:: max(1, len(org_reports) // args.naive)][: args.naive]
        from ikto_lib.batch.run import REPORT_NOTEBOOK

        times = naive(REPORT_NOTEBOOK, out / "2015" / "prepared", chosen, "2015", "2013", tmp)
        n_all = len(org_reports) + 1
        extrapolated = statistics.mean(times) * n_all / 2
        print(f"\nnaive pipeline (papermill CLI + nbconvert CLI), {len(times)} organisations: "
              f"{rng(times)} a report; all {n_all} reports on 2 cores ~ {extrapolated:.0f} s")
        print(f"batch vs naive: {extrapolated / t_batch:.1f}x faster (target >= 5x)")

    # -- fresh install vs warm ----------------------------------------------------------------
    cold, warm = cold_imports(tmp)
    print(f"\nfresh install: a new venv cannot be built here within a benchmark (offline pip, "
          f"shared machine); what a first run pays more per process without the caches that "
          f"`make venv` now builds (matplotlib's font cache, bytecode): {cold:.1f} s cold vs "
          f"{warm:.1f} s warm import of the report's stack")
    print(f"\nat end: {uptime()}")
    if tmp_ctx is not None:
        tmp_ctx.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
