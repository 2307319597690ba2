"""Alert delivery: `python -m engagement_radar.alerts` (run after every publish, and by `make notify`).

Sends the alerts of the mart alert_notifications that no earlier run delivered - each occurrence of an alert
(alert_id, first_seen_date) once per sink - and records every attempt in the table alert_deliveries of the working
warehouse (ENGAGEMENT_RADAR_DB), which the next publish carries to readers too. Sinks, from environment variables:

- ENGAGEMENT_RADAR_ALERTS_DIR (default warehouse/alerts; "off" to switch it off): a JSON Lines file there,
  alerts.jsonl, one alert per line, appended;
- ENGAGEMENT_RADAR_ALERTS_WEBHOOK (default: none): an incoming-webhook URL (Slack, Microsoft Teams, or any
  endpoint taking JSON). One POST per message: {"text": ..., "alerts": [...]}, where text is a Markdown summary
  (Slack and Teams show it) listing at most var alert_max_customers_per_message customers, each linked to its
  Customer page in the app (var app_url); a longer list goes in several messages.

A failing sink is retried with backoff (ENGAGEMENT_RADAR_ALERTS_RETRIES attempts, default 3), then recorded as
failed and reported on one line: it never fails a build or a publish, and the next run sends what is pending.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from engagement_radar.publish import PROJECT_DIR, build_path

DELIVERIES_DDL = """
    create table if not exists alert_deliveries (
        alert_id varchar not null,
        first_seen_date date not null,
        sink varchar not null,
        status varchar not null,       -- delivered or failed
        attempts integer not null,
        attempted_at timestamp not null,
        error varchar
    )"""

PENDING_SQL = """
    select notifications.*
    from alert_notifications as notifications
    where not exists (
        select 1 from alert_deliveries as deliveries
        where deliveries.alert_id = notifications.alert_id
            and deliveries.first_seen_date = notifications.first_seen_date
            and deliveries.sink = ?
            and deliveries.status = 'delivered')
    order by notifications.alert_reason, notifications.magnitude desc, notifications.customer_id"""


@dataclass
class Outcome:
    sink: str
    delivered: int
    failed: int
    error: str | None = None

    def line(self) -> str:
        if self.failed:
            return (f"alerts: {self.sink} failed ({self.error}): {self.failed} alert(s) not delivered, logged in "
                    "alert_deliveries; `make notify` sends them again")
        return f"alerts: {self.delivered} new alert(s) delivered to {self.sink}"


def sinks() -> dict[str, str]:
    """The configured sinks: {'jsonl': folder, 'webhook': url}."""
    found = {}
    folder = os.environ.get("ENGAGEMENT_RADAR_ALERTS_DIR", "warehouse/alerts")
    if folder.lower() != "off":
        path = Path(folder)
        found["jsonl"] = str(path if path.is_absolute() else PROJECT_DIR / path)
    webhook = os.environ.get("ENGAGEMENT_RADAR_ALERTS_WEBHOOK", "").strip()
    if webhook:
        found["webhook"] = webhook
    return found


def settings(con) -> dict[str, str]:
    return dict(con.execute("select setting, setting_value from run_settings").fetchall())


def alert_record(row: dict, app_url: str) -> dict:
    """One alert as it is sent: JSON-ready values and the link to the customer's page."""
    record = {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in row.items()}
    record["customer_url"] = f"{app_url.rstrip('/')}/customer?customer={row['customer_id']}"
    return record


def messages(alerts: list[dict], per_message: int) -> list[dict]:
    """Webhook payloads: a Markdown text that Slack and Teams show, and the alerts themselves, in chunks."""
    payloads = []
    for start in range(0, len(alerts), per_message):
        chunk = alerts[start:start + per_message]
        lines = [f"*Engagement Radar: {len(alerts)} new alert(s)*"
                 + (f" (part {start // per_message + 1} of {-(-len(alerts) // per_message)})"
                    if len(alerts) > per_message else "")]
        for alert in chunk:
            lines.append(f"- {alert['alert_label']}: <{alert['customer_url']}|{alert['customer_id']}> "
                         f"({alert.get('territory') or 'no territory'}) - {alert['alert_detail']}")
        payloads.append({"text": "\n".join(lines), "alerts": chunk})
    return payloads


def post(url: str, payload: dict, timeout: float = 10.0) -> None:
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the user's own URL
        if response.status >= 300:
            raise urllib.error.HTTPError(url, response.status, response.reason, response.headers, None)


def with_retries(send, attempts: int, first_wait: float = 0.5) -> tuple[int, str | None]:
    """Calls send() until it succeeds, at most `attempts` times, waiting 0.5 s, 1 s, 2 s ... between tries.
    Returns (tries, last error or None)."""
    error = None
    for attempt in range(1, attempts + 1):
        try:
            send()
            return attempt, None
        except (OSError, urllib.error.URLError, ValueError) as failure:
            error = f"{type(failure).__name__}: {failure}"[:300]
            if attempt < attempts:
                time.sleep(first_wait * 2 ** (attempt - 1))
    return attempts, error


def deliver(con, sink: str, target: str, attempts: int) -> Outcome:
    cursor = con.execute(PENDING_SQL, [sink])
    columns = [column[0] for column in cursor.description]
    pending = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    if not pending:
        return Outcome(sink, 0, 0)
    config = settings(con)
    alerts = [alert_record(row, config.get("app_url") or "") for row in pending]
    if sink == "jsonl":
        folder = Path(target)

        def send():
            folder.mkdir(parents=True, exist_ok=True)
            with (folder / "alerts.jsonl").open("a", encoding="utf-8") as out:
                out.writelines(json.dumps(alert, default=str) + "\n" for alert in alerts)
        batches = [(alerts, send)]
    else:
        per_message = max(1, int(config.get("alert_max_customers_per_message") or 20))
        batches = [(payload["alerts"], lambda payload=payload: post(target, payload))
                   for payload in messages(alerts, per_message)]
    delivered = failed = 0
    last_error = None
    now = datetime.now(UTC).replace(tzinfo=None)
    for sent, send in batches:
        tries, error = with_retries(send, attempts)
        con.executemany("insert into alert_deliveries values (?, ?, ?, ?, ?, ?, ?)",
                        [(alert["alert_id"], alert["first_seen_date"], sink, "failed" if error else "delivered",
                          tries, now, error) for alert in sent])
        if error:
            failed, last_error = failed + len(sent), error
        else:
            delivered += len(sent)
    return Outcome(sink, delivered, failed, last_error)


def notify(database: Path | None = None) -> list[Outcome]:
    """Delivers what is pending to every configured sink; never raises for a sink's failure."""
    database = database or build_path()
    attempts = max(1, int(os.environ.get("ENGAGEMENT_RADAR_ALERTS_RETRIES", "3")))
    with duckdb.connect(str(database)) as con:
        con.execute(DELIVERIES_DDL)
        return [deliver(con, sink, target, attempts) for sink, target in sinks().items()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engagement_radar.alerts", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    try:
        outcomes = notify()
    except duckdb.Error as error:
        # e.g. a build holds the working warehouse: nothing is lost, the next run sends what is pending
        print(f"alerts: not sent now ({str(error).splitlines()[0]}); `make notify` sends them later", file=sys.stderr)
        return 0
    for outcome in outcomes:
        print(outcome.line(), file=sys.stderr if outcome.failed else sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
