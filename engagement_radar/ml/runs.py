"""Training on a cadence: what the dbt Python models share to keep a stored model between trainings.

The SQL model int_ml_retrain decides, once per run, whether the models train again (see its header). A model that
only changes when they do (the fitted models, their metrics) returns its previous table otherwise; the models that
score the new data (segments, propensity scores) run every time with the stored model.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from .frames import to_frame


@dataclass(frozen=True)
class RetrainPlan:
    retrain: bool
    reason: str | None
    as_of_date: object
    feature_set: str
    decided_at: object


def retrain_plan(plan_relation) -> RetrainPlan:
    """The one row of int_ml_retrain (a DuckDB relation, as dbt.ref() gives it)."""
    row = to_frame(plan_relation.fetch_arrow_table()).iloc[0]
    return RetrainPlan(bool(row["retrain"]), row["retrain_reason"], pd.Timestamp(row["as_of_date"]).date(),
                       row["feature_set"], pd.Timestamp(row["decided_at"]).to_pydatetime())


def previous_table(dbt, session) -> pa.Table | None:
    """The model's table as the last run left it, or None when there is none yet."""
    exists = session.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [dbt.this.schema, dbt.this.identifier]).fetchall()[0][0]
    if not exists:
        return None
    return session.sql(f"select * from {dbt.this}").fetch_arrow_table()


def kept_or_trained(dbt, session, plan_relation, train):
    """The previous table when the plan keeps the stored models, else train() - which also runs when there is no
    previous table."""
    if not retrain_plan(plan_relation).retrain:
        previous = previous_table(dbt, session)
        if previous is not None:
            return previous
    return train()
