"""k selection for the customer segmentation: one row per k tried, with its silhouette and inertia. Computed when
the models train (int_ml_retrain); otherwise the table stays as it was."""

from engagement_radar.ml.frames import to_frame
from engagement_radar.ml.runs import kept_or_trained
from engagement_radar.ml.segmentation import choose_k, engineer_features


def model(dbt, session):
    dbt.config(materialized="table")
    def train():
        features = to_frame(dbt.ref("int_customer_features").filter("snapshot = 'train'").order("customer_id")
                            .fetch_arrow_table())
        return choose_k(engineer_features(features), k_min=int(dbt.config.get("segment_k_min")),
                        k_max=int(dbt.config.get("segment_k_max")),
                        sample_size=int(dbt.config.get("segment_silhouette_sample")),
                        seed=int(dbt.config.get("ml_seed")))
    return kept_or_trained(dbt, session, dbt.ref("int_ml_retrain"), train)
