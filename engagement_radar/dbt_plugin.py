"""The project's dbt-duckdb plugin (profiles.yml, `plugins:`).

- Before dbt opens the warehouse, it checks that no other process holds it: DuckDB allows one writer, and a second
  build would otherwise stop with a lock error and several Python tracebacks. It stops with one line instead.
- It registers the DuckDB functions the input-contract macros call (macros/raw_inputs/):
  ``engagement_radar_prepare_csv(source, target, pii_columns)`` reads a CSV export with the contract's dialect into
  a Parquet file (engagement_radar.raw_csv) and returns a JSON summary; ``engagement_radar_inspect_file(path)``
  says whether a file is missing, empty, Parquet or something else, without reading its content into any message.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError

from engagement_radar import raw_csv

LOCK_HOLDER = re.compile(r"PID (\d+)")


def inspect_file(path: str) -> str:
    """JSON {status: missing | empty | parquet | other, size} for a raw file; never raises."""
    file = Path(path)
    try:
        if not file.is_file():
            return json.dumps({"status": "missing"})
        size = file.stat().st_size
        if size == 0:
            return json.dumps({"status": "empty", "size": 0})
        with open(file, "rb") as handle:
            head = handle.read(4)
            handle.seek(max(0, size - 4))
            tail = handle.read(4)
        return json.dumps({"status": "parquet" if head == tail == b"PAR1" else "other", "size": size})
    except OSError as error:
        return json.dumps({"status": "unreadable", "message": error.strerror or type(error).__name__})


def another_process_holds(path: str) -> str | None:
    """The pid of a process holding the DuckDB file open for writing, if any ('?' when it cannot be told)."""
    if path in ("", ":memory:") or path.startswith("md:") or not Path(path).exists():
        return None
    try:
        duckdb.connect(path, read_only=True).close()
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            return None
        match = LOCK_HOLDER.search(str(error))
        return match.group(1) if match else "?"
    return None


class Plugin(BasePlugin):
    def update_connection_config(self, creds, config):
        if creds.path not in ("", ":memory:") and not creds.path.startswith("md:"):
            # the warehouse's folder may not exist yet (a new ENGAGEMENT_RADAR_DB, or a deleted warehouse/build)
            Path(creds.path).parent.mkdir(parents=True, exist_ok=True)
        holder = another_process_holds(creds.path)
        if holder:
            raise DbtRuntimeError(
                f"Another build is running on {creds.path} (pid {holder}). Wait for it to finish, or stop it, "
                "then build again.") from None

    def configure_connection(self, conn):
        conn.create_function("engagement_radar_prepare_csv", raw_csv.prepare_json,
                             [duckdb.sqltype("VARCHAR")] * 3, duckdb.sqltype("VARCHAR"), side_effects=True)
        conn.create_function("engagement_radar_inspect_file", inspect_file, [duckdb.sqltype("VARCHAR")],
                             duckdb.sqltype("VARCHAR"), side_effects=True)
