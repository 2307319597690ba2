"""Hostile input and faults, as a user meets them: CSV exports with a byte-order mark, CRLF, upper-case and extra
columns, ragged rows, bytes that are not UTF-8, a quote never closed, timestamp words and loose numbers; a raw file
edited instead of appended to; a second build while one runs; a publish killed while copying; a raw_path with a
quote in it. Every raw record lands exactly once, no email reaches a table, a log or the screen, and every failure
is one clear message."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import pytest
from conftest import DBT, PROJECT_DIR, make_data, run_dbt, warehouse_fingerprint

from engagement_radar import raw_csv
from engagement_radar.publish import publish, remove_stale_copies

pytestmark = pytest.mark.dbt
EMAIL = re.compile(rb"[A-Za-z0-9._%+-]+@(example\.com|torture\.example)")

# What the torture rows below must become: file -> reason -> count (None: accepted).
PLANTED = {
    "customers": {None: 1, "unparseable_signup_at": 3, "invalid_encoding": 1, "malformed_row": 3},
    "orders": {"unparseable_ordered_at": 2, "unparseable_quantity": 1, "unparseable_gross_amount": 2,
               "malformed_row": 1, None: 1},
    "engagement_events": {"unparseable_occurred_at": 1, "malformed_row": 1, "invalid_encoding": 1},
    "campaigns": {},
}
INJECTION = "'; drop table stg_raw__customers; --"


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, bom=False, crlf=False, tail: bytes = b""):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n" if crlf else "\n").writerows([header, *rows])
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode() + tail)


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def torture(raw: Path) -> dict:
    """Turns a clean generated CSV export into one with every kind of trouble; returns the raw record counts."""
    header, rows = read_csv(raw / "customers.csv")
    signup = rows[0][1]
    header = [name.upper() for name in header] + ["notes"]  # upper-case names, an extra column
    rows = [[*row, "vip"] for row in rows]
    rows += [
        ["C9001", "-infinity", "minus@torture.example", *["x"] * 8, ""],
        ["C9002", "epoch", "epoch@torture.example", *["x"] * 8, ""],
        ["C9003", "infinity", "plus@torture.example", *["x"] * 8, ""],
        ["C9005", signup],                                                     # too few fields
        ["C9006", signup, "extra@torture.example", *["x"] * 8, "", "surplus"],  # too many
        ["C9007", signup, "injected@torture.example", INJECTION, *["x"] * 7, ""],
    ]
    bad_byte = b"C9004," + signup.encode() + b",leak@torture.example,D\xe9,x,x,x,x,x,x,x,\r\n"
    unclosed = b'C9008,"' + signup.encode() + b",never@torture.example,x,x,x,x,x,x,x,x,\r\n"
    write_csv(raw / "customers.csv", header, rows, bom=True, crlf=True, tail=b"\r\n" + bad_byte + unclosed)

    header, rows = read_csv(raw / "orders.csv")
    customer, ordered = rows[0][1], rows[0][2]
    rows += [
        ["O9001", customer, "epoch", "10", "0", "0", "1"],
        ["O9002", customer, "-infinity", "10", "0", "0", "1"],
        ["O9003", customer, ordered, "10", "0", "0", "2.5"],
        ["O9004", customer, ordered, "0x10", "0", "0", "1"],
        ["O9005", customer, ordered, "1_000", "0", "0", "1"],
        ["O9006", customer, ordered, "10", "0", "0", "3.0"],  # a whole number written as a decimal: accepted
        ["O9007", customer, ordered, "10", "0", "0", "1", "one field too many on the last row"],
    ]
    write_csv(raw / "orders.csv", header, rows)

    header, rows = read_csv(raw / "engagement_events.csv")
    middle = len(rows) // 2
    rows.insert(middle, ["E9001", rows[0][1]])  # a short row in the middle of a larger file
    rows.append(["E9002", rows[0][1], "infinity", "email", "open", ""])
    quoted = b"E9003," + rows[0][1].encode() + b"," + rows[0][2].encode() + b",email,\x93open\x94,\n"
    write_csv(raw / "engagement_events.csv", header, rows, tail=quoted)
    generated = json.loads((raw / "_truth" / "manifest.json").read_text())["rows"]
    return {name: generated[name] + sum(planted.values()) for name, planted in PLANTED.items()}


def start_dbt(command: list[str], workdir: Path, raw: Path, database: Path, **extra_vars) -> subprocess.Popen:
    env = {**os.environ, "ENGAGEMENT_RADAR_DB": str(database), "DBT_PROFILES_DIR": str(PROJECT_DIR),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "NO_COLOR": "1"}
    workdir.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [str(DBT), *command, "--vars", json.dumps({"raw_path": str(raw), "raw_format": "csv", **extra_vars}),
         "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs"), "--no-use-colors"],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.fixture(scope="module")
def tortured(tmp_path_factory):
    """A built warehouse of the torture export, in a folder whose name holds a quote; and the output of a second
    build started while the first one ran."""
    base = tmp_path_factory.mktemp("torture")
    raw = make_data(base / "raw 'quoted' folder", customers=300, months=3, seed=11, file_format="csv")
    records = torture(raw)
    workdir, database = base / "run", base / "warehouse.duckdb"
    # the second build's project is parsed beforehand, so it reaches the warehouse while the first one still runs
    start_dbt(["parse"], base / "second", raw, database).communicate(timeout=300)
    first = start_dbt(["build"], workdir, raw, database)
    log = workdir / "logs" / "dbt.log"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and " of " not in (log.read_text() if log.exists() else ""):
        time.sleep(0.2)  # wait until the first build is running its models
    second = start_dbt(["build"], base / "second", raw, database)
    second_output = second.communicate(timeout=300)[0]
    first_output = first.communicate(timeout=900)[0]
    return {"raw": raw, "records": records, "database": database, "output": first_output,
            "returncode": first.returncode, "logs": workdir / "logs", "second": (second.returncode, second_output)}


def scalar(database: Path, sql: str):
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_every_torture_record_lands_once_with_its_reason(tortured):
    assert tortured["returncode"] == 0, tortured["output"][-5000:]
    for name, planted in PLANTED.items():
        staged = scalar(tortured["database"], f"select count(*) from stg_raw__{name}")[0][0]
        reasons = dict(scalar(tortured["database"],
                              f"select rejection_reason, count(*) from quarantine_raw__{name} group by 1"))
        print(f"{name}: {tortured['records'][name]} records = {staged} staged + {reasons}")
        assert staged + sum(reasons.values()) == tortured["records"][name], name
        assert reasons == {reason: count for reason, count in planted.items() if reason}, name
    # the injected text is stored as given, and did nothing
    assert scalar(tortured["database"], "select country from stg_raw__customers where customer_id = 'C9007'") == [
        (INJECTION,)]
    # the line a rejected CSV record starts on is kept, to find it in the file
    lines = dict(scalar(tortured["database"], "select customer_id, source_line_number from quarantine_raw__customers "
                                              "where rejection_reason = 'unparseable_signup_at'"))
    assert sorted(lines.values()) == sorted(set(lines.values())) and min(lines.values()) > 300


def test_timestamp_words_never_stretch_the_export_date(tortured):
    export_date, latest = scalar(tortured["database"],
                                 "select export_date, latest_activity_date from screen_raw__export_date")[0]
    last_event = scalar(tortured["database"], "select max(occurred_date) from stg_raw__engagement_events")[0][0]
    assert export_date == latest and latest.year < 3000 and (export_date - last_event).days <= 1


def test_no_email_reaches_a_table_a_log_or_the_screen(tortured):
    assert tortured["returncode"] == 0, tortured["output"][-5000:]
    database = tortured["database"]
    with duckdb.connect(str(database), read_only=True) as con:
        columns = con.execute("select table_name, column_name from information_schema.columns "
                              "where table_schema = 'main' and data_type = 'VARCHAR'").fetchall()
        for table, column in columns:
            found = con.execute(f'select count(*) from "{table}" where "{column}" like \'%@%example%\'').fetchall()
            assert found[0][0] == 0, f"{table}.{column}"
    assert not EMAIL.search(database.read_bytes())
    for prepared in Path(f"{database}.raw").glob("*"):
        assert not EMAIL.search(prepared.read_bytes()), prepared.name
    assert not EMAIL.search(tortured["output"].encode())
    assert not EMAIL.search(tortured["second"][1].encode())
    for log in tortured["logs"].glob("*"):
        assert not EMAIL.search(log.read_bytes()), log.name
    assert EMAIL.search((tortured["raw"] / "customers.csv").read_bytes())  # the check can find one


def test_a_bad_byte_quarantines_its_row_and_no_line_is_echoed(tmp_path):
    """One byte that is not UTF-8, next to another customer's email: the row is quarantined, the rest loads, and
    neither the output nor the log quotes a line of the file."""
    raw = tmp_path / "raw"
    shutil.copytree(PROJECT_DIR / "tests" / "python" / "handmade_csv", raw)
    customers = (raw / "customers.csv").read_bytes().splitlines(keepends=True)
    customers.insert(2, b"C9,2024-03-01T00:00:00Z,bad\xff@torture.example,PT,P1\n")
    (raw / "customers.csv").write_bytes(b"".join(customers))
    run = run_dbt(["build"], tmp_path / "run", raw, raw_format="csv")
    assert run.returncode == 0, run.output[-3000:]
    assert run.query("select rejection_reason, source_line_number from quarantine_raw__customers") == [
        ("invalid_encoding", 3)]
    assert run.scalar("select count(*) from stg_raw__customers") == 4
    assert not EMAIL.search(run.output.encode())
    for log in (tmp_path / "run" / "logs").glob("*"):
        assert not EMAIL.search(log.read_bytes()), log.name


def test_a_second_build_while_one_runs_says_so_in_one_line(tortured):
    returncode, output = tortured["second"]
    assert returncode != 0
    assert "Another build is running on" in output and "(pid " in output
    assert "Traceback" not in output and "Conflicting lock" not in output


@pytest.mark.parametrize("content, says", [
    (bytes(range(256)) * 40, "holds binary data"),
    (b"\x1f\x8b\x08\x00" + bytes(200), "is gzip-compressed"),
    (b"", "is empty"),
])
def test_a_file_that_is_not_csv_text_is_named_in_the_contracts_words(tmp_path, content, says):
    raw = tmp_path / "raw"
    shutil.copytree(PROJECT_DIR / "tests" / "python" / "handmade_csv", raw)
    (raw / "orders.csv").write_bytes(content)
    run = run_dbt(["build"], tmp_path / "run", raw, raw_format="csv")
    assert run.returncode != 0
    assert f"file {raw}/orders.csv {says}" in run.output
    assert "the contract reads CSV as UTF-8 text with a header row" in run.output
    assert "Traceback" not in run.output and "sniff" not in run.output.lower()


def test_header_only_files_say_there_are_no_customers(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(PROJECT_DIR / "tests" / "python" / "handmade_csv", raw)
    for path in raw.glob("*.csv"):
        path.write_text(path.read_text().splitlines()[0] + "\n")
    run = run_dbt(["build"], tmp_path / "run", raw, raw_format="csv")
    assert run.returncode != 0
    assert f"file {raw}/customers.csv holds no rows: the warehouse needs at least one customer" in run.output
    assert "not_null_int_reporting_dates" not in run.output
    # customers given, but none of them accepted: the build says so, and where to look
    (raw / "customers.csv").write_text("customer_id,signup_at\nC1,epoch\nC2,someday\n")
    run = run_dbt(["build"], tmp_path / "run2", raw, raw_format="csv")
    assert run.returncode != 0
    assert "No row of the customers file was accepted, so there is nothing to build" in run.output
    assert "quarantine_raw__customers gives the reason for each row" in run.output


def test_an_edited_raw_file_stops_the_incremental_build(tmp_path):
    raw = make_data(tmp_path / "raw", customers=300, months=3, seed=12, file_format="csv")
    database = tmp_path / "warehouse.duckdb"
    first = run_dbt(["build"], tmp_path / "run1", raw, raw_format="csv", database=database)
    assert first.returncode == 0, first.output[-3000:]
    header, rows = read_csv(raw / "orders.csv")
    middle = len(rows) // 2
    changed_amount, changed_id = rows[middle][0], rows[middle + 1][0]
    rows[middle][3] = "12345.67"
    rows[middle + 1][0] = "O-RENAMED"
    write_csv(raw / "orders.csv", header, rows)
    second = run_dbt(["build"], tmp_path / "run2", raw, raw_format="csv", database=database)
    assert second.returncode != 0
    assert f"The raw file {raw}/orders.csv was edited or replaced, not appended to" in second.output
    assert "dbt build --full-refresh" in second.output and "Traceback" not in second.output
    refreshed = run_dbt(["build", "--full-refresh"], tmp_path / "run3", raw, raw_format="csv", database=database)
    assert refreshed.returncode == 0, refreshed.output[-3000:]
    assert refreshed.scalar(f"select gross_amount from stg_raw__orders where order_id = '{changed_amount}'") == 12345.67
    assert refreshed.scalar(f"select count(*) from stg_raw__orders where order_id = '{changed_id}'") == 0
    assert refreshed.scalar("select count(*) from stg_raw__orders where order_id = 'O-RENAMED'") == 1


def test_a_model_that_fails_keeps_the_table_it_was_replacing(tmp_path, analytics_build, analytics_data):
    """The project's table materialization drops the old table and creates the new one in one transaction: when the
    new one fails half-way (a value that cannot be converted, found while the rows are written), the old table is
    there, whole; the next good run replaces it with the same rows."""
    database = tmp_path / analytics_build.database.name
    shutil.copy(analytics_build.database, database)
    before = warehouse_fingerprint(database)
    assert before["customer_rfm"][0] > 0
    failed = run_dbt(["run", "--select", "customer_rfm"], tmp_path, analytics_data, database=database,
                     extra_vars={"discount_driven_share": "cast('one tenth' as double)"})
    assert failed.returncode != 0 and "Conversion Error" in failed.output, failed.output[-2000:]
    assert "drop table if exists" in (tmp_path / "logs" / "dbt.log").read_text()  # it got as far as the drop
    assert warehouse_fingerprint(database) == before
    again = run_dbt(["run", "--select", "customer_rfm"], tmp_path, analytics_data, database=database)
    assert again.returncode == 0, again.output[-2000:]
    assert warehouse_fingerprint(database) == before


def test_a_publish_killed_while_copying_leaves_nothing_behind(tmp_path, published_warehouse):
    target = tmp_path / "engagement_radar.duckdb"
    shutil.copy(published_warehouse, target)
    dead = subprocess.Popen(["true"])
    dead.wait()  # a pid that no longer runs, as after kill -9 of a publish
    leftover = tmp_path / f".{target.name}.{dead.pid}.tmp"
    leftover.write_bytes(b"half a warehouse")
    alive = subprocess.Popen(["sleep", "60"])  # a publish still copying: its copy is kept
    running = tmp_path / f".{target.name}.{alive.pid}.tmp"
    running.write_bytes(b"being written")
    try:
        publish(published_warehouse, target)
        assert not leftover.exists() and running.exists()
    finally:
        alive.kill()
        alive.wait()
    assert remove_stale_copies(target) == [running] and not running.exists()


@pytest.mark.parametrize("careful", [False, True])
def test_the_csv_reader_keeps_every_record_and_its_line(tmp_path, careful):
    """Both paths of the reader (the fast one for clean files, the careful one) give the same records."""
    source = tmp_path / "events.csv"
    write_csv(source, ["event_id", "note"], [["1", "a"], ["2", "b,c"], ["3", 'say "hi"'], ["4", "x"]])
    summary = raw_csv.prepare(source, tmp_path / "out.parquet", careful=careful)
    assert summary["rows"] == 4 and summary["problems"] == {"malformed_row": 0, "invalid_encoding": 0}
    rows = duckdb.sql(f"select source_row_number, source_line_number, event_id, note "
                      f"from '{tmp_path}/out.parquet' order by 1").fetchall()
    assert rows == [(1, 2, "1", "a"), (2, 3, "2", "b,c"), (3, 4, "3", 'say "hi"'), (4, 5, "4", "x")]


def test_the_careful_reader_recovers_after_a_bad_record(tmp_path):
    source = tmp_path / "events.csv"
    source.write_bytes(b'event_id,note\n1,"two\nlines"\n2,\xffbad\n3,"never closed\n4,x,y\n\n5,ok\n')
    summary = raw_csv.prepare(source, tmp_path / "out.parquet")
    rows = duckdb.sql(f"select source_row_number, source_line_number, file_problem, event_id "
                      f"from '{tmp_path}/out.parquet' order by 1").fetchall()
    assert rows == [(1, 2, None, "1"), (2, 4, "invalid_encoding", "2"), (3, 5, "malformed_row", None),
                    (4, 6, "malformed_row", "4"), (5, 8, None, "5")]
    assert summary["blank_lines"] == 1 and summary["problems"] == {"malformed_row": 2, "invalid_encoding": 1}
