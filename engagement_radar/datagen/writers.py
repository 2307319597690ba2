"""Streaming writers for the five contract files, in Parquet or CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

TIMESTAMP = pa.timestamp("us", tz="UTC")

SCHEMAS = {
    "customers": pa.schema([
        ("customer_id", pa.string()), ("signup_at", TIMESTAMP), ("email", pa.string()),
        ("country", pa.string()), ("region", pa.string()), ("territory", pa.string()),
        ("industry", pa.string()), ("company_size", pa.string()), ("specialty", pa.string()),
        ("plan", pa.string()), ("acquisition_channel", pa.string()),
    ]),
    "orders": pa.schema([
        ("order_id", pa.int64()), ("customer_id", pa.string()), ("ordered_at", TIMESTAMP),
        ("gross_amount", pa.float64()), ("discount_amount", pa.float64()), ("refund_amount", pa.float64()),
        ("quantity", pa.int64()),
    ]),
    "engagement_events": pa.schema([
        ("event_id", pa.int64()), ("customer_id", pa.string()), ("occurred_at", TIMESTAMP),
        ("channel", pa.string()), ("event_type", pa.string()), ("campaign_id", pa.string()),
    ]),
    "campaigns": pa.schema([
        ("campaign_id", pa.string()), ("campaign_name", pa.string()), ("channel", pa.string()),
        ("content_type", pa.string()), ("started_at", TIMESTAMP), ("ended_at", TIMESTAMP),
        ("cost", pa.float64()),
    ]),
    "plan_changes": pa.schema([
        ("customer_id", pa.string()), ("changed_at", TIMESTAMP), ("plan", pa.string()),
    ]),
}


def timestamps(epoch_seconds: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(epoch_seconds, dtype=np.int64) * 1_000_000, type=TIMESTAMP)


def iso_text(epoch_seconds: np.ndarray, offset_minutes: np.ndarray | None = None) -> pa.Array:
    """ISO 8601 text: UTC with a Z, or local time with the given offset from UTC."""
    seconds = np.asarray(epoch_seconds, dtype=np.int64)
    if offset_minutes is None:
        return pc.strftime(pa.array(seconds, type=pa.timestamp("s", tz="UTC")), format="%Y-%m-%dT%H:%M:%SZ")
    offset_minutes = np.asarray(offset_minutes, dtype=np.int64)
    local = pc.strftime(pa.array(seconds + offset_minutes * 60, type=pa.timestamp("s")), format="%Y-%m-%dT%H:%M:%S")
    sign = np.where(offset_minutes < 0, "-", "+")
    magnitude = np.abs(offset_minutes)
    suffix = np.char.add(np.char.add(sign, np.char.zfill((magnitude // 60).astype(str), 2)),
                         np.char.add(":", np.char.zfill((magnitude % 60).astype(str), 2)))
    return pc.binary_join_element_wise(local, pa.array(suffix), "")


def as_text(table: pa.Table) -> pa.Table:
    """Every column as text, timestamps as ISO 8601 in UTC; nulls stay null."""
    columns = []
    for column in table.columns:
        if pa.types.is_timestamp(column.type):
            seconds = pc.cast(pc.divide(pc.cast(column, pa.int64()), 1_000_000), pa.int64())
            columns.append(pc.strftime(pc.cast(seconds, pa.timestamp("s", tz="UTC")), format="%Y-%m-%dT%H:%M:%SZ"))
        else:
            columns.append(pc.cast(column, pa.string()))
    return pa.Table.from_arrays(columns, names=table.column_names)


def text_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema([(field.name, pa.string()) for field in schema])


class Sink:
    """Appends tables to one contract file. CSV and dirty files hold text; clean Parquet keeps types."""

    def __init__(self, directory: Path, name: str, file_format: str, as_text_only: bool):
        self.name = name
        self.path = Path(directory) / f"{name}.{file_format}"
        self.text = as_text_only or file_format == "csv"
        self.schema = text_schema(SCHEMAS[name]) if self.text else SCHEMAS[name]
        self.rows = 0
        if file_format == "parquet":
            self._writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")
        elif file_format == "csv":
            self._writer = pacsv.CSVWriter(self.path, self.schema,
                                           write_options=pacsv.WriteOptions(quoting_style="needed"))
        else:
            raise ValueError(f"unknown format {file_format!r}: use parquet or csv")

    def write(self, table: pa.Table) -> None:
        table = table.select(self.schema.names)
        if self.text:
            table = table if all(pa.types.is_string(t) for t in table.schema.types) else as_text(table)
        table = table.cast(self.schema)
        if isinstance(self._writer, pq.ParquetWriter):
            self._writer.write_table(table, row_group_size=1_000_000)
        else:
            self._writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        self._writer.close()
