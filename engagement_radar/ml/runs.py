"""Training on a cadence: the plan every ML step reads to keep a stored model between trainings.

The SQL model int_ml_retrain decides, once per run, whether the models train again (see its header). A step that
only changes when they do (the fitted models, their metrics) returns its previous table otherwise
(steps.kept_or_trained); the steps that score the new data (segments, propensity scores) run every time with the
stored model.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RetrainPlan:
    retrain: bool
    reason: str | None
    as_of_date: object
    feature_set: str
    decided_at: object
