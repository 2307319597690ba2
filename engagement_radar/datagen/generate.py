"""Writes the five contract files, chunk by chunk, plus the planted truths in _truth/."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from tqdm import tqdm

from . import dirty
from .behaviour import simulate_chunk
from .population import PERSONAS, PLANS, draw_population
from .world import CHANNELS, EVENT_TYPES, Calendar, build_campaigns
from .writers import SCHEMAS, Sink, as_text, iso_text, text_schema, timestamps

TABLES = ("customers", "orders", "engagement_events", "campaigns", "plan_changes")
TEMPLATE_ROWS = 200
PENDING = "_pending"
# Share of events that reach the export late, and the most days they are late by.
LATE_EVENT_SHARE = 0.03
LATE_EVENT_MAX_DAYS = 10


@dataclass(frozen=True)
class GeneratorConfig:
    out: Path
    customers: int = 20_000
    months: int = 18
    seed: int = 42
    file_format: str = "parquet"
    dirty: bool = False
    end_date: dt.date = dt.date(2026, 6, 30)
    chunk_size: int = 10_000
    progress: bool = True
    hold_back_days: int = 0

    def __post_init__(self):
        if self.customers < 1:
            raise ValueError("--customers must be at least 1")
        if self.file_format not in ("parquet", "csv"):
            raise ValueError("--format must be parquet or csv")
        if not 0 <= self.hold_back_days < 28:
            raise ValueError("--hold-back-days must be between 0 and 27")


def _seed(config: GeneratorConfig, *stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([config.seed, *stream]))


def generate(config: GeneratorConfig) -> dict:
    """Generate a data set; returns the manifest that is also written to _truth/manifest.json."""
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    truth_dir = out / "_truth"
    truth_dir.mkdir(exist_ok=True)

    calendar = Calendar.ending(config.end_date, config.months)
    campaigns = build_campaigns(calendar, _seed(config, 0))
    campaign_row = {cid: i for i, cid in enumerate(campaigns.table.column("campaign_id").to_pylist())}
    campaign_ids = campaigns.table.column("campaign_id")
    channel_names = pa.array(CHANNELS)
    event_type_names = pa.array(EVENT_TYPES)
    plan_names = pa.array(PLANS)

    sinks = {name: Sink(out, name, config.file_format, config.dirty) for name in TABLES}
    # rows that arrive in the last hold_back_days days go to _pending/<arrival date>/, for append_day()
    first_pending_day = calendar.n_days - config.hold_back_days
    pending_sinks: dict[tuple[int, str], Sink] = {}

    def pending_sink(day: int, name: str) -> Sink:
        if (day, name) not in pending_sinks:
            directory = out / PENDING / calendar.date_of(day).isoformat()
            directory.mkdir(parents=True, exist_ok=True)
            pending_sinks[day, name] = Sink(directory, name, config.file_format, config.dirty)
        return pending_sinks[day, name]
    truth = pacsv.CSVWriter(truth_dir / "customers.csv", pa.schema([
        ("customer_id", pa.string()), ("persona", pa.string()), ("is_decliner", pa.bool_()),
        ("is_riser", pa.bool_()), ("signup_date", pa.date32()), ("initial_plan", pa.string()),
        ("responsiveness", pa.float64()),
    ]))
    templates = {name: [] for name in TABLES}
    offset_counts = {"customers": 0, "orders": 0, "engagement_events": 0, "plan_changes": 0}
    persona_counts = np.zeros(len(PERSONAS), dtype=np.int64)
    planted = {"decliners": 0, "risers": 0, "plan_changes": {"upgrades": 0, "downgrades": 0}}
    next_event_id, next_order_id = 0, 0

    def write(name: str, table: pa.Table, time_column: str | None, rng: np.random.Generator, seconds=None,
              arrival_seconds=None):
        """Writes one chunk; in dirty mode, as text with a few timestamps given a UTC offset."""
        if config.dirty:
            text = as_text(table)
            if time_column is not None:
                offsets = dirty.offset_choice(rng, table.num_rows)
                with_offset = np.nonzero(offsets)[0]
                column = text.column(time_column).to_numpy(zero_copy_only=False).astype(object)
                column[with_offset] = iso_text(seconds[with_offset], offsets[with_offset]).to_numpy(
                    zero_copy_only=False)
                text = text.set_column(text.schema.get_field_index(time_column), time_column,
                                       pa.array(column, type=pa.string()))
                offset_counts[name] += len(with_offset)
            table = text
            if len(templates[name]) < TEMPLATE_ROWS:
                templates[name].extend(table.slice(0, TEMPLATE_ROWS - len(templates[name])).to_pylist())
        if config.hold_back_days and seconds is not None:
            # a row arriving after the last day is in the last day's export
            arrival_day = np.minimum((np.asarray(seconds if arrival_seconds is None else arrival_seconds)
                                      - calendar.start_epoch) // 86_400, calendar.n_days - 1)
            held = arrival_day >= first_pending_day
            for day in np.unique(arrival_day[held]):
                pending_sink(int(day), name).write(table.filter(pa.array(arrival_day == day)))
            table = table.filter(pa.array(~held))
        sinks[name].write(table)

    write("campaigns", campaigns.table.set_column(
        4, "started_at", timestamps(campaigns.table.column("started_at").to_numpy())).set_column(
        5, "ended_at", timestamps(campaigns.table.column("ended_at").to_numpy())), None, _seed(config, 0, 1))

    progress = tqdm(total=config.customers, unit=" customers", desc="generating", disable=not config.progress,
                    file=sys.stderr)
    for chunk, first in enumerate(range(0, config.customers, config.chunk_size)):
        size = min(config.chunk_size, config.customers - first)
        rng = _seed(config, 1, chunk)
        # accounts (seats, spend, responsiveness, product use, support, plan changes) draw from their own stream
        account_rng = _seed(config, 4, chunk)
        pop = draw_population(first + 1, size, calendar, rng, account_rng)
        activity = simulate_chunk(pop, calendar, campaigns, campaign_row, rng, account_rng)
        customer_ids = pa.array(pop.customer_id)
        signup_seconds = calendar.start_epoch + pop.signup_day * 86_400 + pop.signup_second

        write("customers", pa.table({
            "customer_id": customer_ids,
            "signup_at": timestamps(signup_seconds),
            "email": pa.array(np.char.add(np.char.add("user", pop.index.astype(str)), "@example.com")),
            "country": pa.array(pop.country, pa.string()),
            "region": pa.array(pop.region, pa.string()),
            "territory": pa.array(pop.territory, pa.string()),
            "industry": pa.array(pop.industry, pa.string()),
            "company_size": pa.array(pop.company_size, pa.string()),
            "specialty": pa.array(pop.specialty, pa.string()),
            "plan": plan_names.take(pa.array(activity.current_plan)),
            "acquisition_channel": pa.array(pop.acquisition_channel, pa.string()),
        }), "signup_at", rng, signup_seconds)

        n_orders = len(activity.order_at)
        write("orders", pa.table({
            "order_id": pa.array(np.arange(next_order_id + 1, next_order_id + n_orders + 1, dtype=np.int64)),
            "customer_id": customer_ids.take(activity.order_customer),
            "ordered_at": timestamps(activity.order_at),
            "gross_amount": activity.gross_amount,
            "discount_amount": activity.discount_amount,
            "refund_amount": activity.refund_amount,
            "quantity": activity.quantity.astype(np.int64),
        }), "ordered_at", rng, activity.order_at)
        next_order_id += n_orders

        n_events = len(activity.event_at)
        has_campaign = activity.event_campaign >= 0
        # a few events reach the export some days after they happened (own random stream: same data either way)
        late = _seed(config, 3, chunk)
        delay_days = np.where(late.random(n_events) < LATE_EVENT_SHARE,
                              late.integers(1, LATE_EVENT_MAX_DAYS + 1, n_events), 0)
        write("engagement_events", pa.table({
            "event_id": pa.array(np.arange(next_event_id + 1, next_event_id + n_events + 1, dtype=np.int64)),
            "customer_id": customer_ids.take(activity.event_customer),
            "occurred_at": timestamps(activity.event_at),
            "channel": channel_names.take(activity.event_channel),
            "event_type": event_type_names.take(activity.event_type),
            "campaign_id": campaign_ids.take(pa.array(np.where(has_campaign, activity.event_campaign, 0),
                                                      mask=~has_campaign)),
        }), "occurred_at", rng, activity.event_at, activity.event_at + delay_days * 86_400)
        next_event_id += n_events

        write("plan_changes", pa.table({
            "customer_id": customer_ids.take(activity.plan_customer),
            "changed_at": timestamps(activity.plan_at),
            "plan": plan_names.take(pa.array(activity.plan_code)),
        }), "changed_at", account_rng, activity.plan_at)

        truth.write_table(pa.table({
            "customer_id": customer_ids,
            "persona": pa.array(np.asarray(PERSONAS, dtype=object)[pop.persona], pa.string()),
            "is_decliner": pop.is_decliner,
            "is_riser": pop.is_riser,
            "signup_date": pa.array([calendar.date_of(d) for d in pop.signup_day], pa.date32()),
            "initial_plan": plan_names.take(pa.array(pop.initial_plan)),
            "responsiveness": np.round(pop.responsiveness.astype(np.float64), 4),
        }))
        persona_counts += np.bincount(pop.persona, minlength=len(PERSONAS))
        planted["decliners"] += int(pop.is_decliner.sum())
        planted["risers"] += int(pop.is_riser.sum())
        planted["plan_changes"]["upgrades"] += activity.upgrades
        planted["plan_changes"]["downgrades"] += activity.downgrades
        progress.update(size)
    progress.close()
    truth.close()

    injected = {}
    if config.dirty:
        context = {
            "end_epoch": calendar.end_epoch,
            "iso": lambda seconds: iso_text(np.array([seconds])).to_pylist()[0],
            "parse_iso": lambda text: int(dt.datetime.fromisoformat(text).timestamp()),
            "next_id": {"customers": config.customers, "orders": next_order_id,
                        "engagement_events": next_event_id, "campaigns": 0, "plan_changes": 0},
        }
        rng = _seed(config, 2)
        for name in TABLES:
            rows = dirty.bad_rows(name, templates[name], context, rng)
            if rows:
                sinks[name].write(dirty.rows_table(rows, text_schema(SCHEMAS[name])))
        injected = {
            "rejected": dirty.REJECTED,
            "accepted_events": dirty.ACCEPTED_EVENTS,
            "offset_timestamps": offset_counts,
        }
    for sink in (*sinks.values(), *pending_sinks.values()):
        sink.close()

    manifest = {
        "arguments": {k: str(v) if isinstance(v, (Path, dt.date)) else v for k, v in asdict(config).items()
                      if k != "progress"},
        "start_date": calendar.start.isoformat(),
        "end_date": calendar.end.isoformat(),
        "rows": {name: sink.rows for name, sink in sinks.items()},
        "pending_days": sorted({calendar.date_of(day).isoformat() for day, _ in pending_sinks}),
        "personas": dict(zip(PERSONAS, persona_counts.tolist(), strict=True)),
        "planted": planted,
        "dirty": injected,
    }
    (truth_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def append_day(out: Path) -> dict:
    """Appends the earliest pending day (see --hold-back-days) to the contract files, as a daily export would.

    The new rows go after the existing ones; returns the day and the rows appended per file.
    """
    out = Path(out)
    days = sorted(p for p in (out / PENDING).glob("*") if p.is_dir()) if (out / PENDING).is_dir() else []
    if not days:
        raise FileNotFoundError(f"no pending day in {out / PENDING}: generate with --hold-back-days N first")
    day = days[0]
    appended = {}
    for pending in sorted(day.iterdir()):
        name, suffix = pending.stem, pending.suffix
        target = out / f"{name}{suffix}"
        appended[name] = append_rows(target, pending)
        pending.unlink()
    day.rmdir()
    if not any((out / PENDING).iterdir()):
        (out / PENDING).rmdir()
    return {"day": day.name, "appended": appended}


def append_rows(target: Path, extra: Path) -> int:
    """Rewrites target with extra's rows after its own (Parquet, streamed), or appends extra's lines (CSV)."""
    if target.suffix == ".csv":
        with extra.open("rb") as source:
            lines = source.read().split(b"\n", 1)
        body = lines[1] if len(lines) > 1 else b""
        with target.open("ab") as sink:
            sink.write(body)
        return body.count(b"\n")
    extra_table = pq.read_table(extra)
    staging = target.with_suffix(".parquet.appending")
    original = pq.ParquetFile(target)
    with pq.ParquetWriter(staging, original.schema_arrow, compression="zstd") as writer:
        for group in range(original.num_row_groups):
            writer.write_table(original.read_row_group(group), row_group_size=1_000_000)
        writer.write_table(extra_table.cast(original.schema_arrow), row_group_size=1_000_000)
    staging.replace(target)
    return extra_table.num_rows
