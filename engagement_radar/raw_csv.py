"""CSV exports, read the one way the input contract allows.

The contract's CSV dialect: UTF-8 text (a leading byte-order mark is skipped), a header row, fields separated by
commas, a field that holds a comma, a double quote or a line break enclosed in double quotes (a double quote inside
it doubled), lines ending in LF or CRLF. Header names are matched case-insensitively; columns the contract does not
name are ignored.

DuckDB's own CSV reader guesses a dialect from a sample (a ragged last row can become the header), stops a whole
build on one byte that is not UTF-8, quotes raw lines (another customer's email) in its error messages, and can skip
the rest of a file after a quote that is never closed. This reader never stops on a row. Every record keeps the line
it starts on, and a record that is not well formed gets a problem code instead:

- ``malformed_row``: more or fewer fields than the header, or a quote that is never closed (the record is then the
  line it starts on, and reading resumes on the next line);
- ``invalid_encoding``: bytes that are not UTF-8 (each is kept as the replacement character U+FFFD).

The records go to a Parquet file that the dbt base models read: the record's number (1 for the first record after
the header) and the line it starts on, every field as text, and a column the contract marks
as personal data only as its SHA-256 hash, computed by DuckDB's own functions so that a CSV and a Parquet export of
the same customers give the same hash. The values of a malformed row of a file with personal data are not kept (a
shifted field could put an email in another column); its line number and problem are. A file that is not CSV text
(binary, compressed, no header row) is reported in the contract's words and not read. Nothing here raises on the
content of a file, and no message quotes it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

# Bump when the output changes, so files prepared by an older reader are prepared again.
READER_VERSION = 1
BOM = b"\xef\xbb\xbf"
# A quoted field may hold line breaks; one that runs on for more lines than this was never closed.
MAX_RECORD_LINES = 1_000
MAX_FIELD_CHARS = 10_000_000
CHUNK_ROWS = 100_000
SNIFF_BYTES = 65_536
COMPRESSED = {b"\x1f\x8b": "gzip-compressed", b"PK": "a zip archive", b"BZ": "bzip2-compressed",
              b"\x28\xb5\x2f\xfd": "zstd-compressed", b"PAR1": "a Parquet file"}
# The hash of personal data: the same expression as the dbt macro hash_pii(clean_text(...)) on DuckDB.
PII_HASH_SQL = "sha256(lower(trim(nullif(trim({column}), ''))))"
DIALECT = ("UTF-8 text with a header row, comma-separated, fields with commas, quotes or line breaks in double "
           "quotes")


class _Runaway(Exception):
    """A record ran on past MAX_RECORD_LINES lines, or past the end of the file, inside an unclosed quote."""


def _fingerprint(path: Path) -> dict:
    """What identifies a file's content cheaply: size, modification time and a hash of its head and tail."""
    stat = path.stat()
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        digest.update(handle.read(SNIFF_BYTES))
        if stat.st_size > SNIFF_BYTES:
            handle.seek(max(SNIFF_BYTES, stat.st_size - SNIFF_BYTES))
            digest.update(handle.read(SNIFF_BYTES))
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "edges": digest.hexdigest()}


def sniff(path: Path) -> str | None:
    """None when the file looks like CSV text; otherwise why it cannot be read as CSV (no content quoted)."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    for magic, kind in COMPRESSED.items():
        if head.startswith(magic):
            return f"is {kind}, not CSV text"
    if b"\x00" in head:
        return "holds binary data (NUL bytes), not CSV text"
    first_line = head.removeprefix(BOM).split(b"\n", 1)[0]
    try:
        first_line.decode("utf-8")
    except UnicodeDecodeError:
        if len(head) < SNIFF_BYTES or b"\n" in head:
            return "does not start with a header row of UTF-8 text"
    if not first_line.strip(b"\r\n\t "):
        return "does not start with a header row (its first line is empty)"
    controls = sum(byte < 32 and byte not in (9, 10, 13) for byte in head)
    if controls > len(head) // 100:
        return "holds binary data, not CSV text"
    return None


class _Lines:
    """The file's lines, decoded, numbered from 1, with pushback for re-reading after a runaway record."""

    def __init__(self, handle):
        self.handle = handle
        self.line_number = 0
        self.pushback: list[tuple[int, str, bool]] = []
        self.pending: list[tuple[int, str, bool]] = []  # the lines of the record being read
        self.first = True

    def _next_line(self) -> tuple[int, str, bool]:
        if self.pushback:
            return self.pushback.pop()
        raw = self.handle.readline()
        if not raw:
            raise StopIteration
        if self.first:
            raw = raw.removeprefix(BOM)
            self.first = False
        self.line_number += 1
        if raw.isascii():
            return self.line_number, raw.decode("ascii"), True
        try:
            return self.line_number, raw.decode("utf-8"), True
        except UnicodeDecodeError:
            return self.line_number, raw.decode("utf-8", "surrogateescape"), False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if len(self.pending) >= MAX_RECORD_LINES:
            raise _Runaway
        try:
            line = self._next_line()
        except StopIteration:
            if self.pending:  # the file ended inside a quoted field
                raise _Runaway from None
            raise
        self.pending.append(line)
        return line[1]

    def restart_after_runaway(self) -> int:
        """Forgets the runaway record but its first line; the lines after it will be read again."""
        first, *rest = self.pending
        self.pushback.extend(reversed(rest))
        self.pending = []
        return first[0]


def _records(handle) -> Iterator[tuple[int, list[str] | None, bool]]:
    """(line number, fields, is valid UTF-8) per record; fields None for a record whose quote never closes."""
    lines = _Lines(handle)
    while True:
        reader = csv.reader(lines, strict=False)
        try:
            for fields in reader:
                record_lines, lines.pending = lines.pending, []
                yield record_lines[0][0], fields, all(ok for _, _, ok in record_lines)
            return
        except (_Runaway, csv.Error):
            start = lines.restart_after_runaway()
            yield start, None, True


def _text(value: str, valid: bool) -> str:
    return value if valid else value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _column_names(header: list[str]) -> list[str]:
    return [name.strip().lower() or f"column_{position}" for position, name in enumerate(header, start=1)]


class _Writer:
    """Buffers records and writes them to Parquet in chunks, hashing personal data with DuckDB."""

    def __init__(self, target: Path, names: list[str], pii: set[str]):
        self.target, self.names, self.pii = target, names, pii
        self.output_names = [f"{name}_hash" if name in pii else name for name in names]
        self.schema = pa.schema([("source_row_number", pa.int64()), ("source_line_number", pa.int64()),
                                 ("file_problem", pa.string()), ("field_count", pa.int32()),
                                 *((name, pa.string()) for name in self.output_names)])
        self.parquet = pq.ParquetWriter(target, self.schema, compression="zstd")
        self.duckdb = duckdb.connect()
        self.records = 0
        self._reset()

    def _reset(self):
        self.lines, self.problems, self.counts = [], [], []
        self.values: list[list[str | None]] = [[] for _ in self.names]

    def add(self, line: int, problem: str | None, count: int, fields: Sequence[str | None]):
        self.lines.append(line)
        self.problems.append(problem)
        self.counts.append(count)
        for column, value in zip(self.values, fields, strict=True):
            column.append(value)
        if len(self.lines) >= CHUNK_ROWS:
            self.flush()

    def flush(self):
        if not self.lines:
            return
        columns = {name: pa.array(values, pa.string()) for name, values in zip(self.names, self.values, strict=True)}
        self._write(pa.array(self.lines, pa.int64()), pa.array(self.problems, pa.string()),
                    pa.array(self.counts, pa.int32()), columns)
        self._reset()

    def add_table(self, first_line: int, table: pa.Table):
        """Records with no problem, one per line from first_line on (the fast path)."""
        self.flush()
        rows = table.num_rows
        self._write(pa.array(range(first_line, first_line + rows), pa.int64()), pa.nulls(rows, pa.string()),
                    pa.array([len(self.names)] * rows, pa.int32()), {name: table.column(name) for name in self.names})

    def _write(self, lines: pa.Array, problems: pa.Array, counts: pa.Array, columns: dict):
        records = pa.array(range(self.records + 1, self.records + len(lines) + 1), pa.int64())
        self.records += len(lines)
        if self.pii:
            self.duckdb.register("chunk", pa.table({name: columns[name] for name in self.pii}))
            hashed = self.duckdb.sql("select " + ", ".join(
                f"{PII_HASH_SQL.format(column=duckdb_quote(name))} as {duckdb_quote(name)}" for name in self.pii)
                + " from chunk").to_arrow_table()
            self.duckdb.unregister("chunk")
            columns = {**columns, **{name: hashed.column(name) for name in self.pii}}
        self.parquet.write_table(pa.table([records, lines, problems, counts,
                                           *(columns[name] for name in self.names)], schema=self.schema))

    def close(self):
        self.flush()
        self.parquet.close()
        self.duckdb.close()


def duckdb_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _header(source: Path) -> tuple[list[str] | None, str | None]:
    """The header's column names, or why there is no usable header."""
    with open(source, "rb") as handle:
        first = next(_records(handle), None)
    if first is None or first[1] is None or not any(field.strip() for field in first[1]):
        return None, "does not start with a header row"
    if not first[2]:
        return None, "does not start with a header row of UTF-8 text"
    names = _column_names(first[1])
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        return None, f"names the column(s) {', '.join(repeated)} more than once in its header"
    return names, None


def _line_count(source: Path) -> tuple[int, bool]:
    """Lines in the file, and whether any of them is empty (blank lines are skipped, so they shift numbering)."""
    lines, blank, previous = 0, False, b"\n"
    with open(source, "rb") as handle:
        while block := handle.read(1 << 24):
            lines += block.count(b"\n")
            blank = blank or b"\n\n" in block or b"\n\r\n" in block or (previous == b"\n" and block[:1] in b"\r\n")
            previous = block[-1:]
    return lines + (previous != b"\n"), blank


def _convert_fast(source: Path, target: Path, names: list[str], pii: set[str]) -> dict | None:
    """The common case at C speed: a file with no problem at all, one record per line. None when anything is off
    (a bad row, a byte that is not UTF-8, a line break inside a field, a blank line): the careful reader then
    reads it line by line."""
    lines, has_blank = _line_count(source)
    if has_blank:
        return None
    try:
        table = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=",", quote_char='"', double_quote=True, escape_char=False,
                                             newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={name: pa.string() for name in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                 check_utf8=True),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        return None
    if table.num_rows != lines - 1:
        return None
    writer = _Writer(target, names, pii & set(names))
    try:
        for offset in range(0, table.num_rows, CHUNK_ROWS):
            chunk = table.slice(offset, CHUNK_ROWS)
            writer.add_table(offset + 2, chunk)
    finally:
        writer.close()
    return {"status": "ok", "columns": names, "rows": table.num_rows,
            "problems": {"malformed_row": 0, "invalid_encoding": 0}, "blank_lines": 0}


def _convert(source: Path, target: Path, names: list[str], pii: set[str]) -> dict:
    """The careful reader: line by line, so every problem becomes a row's problem code."""
    problems = {"malformed_row": 0, "invalid_encoding": 0}
    rows = blank_lines = 0
    with open(source, "rb") as handle:
        records = _records(handle)
        next(records)  # the header
        writer = _Writer(target, names, pii & set(names))
        try:
            for line, fields, valid in records:
                if fields is not None and (not fields or (len(fields) == 1 and not fields[0])):
                    blank_lines += 1
                    continue
                rows += 1
                if fields is None or len(fields) != len(names):
                    problem = "malformed_row"
                    kept = [None] * len(names) if writer.pii or fields is None else \
                        [_text(v, valid) for v in fields[:len(names)]] + [None] * (len(names) - len(fields))
                    writer.add(line, problem, 0 if fields is None else len(fields), kept)
                elif not valid:
                    problem = "invalid_encoding"
                    kept = [None if name in writer.pii else _text(value, False)
                            for name, value in zip(names, fields, strict=True)]
                    writer.add(line, problem, len(fields), kept)
                else:
                    problem = None
                    writer.add(line, None, len(fields), fields)
                if problem:
                    problems[problem] += 1
        finally:
            writer.close()
    return {"status": "ok", "columns": names, "rows": rows, "problems": problems, "blank_lines": blank_lines}


def prepare(source: str | Path, target: str | Path, pii_columns: Sequence[str] = (), careful: bool = False) -> dict:
    """Reads the CSV file source into the Parquet file target and returns a summary:

    status 'ok' with the header's column names (lower case), the number of records, the count of each problem
    code and of blank lines skipped; 'missing' when there is no file; 'unreadable' with a message (which never
    quotes the file) when it is not CSV text. A target prepared from the same file content is reused. careful
    skips the fast path (tests use it to check that both paths agree).
    """
    source, target = Path(source), Path(target)
    if not source.is_file():
        return {"status": "missing"}
    pii = {name.lower() for name in pii_columns}
    identity = {"source": str(source.resolve()), **_fingerprint(source), "reader_version": READER_VERSION,
                "pii_columns": sorted(pii), "careful": careful}
    summary_path = target.with_name(target.name + ".json")
    if target.exists() and summary_path.exists():
        cached = json.loads(summary_path.read_text())
        if cached.get("identity") == identity:
            return cached["summary"]
    target.parent.mkdir(parents=True, exist_ok=True)
    reason = sniff(source) if source.stat().st_size else "is empty: it needs at least a header row"
    if reason:
        summary = {"status": "unreadable", "message": reason}
    else:
        csv.field_size_limit(MAX_FIELD_CHARS)
        names, reason = _header(source)
        if reason:
            summary = {"status": "unreadable", "message": reason}
        else:
            partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            try:
                summary = (None if careful else _convert_fast(source, partial, names, pii)) \
                    or _convert(source, partial, names, pii)
                os.replace(partial, target)
            finally:
                partial.unlink(missing_ok=True)
    if summary["status"] == "ok":
        summary_path.write_text(json.dumps({"identity": identity, "summary": summary}))
    return summary


def prepare_json(source: str, target: str, pii_columns: str) -> str:
    """prepare() for SQL: pii_columns comma-separated, the summary as JSON. Never raises."""
    try:
        summary = prepare(source, target, [c for c in pii_columns.split(",") if c])
    except OSError as error:
        summary = {"status": "unreadable", "message": f"could not be read ({error.strerror or type(error).__name__})"}
    return json.dumps(summary)
