"""The trained propensity model: one row with its metadata and the fitted model (pickled)."""

import json

import pandas as pd

from engagement_radar.ml.propensity import train
from engagement_radar.ml.training_data import snapshot_frame


def model(dbt, session):
    dbt.config(materialized="table")
    horizon_days = int(dbt.config.get("propensity_horizon_days"))
    frame = snapshot_frame(
        dbt.ref("int_customer_features"), dbt.ref("int_customer_clusters"), dbt.ref("segment_profiles"), "train"
    )
    fitted = train(frame, seed=int(dbt.config.get("ml_seed")),
                   holdout_share=float(dbt.config.get("propensity_holdout_share")),
                   max_rows=int(dbt.config.get("ml_max_training_rows")))
    meta = fitted.metadata
    return pd.DataFrame([{
        "model_id": meta["training_data_sha256"][:16],
        "train_snapshot_date": frame["snapshot_date"].iloc[0],
        "horizon_days": horizon_days,
        "rows_training_snapshot": meta["rows_training_snapshot"],
        "rows_fit": meta["rows_fit"],
        "rows_calibrate": meta["rows_calibrate"],
        "rows_holdout": meta["rows_holdout"],
        "positive_rate": meta["positive_rate"],
        "decision_threshold": fitted.thresholds["gradient_boosting"],
        "features": json.dumps(meta["features"]),
        "parameters": json.dumps(meta["gradient_boosting_params"], default=str, sort_keys=True),
        "training_data_sha256": meta["training_data_sha256"],
        "sklearn_version": meta["sklearn_version"],
        "seed": meta["seed"],
        "model_pickle": fitted.to_bytes(),
    }])
