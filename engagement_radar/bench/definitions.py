"""The settings the benchmark's pandas and bare-DuckDB versions of the core marts follow: read from the project's
dbt_project.yml and seeds, so the three implementations share one definition of every threshold."""

from __future__ import annotations

from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
SEEDS = PROJECT_DIR / "seeds"
VARS = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]

HALF_LIFE_DAYS = float(VARS["engagement_half_life_days"])
AT_RISK_CADENCE_MULTIPLIER = float(VARS["at_risk_cadence_multiplier"])
AT_RISK_MIN_DAYS = float(VARS["at_risk_min_days"])
AT_RISK_ONE_TIME_BUYER_DAYS = float(VARS["at_risk_one_time_buyer_days"])
DISCOUNT_DRIVEN_SHARE = float(VARS["discount_driven_share"])
HIGH_VALUE_MIN_M_SCORE = int(VARS["high_value_min_m_score"])
