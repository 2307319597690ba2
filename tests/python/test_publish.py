"""Publishing: readers keep working while the warehouse is rebuilt, and a failed build leaves the old one served."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time

import duckdb
import pytest
from conftest import DBT, PROJECT_DIR, warehouse_fingerprint
from streamlit.testing.v1 import AppTest

from engagement_radar.publish import PublishError, check, publish

pytestmark = pytest.mark.dbt
APP = str(PROJECT_DIR / "streamlit_app" / "app.py")


def build_and_publish(raw, working, published, workdir, full_refresh=True) -> subprocess.Popen:
    """What `make build` runs: dbt build into the working file, then publish only if the build succeeded."""
    env = {**os.environ, "ENGAGEMENT_RADAR_DB": str(working), "ENGAGEMENT_RADAR_PUBLISHED_DB": str(published),
           "DBT_PROFILES_DIR": str(PROJECT_DIR), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = [str(DBT), "build", "--vars", f"{{raw_path: '{raw}'}}", "--target-path", str(workdir / "target"),
           "--log-path", str(workdir / "logs"), *(["--full-refresh"] if full_refresh else [])]
    publish_command = shlex.join([sys.executable, "-m", "engagement_radar.publish"])
    command = f"{shlex.join(dbt)} > {workdir}/build.log 2>&1 && {publish_command}"
    return subprocess.Popen(["bash", "-c", command], cwd=PROJECT_DIR, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.fixture
def warehouses(analytics_build, tmp_path):
    working, published = tmp_path / "build" / "engagement_radar.duckdb", tmp_path / "engagement_radar.duckdb"
    working.parent.mkdir()
    shutil.copy(analytics_build.database, working)
    publish(working, published)
    return working, published


def read_published(published, errors: list, reads: list, stop: threading.Event):
    """A BI-tool-like reader: a new read-only connection per query, as fast as it can."""
    while not stop.is_set():
        try:
            with duckdb.connect(str(published), read_only=True) as con:
                customers = con.execute("select count(*) from customer_360").fetchall()[0][0]
                kpis = con.execute("select count(*) from kpi_summary").fetchall()[0][0]
            assert customers > 0 and kpis == 6
            reads.append(time.monotonic())
        except Exception as error:  # noqa: BLE001 - every failure is counted
            errors.append(repr(error))
        time.sleep(0.05)


def test_readers_and_the_app_keep_working_during_a_rebuild(warehouses, analytics_data, tmp_path, monkeypatch):
    working, published = warehouses
    before = published.stat().st_ino
    monkeypatch.setenv("ENGAGEMENT_RADAR_PUBLISHED_DB", str(published))
    errors, reads, stop = [], [], threading.Event()
    reader = threading.Thread(target=read_published, args=(published, errors, reads, stop))
    reader.start()
    build = build_and_publish(analytics_data, working, published, tmp_path)
    app_loads, app_errors = 0, []
    while build.poll() is None or app_loads < 3:
        page = AppTest.from_file(APP, default_timeout=120)
        page.run()
        app_loads += 1
        app_errors += [e.message for e in page.exception] + [e.value for e in page.error]
    stop.set()
    reader.join()
    output = build.stdout.read()
    assert build.returncode == 0, output + (tmp_path / "build.log").read_text()[-3000:]
    print(f"{len(reads)} reads and {app_loads} app loads during the rebuild; {len(errors)} + {len(app_errors)} errors")
    assert errors == [] and app_errors == []
    assert len(reads) >= 50
    assert published.stat().st_ino != before  # the new warehouse was swapped in
    check(published)


def test_a_killed_build_leaves_the_previous_warehouse_served(warehouses, analytics_data, tmp_path):
    working, published = warehouses
    served = warehouse_fingerprint(published)
    build = build_and_publish(analytics_data, working, published, tmp_path)
    log = tmp_path / "build.log"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and "python table model" not in (log.read_text() if log.exists() else ""):
        time.sleep(0.2)
    os.killpg(build.pid, signal.SIGKILL)  # halfway: the SQL models are rebuilt, the Python models are running
    build.wait(timeout=60)
    assert build.returncode != 0
    assert "published" not in build.stdout.read()
    assert warehouse_fingerprint(published) == served  # still the previous warehouse, and readable


def test_publish_refuses_what_is_not_a_finished_warehouse(tmp_path, warehouses):
    working, published = warehouses
    with pytest.raises(PublishError, match="does not exist"):
        publish(tmp_path / "missing.duckdb", published)
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(PublishError, match="no table kpi_summary"):
        publish(empty, published)
    (working.parent / f"{working.name}.wal").write_bytes(b"")
    with pytest.raises(PublishError, match="still running or was interrupted"):
        publish(working, published)
    with pytest.raises(PublishError, match="same file"):
        publish(published, published)
