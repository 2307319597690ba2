"""The buy-till-you-die models: parameters recovered from data simulated with known ones, predictions that match
what the simulation does next, and the same through a real warehouse build."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import mart, run_dbt

from engagement_radar.ml import btyd

TRUE = {"r": 0.25, "alpha": 10.0, "a": 0.8, "b": 2.5}
SPEND = {"p": 6.0, "q": 4.0, "gamma": 15.0}


def histories(purchases: pd.DataFrame, end: str = "age_days") -> pd.DataFrame:
    frame = purchases.groupby("customer").agg(x=("day", "size"), t_x=("day", "max"), T=(end, "first"))
    frame["x"] -= 1
    return frame


def spends(x: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    scale = rng.gamma(SPEND["q"], 1 / SPEND["gamma"], len(x))
    return np.array([rng.gamma(SPEND["p"], 1 / scale[i], k).mean() if k else np.nan for i, k in enumerate(x)])


def test_bg_nbd_and_gamma_gamma_recover_their_parameters():
    frame = histories(btyd.simulate_bg_nbd(20_000, **TRUE, max_age_days=540, seed=1))
    fitted = btyd.fit_bg_nbd(frame["x"], frame["t_x"], frame["T"])
    assert fitted.converged
    for name, value in TRUE.items():
        assert getattr(fitted, name) == pytest.approx(value, rel=0.1), name
    truth = btyd.BgNbd(**TRUE, customers=0, log_likelihood=0, converged=True)
    gap = np.abs(fitted.p_alive(frame["x"], frame["t_x"], frame["T"]) - truth.p_alive(frame["x"], frame["t_x"],
                                                                                        frame["T"]))
    assert gap.mean() < 0.01
    spend = btyd.fit_gamma_gamma(frame["x"], spends(frame["x"].to_numpy(), seed=2))
    for name, value in SPEND.items():
        assert getattr(spend, name) == pytest.approx(value, rel=0.15), name


@pytest.mark.parametrize("a", [0.8, 2.0])
def test_predictions_match_what_the_customers_do_next(a):
    """Customers simulated past a calibration day: the expected purchases and the chance of any, from the true
    parameters, match the simulated next 90 days."""
    purchases = btyd.simulate_bg_nbd(40_000, r=0.25, alpha=10.0, a=a, b=2.5, max_age_days=630, seed=3,
                                     min_age_days=120)
    purchases["calibration_end"] = purchases["age_days"] - 90
    frame = histories(purchases[purchases["day"] <= purchases["calibration_end"]], end="calibration_end")
    later = purchases[purchases["day"] > purchases["calibration_end"]].groupby("customer").size()
    actual = later.reindex(frame.index, fill_value=0)
    truth = btyd.BgNbd(0.25, 10.0, a, 2.5, 0, 0, True)
    expected = truth.expected_purchases(90, frame["x"], frame["t_x"], frame["T"])
    chance = truth.probability_of_purchase(90, frame["x"], frame["t_x"], frame["T"])
    assert expected.mean() == pytest.approx(actual.mean(), rel=0.03)
    assert chance.mean() == pytest.approx((actual > 0).mean(), rel=0.03)
    assert np.corrcoef(expected, actual)[0, 1] > 0.3


def test_lifetime_value_discounts_and_grows_with_the_horizon():
    frame = histories(btyd.simulate_bg_nbd(5_000, **TRUE, max_age_days=540, seed=4)).head(50)
    model = btyd.BgNbd(**TRUE, customers=0, log_likelihood=0, converged=True)
    spend = btyd.GammaGamma(**SPEND, customers=0, log_likelihood=0, converged=True)
    m_x = np.full(len(frame), 20.0)
    args = (model, spend, frame["x"], frame["t_x"], frame["T"], m_x)
    year, two_years = btyd.lifetime_value(*args, 365, 0.1), btyd.lifetime_value(*args, 730, 0.1)
    undiscounted = btyd.lifetime_value(*args, 365, 0.0)
    assert (two_years > year).all() and (undiscounted > year).all()
    value = spend.expected_value(frame["x"], m_x)
    assert undiscounted == pytest.approx(model.expected_purchases(365, frame["x"], frame["t_x"], frame["T"]) * value)


@pytest.mark.dbt
def test_a_warehouse_built_on_simulated_purchases_recovers_them(tmp_path):
    """Orders simulated from known BG/NBD parameters go through the whole build; btyd_model gives the parameters
    back and customer_lifetime_value the P(alive) of the true model, within tolerance. The files are written by
    pandas as a user would, with nanosecond timestamps with time zone."""
    true = {"r": 0.5, "alpha": 20.0, "a": 0.6, "b": 3.0}
    purchases = btyd.simulate_bg_nbd(4_000, **true, max_age_days=500, seed=5)
    end = pd.Timestamp("2026-06-30", tz="UTC")
    first = end - pd.to_timedelta(purchases.groupby("customer")["age_days"].transform("first"), unit="D")
    purchases["ordered_at"] = (first + pd.to_timedelta(purchases["day"], unit="D")).dt.floor("s")
    purchases["customer_id"] = "S" + purchases["customer"].astype(str).str.zfill(5)
    raw = tmp_path / "raw"
    raw.mkdir()
    customers = purchases.groupby("customer_id", as_index=False)["ordered_at"].min().rename(
        columns={"ordered_at": "signup_at"})
    customers.to_parquet(raw / "customers.parquet")
    orders = purchases[["customer_id", "ordered_at"]].assign(
        order_id=[f"O{i:07d}" for i in range(len(purchases))],
        gross_amount=np.random.default_rng(6).gamma(4.0, 10.0, len(purchases)).round(2) + 1, discount_amount=0.0,
        refund_amount=0.0)
    orders.to_parquet(raw / "orders.parquet")
    pd.DataFrame({"event_id": pd.Series(dtype="str"), "customer_id": pd.Series(dtype="str"),
                  "occurred_at": pd.Series(dtype="datetime64[us, UTC]"), "channel": pd.Series(dtype="str"),
                  "event_type": pd.Series(dtype="str"), "campaign_id": pd.Series(dtype="str")}).to_parquet(
        raw / "engagement_events.parquet")
    pd.DataFrame({"campaign_id": pd.Series(dtype="str"), "campaign_name": pd.Series(dtype="str"),
                  "channel": pd.Series(dtype="str"), "content_type": pd.Series(dtype="str"),
                  "started_at": pd.Series(dtype="datetime64[us, UTC]"),
                  "ended_at": pd.Series(dtype="datetime64[us, UTC]"), "cost": pd.Series(dtype="float64")}).to_parquet(
        raw / "campaigns.parquet")

    run = run_dbt(["build"], tmp_path / "run", raw,
                  extra_vars={"as_of_date": "2026-06-30", "export_date": "2026-06-30"})
    assert run.returncode == 0, run.output[-5000:]
    fitted = mart(run, "btyd_model").iloc[0]
    assert fitted["status"] == "fitted"
    for name, value in true.items():
        assert fitted[f"bg_nbd_{name}"] == pytest.approx(value, rel=0.25), name

    clv = mart(run, "customer_lifetime_value")
    assert len(clv) == 4_000 and clv["has_purchased"].all()
    truth = btyd.BgNbd(**true, customers=0, log_likelihood=0, converged=True)
    expected = truth.p_alive(clv["repeat_purchases"], clv["recency_days"], clv["age_days"])
    assert np.abs(clv["p_alive"] - expected).mean() < 0.03
    # orders of about 41 on average: one purchase is expected to be worth about that, and everyone is worth something
    assert clv["expected_purchase_value"].median() == pytest.approx(41.0, rel=0.15)
    assert clv["lifetime_value"].gt(0).all()


def test_the_bg_nbd_gradient_is_the_likelihoods_slope():
    """The fit follows the analytic gradient: it must match finite differences of the likelihood, with and without
    repeat purchases, near the no-dropout edge (a small, b large) and elsewhere."""
    from scipy import optimize

    from engagement_radar.ml.btyd import _bg_nbd_log_likelihood

    rng = np.random.default_rng(1)
    x = rng.integers(0, 8, 400).astype(float)
    T = rng.uniform(5, 80, 400)
    t_x = np.where(x > 0, T * rng.uniform(0.1, 1, 400), 0)
    weights = rng.integers(1, 4, 400).astype(float)
    for params in (np.log([0.5, 10, 0.8, 2.5]), np.log([2.0, 3.0, 0.2, 0.9]), np.log([1.0, 60.0, 0.001, 200.0])):
        value, gradient = _bg_nbd_log_likelihood(params, x, t_x, T, weights, gradient=True)
        assert value == _bg_nbd_log_likelihood(params, x, t_x, T, weights)
        numeric = optimize.approx_fprime(params, lambda p: _bg_nbd_log_likelihood(p, x, t_x, T, weights), 1e-6)
        np.testing.assert_allclose(gradient, numeric, rtol=1e-4, atol=1e-3)
