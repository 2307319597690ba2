"""The benchmark behind BENCHMARKS.md: one set of generated files, every step in its own process, CPU seconds
(user + sys of the step and its children, stable on a shared machine), wall seconds and peak memory.

    python -m engagement_radar.bench --customers 100000            # what `make bench` runs
    python -m engagement_radar.bench --customers 2000 --months 6 --work /tmp/b --output /tmp/b/BENCHMARKS.md

Steps: generate the files (the last day held back); the core marts built by dbt, by a pandas notebook and by bare
DuckDB queries (the floor), and checked to give the same numbers; the full build; the held-back day appended and the
one-day incremental build (the stored models score, nothing retrains); the full build at 200 customers (the fixed
cost of the project).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import duckdb

from engagement_radar.bench.compare import differences

PROJECT_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CORE_MARTS = ["customer_rfm", "cohort_retention", "customer_engagement", "kpi_monthly"]
FIXED_COST_CUSTOMERS = 200

# (step key, label, what it does) in the order of the report
STEPS = [
    ("core_dbt", "core marts, dbt", "`dbt build --full-refresh` of the 4 core marts and the models and seeds they "
                                    "read, without tests"),
    ("core_pandas", "core marts, pandas notebook", "`engagement_radar/bench/notebook.py` over the raw files"),
    ("core_floor", "core marts, bare DuckDB floor", "`engagement_radar/bench/floor.py` over the raw files"),
    ("full", "full build", "`dbt build --full-refresh`: every model, the ML (trained) and the data tests"),
    ("incremental", "one-day refresh", "`dbt build` after one day is appended; the stored models score"),
    ("fixed", f"full build, {FIXED_COST_CUSTOMERS} customers", "the same full build on a tiny data set: the fixed "
                                                               "cost"),
]


@dataclass
class Measured:
    cpu: float
    wall: float
    peak_gb: float
    output: str


class StepFailed(RuntimeError):
    pass


def measure(command: list[str], env: dict | None = None, cwd: Path = PROJECT_DIR,
            memory_limit_gb: float | None = None) -> Measured:
    """Runs a command to its end; CPU and peak memory of it and everything it started (os.wait4 rusage). With
    memory_limit_gb, the command's address space is capped there (it fails instead of swapping the machine)."""

    def cap_memory():
        limit = int(memory_limit_gb * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    with tempfile.TemporaryFile(mode="w+") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
                                   preexec_fn=cap_memory if memory_limit_gb else None)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    if process.returncode != 0:
        tail = "\n".join(output.splitlines()[-40:])
        raise StepFailed(f"`{' '.join(command)}` failed (exit {process.returncode}):\n{tail}")
    # ru_maxrss is the largest single process (KiB on Linux), children included
    return Measured(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024 / 1024, output)


class Project:
    """dbt on one warehouse file and one raw folder, with its own target and log folders."""

    def __init__(self, work: Path, raw: Path, name: str):
        self.database = work / f"{name}.duckdb"
        self.target = work / f"target_{name}"
        self.logs = work / "logs"
        self.raw = raw

    def dbt(self, *args: str) -> Measured:
        env = {**os.environ, "ENGAGEMENT_RADAR_DB": str(self.database), "DBT_PROFILES_DIR": str(PROJECT_DIR),
               "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "NO_COLOR": "1"}
        env.pop("ENGAGEMENT_RADAR_PUBLISHED_DB", None)
        dbt_vars = json.dumps({"raw_path": str(self.raw), "raw_format": "parquet"})
        return measure([str(BIN / "dbt"), *args, "--vars", dbt_vars, "--target-path", str(self.target),
                        "--log-path", str(self.logs)], env=env)

    def slowest_nodes(self, count: int = 8) -> list[tuple[str, float]]:
        results = json.loads((self.target / "run_results.json").read_text())["results"]
        timed = [(r["unique_id"].split(".")[-1] if not r["unique_id"].startswith("test.")
                  else r["unique_id"].split(".")[2], r["execution_time"]) for r in results]
        return sorted(timed, key=lambda item: -item[1])[:count]

    def node_count(self) -> int:
        return len(json.loads((self.target / "run_results.json").read_text())["results"])


def generate(out: Path, customers: int, months: int, seed: int, hold_back_days: int = 0) -> Measured:
    command = [sys.executable, "-m", "engagement_radar.datagen", "--customers", str(customers), "--months",
               str(months), "--seed", str(seed), "--out", str(out), "--quiet"]
    if hold_back_days:
        command += ["--hold-back-days", str(hold_back_days)]
    return measure(command)


def counts(raw: Path) -> dict[str, int]:
    with duckdb.connect() as con:
        return {table: con.execute(f"select count(*) from read_parquet('{raw / table}.parquet')").fetchone()[0]
                for table in ("customers", "orders", "engagement_events")}


def run(args: argparse.Namespace) -> dict:
    work = Path(args.work).resolve()
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    raw = work / "raw"
    results: dict = {"steps": {}, "checks": {}}
    steps = results["steps"]

    def step(key: str, measured: Measured) -> Measured:
        steps[key] = {"cpu": measured.cpu, "wall": measured.wall, "peak_gb": measured.peak_gb}
        print(f"  {key:<12} {measured.cpu:7.1f} CPU-s {measured.wall:7.1f} s wall {measured.peak_gb:5.2f} GB",
              flush=True)
        return measured

    print(f"generating {args.customers:,} customers, {args.months} months (the last day held back) ...", flush=True)
    generated = generate(raw, args.customers, args.months, args.seed, hold_back_days=1)
    results["generated_s"] = generated.wall
    results["before"] = counts(raw)

    core = Project(work, raw, "core")
    core.dbt("parse")  # the first parse of a new raw_path is not part of any step
    select = ["--select", *[f"+{mart}" for mart in CORE_MARTS], "--exclude-resource-type", "test", "unit_test"]
    step("core_dbt", core.dbt("build", "--full-refresh", *select))
    results["core_nodes"] = core.node_count()
    results["core_slowest"] = core.slowest_nodes()
    for key, module in (("core_pandas", "notebook"), ("core_floor", "floor")):
        if key == "core_pandas" and args.skip_pandas:
            continue
        out = work / module
        command = [sys.executable, "-m", f"engagement_radar.bench.{module}", str(raw), str(out)]
        try:
            step(key, measure(command, memory_limit_gb=args.memory_limit_gb))
        except StepFailed as error:
            if "MemoryError" not in str(error) and "bad_alloc" not in str(error) and "Out of Memory" not in str(error):
                raise
            results["out_of_memory"] = {**results.get("out_of_memory", {}), key: args.memory_limit_gb}
            print(f"  {key:<12} ran out of memory at {args.memory_limit_gb:g} GB", flush=True)
            continue
        results["checks"][key] = differences(core.database, out)

    full = Project(work, raw, "full")
    step("full", full.dbt("build", "--full-refresh"))
    results["full_nodes"] = full.node_count()
    results["full_slowest"] = full.slowest_nodes()

    measure([sys.executable, "-m", "engagement_radar.datagen", "--out", str(raw), "--append-day", "--quiet"])
    after = counts(raw)
    results["appended"] = {table: after[table] - results["before"][table] for table in after}
    step("incremental", full.dbt("build"))
    results["incremental_nodes"] = full.node_count()
    results["incremental_slowest"] = full.slowest_nodes()

    if args.fixed_cost:
        tiny_raw = work / "raw_tiny"
        generate(tiny_raw, FIXED_COST_CUSTOMERS, args.months, args.seed)
        tiny = Project(work, tiny_raw, "tiny")
        tiny.dbt("parse")
        step("fixed", tiny.dbt("build", "--full-refresh"))
        results["fixed_nodes"] = tiny.node_count()
    return results


def _versions() -> str:
    names = ["dbt-core", "dbt-duckdb", "duckdb", "pandas", "pyarrow", "scikit-learn"]
    found = []
    for name in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{name} {metadata.version(name)}")
    return ", ".join(found)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gb() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError):
        return 0.0


def _nodes(items: list) -> str:
    return ", ".join(f"`{name}` {seconds:.1f} s" for name, seconds in items)


def report(args: argparse.Namespace, results: dict) -> str:
    steps = results["steps"]
    before, appended = results["before"], results["appended"]
    command = "make bench" + ("" if args.customers == 100_000 else f" SCALE={args.customers}")
    if args.months != 18:
        command += f" MONTHS={args.months}"
    if args.skip_pandas or not args.fixed_cost:
        command = (f"python -m engagement_radar.bench --customers {args.customers} --months {args.months}"
                   + (" --skip-pandas" if args.skip_pandas else "") + ("" if args.fixed_cost else " --no-fixed-cost"))
    lines = [
        f"<!-- scale {args.customers} -->",
        f"### {args.customers:,} customers: {before['engagement_events']:,} events, {before['orders']:,} orders",
        "",
        f"Measured {dt.date.today().isoformat()} with `{command}` on {os.cpu_count()} cores ({_cpu_model()}), "
        f"{_memory_gb():.0f} GB RAM, Python {platform.python_version()}, {_versions()}. "
        f"{args.months} months of demo data (seed {args.seed}); the one-day refresh appended "
        f"{appended['customers']:,} customers, {appended['engagement_events']:,} events and "
        f"{appended['orders']:,} orders (late events included).",
        "",
        "| step | CPU s | wall s | peak memory | what it does |",
        "|---|---:|---:|---:|---|",
    ]
    for key, label, what in STEPS:
        if key in steps:
            s = steps[key]
            lines.append(f"| {label} | {s['cpu']:.1f} | {s['wall']:.1f} | {s['peak_gb']:.2f} GB | {what} |")
        elif key in results.get("out_of_memory", {}):
            lines.append(f"| {label} | – | – | out of memory at {results['out_of_memory'][key]:g} GB | {what} |")
    lines += ["", "| ratio (CPU) | value | target |", "|---|---:|---|"]

    def ratio(label: str, top: str, bottom: str, target: str) -> None:
        if top in steps and bottom in steps:
            lines.append(f"| {label} | {steps[top]['cpu'] / steps[bottom]['cpu']:.2f} | {target} |")

    ratio("core marts: dbt / pandas notebook", "core_dbt", "core_pandas", "≤ 1.5")
    ratio("core marts: dbt / bare DuckDB floor", "core_dbt", "core_floor", "≤ 2.5")
    ratio("one-day refresh / full build", "incremental", "full", "≤ 0.15")
    lines.append("")
    for key, label in (("core_pandas", "the pandas notebook"), ("core_floor", "the floor")):
        if key in results["checks"]:
            problems = {mart: text for mart, text in results["checks"][key].items() if text}
            verdict = ("yes: counts and scores identical, money and rates within 1e-9" if not problems
                       else "NO: " + "; ".join(f"{mart}: {text}" for mart, text in problems.items()))
            lines.append(f"- {label} gives the warehouse's numbers for {', '.join(CORE_MARTS)}: {verdict}")
    lines += [
        "",
        f"Nodes: core marts {results['core_nodes']}, full build {results['full_nodes']}, one-day refresh "
        f"{results['incremental_nodes']}" + (f", fixed cost {results['fixed_nodes']}" if "fixed_nodes" in results
                                             else "") + ". Slowest nodes (dbt runs two at a time):",
        f"- core marts: {_nodes(results['core_slowest'])}",
        f"- full build: {_nodes(results['full_slowest'])}",
        f"- one-day refresh: {_nodes(results['incremental_slowest'])}",
        "",
        f"<!-- /scale {args.customers} -->",
    ]
    return "\n".join(lines) + "\n"


HEADER = """# Benchmarks

Written by `make bench` (`python -m engagement_radar.bench --customers N`); one section per scale, each from one run
on one set of generated Parquet files. CPU seconds are user + sys of the step and every process it started; they are
steadier than wall time on a shared machine. See the README's Performance section for what the steps mean.

"""


def write_report(path: Path, section: str, customers: int) -> None:
    text = path.read_text() if path.exists() else HEADER
    pattern = re.compile(rf"<!-- scale {customers} -->.*?<!-- /scale {customers} -->\n", re.S)
    found = pattern.search(text)
    text = pattern.sub(lambda _: section, text) if found else text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engagement_radar.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=18)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work", default=str(PROJECT_DIR / "bench"), help="scratch folder (emptied first)")
    parser.add_argument("--output", default=str(PROJECT_DIR / "BENCHMARKS.md"))
    parser.add_argument("--skip-pandas", action="store_true", help="leave out the pandas notebook (large scales)")
    parser.add_argument("--no-fixed-cost", dest="fixed_cost", action="store_false",
                        help=f"leave out the {FIXED_COST_CUSTOMERS}-customer build")
    parser.add_argument("--memory-limit-gb", type=float, default=max(4.0, round(_memory_gb() * 0.75)),
                        help="address-space cap of the pandas and floor steps (default: 3/4 of the RAM)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    try:
        results = run(args)
    except StepFailed as error:
        print(f"benchmark stopped: {error}", file=sys.stderr)
        return 1
    section = report(args, results)
    write_report(Path(args.output), section, args.customers)
    (Path(args.work) / "results.json").write_text(json.dumps(results, indent=2, default=str))
    print(section)
    failed = [key for key, found in results["checks"].items() if any(found.values())]
    if not args.keep:
        for child in Path(args.work).iterdir():
            if child.name != "results.json":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    if failed:
        print(f"the numbers differ from the warehouse's: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
