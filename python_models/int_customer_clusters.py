"""Cluster of every customer at both snapshots. The segmenter is fitted on the training snapshot only, so the
propensity model's segment feature never sees data after its snapshot date."""

import pandas as pd

from engagement_radar.ml.frames import to_frame
from engagement_radar.ml.segmentation import segment


def model(dbt, session):
    dbt.config(materialized="table")
    features = to_frame(dbt.ref("int_customer_features").order("snapshot, customer_id").fetch_arrow_table())
    diagnostics = to_frame(dbt.ref("segment_diagnostics").fetch_arrow_table())
    k = int(diagnostics.loc[diagnostics["is_chosen"], "k"].iloc[0])
    train = features[features["snapshot"] == "train"]
    segmenter, _ = segment(train, k, seed=int(dbt.config.get("ml_seed")),
                           max_training_rows=int(dbt.config.get("ml_max_training_rows")))
    assigned = segmenter.assign_customers(features)  # both snapshots, with what was learned from train alone
    return pd.concat([features[["customer_id", "snapshot", "snapshot_date"]], assigned], axis=1)
