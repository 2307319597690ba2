"""The ML tables, one function each, the same on every engine.

Each function takes a `Tables` (what it reads, its settings, its own previous table) and returns a DataFrame. On
DuckDB the dbt Python models call them (models/intermediate/ml/ and models/marts/ml/, with
engines.DbtDuckDBTables); on Spark, where dbt runs Python models only on Databricks, engagement_radar.spark calls
them in the same order (STEPS) with engines.SparkTables and writes the tables back. Nothing here knows the engine:
it reads DataFrames.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Protocol

import numpy as np
import pandas as pd

from .btyd import fit_models, models_from_row, score_table, snapshot_name
from .btyd import model_table as btyd_model_table
from .propensity import (
    PropensityModel,
    attach_backtest,
    breakdown_table,
    feature_ranges,
    gains,
    metrics,
    permutation_importance,
    score,
    train_if_possible,
    with_model_columns,
)
from .propensity import model_table as propensity_model_table
from .runs import RetrainPlan
from .segmentation import (
    assign_with_stored_model,
    choose_k,
    engineer_features,
    fit_segment_model,
    profiles_at_scoring,
    segment_model_table,
)


class Tables(Protocol):
    """What an ML step reads and knows; engines.py has one per engine."""

    def read(self, name: str, where: str | None = None, columns: str = "*", order: str | None = None
             ) -> pd.DataFrame:
        """Rows of a relation the step depends on (portable SQL in where, columns and order)."""

    def config(self, key: str):
        """A setting (var) of the build, as text: from the run_settings mart."""

    def previous(self) -> pd.DataFrame | None:
        """The step's own table as the last run left it, or None."""


def now() -> datetime:
    """When a model is fitted: UTC, without a time zone (as every timestamp of the warehouse)."""
    return datetime.now(UTC).replace(tzinfo=None)


def retrain_plan(tables: Tables) -> RetrainPlan:
    row = tables.read("int_ml_retrain").iloc[0]
    return RetrainPlan(bool(row["retrain"]), row["retrain_reason"], pd.Timestamp(row["as_of_date"]).date(),
                       row["feature_set"], pd.Timestamp(row["decided_at"]).to_pydatetime())


def kept_or_trained(tables: Tables, train):
    """The previous table when int_ml_retrain keeps the stored models, else train() (also when there is none)."""
    if not retrain_plan(tables).retrain:
        previous = tables.previous()
        if previous is not None:
            return previous
    return train()


def snapshot_frame(tables: Tables, snapshot: str, stacked: bool = False) -> pd.DataFrame:
    """Features of one snapshot ('train', 'backtest' or 'score') with each customer's segment name, sorted by
    snapshot and customer. stacked: with the snapshot's stacked earlier ones too ('train_1', 'train_2', ...)."""
    if snapshot not in ("train", "backtest", "score"):
        raise ValueError("snapshot must be 'train', 'backtest' or 'score'")
    where = f"snapshot like '{snapshot}%'" if stacked else f"snapshot = '{snapshot}'"
    pattern = re.compile(f"{snapshot}(_[0-9]+)?" if stacked else snapshot)
    features = tables.read("int_customer_features", where)
    keep = np.fromiter((bool(pattern.fullmatch(name)) for name in features["snapshot"]), dtype=bool,
                       count=len(features))
    features = features.loc[keep]
    clusters = tables.read("int_customer_clusters", where, "customer_id, snapshot, cluster_id")
    names = tables.read("segment_profiles", columns="cluster_id, segment_name")
    frame = features.merge(clusters, on=["customer_id", "snapshot"], validate="1:1").merge(
        names, on="cluster_id", how="left")
    # a cluster with no customers at the scoring snapshot has no profile, so no name: keep its rows all the same
    frame["segment"] = frame["segment_name"].fillna("Segment " + frame["cluster_id"].astype(str))
    return frame.sort_values(["snapshot", "customer_id"], kind="stable").reset_index(drop=True)


def load_model(tables: Tables) -> PropensityModel | None:
    """The fitted propensity model, or None when none could be trained (propensity_model.status says why)."""
    value = tables.read("propensity_model", columns="model_pickle").iloc[0, 0]
    return None if value is None or (not isinstance(value, (bytes, bytearray)) and pd.isna(value)) \
        else PropensityModel.from_bytes(bytes(value))


def model_row(tables: Tables) -> dict:
    """model_id, propensity_target, trained_at and training_as_of_date of the stored propensity model."""
    return tables.read("propensity_model",
                       columns="model_id, propensity_target, trained_at, training_as_of_date").iloc[0].to_dict()


def _dates(frame: pd.DataFrame, column: str = "snapshot_date") -> pd.DataFrame:
    frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


# --- segmentation -------------------------------------------------------------------------------------------------

def segment_diagnostics(tables: Tables) -> pd.DataFrame:
    def train():
        features = tables.read("int_customer_features", "snapshot = 'train'", order="customer_id")
        return choose_k(engineer_features(features), k_min=int(tables.config("segment_k_min")),
                        k_max=int(tables.config("segment_k_max")),
                        sample_size=int(tables.config("segment_silhouette_sample")),
                        seed=int(tables.config("ml_seed")))
    return kept_or_trained(tables, train)


def segment_model(tables: Tables) -> pd.DataFrame:
    def train():
        features = tables.read("int_customer_features", "snapshot = 'train'", order="customer_id")
        diagnostics = tables.read("segment_diagnostics")
        k = int(diagnostics.loc[diagnostics["is_chosen"].astype(bool), "k"].iloc[0])
        seed = int(tables.config("ml_seed"))
        fitted = fit_segment_model(features, k, seed, int(tables.config("ml_max_training_rows")),
                                   float(tables.config("discount_driven_share")))
        return segment_model_table(fitted, features, seed, retrain_plan(tables))
    return kept_or_trained(tables, train)


def int_customer_clusters(tables: Tables) -> pd.DataFrame:
    features = tables.read("int_customer_features", order="snapshot, customer_id")
    return assign_with_stored_model(features, tables.read("segment_model"))


def segment_profiles(tables: Tables) -> pd.DataFrame:
    features = tables.read("int_customer_features", "snapshot = 'score'", order="customer_id")
    clusters = tables.read("int_customer_clusters", "snapshot = 'score'")
    return profiles_at_scoring(features, clusters, tables.read("segment_model"))


# --- buy-till-you-die ---------------------------------------------------------------------------------------------

def btyd_model(tables: Tables) -> pd.DataFrame:
    def train():
        days = _dates(tables.read("int_snapshot_dates", "measures_orders"))
        histories = _dates(tables.read("int_purchase_histories", order="snapshot_date, customer_id"))
        fits = []
        for role, day in zip(days["snapshot_role"], days["snapshot_date"], strict=True):
            snapshot = snapshot_name(role)
            if snapshot is not None:
                purchases, spend, status = fit_models(histories[histories["snapshot_date"] == day])
                fits.append({"snapshot": snapshot, "snapshot_date": day, "purchases": purchases,
                             "spend": spend, "status": status})
        return btyd_model_table(sorted(fits, key=lambda fit: fit["snapshot"]), now())
    return kept_or_trained(tables, train)


def btyd_scores(tables: Tables) -> pd.DataFrame:
    fits = {row["snapshot"]: row for row in tables.read("btyd_model").to_dict("records")}
    days = _dates(tables.read("int_snapshot_dates", "measures_orders"))
    histories = _dates(tables.read("int_purchase_histories", order="snapshot_date, customer_id"))
    frames = []
    for role, day in sorted(zip(days["snapshot_role"], days["snapshot_date"], strict=True)):
        snapshot = snapshot_name(role)
        if snapshot is None:
            continue
        purchases, spend = models_from_row(fits[snapshot]) if snapshot in fits else (None, None)
        frames.append(score_table(histories[histories["snapshot_date"] == day], purchases, spend, snapshot,
                                  int(tables.config("propensity_horizon_days")),
                                  int(tables.config("clv_horizon_days")),
                                  float(tables.config("clv_annual_discount_rate"))))
    return pd.concat(frames, ignore_index=True)


# --- propensity ---------------------------------------------------------------------------------------------------

def propensity_model(tables: Tables) -> pd.DataFrame:
    def train():
        frame = snapshot_frame(tables, "train", stacked=True)
        backtest = snapshot_frame(tables, "backtest", stacked=True)
        seed, holdout_share = int(tables.config("ml_seed")), float(tables.config("propensity_holdout_share"))
        max_rows = int(tables.config("ml_max_training_rows"))
        fitted, reason = train_if_possible(frame, seed=seed, holdout_share=holdout_share, max_rows=max_rows,
                                           presence_auc_limit=float(tables.config("propensity_presence_auc_limit")))
        if fitted is not None:
            attach_backtest(fitted, backtest, frame[frame["snapshot"] == "train"], seed, holdout_share, max_rows)
        return propensity_model_table(fitted, reason, frame, int(tables.config("propensity_horizon_days")), seed,
                                      retrain_plan(tables), str(tables.config("propensity_target")).strip().lower())
    return kept_or_trained(tables, train)


def propensity_scores(tables: Tables) -> pd.DataFrame:
    return with_model_columns(score(snapshot_frame(tables, "score"), load_model(tables)), model_row(tables))


def propensity_model_metrics(tables: Tables) -> pd.DataFrame:
    return kept_or_trained(tables, lambda: with_model_columns(
        metrics(snapshot_frame(tables, "train"), load_model(tables)), model_row(tables)))


def propensity_gains(tables: Tables) -> pd.DataFrame:
    return kept_or_trained(tables, lambda: with_model_columns(
        gains(snapshot_frame(tables, "train"), load_model(tables)), model_row(tables)))


def propensity_feature_importance(tables: Tables) -> pd.DataFrame:
    def train():
        importance = permutation_importance(snapshot_frame(tables, "train"), load_model(tables),
                                            seed=int(tables.config("ml_seed")),
                                            max_rows=int(tables.config("ml_importance_sample_rows")))
        return with_model_columns(importance, model_row(tables))
    return kept_or_trained(tables, train)


def propensity_feature_ranges(tables: Tables) -> pd.DataFrame:
    return with_model_columns(feature_ranges(snapshot_frame(tables, "score"), load_model(tables)), model_row(tables))


def propensity_backtest_breakdowns(tables: Tables) -> pd.DataFrame:
    return with_model_columns(breakdown_table(load_model(tables)), model_row(tables))


# In dependency order: what a step reads was made by an earlier one (or by the SQL layer).
STEPS = {
    "segment_diagnostics": segment_diagnostics,
    "segment_model": segment_model,
    "int_customer_clusters": int_customer_clusters,
    "segment_profiles": segment_profiles,
    "btyd_model": btyd_model,
    "btyd_scores": btyd_scores,
    "propensity_model": propensity_model,
    "propensity_scores": propensity_scores,
    "propensity_model_metrics": propensity_model_metrics,
    "propensity_gains": propensity_gains,
    "propensity_feature_importance": propensity_feature_importance,
    "propensity_feature_ranges": propensity_feature_ranges,
    "propensity_backtest_breakdowns": propensity_backtest_breakdowns,
}
