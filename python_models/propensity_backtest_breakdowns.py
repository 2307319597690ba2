"""The backtest by customer group: for each plan, territory, industry, company size and segment, the target rate that
was observed on the training snapshot and the mean propensity the backtest model (trained one horizon earlier) gave
those customers. Stored with the model when it trains; propensity_breakdowns is the public mart over it."""

from engagement_radar.ml.propensity import breakdown_table, with_model_columns
from engagement_radar.ml.training_data import load_model, model_row


def model(dbt, session):
    dbt.config(materialized="table")
    relation = dbt.ref("propensity_model")
    return with_model_columns(breakdown_table(load_model(relation)), model_row(relation))
