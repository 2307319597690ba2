"""`make bench` at a CI size: the runner works from a clean clone, its three implementations of the core marts agree,
and the report it writes holds every step."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import PROJECT_DIR

pytestmark = pytest.mark.dbt


def test_the_benchmark_runs_and_its_implementations_agree(tmp_path):
    report = tmp_path / "BENCHMARKS.md"
    report.write_text("# Benchmarks\n\n<!-- scale 1500 -->\nan old section\n<!-- /scale 1500 -->\n\nkept text\n")
    work = tmp_path / "work"
    result = subprocess.run(
        [sys.executable, "-m", "engagement_radar.bench", "--customers", "1500", "--months", "6", "--work",
         str(work), "--output", str(report)],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    text = report.read_text()
    assert "an old section" not in text and "kept text" in text, "the section of this scale is replaced in place"
    for label in ("core marts, dbt", "core marts, pandas notebook", "core marts, bare DuckDB floor", "full build",
                  "one-day refresh", "full build, 200 customers"):
        assert f"| {label} |" in text, label
    assert text.count("gives the warehouse's numbers for customer_rfm, cohort_retention, customer_engagement, "
                      "kpi_monthly: yes") == 2

    results = json.loads((work / "results.json").read_text())
    steps = results["steps"]
    assert set(steps) == {"core_dbt", "core_pandas", "core_floor", "full", "incremental", "fixed"}
    for key, measured in steps.items():
        assert measured["cpu"] > 0 and measured["wall"] > 0 and measured["peak_gb"] > 0.01, key
    assert results["appended"]["engagement_events"] > 0 and results["appended"]["orders"] > 0
    # the core selection is a strict subset of the full build, and the refresh runs on the appended files
    assert 0 < results["core_nodes"] < results["full_nodes"]
    assert results["before"]["customers"] > 1000
    assert not [child for child in work.iterdir() if child.name != "results.json"], "the scratch files are removed"
