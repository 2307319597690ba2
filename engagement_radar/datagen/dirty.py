"""Bad input, injected at known counts so the quarantine can be checked exactly.

Every injected row carries exactly one defect, so it lands in quarantine under
one reason code. Rows appended here never touch the clean rows (a duplicate is
a copy of a clean row placed after it), and nothing references an injected
customer, so no defect cascades into another table.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

# Quarantined rows, by file and reason code.
REJECTED = {
    "customers": {
        "null_customer_id": 3, "null_signup_at": 2, "unparseable_signup_at": 4, "future_signup_at": 3,
        "duplicate_customer_id": 5,
    },
    "orders": {
        "null_order_id": 4, "null_customer_id": 3, "null_ordered_at": 2, "unparseable_ordered_at": 5,
        "null_gross_amount": 2, "unparseable_gross_amount": 4, "unparseable_discount_amount": 2,
        "negative_gross_amount": 5, "future_ordered_at": 4, "orphan_customer_id": 7, "duplicate_order_id": 6,
    },
    "engagement_events": {
        "null_event_id": 5, "null_customer_id": 3, "null_occurred_at": 2, "unparseable_occurred_at": 6,
        "null_channel": 2, "future_occurred_at": 5, "orphan_customer_id": 9, "duplicate_event_id": 8,
    },
    "campaigns": {"null_campaign_id": 1, "unparseable_cost": 2, "duplicate_campaign_id": 2},
    "plan_changes": {"unknown_plan": 3, "orphan_customer_id": 2, "unparseable_changed_at": 3, "null_plan": 2},
}
# Accepted rows that look odd but are valid: they must be staged, converted or kept.
ACCEPTED_EVENTS = {"unknown_channel": 11, "noncanonical_channel": 6}
# Share of timestamps written with a non-zero UTC offset (same instant).
OFFSET_SHARE = 0.01
OFFSETS_MINUTES = np.array([120, 60, -300, -420, 330, 540, -180])

UNPARSEABLE_TIMESTAMPS = ["not a date", "2025-02-30T10:00:00Z", "31/12/2025 10:00", "2025-13-01T00:00:00Z",
                          "yesterday", "2025-06-01T25:61:00Z"]
UNPARSEABLE_NUMBERS = ["12,50", "N/A", "EUR 45.00", "1.2.3", "ten"]
UNKNOWN_CHANNELS = ["tiktok", "carrier_pigeon", "fax"]
UNKNOWN_PLANS = ["P9", "Gold", "P0"]
NONCANONICAL_CHANNELS = {"email": " Email", "linkedin": "LinkedIn", "web": "WEB ", "live_event": "Live Event"}


def offset_choice(rng: np.random.Generator, size: int) -> np.ndarray:
    """Per row: 0 for UTC, or an offset in minutes for the rows written with one."""
    use = rng.random(size) < OFFSET_SHARE
    return np.where(use, OFFSETS_MINUTES[rng.integers(0, len(OFFSETS_MINUTES), size)], 0)


def _cycle(values, count):
    return [values[i % len(values)] for i in range(count)]


def bad_rows(name: str, templates: list[dict], context: dict, rng: np.random.Generator) -> list[dict]:
    """Rows to append to one text-form file. templates: clean rows from early in the file, as text."""
    plan = REJECTED.get(name, {})
    rows: list[dict] = []
    template = iter(templates)

    def fresh(**changes):
        row = dict(next(template))
        row.update(changes)
        return row

    key = {"customers": "customer_id", "orders": "order_id", "engagement_events": "event_id",
           "campaigns": "campaign_id"}.get(name)
    time_column = {"customers": "signup_at", "orders": "ordered_at", "engagement_events": "occurred_at",
                   "plan_changes": "changed_at"}.get(name)
    unparseable_timestamps = ["soon", *UNPARSEABLE_TIMESTAMPS] if name == "plan_changes" else UNPARSEABLE_TIMESTAMPS

    def new_key():
        context["next_id"][name] += 1
        number = context["next_id"][name]
        return {"customers": f"C{number:07d}", "campaigns": f"XX-{number:05d}"}.get(name, str(number))

    def fresh_keyed(**changes):
        """A clean row under a new key with the changes. A file without a key (plan_changes) gets a change time
        a minute after the template's, so the row is not a copy of a clean one."""
        if key is not None:
            return fresh(**{key: new_key()}, **changes)
        row = fresh()
        if time_column not in changes and row[time_column] is not None:
            context["next_id"][name] += 1
            moved = context["parse_iso"](row[time_column]) + 60 * context["next_id"][name]
            row[time_column] = context["iso"](moved)
        row.update(changes)
        return row

    for reason, count in plan.items():
        for i in range(count):
            if reason == f"null_{key}":
                rows.append(fresh(**{key: None if i % 2 == 0 else "  "}))
            elif reason == f"duplicate_{key}":
                original = dict(templates[len(templates) - 1 - i])
                if name == "orders" and i % 2 == 1:
                    original["gross_amount"] = str(float(original["gross_amount"]) + 1.0)
                rows.append(original)
            elif reason == "null_customer_id":
                rows.append(fresh_keyed(customer_id=None if i % 2 == 0 else ""))
            elif reason == f"null_{time_column}":
                rows.append(fresh_keyed(**{time_column: None}))
            elif reason == f"unparseable_{time_column}":
                rows.append(fresh_keyed(**{time_column: _cycle(unparseable_timestamps, count)[i]}))
            elif reason == f"future_{time_column}":
                future = context["end_epoch"] + int(rng.integers(400, 2000)) * 86_400
                rows.append(fresh_keyed(**{time_column: context["iso"](future)}))
            elif reason == "null_gross_amount":
                rows.append(fresh_keyed(gross_amount=None))
            elif reason.startswith("unparseable_") and reason.endswith(("amount", "cost")):
                column = reason.removeprefix("unparseable_")
                rows.append(fresh_keyed(**{column: _cycle(UNPARSEABLE_NUMBERS, count)[i]}))
            elif reason == "negative_gross_amount":
                rows.append(fresh_keyed(gross_amount=f"-{rng.uniform(5, 500):.2f}", discount_amount="0",
                                        refund_amount="0"))
            elif reason == "orphan_customer_id":
                rows.append(fresh_keyed(customer_id=f"ORPHAN-{i:04d}"))
            elif reason == "null_channel":
                rows.append(fresh_keyed(channel=None))
            elif reason == "unknown_plan":
                rows.append(fresh_keyed(plan=_cycle(UNKNOWN_PLANS, count)[i]))
            elif reason == "null_plan":
                rows.append(fresh_keyed(plan=None if i % 2 == 0 else " "))
            else:
                raise ValueError(f"no recipe for {name}.{reason}")

    if name == "engagement_events":
        for i in range(ACCEPTED_EVENTS["unknown_channel"]):
            rows.append(fresh(event_id=new_key(), channel=_cycle(UNKNOWN_CHANNELS, 99)[i], campaign_id=None))
        spellings = list(NONCANONICAL_CHANNELS.items())
        for i in range(ACCEPTED_EVENTS["noncanonical_channel"]):
            row = fresh(event_id=new_key())
            canonical, spelled = spellings[i % len(spellings)]
            row["channel"] = spelled
            row["event_type"] = {"email": "open", "linkedin": "click", "web": "visit", "live_event": "register"}[
                canonical]
            rows.append(row)
    return rows


def rows_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)
