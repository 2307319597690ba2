"""The fitted segmentation (k from segment_diagnostics) and its segment names, fitted on the training snapshot when
the models train (int_ml_retrain) and stored, pickled, for the runs in between."""

from engagement_radar.ml.frames import to_frame
from engagement_radar.ml.runs import kept_or_trained, retrain_plan
from engagement_radar.ml.segmentation import fit_segment_model, segment_model_table


def model(dbt, session):
    dbt.config(materialized="table")
    def train():
        features = to_frame(dbt.ref("int_customer_features").filter("snapshot = 'train'").order("customer_id")
                            .fetch_arrow_table())
        diagnostics = to_frame(dbt.ref("segment_diagnostics").fetch_arrow_table())
        k, seed = int(diagnostics.loc[diagnostics["is_chosen"], "k"].iloc[0]), int(dbt.config.get("ml_seed"))
        fitted = fit_segment_model(features, k, seed, int(dbt.config.get("ml_max_training_rows")),
                                   float(dbt.config.get("discount_driven_share")))
        return segment_model_table(fitted, features, seed, retrain_plan(dbt.ref("int_ml_retrain")))
    return kept_or_trained(dbt, session, dbt.ref("int_ml_retrain"), train)
