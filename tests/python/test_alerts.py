"""Alert delivery: a webhook receiver on 127.0.0.1, two builds and publishes with one appended day, and a receiver
that is down - every alert of alert_notifications arrives once, only new ones the second time, and a failed delivery
waits in alert_deliveries for the next run (`make notify`)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest
from conftest import PROJECT_DIR, make_data, run_dbt

from engagement_radar.datagen.generate import append_day

pytestmark = pytest.mark.dbt


class Receiver:
    """An incoming webhook on 127.0.0.1 that keeps every JSON payload it is sent."""

    def __init__(self, port: int = 0):
        self.payloads: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.payloads.append(json.loads(body))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/radar"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def alerts(self) -> list[tuple[str, str]]:
        return [(alert["alert_id"], alert["first_seen_date"]) for payload in self.payloads
                for alert in payload["alerts"]]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_module(module: str, database, published, alerts_dir, webhook: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ENGAGEMENT_RADAR_DB": str(database), "ENGAGEMENT_RADAR_PUBLISHED_DB": str(published),
           "ENGAGEMENT_RADAR_ALERTS_DIR": str(alerts_dir), "ENGAGEMENT_RADAR_ALERTS_WEBHOOK": webhook,
           "ENGAGEMENT_RADAR_ALERTS_RETRIES": "2"}
    return subprocess.run([sys.executable, "-m", module], cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
                          timeout=300)


def notifications(database) -> set[tuple[str, str]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return {(alert_id, day.isoformat()) for alert_id, day in con.execute(
            "select alert_id, first_seen_date from alert_notifications").fetchall()}


def deliveries(database, sink: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("select alert_id, strftime(first_seen_date, '%Y-%m-%d'), status, attempts, error "
                           "from alert_deliveries where sink = ? order by attempted_at, alert_id", [sink]).fetchall()


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The first build (and an untouched copy of its warehouse), then the build after one appended day."""
    root = tmp_path_factory.mktemp("alerts")
    raw = make_data(root / "raw", customers=1_500, months=12, seed=11, hold_back_days=1)
    first = run_dbt(["build"], root / "first", raw)
    assert first.returncode == 0, first.output
    shutil.copy2(first.database, root / "untouched.duckdb")
    return root, raw, first


def test_each_alert_is_delivered_once_and_only_new_ones_after_an_appended_day(builds):
    root, raw, first = builds
    receiver = Receiver()
    try:
        published = run_module("engagement_radar.publish", first.database, root / "published.duckdb",
                               root / "sent", receiver.url)
        assert published.returncode == 0, published.stderr
        expected_first = notifications(first.database)
        assert len(expected_first) > 0, "the demo data raises alerts to deliver"
        assert sorted(receiver.alerts()) == sorted(expected_first)
        assert all(len(payload["alerts"]) <= 20 and payload["text"].startswith("*Engagement Radar")
                   for payload in receiver.payloads)
        assert "/customer?customer=" in receiver.payloads[0]["alerts"][0]["customer_url"]
        lines = (root / "sent" / "alerts.jsonl").read_text().splitlines()
        assert sorted((row["alert_id"], row["first_seen_date"]) for row in map(json.loads, lines)) \
            == sorted(expected_first)

        append_day(raw)
        second = run_dbt(["build"], root / "first", raw, database=first.database)
        assert second.returncode == 0, second.output
        sent_before = len(receiver.alerts())
        published = run_module("engagement_radar.publish", first.database, root / "published.duckdb",
                               root / "sent", receiver.url)
        assert published.returncode == 0, published.stderr
        new = receiver.alerts()[sent_before:]
        with duckdb.connect(str(first.database), read_only=True) as con:
            as_of = con.execute("select as_of_date from report_context").fetchone()[0].isoformat()
            raised_today = {(alert_id, as_of) for (alert_id,) in con.execute(
                "select alert_id from engagement_alerts where is_new").fetchall()}
        # only the alerts this build raised (those that notify), none that went out before
        assert set(new) == raised_today & notifications(first.database)
        assert all(day == as_of for _, day in new)
        assert len(receiver.alerts()) == len(set(receiver.alerts())), "an alert was delivered twice"
        print(f"first publish: {len(expected_first)} alerts, second: {len(new)} new")
    finally:
        receiver.close()


def test_a_receiver_that_is_down_never_fails_the_publish_and_notify_sends_later(builds):
    root, _, _ = builds
    database, port = root / "untouched.duckdb", free_port()
    url = f"http://127.0.0.1:{port}/hooks/radar"
    published = run_module("engagement_radar.publish", database, root / "published_down.duckdb", root / "sent_down",
                           url)
    assert published.returncode == 0, published.stderr
    assert "published" in published.stdout and "webhook failed" in published.stderr
    expected = notifications(database)
    failed = deliveries(database, "webhook")
    assert {(alert_id, day) for alert_id, day, *_ in failed} == expected
    assert all(status == "failed" and attempts == 2 and error for _, _, status, attempts, error in failed)

    receiver = Receiver(port)
    try:
        notified = run_module("engagement_radar.alerts", database, root / "published_down.duckdb",
                              root / "sent_down", url)
        assert notified.returncode == 0, notified.stderr
        assert sorted(receiver.alerts()) == sorted(expected)
        delivered = [row for row in deliveries(database, "webhook") if row[2] == "delivered"]
        assert sorted((alert_id, day) for alert_id, day, *_ in delivered) == sorted(expected)
        # and once more: nothing is pending, nothing is sent again
        again = run_module("engagement_radar.alerts", database, root / "published_down.duckdb", root / "sent_down",
                           url)
        assert again.returncode == 0 and len(receiver.alerts()) == len(expected)
    finally:
        receiver.close()
    # the JSON Lines sink worked all along: each alert once
    lines = (root / "sent_down" / "alerts.jsonl").read_text().splitlines()
    assert len(lines) == len(expected)
