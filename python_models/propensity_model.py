"""The trained propensity model: one row with its metadata and the fitted model (pickled). When the data cannot
support a model (too few customers, or everyone or no one ordered), the row says why and holds no model."""

import json

import pandas as pd

from engagement_radar.ml.propensity import train_if_possible
from engagement_radar.ml.training_data import snapshot_frame


def model(dbt, session):
    dbt.config(materialized="table")
    horizon_days = int(dbt.config.get("propensity_horizon_days"))
    frame = snapshot_frame(
        dbt.ref("int_customer_features"), dbt.ref("int_customer_clusters"), dbt.ref("segment_profiles"), "train"
    )
    fitted, reason = train_if_possible(frame, seed=int(dbt.config.get("ml_seed")),
                                       holdout_share=float(dbt.config.get("propensity_holdout_share")),
                                       max_rows=int(dbt.config.get("ml_max_training_rows")))
    meta = fitted.metadata if fitted else {}
    return pd.DataFrame([{
        "model_id": meta.get("training_data_sha256", "none")[:16],
        "status": "trained" if fitted else "not_trained",
        "status_reason": reason,
        "train_snapshot_date": frame["snapshot_date"].iloc[0] if len(frame) else None,
        "horizon_days": horizon_days,
        "rows_training_snapshot": len(frame),
        "rows_fit": meta.get("rows_fit", 0),
        "rows_calibrate": meta.get("rows_calibrate", 0),
        "rows_holdout": meta.get("rows_holdout", 0),
        "positive_rate": frame["ordered_in_horizon"].mean() if len(frame) else None,
        "decision_threshold": fitted.thresholds["gradient_boosting"] if fitted else None,
        "features": json.dumps(meta.get("features", [])),
        "parameters": json.dumps(meta.get("gradient_boosting_params", {}), default=str, sort_keys=True),
        "training_data_sha256": meta.get("training_data_sha256"),
        "sklearn_version": meta.get("sklearn_version"),
        "seed": int(dbt.config.get("ml_seed")),
        "model_pickle": fitted.to_bytes() if fitted else None,
    }])
