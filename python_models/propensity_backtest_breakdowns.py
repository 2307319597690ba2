"""The backtest by customer group: for each plan, territory, industry, company size and segment, the target rate that
was observed on the training snapshot and the mean propensity the backtest model (trained one horizon earlier) gave
those customers. Stored with the model when it trains; propensity_breakdowns is the public mart over it."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import propensity_backtest_breakdowns


def model(dbt, session):
    dbt.config(materialized="table")
    return propensity_backtest_breakdowns(DbtDuckDBTables(
        dbt, session,
        propensity_model=dbt.ref("propensity_model")))
