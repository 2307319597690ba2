"""The trained propensity model for var('propensity_target'): one row with its metadata and the fitted model (pickled),
trained on the stacked
training snapshots when the models train (int_ml_retrain) and kept in between. When the data cannot support a model
(too few customers, or everyone or no one ordered), the row says why and holds no model. The backtest (the same
models trained one horizon earlier, scored on the training snapshot's outcomes) chooses which model propensity_scores
ships."""

from engagement_radar.ml.propensity import attach_backtest, model_table, train_if_possible
from engagement_radar.ml.runs import kept_or_trained, retrain_plan
from engagement_radar.ml.training_data import snapshot_frame


def model(dbt, session):
    dbt.config(materialized="table")
    def train():
        frame = snapshot_frame(dbt.ref("int_customer_features"), dbt.ref("int_customer_clusters"),
                               dbt.ref("segment_profiles"), "train", stacked=True)
        backtest = snapshot_frame(dbt.ref("int_customer_features"), dbt.ref("int_customer_clusters"),
                                  dbt.ref("segment_profiles"), "backtest", stacked=True)
        seed, holdout_share = int(dbt.config.get("ml_seed")), float(dbt.config.get("propensity_holdout_share"))
        max_rows = int(dbt.config.get("ml_max_training_rows"))
        fitted, reason = train_if_possible(frame, seed=seed, holdout_share=holdout_share, max_rows=max_rows,
                                           presence_auc_limit=float(dbt.config.get("propensity_presence_auc_limit")))
        if fitted is not None:
            attach_backtest(fitted, backtest, frame[frame["snapshot"] == "train"], seed, holdout_share, max_rows)
        return model_table(fitted, reason, frame, int(dbt.config.get("propensity_horizon_days")), seed,
                           retrain_plan(dbt.ref("int_ml_retrain")),
                           str(dbt.config.get("propensity_target")).strip().lower())
    return kept_or_trained(dbt, session, dbt.ref("int_ml_retrain"), train)
