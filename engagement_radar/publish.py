"""Publishing: readers never see a half-built warehouse.

dbt builds into a working file (ENGAGEMENT_RADAR_DB, default warehouse/build/engagement_radar.duckdb). After a
successful `dbt build`, `python -m engagement_radar.publish` checks the working file, copies it next to the
published file (ENGAGEMENT_RADAR_PUBLISHED_DB, default warehouse/engagement_radar.duckdb) and renames the copy
over it. A rename is atomic: a reader opens either the old warehouse or the new one, and readers that already
have the old one open keep reading it. A failed or killed build never reaches this step, so the previous
warehouse stays served. The working file is kept, so the next build can be incremental.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb

# Marts that must exist, with at least one row, before a warehouse is published.
REQUIRED_MARTS = ("kpi_summary", "customer_rfm", "customer_engagement", "cohort_retention", "customer_360")
PROJECT_DIR = Path(__file__).resolve().parents[1]


def _path(variable: str, default: str) -> Path:
    path = Path(os.environ.get(variable) or default)
    return path if path.is_absolute() else PROJECT_DIR / path


def build_path() -> Path:
    return _path("ENGAGEMENT_RADAR_DB", "warehouse/build/engagement_radar.duckdb")


def published_path() -> Path:
    return _path("ENGAGEMENT_RADAR_PUBLISHED_DB", "warehouse/engagement_radar.duckdb")


class PublishError(RuntimeError):
    pass


def check(path: Path) -> dict:
    """Opens a warehouse read-only and returns the row count of each required mart; raises if one is missing."""
    if not path.exists():
        raise PublishError(f"{path} does not exist: run dbt build first")
    counts = {}
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise PublishError(f"{path} is in use by a running build: publish after it finishes") from None
        raise PublishError(f"{path} cannot be opened: {error}") from None
    with con:
        tables = {row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main'").fetchall()}
        for mart in REQUIRED_MARTS:
            if mart not in tables:
                raise PublishError(f"{path} has no table {mart}: the build did not finish")
            counts[mart] = con.execute(f"select count(*) from {mart}").fetchall()[0][0]
    empty = [mart for mart, count in counts.items() if count == 0]
    if empty:
        raise PublishError(f"{path}: {', '.join(empty)} empty")
    return counts


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale_copies(target: Path) -> list[Path]:
    """Removes the half-written copies that a publish killed while copying left beside the target (each named
    after the pid of its publish; a copy whose publish still runs is kept)."""
    removed = []
    for leftover in target.parent.glob(f".{target.name}.*.tmp"):
        pid = leftover.name[len(target.name) + 2:-len(".tmp")]
        if pid.isdigit() and not _is_running(int(pid)):
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def publish(source: Path | None = None, target: Path | None = None) -> Path:
    """Atomically replaces the published warehouse with a copy of the working one."""
    source, target = source or build_path(), target or published_path()
    if source.resolve() == target.resolve():
        raise PublishError("the working and the published warehouse are the same file")
    if Path(f"{source}.wal").exists():
        raise PublishError(f"{source}.wal exists: the build is still running or was interrupted")
    check(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_copies(target)
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, staging)
        with open(staging, "rb") as handle:
            os.fsync(handle.fileno())
        check(staging)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engagement_radar.publish", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    started = time.perf_counter()
    try:
        target = publish()
    except PublishError as error:
        print(f"not published: {error}", file=sys.stderr)
        return 1
    print(f"published {build_path()} -> {target} in {time.perf_counter() - started:.1f} s")
    # the new alerts go out after a successful publish; a failing sink is reported, never fails the publish
    from engagement_radar.alerts import main as deliver_alerts

    try:
        deliver_alerts([])
    except Exception as error:  # noqa: BLE001 - a delivery problem must not turn a publish into a failure
        print(f"alerts: not sent ({type(error).__name__}: {error}); `make notify` sends them later", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
