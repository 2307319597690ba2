"""Small helpers shared by the segmentation and propensity functions."""

from __future__ import annotations

import functools
import hashlib

import numpy as np
import pandas as pd
import pyarrow as pa
from threadpoolctl import threadpool_limits


def to_frame(table) -> pd.DataFrame:
    """An Arrow table (what the Python models read) or a DataFrame, as a DataFrame with numpy dtypes."""
    if isinstance(table, pd.DataFrame):
        return table.copy()
    if isinstance(table, pa.RecordBatchReader):
        table = table.read_all()
    return table.to_pandas()


def stable_fraction(keys: pd.Series, salt: str) -> np.ndarray:
    """A number in [0, 1) per key that depends only on the key and the salt (not on row order or process)."""
    values = [hashlib.blake2b(f"{salt}:{key}".encode(), digest_size=8).digest() for key in keys.astype(str)]
    return np.frombuffer(b"".join(values), dtype=">u8").astype(np.float64) / 2.0**64


def seeded_sample(frame: pd.DataFrame, max_rows: int, seed: int, key: str = "customer_id") -> pd.DataFrame:
    """At most max_rows rows, chosen by key hash (same keys, same sample); all rows when there are fewer."""
    if len(frame) <= max_rows:
        return frame
    order = np.argsort(stable_fraction(frame[key], f"sample-{seed}"), kind="stable")
    return frame.iloc[np.sort(order[:max_rows])]


def _comparable(values: pd.Series) -> pd.Series:
    """A column as the fingerprint sees it: numbers (booleans too, nullable or not) as floats rounded to 12
    significant digits, dates and timestamps in ISO form, anything else as text."""
    typed = pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)
    kind = "floating" if typed else pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("boolean", "integer", "floating", "mixed-integer-float", "decimal"):
        numbers = (values.to_numpy(float, na_value=np.nan) if typed
                   else values.map(lambda value: np.nan if value is None else float(value)).to_numpy(float))
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = 10.0 ** (11 - np.floor(np.log10(np.abs(numbers))))
            rounded = np.where(np.isfinite(scale) & (numbers != 0), np.round(numbers * scale) / scale, numbers)
        return pd.Series(rounded, index=values.index)
    if kind in ("date", "datetime", "datetime64"):
        return pd.to_datetime(values).dt.strftime("%Y-%m-%dT%H:%M:%S.%f").where(values.notna(), None)
    return values.astype(object).where(values.notna(), None).map(lambda value: value if value is None else str(value))


def frame_fingerprint(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's content, independent of row order and of how an engine stored it (a 32- or 64-bit
    integer, a boolean or a nullable one, the last bits of a logarithm), so the same data gives the same id on
    every engine."""
    frame = pd.DataFrame({column: _comparable(values) for column, values in frame.items()})
    hashed = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    return hashlib.sha256(np.sort(hashed).tobytes()).hexdigest()



def single_threaded(function):
    """Runs the function with BLAS and OpenMP on one thread. Parallel sums add in a varying order, which changes
    the last bits of a result; one thread makes the same data and seed give identical outputs."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with threadpool_limits(limits=1):
            return function(*args, **kwargs)

    return wrapper
