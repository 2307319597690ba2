"""What the propensity Python models read: a snapshot's features joined to its segment, and the fitted model.

dbt finds a Python model's dependencies by reading its dbt.ref() calls, so each model() calls dbt.ref() itself
and hands the relations to these functions.
"""

from __future__ import annotations

import pandas as pd

from .frames import to_frame
from .propensity import PropensityModel


def snapshot_frame(features, clusters, profiles, snapshot: str, stacked: bool = False) -> pd.DataFrame:
    """Features of one snapshot ('train', 'backtest' or 'score') with each customer's segment name, sorted by
    snapshot and customer. stacked: with the snapshot's stacked earlier ones too ('train_1', 'train_2', ...)."""
    if snapshot not in ("train", "backtest", "score"):
        raise ValueError("snapshot must be 'train', 'backtest' or 'score'")
    condition = (f"regexp_full_match(snapshot, '{snapshot}(_[0-9]+)?')" if stacked
                 else f"snapshot = '{snapshot}'")
    features = to_frame(features.filter(condition).fetch_arrow_table())
    clusters = to_frame(clusters.filter(condition).select("customer_id, snapshot, cluster_id").fetch_arrow_table())
    names = to_frame(profiles.select("cluster_id, segment_name").fetch_arrow_table())
    frame = features.merge(clusters, on=["customer_id", "snapshot"], validate="1:1").merge(
        names, on="cluster_id", how="left")
    # a cluster with no customers at the scoring snapshot has no profile, so no name: keep its rows all the same
    frame["segment"] = frame["segment_name"].fillna("Segment " + frame["cluster_id"].astype(str))
    return frame.sort_values(["snapshot", "customer_id"], kind="stable").reset_index(drop=True)


def load_model(model_relation) -> PropensityModel | None:
    """The fitted model, or None when none could be trained (propensity_model.status says why)."""
    row = model_relation.select("model_pickle").fetchall()[0]
    return None if row[0] is None else PropensityModel.from_bytes(bytes(row[0]))


def model_row(model_relation) -> dict:
    """model_id, propensity_target, trained_at and training_as_of_date of the stored propensity model."""
    frame = to_frame(model_relation.select("model_id, propensity_target, trained_at, training_as_of_date")
                     .fetch_arrow_table())
    return frame.iloc[0].to_dict()
