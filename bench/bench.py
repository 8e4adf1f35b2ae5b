"""Benchmark of the report pipeline against the plain papermill + nbconvert + chromium route.

    python bench/bench.py              # 3 runs of everything (about 8 minutes)
    python bench/bench.py --runs 5
    python bench/bench.py --quick      # smoke run: 1 run of each, no warm-up (about 2 minutes)
    make bench                         # the same as the first, with the project's venv

In one run on one machine it measures, each as the median of --runs runs:

  project, cold      `python -m stability_report run --force` into a fresh temporary output
                     directory: a new process, the kernel, all notebooks, report.html and
                     report.pdf, publication; and its peak memory (see below).
  plain route        what a user does without this project, one process per step and notebook:
                     `papermill NB out.ipynb -p as_of ...`, `jupyter nbconvert --to html out.ipynb`
                     and `chromium --headless --print-to-pdf out.html` (nbconvert's webpdf cannot
                     use the system browser), for each notebook, one after the other.
  no-op re-run       the same command without --force on the published output (nothing changed).
  one fact changed   a copy of data/facts with one money value changed (the October 2023 cash,
                     a new value each run), passed with --facts; checked to reach the kernel
                     (run.json's facts_digest, computed in the kernel, is the copy's).
  floor              a bare `python -c "import pandas, matplotlib"`.
  daily re-run       (--daily) a cold render as of DAILY_AS_OF, a date past the last one the fact
                     base reaches, then the scheduled run of the next day without --force on
                     its output (unchanged facts: the as-of signature is the same, nothing
                     renders); printed as the ratio of the daily run to that cold render.
  sweep              (--sweep) `python -m stability_report sweep` of SWEEP's 6 scenarios with
                     --force into a fresh directory (as many at once as there are cores),
                     against the same 6 scenarios as 6 `run --force` one after the other;
                     printed as the ratio of the sweep to the sequential runs.
  extraction         (--extract) `extract` (the extraction assistant, intake.extract) on
                     generated articles of EXTRACT_SIZES bytes (the articles of data/raw
                     repeated, each copy's dollar figures shifted so that its amounts are new),
                     and on 1 MB of the same text without a sentence break (the worst case for
                     the sentence splitter), in a process of its own; printed with its CPU
                     time and the ratio of that to 100 KB's scaled by size (1.0: time linear in
                     length; CPU time, since other work on shared cores inflates wall time).
  fact base at scale a fact base of --fact-rows rows (default 100,000) in each fact table and in
                     conflicts.csv (the real rows repeated under new ids, M001 ... M100000),
                     loaded and validated by `load_facts` in a process of its own: its time,
                     and its peak memory (sampled as below, in a run of its own).

Peak memory is measured in runs of its own (one sampled cold render, and one sampled plain route
unless --quick), because the sampler's CPU would slow the timed runs by about a second: a thread
reads, every 50 ms, every process of the command's tree (psutil: the command and all its
descendants: the kernel and the processes it forks, chromium's) and sums their RSS, PSS and USS;
the peak of each sum is reported. RSS double-counts the pages the processes share (chromium's
processes share most of theirs), USS leaves them out, PSS splits them between the processes:
PSS is the honest total, and the one the target is checked against. The largest single
process's maxrss from wait4() (getrusage of the command's tree) is reported beside it.

Project and plain runs are interleaved (project, plain, project, plain, ...) so that a noisy
neighbour slows both alike; one untimed warm-up of each comes first (not with --quick), so both
start with the same warm file cache. Everything is written in temporary directories: the
repository's report/ and figures/ are never touched (checked at the end). Results: a table on
stdout and JSON in bench/results/<date>.json (git-ignored).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
NOTEBOOKS = ROOT / "notebooks"
FACTS = ROOT / "data" / "facts"
AS_OF = "2024-06-04"  # the date of the sources: results do not depend on today's date
# --daily: past the last date the fact base reaches (31 December 2024) and past the date its
# newest fact becomes a year old, so that the next day changes nothing in the analysis
DAILY_AS_OF = "2025-06-04"
# --sweep: 3 burn bases x 2 horizons
SWEEP = (
    ("burn_basis", ("fy2023_projection", "feb2024", "monthly_spend")),
    ("horizon_months", ("18", "24")),
)
CHANGED_FACT = "M014"  # the October 2023 cash ("less than $4 million")
MB = 1024 * 1024


# ---------------------------------------------------------------------------------------------
# running one command


class Sampler(threading.Thread):
    """Peak RSS, PSS and USS summed over a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.stop = threading.Event()
        self.peak = {"rss": 0, "pss": 0, "uss": 0}
        self.peak_procs = 0
        self.samples = 0

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.stop.is_set():
            try:
                procs = [root] + root.children(recursive=True)
            except psutil.Error:
                break
            total = {"rss": 0, "pss": 0, "uss": 0}
            for p in procs:
                try:
                    m = p.memory_full_info()
                except psutil.Error:
                    continue
                total["rss"] += m.rss
                total["pss"] += getattr(m, "pss", m.rss)
                total["uss"] += m.uss
            for k, v in total.items():
                self.peak[k] = max(self.peak[k], v)
            self.peak_procs = max(self.peak_procs, len(procs))
            self.samples += 1
            self.stop.wait(self.interval)


def run_cmd(
    cmd: list[str], env: dict[str, str], cwd: Path = ROOT, memory: bool = False, check: bool = True
) -> dict:
    """Run a command to its end; its wall time, exit code, stderr and (with memory) peaks."""
    err = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err
    )
    sampler = Sampler(proc.pid) if memory else None
    if sampler:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if sampler:
        sampler.stop.set()
        sampler.join()
    err.seek(0)
    stderr = err.read().decode("utf-8", "replace")
    err.close()
    if check and proc.returncode != 0:
        raise SystemExit(
            f"bench: {' '.join(cmd[:4])} ... exited {proc.returncode}:\n" + stderr[-3000:]
        )
    out = {
        "seconds": seconds,
        "rc": proc.returncode,
        "stderr": stderr,
        "maxrss_mb": usage.ru_maxrss / 1024,
    }  # Linux: kilobytes
    if sampler:
        out.update({f"peak_{k}_mb": v / MB for k, v in sampler.peak.items()})
        out["processes"] = sampler.peak_procs
        out["samples"] = sampler.samples
    return out


def clean_env() -> dict[str, str]:
    """This environment without the project's own variables (they would redirect its inputs)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STABILITY_REPORT_")}
    env["PYTHONUNBUFFERED"] = "1"
    # this checkout's package, whatever else the environment finds (a .pth, an install)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    )
    return env


# ---------------------------------------------------------------------------------------------
# the project's route


def project_cmd(out: Path, force: bool, facts: Path | None = None, as_of: str = AS_OF) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "stability_report",
        "run",
        "--as-of",
        as_of,
        "--output",
        str(out),
        "--figures-dir",
        str(out / "figures"),
    ]
    if force:
        cmd.append("--force")
    if facts is not None:
        cmd += ["--facts", str(facts)]
    return cmd


_STEP = re.compile(r"\[\d+/\d+\] (.+?) \.\.\. done \(([\d.]+) s\)")


def steps(stderr: str) -> dict[str, float]:
    """The pipeline's own per-step timings from its progress lines."""
    out = {}
    for what, secs in _STEP.findall(stderr):
        what = re.sub(r"^publishing run .*", "publishing", what)
        out[what] = float(secs)
    return out


def manifest(out: Path) -> dict:
    return json.loads((out / "latest" / "run.json").read_text(encoding="utf-8"))


def changed_facts(base: Path, run: int) -> Path:
    """A copy of data/facts with the October 2023 cash changed (a different value each run)."""
    d = base / f"facts-{run}"
    shutil.copytree(FACTS, d)
    path = d / "money.csv"
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    col = header.index("value")
    hits = [r for r in rows[1:] if r and r[0] == CHANGED_FACT]
    if len(hits) != 1:
        raise SystemExit(f"bench: fact {CHANGED_FACT} not found in {FACTS / 'money.csv'}")
    hits[0][col] = str(int(float(hits[0][col])) + 250_000 + 1_000 * run)
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return d


def project_round(base: Path, run: int, env: dict[str, str]) -> dict:
    """Cold render into a fresh directory, then the no-op re-run, then one fact changed (timed
    without the memory sampler, which takes CPU from what it measures)."""
    out = base / f"project-{run}"
    cold = run_cmd(project_cmd(out, force=True), env, memory=False)
    for name in ("report.html", "report.pdf"):
        if not (out / name).is_file():
            raise SystemExit(f"bench: the cold render made no {name}")
    digest = manifest(out)["facts_digest"]
    noop = run_cmd(project_cmd(out, force=False), env, memory=False)
    if "nothing to render" not in noop["stderr"]:
        raise SystemExit("bench: the no-op re-run rendered:\n" + noop["stderr"][-2000:])
    facts = changed_facts(base, run)
    changed = run_cmd(project_cmd(out, force=False, facts=facts), env, memory=False)
    m = manifest(out)
    if m["facts_digest"] == digest or not m["facts_digest"] or "unavailable" in m["facts_digest"]:
        raise SystemExit(
            "bench: the changed fact did not reach the kernel (facts_digest "
            f"{m['facts_digest']!r}, before {digest!r})"
        )
    cold["steps"] = steps(cold["stderr"])
    changed["steps"] = steps(changed["stderr"])
    for r in (cold, noop, changed):
        r.pop("stderr")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(facts, ignore_errors=True)
    return {"cold": cold, "noop": noop, "fact_changed": changed}


def daily_round(base: Path, run: int, env: dict[str, str]) -> dict:
    """A cold render as of DAILY_AS_OF, then the next day's scheduled run on its output (no
    --force), which must render nothing."""
    out = base / f"daily-{run}"
    cold = run_cmd(project_cmd(out, force=True, as_of=DAILY_AS_OF), env)
    next_day = (date.fromisoformat(DAILY_AS_OF) + timedelta(days=1)).isoformat()
    daily = run_cmd(project_cmd(out, force=False, as_of=next_day), env)
    if "nothing to render" not in daily["stderr"]:
        raise SystemExit("bench: the daily re-run rendered:\n" + daily["stderr"][-2000:])
    for r in (cold, daily):
        r.pop("stderr")
    shutil.rmtree(out, ignore_errors=True)
    return {"cold": cold, "daily": daily}


def sweep_round(base: Path, run: int, env: dict[str, str]) -> dict:
    """SWEEP's scenarios as one `sweep`, then as one `run` each, one after the other."""
    out = base / f"sweep-{run}"
    cmd = [sys.executable, "-m", "stability_report", "sweep", "--as-of", AS_OF, "--force"]
    for name, values in SWEEP:
        cmd += ["-p", name, ",".join(values)]
    swept = run_cmd([*cmd, "--output", str(out)], env)
    with open(out / "sweep.csv", encoding="utf-8") as f:
        n = len(list(csv.DictReader(f)))
    if n != 6:
        raise SystemExit(f"bench: the sweep made {n} scenarios, not 6")
    (name1, first), (name2, second) = SWEEP
    outs = [base / f"sequential-{run}-{i}" for i in range(len(first) * len(second))]
    t0 = time.perf_counter()
    for one, (a, b) in zip(outs, ((a, b) for a in first for b in second)):
        run_cmd([*project_cmd(one, force=True), "-p", name1, a, "-p", name2, b], env)
    sequential = time.perf_counter() - t0
    for d in [out, *outs]:
        shutil.rmtree(d, ignore_errors=True)
    return {"sweep": swept["seconds"], "sequential": sequential}


def project_memory(base: Path, env: dict[str, str]) -> dict:
    """A cold render with the memory sampler on (its time is not used)."""
    out = base / "project-memory"
    r = run_cmd(project_cmd(out, force=True), env, memory=True)
    r.pop("stderr")
    shutil.rmtree(out, ignore_errors=True)
    return r


# ---------------------------------------------------------------------------------------------
# the plain route


def find_chromium() -> str:
    for name in (
        os.environ.get("STABILITY_REPORT_CHROMIUM"),
        "chromium",
        "chromium-browser",
        "/usr/bin/chromium",
    ):
        if name and shutil.which(name):
            return shutil.which(name)
    raise SystemExit("bench: chromium not found (make system-deps)")


def plain_round(
    base: Path, run: int, env: dict[str, str], chromium: str, memory: bool = False
) -> dict:
    """papermill, nbconvert --to html and a chromium print, one process each, per notebook;
    with memory, each step's process tree is sampled (and the time is not to be used)."""
    d = base / f"plain-{run}"
    d.mkdir()
    env = {**env, "STABILITY_REPORT_FIGURES_DIR": str(d / "figures")}  # not the repo's figures/
    bindir = Path(sys.executable).parent
    papermill = str(bindir / "papermill")
    jupyter = str(bindir / "jupyter")
    totals = {"papermill": 0.0, "nbconvert": 0.0, "chromium": 0.0}
    peak = {"peak_rss_mb": 0.0, "peak_pss_mb": 0.0, "peak_uss_mb": 0.0, "maxrss_mb": 0.0}
    t0 = time.perf_counter()
    for nb in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        executed = d / nb.name
        html = executed.with_suffix(".html")
        pdf = executed.with_suffix(".pdf")
        for step, cmd in (
            (
                "papermill",
                [papermill, "--no-progress-bar", str(nb), str(executed), "-p", "as_of", AS_OF],
            ),
            (
                "nbconvert",
                [jupyter, "nbconvert", "--to", "html", "--output-dir", str(d), str(executed)],
            ),
            (
                "chromium",
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    f"--user-data-dir={d / 'profile'}",
                    f"--print-to-pdf={pdf}",
                    html.as_uri(),
                ],
            ),
        ):
            r = run_cmd(cmd, env, memory=memory)
            totals[step] += r["seconds"]
            for k in peak:
                peak[k] = max(peak[k], r.get(k, 0.0))
        for f in (executed, html, pdf):
            if not f.is_file() or f.stat().st_size == 0:
                raise SystemExit(f"bench: the plain route made no {f.name}")
    seconds = time.perf_counter() - t0
    shutil.rmtree(d, ignore_errors=True)
    return {"seconds": seconds, "steps": totals, **(peak if memory else {})}


# ---------------------------------------------------------------------------------------------
# the floor


def floor_round(env: dict[str, str]) -> dict:
    r = run_cmd([sys.executable, "-c", "import pandas, matplotlib"], env)
    r.pop("stderr")
    return r


# ---------------------------------------------------------------------------------------------
# the fact base at scale


SCALED_TABLES = ("person_names", "personnel", "money", "events", "conflicts")


def scaled_facts(dst: Path, rows: int) -> Path:
    """data/facts with `rows` rows in each fact table and in conflicts.csv: the real rows
    repeated, each copy with new ids (M001 ... M999, M1000, ...) and its conflicts pointing at
    its own copies of the facts."""
    dst.mkdir(parents=True)
    for table in ("sources", "persons"):
        shutil.copy(FACTS / f"{table}.csv", dst / f"{table}.csv")
    renamed: dict[tuple[int, str], str] = {}
    for table in SCALED_TABLES:
        with open(FACTS / f"{table}.csv", newline="", encoding="utf-8") as f:
            real = list(csv.DictReader(f))
        key = "conflict_id" if table == "conflicts" else "fact_id"
        with open(dst / f"{table}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(real[0]), lineterminator="\n")
            w.writeheader()
            for n in range(rows):
                copy, row = divmod(n, len(real))
                out = dict(real[row])
                out[key] = f"{out[key][0]}{n + 1:03d}"
                if table == "conflicts":
                    for side in ("fact_id_a", "fact_id_b"):
                        out[side] = renamed.get((copy, out[side]), renamed[(0, out[side])])
                else:
                    renamed[(copy, real[row][key])] = out[key]
                w.writerow(out)
    return dst


_LOAD = (
    "import sys; from stability_report.facts.load import load_facts; "
    "f = load_facts(sys.argv[1], sys.argv[2]); "
    "print(' '.join(str(len(f.tables[t])) for t in sys.argv[3:]))"
)


def facts_round(base: Path, rows: int, env: dict[str, str], memory: bool = False) -> dict:
    """load_facts on the scaled fact base, in a process of its own."""
    facts = base / f"facts-{rows}"
    if not facts.exists():
        scaled_facts(facts, rows)
    out = tempfile.TemporaryFile()
    cmd = [sys.executable, "-c", _LOAD, str(facts), str(ROOT / "data" / "raw"), *SCALED_TABLES]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.PIPE)
    sampler = Sampler(proc.pid) if memory else None
    if sampler:
        sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - t0
    if sampler:
        sampler.stop.set()
        sampler.join()
    out.seek(0)
    counts = out.read().decode().split()
    if proc.returncode != 0 or counts != [str(rows)] * len(SCALED_TABLES):
        raise SystemExit(
            f"bench: loading {rows} rows per table failed (exit {proc.returncode},"
            f" rows {counts}):\n" + err.decode("utf-8", "replace")[-3000:]
        )
    r = {"seconds": seconds, "rows_per_table": rows, "tables": list(SCALED_TABLES)}
    if sampler:
        r.update({f"peak_{k}_mb": v / MB for k, v in sampler.peak.items()})
    return r


# ---------------------------------------------------------------------------------------------
# report


# --extract: article sizes (bytes); 2 MB is extract's limit (MAX_ARTICLE_BYTES)
EXTRACT_SIZES = (100_000, 1_000_000, 2_000_000)
_EXTRACT = r"""
import re, sys, time
from datetime import date
from stability_report.facts.load import load_facts
from stability_report.tools.intake.extract import Source, extract
facts = load_facts()
texts = [facts.texts[s] for s in sorted(facts.texts)]

def article(size, flat):
    parts, copy, n = [], 0, 0
    while n < size:
        for t in texts:
            part = re.sub(r"\$(\d+)", lambda m: "$" + str(int(m.group(1)) + copy), t)
            if flat:
                part = re.sub(r"[.!?]\s|\n+", ", ", part)
            parts.append(part)
            n += len(part.encode()) + 2
        copy += 1
    return "\n\n".join(parts).encode()[:size].decode(errors="ignore")

for arg in sys.argv[1:]:
    flat = arg.startswith("flat")
    text = article(int(arg.removeprefix("flat")), flat)
    t0, c0 = time.perf_counter(), time.process_time()
    rows = extract(text, facts, Source((date(2024, 6, 4), date(2024, 6, 4))))
    print(arg, len(rows), time.perf_counter() - t0, time.process_time() - c0, flush=True)
"""


def extract_round(env: dict[str, str]) -> dict:
    """`extract` on generated articles of EXTRACT_SIZES bytes and on 1 MB without a sentence
    break, in a process of its own: seconds and candidates of each."""
    args = [str(n) for n in EXTRACT_SIZES] + ["flat1000000"]
    proc = subprocess.run(
        [sys.executable, "-c", _EXTRACT, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    lines = proc.stdout.split("\n")
    if proc.returncode != 0 or len([x for x in lines if x]) != len(args):
        raise SystemExit(
            f"bench: extraction failed (exit {proc.returncode}):\n" + proc.stderr[-3000:]
        )
    out = {}
    for line in filter(None, lines):
        name, rows, seconds, cpu = line.split()
        out[name] = {"seconds": float(seconds), "cpu_seconds": float(cpu), "candidates": int(rows)}
    return out


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


MEMORY_KEYS = ("peak_rss_mb", "peak_pss_mb", "peak_uss_mb", "maxrss_mb")


def summarize(
    rounds: list[dict],
    plain: list[dict],
    floors: list[dict],
    memory: dict,
    plain_memory: dict | None,
    facts: list[dict],
    facts_memory: dict,
    daily: list[dict] | None = None,
    sweeps: list[dict] | None = None,
    extracts: list[dict] | None = None,
) -> dict:
    def col(kind: str, key: str) -> list[float]:
        return [r[kind][key] for r in rounds]

    s = {}
    for kind in ("cold", "noop", "fact_changed"):
        s[kind] = {"seconds": median(col(kind, "seconds")), "all_seconds": col(kind, "seconds")}
        if kind != "noop":
            names = list(rounds[0][kind]["steps"])
            s[kind]["steps"] = {
                n: median([r[kind]["steps"].get(n, float("nan")) for r in rounds]) for n in names
            }
    s["cold"].update({k: memory[k] for k in MEMORY_KEYS})
    if plain:
        s["plain"] = {
            "seconds": median([p["seconds"] for p in plain]),
            "all_seconds": [p["seconds"] for p in plain],
            "steps": {k: median([p["steps"][k] for p in plain]) for k in plain[0]["steps"]},
        }
        if plain_memory:
            s["plain"].update({k: plain_memory[k] for k in MEMORY_KEYS})
        s["ratio_cold_to_plain"] = s["cold"]["seconds"] / s["plain"]["seconds"]
    s["floor"] = {
        "seconds": median([f["seconds"] for f in floors]),
        "all_seconds": [f["seconds"] for f in floors],
    }
    s["ratio_cold_to_floor"] = s["cold"]["seconds"] / s["floor"]["seconds"]
    s["facts_at_scale"] = {
        "seconds": median([f["seconds"] for f in facts]),
        "all_seconds": [f["seconds"] for f in facts],
        "rows_per_table": facts[0]["rows_per_table"],
        "tables": facts[0]["tables"],
        **{k: facts_memory[k] for k in ("peak_rss_mb", "peak_pss_mb", "peak_uss_mb")},
    }
    s["targets"] = {
        "cold <= plain / 5": s.get("ratio_cold_to_plain", float("inf")) <= 0.2,
        "no-op < 0.3 s": s["noop"]["seconds"] < 0.3,
        "peak memory (PSS) < 600 MB": s["cold"]["peak_pss_mb"] < 600,
    }
    if daily:
        s["daily"] = {
            "as_of": DAILY_AS_OF,
            "cold_seconds": median([d["cold"]["seconds"] for d in daily]),
            "seconds": median([d["daily"]["seconds"] for d in daily]),
            "all_seconds": [d["daily"]["seconds"] for d in daily],
        }
        s["daily"]["ratio_to_cold"] = s["daily"]["seconds"] / s["daily"]["cold_seconds"]
        s["targets"]["daily re-run <= cold / 5"] = s["daily"]["ratio_to_cold"] <= 0.2
    if sweeps:
        s["sweep"] = {
            "scenarios": 6,
            "seconds": median([w["sweep"] for w in sweeps]),
            "sequential_seconds": median([w["sequential"] for w in sweeps]),
        }
        s["sweep"]["ratio_to_sequential"] = s["sweep"]["seconds"] / s["sweep"]["sequential_seconds"]
    if extracts:
        s["extract"] = summarize_extract(extracts)
    return s


def summarize_extract(extracts: list[dict]) -> dict:
    """Median seconds per article size, and each CPU time's ratio to 100 KB's scaled by size
    (CPU time, which other work on shared cores does not inflate)."""
    out = {}
    base = median([e[str(EXTRACT_SIZES[0])]["cpu_seconds"] for e in extracts])
    for name in extracts[0]:
        seconds = median([e[name]["seconds"] for e in extracts])
        size = int(name.removeprefix("flat"))
        out[name] = {
            "bytes": size,
            "no_sentence_breaks": name.startswith("flat"),
            "seconds": seconds,
            "all_seconds": [e[name]["seconds"] for e in extracts],
            "cpu_seconds": median([e[name]["cpu_seconds"] for e in extracts]),
            "candidates": extracts[0][name]["candidates"],
            "ratio_to_linear": median([e[name]["cpu_seconds"] for e in extracts])
            / (base * size / EXTRACT_SIZES[0]),
        }
    return out


def extract_lines(x: dict) -> list[str]:
    lines = []
    for d in x.values():
        label = f"extract: {d['bytes'] / 1e6:g} MB article" + (
            ", no sentence breaks" if d["no_sentence_breaks"] else ""
        )
        lines.append(
            f"{label:<46}{d['seconds']:>9.2f}{d['ratio_to_linear']:>9.2f}"
            f"   CPU {d['cpu_seconds']:.2f} s"
        )
    lines.append("    (ratio: CPU time to that of 100 KB times the size; 1.00 is linear)")
    return lines


def table(s: dict, runs: int) -> str:
    lines = [
        f"{'measure (median of ' + str(runs) + ')':<46}{'seconds':>9}{'ratio':>9}"
        f"{'peak PSS':>10}{'peak RSS':>10}{'peak USS':>10}{'max 1 proc':>11}"
    ]
    lines.append("-" * len(lines[0]))

    def mem(d: dict) -> str:
        if d.get("peak_pss_mb") is None:
            return f"{'':>10}{'':>10}{'':>10}{'':>11}"
        return (
            f"{d['peak_pss_mb']:>7.0f} MB{d['peak_rss_mb']:>7.0f} MB"
            f"{d['peak_uss_mb']:>7.0f} MB{d.get('maxrss_mb', 0):>8.0f} MB"
        )

    plain = s.get("plain", {}).get("seconds")

    def row(label: str, d: dict, ratio: str = "") -> None:
        lines.append(f"{label:<46}{d['seconds']:>9.2f}{ratio:>9}{mem(d)}")

    row(
        "project: cold render, HTML + PDF (CLI --force)",
        s["cold"],
        f"{s['ratio_cold_to_plain']:.2f}" if plain else "",
    )
    if plain:
        row("plain: papermill + nbconvert + chromium", s["plain"], "1.00")
        for k, v in s["plain"]["steps"].items():
            lines.append(f"{'    ' + k + ' (all notebooks)':<46}{v:>9.2f}")
    row("project: no-op re-run", s["noop"])
    row(
        "project: re-run after one fact changed",
        {"seconds": s["fact_changed"]["seconds"]},
        f"{s['fact_changed']['seconds'] / plain:.2f}" if plain else "",
    )
    row(
        "floor: python -c 'import pandas, matplotlib'",
        {"seconds": s["floor"]["seconds"]},
        f"{s['floor']['seconds'] / plain:.2f}" if plain else "",
    )
    if "daily" in s:
        d = s["daily"]
        row(f"project: cold render as of {d['as_of']}", {"seconds": d["cold_seconds"]})
        row(
            "project: daily re-run, next day, same facts",
            {"seconds": d["seconds"]},
            f"{d['ratio_to_cold']:.3f}",
        )
        lines.append(f"{'    (ratio: to the cold render as of the day before)':<46}")
    if "sweep" in s:
        w = s["sweep"]
        row("project: 6 runs one after the other", {"seconds": w["sequential_seconds"]})
        row(
            "project: the same 6 as one sweep",
            {"seconds": w["seconds"]},
            f"{w['ratio_to_sequential']:.2f}",
        )
        lines.append(f"{'    (ratio: to the 6 runs one after the other)':<46}")
    if "extract" in s:
        lines.extend(extract_lines(s["extract"]))
    f = s["facts_at_scale"]
    row(
        f"fact base, {f['rows_per_table']:,} rows x {len(f['tables'])} tables: load_facts",
        {**f, "maxrss_mb": 0},
    )
    lines.append("")
    lines.append("cold render by step (the pipeline's own timings, median):")
    for k, v in s["cold"]["steps"].items():
        lines.append(f"    {k:<42}{v:>9.2f}")
    lines.append("")
    lines.append(
        "ratio: time / the plain route's time. Memory, from a sampled run of its own: "
        "the peak over the"
    )
    lines.append(
        "process tree (every 50 ms) of the sum of PSS / RSS / USS; 'max 1 proc': the "
        "largest single process"
    )
    lines.append(
        "(wait4 maxrss). For the plain route, the largest of its steps (each step is one "
        "process tree)."
    )
    lines.append("")
    for name, ok in s["targets"].items():
        lines.append(f"target {name:<34} {'met' if ok else 'NOT met'}")
    return "\n".join(lines)


def snapshot(d: Path) -> dict[str, tuple[int, int]]:
    if not d.exists():
        return {}
    return {str(p.relative_to(d)): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in d.rglob("*")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--runs",
        type=int,
        default=3,
        metavar="N",
        help="runs of each measurement; the median is reported (default 3)",
    )
    ap.add_argument("--quick", action="store_true", help="smoke run: one run of each, no warm-up")
    ap.add_argument(
        "--no-plain", action="store_true", help="skip the plain route (no ratio is reported)"
    )
    ap.add_argument(
        "--fact-rows",
        type=int,
        default=100_000,
        metavar="N",
        help="rows per table of the fact base at scale (default 100000)",
    )
    ap.add_argument(
        "--daily",
        action="store_true",
        help="also time the daily re-run on unchanged facts against a cold render (--runs each)",
    )
    ap.add_argument(
        "--sweep",
        action="store_true",
        help="also time a 6-scenario sweep against the 6 runs one after the other (--runs each)",
    )
    ap.add_argument(
        "--extract",
        action="store_true",
        help="also time the extraction assistant on articles of 100 KB, 1 MB and 2 MB "
        "(--runs each)",
    )
    ap.add_argument(
        "--output",
        type=Path,
        metavar="FILE.json",
        help="where to write the JSON (default bench/results/<date>.json)",
    )
    args = ap.parse_args(argv)
    runs = 1 if args.quick else args.runs
    if runs < 1:
        ap.error("--runs must be at least 1")
    chromium = find_chromium()
    env = clean_env()
    guarded = {d: snapshot(d) for d in (ROOT / "report", ROOT / "figures")}

    rounds, plain, floors = [], [], []
    started = datetime.now().astimezone()
    with tempfile.TemporaryDirectory(prefix="stability-bench-") as tmp:
        base = Path(tmp)
        if not args.quick:
            print("bench: warm-up (untimed)", file=sys.stderr, flush=True)
            project_round(base, 99, env)
            if not args.no_plain:
                plain_round(base, 99, env, chromium)
        for i in range(runs):
            print(f"bench: run {i + 1}/{runs}: project", file=sys.stderr, flush=True)
            rounds.append(project_round(base, i, env))
            print(
                f"bench: run {i + 1}/{runs}:   cold {rounds[-1]['cold']['seconds']:.1f} s, "
                f"no-op {rounds[-1]['noop']['seconds']:.2f} s, fact changed "
                f"{rounds[-1]['fact_changed']['seconds']:.1f} s",
                file=sys.stderr,
                flush=True,
            )
            if not args.no_plain:
                print(f"bench: run {i + 1}/{runs}: plain route", file=sys.stderr, flush=True)
                plain.append(plain_round(base, i, env, chromium))
                print(
                    f"bench: run {i + 1}/{runs}:   {plain[-1]['seconds']:.1f} s",
                    file=sys.stderr,
                    flush=True,
                )
        print(
            "bench: peak memory (a sampled cold render"
            + ("" if args.quick or args.no_plain else " and a sampled plain route")
            + ")",
            file=sys.stderr,
            flush=True,
        )
        memory = project_memory(base, env)
        plain_memory = (
            plain_round(base, 98, env, chromium, memory=True) if plain and not args.quick else None
        )
        for _ in range(max(runs, 5)):
            floors.append(floor_round(env))
        print(
            f"bench: fact base at scale ({args.fact_rows:,} rows per table)",
            file=sys.stderr,
            flush=True,
        )
        facts = [facts_round(base, args.fact_rows, env) for _ in range(runs)]
        facts_memory = facts_round(base, args.fact_rows, env, memory=True)
        daily = []
        for i in range(runs if args.daily else 0):
            print(f"bench: daily re-run {i + 1}/{runs}", file=sys.stderr, flush=True)
            daily.append(daily_round(base, i, env))
            print(
                f"bench:   cold {daily[-1]['cold']['seconds']:.1f} s, next day "
                f"{daily[-1]['daily']['seconds']:.2f} s",
                file=sys.stderr,
                flush=True,
            )

        sweeps = []
        for i in range(runs if args.sweep else 0):
            print(f"bench: sweep {i + 1}/{runs}", file=sys.stderr, flush=True)
            sweeps.append(sweep_round(base, i, env))
            print(
                f"bench:   sweep {sweeps[-1]['sweep']:.1f} s, 6 runs one after the other "
                f"{sweeps[-1]['sequential']:.1f} s",
                file=sys.stderr,
                flush=True,
            )
        extracts = []
        for i in range(runs if args.extract else 0):
            print(f"bench: extraction {i + 1}/{runs}", file=sys.stderr, flush=True)
            extracts.append(extract_round(env))
            print(
                "bench:   "
                + ", ".join(f"{k} bytes {v['seconds']:.1f} s" for k, v in extracts[-1].items()),
                file=sys.stderr,
                flush=True,
            )

    for d, before in guarded.items():
        if snapshot(d) != before:
            print(f"bench: WARNING: {d} changed during the benchmark", file=sys.stderr)

    s = summarize(
        rounds, plain, floors, memory, plain_memory, facts, facts_memory, daily, sweeps, extracts
    )
    print(table(s, runs))
    result = {
        "date": started.isoformat(timespec="seconds"),
        "runs": runs,
        "quick": args.quick,
        "as_of": AS_OF,
        "machine": {
            "hostname": platform.node(),
            "cpus": os.cpu_count(),
            "memory_mb": psutil.virtual_memory().total // MB,
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_before": os.getloadavg(),
        },
        "git_commit": _git(["rev-parse", "HEAD"]),
        "git_dirty": bool(
            _git(["status", "--porcelain", "--", "stability_report", "notebooks", "data"])
        ),
        "summary": s,
        "rounds": {
            "project": rounds,
            "plain": plain,
            "floor": floors,
            "facts": facts,
            "memory": {"project": memory, "plain": plain_memory, "facts": facts_memory},
            "daily": daily,
            "sweep": sweeps,
            "extract": extracts,
        },
        "memory_method": "psutil: peak over 50 ms samples of the sum of RSS, PSS and USS over "
        "the command's process tree, in runs of their own (the sampler's CPU "
        "would slow the timed runs); maxrss_mb: wait4() ru_maxrss of the "
        "command (largest single process of its tree)",
    }
    path = args.output or RESULTS / f"{started:%Y-%m-%d}.json"
    if args.output is None and path.exists():
        n = 2
        while (RESULTS / f"{started:%Y-%m-%d}-{n}.json").exists():
            n += 1
        path = RESULTS / f"{started:%Y-%m-%d}-{n}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults: {path}")
    return 0


def _git(args: list[str]) -> str:
    try:
        r = subprocess.run(
            ["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=10
        )
        return r.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


if __name__ == "__main__":
    raise SystemExit(main())
