"""Real `dbt build` runs over generated and hand-written inputs: staging, quarantine, contract errors."""

from __future__ import annotations

import hashlib
import json
import re
import shutil

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import PROJECT_DIR, manifest, run_dbt

from engagement_radar.datagen.dirty import ACCEPTED_EVENTS, UNKNOWN_CHANNELS

pytestmark = pytest.mark.dbt
SOURCES = ("customers", "orders", "engagement_events", "campaigns", "plan_changes")
HANDMADE = PROJECT_DIR / "tests" / "python" / "handmade_csv"


@pytest.fixture(scope="module")
def dirty_parquet_build(dirty_parquet, tmp_path_factory):
    run = run_dbt(["build"], tmp_path_factory.mktemp("dirty_parquet_build"), dirty_parquet)
    assert run.returncode == 0, run.output
    return run


@pytest.fixture(scope="module")
def dirty_csv_build(dirty_csv, tmp_path_factory):
    run = run_dbt(["build"], tmp_path_factory.mktemp("dirty_csv_build"), dirty_csv, raw_format="csv")
    assert run.returncode == 0, run.output
    return run


def assert_every_row_accounted_for(run, raw_dir):
    expected = manifest(raw_dir)
    for source in SOURCES:
        staged = run.scalar(f"select count(*) from stg_raw__{source}")
        reasons = dict(run.query(f"select rejection_reason, count(*) from quarantine_raw__{source} group by 1"))
        print(f"{source}: raw {expected['rows'][source]} = staged {staged} + quarantined {sum(reasons.values())}"
              f" {reasons}")
        assert staged + sum(reasons.values()) == expected["rows"][source], source
        assert reasons == expected["dirty"]["rejected"][source], source


def test_dirty_parquet_every_row_staged_or_quarantined_by_reason(dirty_parquet_build, dirty_parquet):
    assert_every_row_accounted_for(dirty_parquet_build, dirty_parquet)


def test_dirty_csv_every_row_staged_or_quarantined_by_reason(dirty_csv_build, dirty_csv):
    assert_every_row_accounted_for(dirty_csv_build, dirty_csv)


def test_unknown_channels_are_kept_and_reported(dirty_parquet_build):
    kept = dirty_parquet_build.scalar(
        "select count(*) from stg_raw__engagement_events where channel in ({})".format(
            ", ".join(f"'{c}'" for c in UNKNOWN_CHANNELS)))
    assert kept == ACCEPTED_EVENTS["unknown_channel"]
    assert "WARN" in dirty_parquet_build.output and "unknown_channel_event_types" in dirty_parquet_build.output
    reported = dirty_parquet_build.query(
        "select channel, sum(row_count) from main_dbt_test__audit.unknown_channel_event_types group by 1")
    assert {channel for channel, _ in reported} == set(UNKNOWN_CHANNELS)
    assert sum(count for _, count in reported) == ACCEPTED_EVENTS["unknown_channel"]
    # differently spelled known channels are normalised, not reported
    assert dirty_parquet_build.scalar(
        "select count(*) from stg_raw__engagement_events where channel <> lower(trim(channel))") == 0


def test_offsets_become_the_same_utc_instant(dirty_parquet_build, dirty_parquet, clean_parquet):
    """The dirty file writes 1% of timestamps with a UTC offset; staged, they equal the clean data's UTC values."""
    with duckdb.connect(str(dirty_parquet_build.database), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        for table, key, column in (("orders", "order_id", "ordered_at"),
                                   ("engagement_events", "event_id", "occurred_at"),
                                   ("customers", "customer_id", "signup_at")):
            compared, differing = con.execute(f"""
                select count(*), count(*) filter (where s.{column} <> timezone('UTC', c.{column}))
                from stg_raw__{table} s
                join read_parquet('{clean_parquet}/{table}.parquet') c on s.{key} = cast(c.{key} as varchar)
            """).fetchall()[0]
            assert compared == manifest(clean_parquet)["rows"][table], table
            assert differing == 0, table
            with_offset = con.execute(f"""select count(*) from quarantine_raw__{table} q
                                         where q.{column} similar to '.*[+-][0-9]{{2}}:[0-9]{{2}}'
                                           and q.rejection_reason = 'unparseable_{column}'""").fetchall()[0][0]
            assert with_offset == 0, table  # an offset never makes a timestamp unparseable


def test_staged_amounts_and_net_revenue_match_the_raw_file(dirty_parquet_build, clean_parquet):
    with duckdb.connect(str(dirty_parquet_build.database), read_only=True) as con:
        differing = con.execute(f"""
            select count(*) from stg_raw__orders s
            join read_parquet('{clean_parquet}/orders.parquet') c on s.order_id = cast(c.order_id as varchar)
            where abs(s.net_revenue - (c.gross_amount - c.discount_amount - c.refund_amount)) > 1e-9
        """).fetchall()[0][0]
    assert differing == 0


def test_no_email_address_reaches_the_warehouse(dirty_parquet_build):
    """The generated emails are user<n>@example.com: no text column of any table or view may hold one."""
    columns = dirty_parquet_build.query("""
        select table_name, column_name from information_schema.columns
        where table_schema = 'main' and data_type = 'VARCHAR'""")
    assert ("customers", "email") not in columns
    with dirty_parquet_build.connect() as con:
        for table, column in columns:
            found = con.execute(f'select count(*) from "{table}" where "{column}" like \'%@example.com%\'').fetchall()
            assert found[0][0] == 0, f"{table}.{column}"
    assert dirty_parquet_build.scalar(
        "select count(*) from stg_raw__customers where email_hash not similar to '[0-9a-f]{64}'") == 0


def test_handmade_csv_with_empty_engagement_and_campaigns_builds(tmp_path):
    run = run_dbt(["build"], tmp_path, HANDMADE, raw_format="csv")
    assert run.returncode == 0, run.output
    assert run.scalar("select count(*) from stg_raw__customers") == 4
    assert run.scalar("select count(*) from stg_raw__orders") == 5
    assert run.scalar("select count(*) from stg_raw__engagement_events") == 0
    assert run.scalar("select count(*) from stg_raw__campaigns") == 0
    assert str(run.scalar("select ordered_at from stg_raw__orders where order_id = 'O3'")) == "2024-02-20 21:30:00"
    assert run.scalar("select net_revenue from stg_raw__orders where order_id = 'O3'") == 170
    hashes = dict(run.query("select customer_id, email_hash from stg_raw__customers"))
    assert hashes["C1"] == hashlib.sha256(b"ana@example.com").hexdigest()
    assert hashes["C4"] is None  # no email given


def test_missing_file_and_column_give_one_clear_message(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(HANDMADE, raw)
    (raw / "campaigns.csv").unlink()
    (raw / "orders.csv").write_text("order_id,customer_id,amount\nO1,C1,10\n")
    run = run_dbt(["build"], tmp_path / "run", raw, raw_format="csv")
    assert run.returncode != 0
    assert "Traceback" not in run.output
    assert f"missing file {raw}/campaigns.csv (required columns: campaign_id" in run.output
    assert f"file {raw}/orders.csv lacks required column(s) ordered_at, gross_amount" in run.output
    assert "See the input contract in README.md" in run.output


def test_wrong_format_points_to_the_right_var(tmp_path):
    run = run_dbt(["build"], tmp_path, HANDMADE, raw_format="parquet")
    assert run.returncode != 0
    assert "Found" in run.output and "raw_format: csv" in run.output


def test_the_invariant_test_fails_when_a_row_lands_twice_or_not_at_all(dirty_parquet_build, dirty_parquet, tmp_path):
    database = tmp_path / "tampered.duckdb"
    shutil.copy(dirty_parquet_build.database, database)
    passing = run_dbt(["test", "--select", "source:raw.orders"], tmp_path, dirty_parquet, database=database)
    assert passing.returncode == 0, passing.output
    with duckdb.connect(str(database)) as con:  # a rejected row stored twice: it would land in quarantine twice
        con.execute("insert into screen_raw__orders select * from screen_raw__orders "
                    "where source_row_number = (select min(source_row_number) from screen_raw__orders)")
    twice = run_dbt(["test", "--select", "source:raw.orders"], tmp_path, dirty_parquet, database=database)
    assert twice.returncode != 0
    assert "each_raw_row_lands_once" in twice.output and "FAIL 1" in twice.output
    shutil.copy(dirty_parquet_build.database, database)
    # a thousand rows in the file that no build has screened (appended after it): they land nowhere
    grown = tmp_path / "grown_raw"
    shutil.copytree(dirty_parquet, grown)
    orders = pq.read_table(grown / "orders.parquet")
    pq.write_table(pa.concat_tables([orders, orders.slice(orders.num_rows - 1000)]), grown / "orders.parquet")
    missing = run_dbt(["test", "--select", "source:raw.orders"], tmp_path, grown, database=database)
    assert missing.returncode != 0
    assert "each_raw_row_lands_once" in missing.output and "FAIL 1" in missing.output
    shutil.copy(dirty_parquet_build.database, database)
    with duckdb.connect(str(database)) as con:  # a rejected row that is not in the file
        con.execute("update screen_raw__orders set source_row_number = 10 ^ 9 "
                    "where source_row_number = (select max(source_row_number) from screen_raw__orders)")
    phantom = run_dbt(["test", "--select", "source:raw.orders"], tmp_path, dirty_parquet, database=database)
    assert phantom.returncode != 0
    assert "each_raw_row_lands_once" in phantom.output and "FAIL 1" in phantom.output


def test_the_unit_tests_pass(dirty_parquet_build, dirty_parquet):
    """The logic's own tests on fixtures - the unit tests and the macros' expected-value tests, left out of a plain
    `dbt build` by selectors.yml - run here, on a built warehouse, every one of them."""
    workdir = dirty_parquet_build.database.parent
    run = run_dbt(["test", "--select", "test_type:unit", "tag:macro_tests"], workdir, dirty_parquet,
                  database=dirty_parquet_build.database)
    assert run.returncode == 0, run.output
    manifest = json.loads((workdir / "target" / "manifest.json").read_text())
    unit_tests = len(manifest["unit_tests"])
    macro_tests = sum("macro_tests" in node["tags"] for node in manifest["nodes"].values())
    total = unit_tests + macro_tests
    passed = re.findall(rf"\d+ of {total} PASS ", run.output)
    assert unit_tests >= 9 and macro_tests >= 10 and len(passed) == total, run.output[-2000:]
