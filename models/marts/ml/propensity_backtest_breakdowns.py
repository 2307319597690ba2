"""Backtest PR-AUC and lift of the shipped model by plan, territory, industry and size."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import propensity_backtest_breakdowns


def model(dbt, session):
    return propensity_backtest_breakdowns(DbtDuckDBTables(
        dbt, session,
        propensity_model=dbt.ref("propensity_model")))
