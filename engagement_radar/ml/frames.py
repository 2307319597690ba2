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


def frame_fingerprint(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's content, independent of row order."""
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
