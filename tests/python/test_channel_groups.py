"""The channel groups come from the seed channel_event_weights alone: a group added there reaches the marts, the ML
features and the app's channel mix without an edit, and the public contract of customer_engagement still holds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import duckdb
import pytest
from conftest import DBT, PROJECT_DIR, make_data

# what a copy of the project needs to build (not the environment, the data, the warehouse or build artefacts)
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "selectors.yml", "models", "macros", "seeds", "tests",
                 "engagement_radar")


@pytest.fixture(scope="module")
def regrouped(tmp_path_factory):
    """A build of a copy of the project whose seed files website visits under a new group, 'website'."""
    root = tmp_path_factory.mktemp("regrouped")
    project = root / "project"
    for part in PROJECT_PARTS:
        source, target = PROJECT_DIR / part, project / part
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "python", "handmade_csv"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    seed = project / "seeds" / "channel_event_weights.csv"
    lines = seed.read_text().splitlines()
    assert sum(line.startswith("web,visit,web,") for line in lines) == 1
    seed.write_text("\n".join(line.replace("web,visit,web,", "web,visit,website,") for line in lines) + "\n")
    raw = make_data(root / "raw")
    database = root / "warehouse.duckdb"
    env = {**os.environ, "ENGAGEMENT_RADAR_DB": str(database), "DBT_PROFILES_DIR": str(project),
           "ENGAGEMENT_RADAR_HOME": str(project), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "NO_COLOR": "1"}
    result = subprocess.run([str(DBT), "build", "--vars", json.dumps({"raw_path": str(raw)})], cwd=project, env=env,
                            capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-4000:]
    return database


def test_a_group_added_to_the_seed_reaches_marts_features_and_the_app(regrouped):
    with duckdb.connect(str(regrouped), read_only=True) as con:
        groups = dict(con.execute("select channel_group, sum(channel_score) from customer_channel_scores "
                                  "group by channel_group").fetchall())
        assert groups.get("website", 0) > 0 and "web" not in groups
        # the mart's split adds up to every customer's score
        assert con.execute("""
            select max(abs(coalesce(parts.total, 0) - engagement.engagement_score))
            from customer_engagement as engagement
            left join (select customer_id, sum(channel_score) as total from customer_channel_scores
                       group by customer_id) as parts using (customer_id)""").fetchone()[0] < 1e-9
        # customer_engagement keeps its contract: web_score is still a column, now 0, and the total counts visits
        assert con.execute("select max(web_score) from customer_engagement").fetchone()[0] == 0
        # the ML features and the propensity model
        features = {row[0] for row in con.execute(
            "select column_name from information_schema.columns where table_name = 'int_customer_features'")
            .fetchall()}
        assert "website_score" in features and "web_score" not in features
        assert con.execute("select max(website_score) from int_customer_features").fetchone()[0] > 0
        assert "website_score" in json.loads(con.execute("select features from propensity_model").fetchone()[0])
        # the app's channel mix, by the app's own query
        sys.path.insert(0, str(PROJECT_DIR / "streamlit_app"))
        import data
        mix = con.execute(data.QUERIES["channel_mix"]).df()
    assert "website" in set(mix["channel_group"]) and (mix["score"] > 0).all()
