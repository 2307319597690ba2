"""Buy-till-you-die models in closed form: BG/NBD for the number of purchases (Fader, Hardie and Lee, 2005,
"Counting your customers the easy way") and Gamma-Gamma for their value (Fader, Hardie and Lee, 2005, "RFM and
CLV"), fitted by maximum likelihood with SciPy.

A customer's purchase history is summarised, as the papers do, from the first purchase on (it is not counted):
- x, the number of repeat purchases (purchase *days* after the first; several orders on one day are one purchase);
- t_x, the time from the first purchase to the last one;
- T, the time from the first purchase to the measurement day (the customer's age);
- m_x, the mean value of the repeat purchases (Gamma-Gamma; only customers with x > 0).
Times are in days; the fit works in weeks (better conditioned) and reports the parameters per day.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special

from .frames import single_threaded

WEEK = 7.0


@dataclass(frozen=True)
class BgNbd:
    """Purchase rate lambda ~ Gamma(r, alpha) (alpha per day); dropout after each purchase with p ~ Beta(a, b)."""
    r: float
    alpha: float
    a: float
    b: float
    customers: int
    log_likelihood: float
    converged: bool

    def p_alive(self, x, t_x, T) -> np.ndarray:
        x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
        ratio = np.where(x > 0, self.a / np.maximum(self.b + x - 1, 1e-12)
                         * np.exp((self.r + x) * (np.log(self.alpha + T) - np.log(self.alpha + t_x))), 0.0)
        return 1.0 / (1.0 + ratio)

    def expected_purchases(self, t, x, t_x, T) -> np.ndarray:
        """E[purchases in (T, T + t] | history] (the paper's equation 10; a != 1)."""
        x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
        t = np.asarray(t, dtype=float)
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        if abs(a - 1) < 1e-9:
            a = 1 + 1e-9
        z = t / (alpha + T + t)
        hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, z)
        head = (a + b + x - 1) / (a - 1)
        body = 1.0 - np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t))) * hyp
        ratio = np.where(x > 0, a / np.maximum(b + x - 1, 1e-12)
                         * np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + t_x))), 0.0)
        return head * body / (1.0 + ratio)

    def probability_of_purchase(self, t, x, t_x, T) -> np.ndarray:
        """P(at least one purchase in (T, T + t] | history): alive, and the posterior rate Gamma(r + x, alpha + T)
        gives a purchase in the window."""
        x, T = np.asarray(x, dtype=float), np.asarray(T, dtype=float)
        none_if_alive = np.exp((self.r + x) * (np.log(self.alpha + T) - np.log(self.alpha + T + t)))
        return self.p_alive(x, t_x, T) * (1.0 - none_if_alive)

    def as_row(self) -> dict:
        return {f"bg_nbd_{k}" if k not in ("customers",) else k: v for k, v in asdict(self).items()}


@dataclass(frozen=True)
class GammaGamma:
    """Spend per purchase: Gamma(p, nu) with nu ~ Gamma(q, gamma)."""
    p: float
    q: float
    gamma: float
    customers: int
    log_likelihood: float
    converged: bool

    def expected_value(self, x, m_x) -> np.ndarray:
        """E[value of a purchase | x repeat purchases of mean m_x]; the population mean where x = 0."""
        x, m_x = np.asarray(x, dtype=float), np.nan_to_num(np.asarray(m_x, dtype=float))
        p, q, gamma = self.p, self.q, self.gamma
        if q <= 1:
            return np.where(x > 0, m_x, np.nan)
        return (gamma + m_x * x) * p / (p * x + q - 1)


def _bg_nbd_log_likelihood(params, x, t_x, T, weights, gradient: bool = False):
    """The weighted BG/NBD log-likelihood at log-parameters params = log(r, alpha, a, b); with gradient=True also
    its gradient with respect to them (analytic: the optimiser then needs one evaluation a step, not five)."""
    r, alpha, a, b = np.exp(params)
    common = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    beta_ab = special.betaln(a, b)
    first = special.betaln(a, b + x) - beta_ab - (r + x) * np.log(alpha + T)
    repeat = x > 0
    b_second = np.maximum(b + x - 1, 1e-12)
    with np.errstate(invalid="ignore", divide="ignore"):
        second = np.where(repeat, special.betaln(a + 1, b_second) - beta_ab - (r + x) * np.log(alpha + t_x), -np.inf)
    mixed = np.logaddexp(first, second)
    value = float(np.sum(weights * (common + mixed)))
    if not gradient:
        return value
    share_first = np.exp(first - mixed)
    share_second = np.where(repeat, np.exp(second - mixed), 0.0)  # the two shares add up to 1
    psi = special.digamma
    psi_ab, psi_abx = psi(a + b), psi(a + b + x)
    d_r = psi(r + x) - psi(r) + np.log(alpha) - share_first * np.log(alpha + T) - share_second * np.log(alpha + t_x)
    d_alpha = r / alpha - (r + x) * (share_first / (alpha + T) + share_second / (alpha + t_x))
    d_a = share_first * (psi_ab - psi_abx) + share_second * (psi(a + 1) - psi(a) + psi_ab - psi_abx)
    d_b = (share_first * (psi(b + x) - psi(b) + psi_ab - psi_abx)
           + share_second * (psi(b_second) - psi(b) + psi_ab - psi_abx))
    # d/d log(p) = p * d/dp
    grad = np.array([r * np.sum(weights * d_r), alpha * np.sum(weights * d_alpha), a * np.sum(weights * d_a),
                     b * np.sum(weights * d_b)])
    return value, grad


def _summarise(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, ...]:
    """Identical histories counted once, with their number as a weight: the fit's cost does not grow with
    customers beyond the distinct histories."""
    grouped = frame.groupby(columns, sort=True).size().reset_index(name="weight")
    return tuple(grouped[c].to_numpy(dtype=float) for c in [*columns, "weight"])


def fit_bg_nbd(x, t_x, T) -> BgNbd:
    """Maximum-likelihood BG/NBD on per-customer (x, t_x, T) in days."""
    frame = pd.DataFrame({"x": np.asarray(x, dtype=float), "t_x": np.asarray(t_x, dtype=float) / WEEK,
                          "T": np.asarray(T, dtype=float) / WEEK})
    frame = frame[(frame["T"] > 0) & (frame["t_x"] <= frame["T"])]
    if len(frame) < 10 or frame["x"].sum() == 0:
        raise ValueError("BG/NBD needs at least 10 customers with some repeat purchases")
    xs, txs, Ts, weights = _summarise(frame, ["x", "t_x", "T"])
    total = weights.sum()

    def objective(params):
        value, grad = _bg_nbd_log_likelihood(params, xs, txs, Ts, weights, gradient=True)
        if not (np.isfinite(value) and np.all(np.isfinite(grad))):
            return 1e10, np.zeros(4)
        return -value / total, -grad / total

    start = np.log([1.0, max(float(frame["T"].mean()), 1.0), 1.0, 1.0])
    result = optimize.minimize(objective, start, jac=True, method="L-BFGS-B", bounds=[(-8, 8)] * 4)
    r, alpha, a, b = np.exp(result.x)
    return BgNbd(float(r), float(alpha * WEEK), float(a), float(b), int(total), float(-result.fun * total),
                 bool(result.success))


def fit_gamma_gamma(x, m_x) -> GammaGamma:
    """Maximum-likelihood Gamma-Gamma on customers with x > 0 repeat purchases of mean value m_x > 0."""
    x, m_x = np.asarray(x, dtype=float), np.asarray(m_x, dtype=float)
    keep = (x > 0) & np.isfinite(m_x) & (m_x > 0)
    x, m_x = x[keep], m_x[keep]
    if len(x) < 10:
        raise ValueError("Gamma-Gamma needs at least 10 customers with repeat purchases of positive value")
    scale = float(np.mean(m_x))  # values in units of the mean, for conditioning

    def objective(params):
        p, q, gamma = np.exp(params)
        m = m_x / scale
        ll = (special.gammaln(p * x + q) - special.gammaln(p * x) - special.gammaln(q) + q * np.log(gamma)
              + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(gamma + m * x))
        value = -float(np.mean(ll))
        return value if np.isfinite(value) else 1e10

    result = optimize.minimize(objective, np.log([1.0, 2.0, 1.0]), method="L-BFGS-B", bounds=[(-8, 8)] * 3)
    p, q, gamma = np.exp(result.x)
    # back to the original units: the likelihood of m_x differs by a constant Jacobian term
    log_likelihood = -result.fun * len(x) - float(np.sum(np.log(np.full(len(x), scale))))
    return GammaGamma(float(p), float(q), float(gamma * scale), len(x), log_likelihood, bool(result.success))


def lifetime_value(model: BgNbd, spend: GammaGamma, x, t_x, T, m_x, horizon_days: int, annual_discount_rate: float,
                   step_days: int = 30) -> np.ndarray:
    """Discounted expected value of the purchases in (T, T + horizon]: the expected purchases of each step of
    step_days times the expected value of a purchase, discounted to the measurement day."""
    value = spend.expected_value(x, m_x)
    total = np.zeros(np.broadcast(np.asarray(x, dtype=float), np.asarray(T, dtype=float)).shape)
    previous = np.zeros_like(total)
    end = 0
    while end < horizon_days:
        end = min(end + step_days, horizon_days)
        cumulative = model.expected_purchases(end, x, t_x, T)
        total += (cumulative - previous) / (1.0 + annual_discount_rate) ** (end / 365.0)
        previous = cumulative
    return total * value


def simulate_bg_nbd(customers: int, r: float, alpha: float, a: float, b: float, max_age_days: float, seed: int,
                    min_age_days: float = 30.0) -> pd.DataFrame:
    """Purchase days simulated from the BG/NBD story (rates per day): one row per purchase, day 0 the first; each
    customer observed for an age drawn uniformly in [min_age_days, max_age_days]. For tests and examples."""
    rng = np.random.default_rng(seed)
    rates = rng.gamma(r, 1.0 / alpha, customers)
    dropouts = rng.beta(a, b, customers)
    ages = rng.uniform(min_age_days, max_age_days, customers)
    rows = []
    for customer in range(customers):
        rows.append((customer, 0.0))
        time = 0.0
        while True:
            if rng.random() < dropouts[customer] and time > 0:
                break
            time += rng.exponential(1.0 / rates[customer])
            if time > ages[customer]:
                break
            rows.append((customer, time))
    purchases = pd.DataFrame(rows, columns=["customer", "day"])
    purchases["age_days"] = ages[purchases["customer"].to_numpy()]
    return purchases


# ------------------------------------------------------------------ the warehouse's tables

@single_threaded  # the optimiser's BLAS threads would only spin: a third more CPU for nothing
def fit_models(histories: pd.DataFrame) -> tuple[BgNbd | None, GammaGamma | None, str]:
    """BG/NBD and Gamma-Gamma fitted on int_purchase_histories rows of one day; a status saying what could not be
    fitted and why ('fitted' when both were)."""
    try:
        purchases = fit_bg_nbd(histories["repeat_purchases"], histories["recency_days"], histories["age_days"])
    except ValueError as error:
        return None, None, f"not fitted: {error}"
    try:
        spend = fit_gamma_gamma(histories["repeat_purchases"], histories["mean_repeat_purchase_value"])
    except ValueError as error:
        return purchases, None, f"BG/NBD fitted; Gamma-Gamma not fitted: {error}"
    return purchases, spend, "fitted"


def snapshot_name(role: str) -> str | None:
    """The snapshot of int_customer_features an int_snapshot_dates role is fitted for (None: not one the ML reads)."""
    if role == "as_of":
        return "score"
    if role.startswith(("train", "backtest")) and not role.endswith("_prior_quarter"):
        return role
    return None


def model_table(fits: list[dict], fitted_at) -> pd.DataFrame:
    """One row per snapshot fitted: its name and day, the status and the parameters (per day; values in the currency
    of the orders). fits: dicts of snapshot, snapshot_date, purchases, spend, status."""
    rows = []
    for fit in fits:
        row = {"snapshot": fit["snapshot"], "snapshot_date": fit["snapshot_date"], "status": fit["status"],
               "fitted_at": fitted_at}
        for prefix, fitted, names in (("bg_nbd", fit["purchases"], ("r", "alpha", "a", "b")),
                                      ("gamma_gamma", fit["spend"], ("p", "q", "gamma"))):
            for name in (*names, "customers", "log_likelihood", "converged"):
                row[f"{prefix}_{name}"] = getattr(fitted, name) if fitted is not None else None
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in frame.columns:
        if column.endswith("_converged"):
            frame[column] = frame[column].astype("boolean")
        elif column.endswith("_customers"):
            frame[column] = frame[column].astype("Int64")
        elif column.startswith(("bg_nbd_", "gamma_gamma_")):
            frame[column] = frame[column].astype("float64")
    return frame


def models_from_row(row: dict) -> tuple[BgNbd | None, GammaGamma | None]:
    purchases = spend = None
    if row.get("bg_nbd_r") is not None and not pd.isna(row["bg_nbd_r"]):
        purchases = BgNbd(*(float(row[f"bg_nbd_{k}"]) for k in ("r", "alpha", "a", "b")),
                          int(row["bg_nbd_customers"]), float(row["bg_nbd_log_likelihood"]),
                          bool(row["bg_nbd_converged"]))
    if row.get("gamma_gamma_p") is not None and not pd.isna(row["gamma_gamma_p"]):
        spend = GammaGamma(*(float(row[f"gamma_gamma_{k}"]) for k in ("p", "q", "gamma")),
                           int(row["gamma_gamma_customers"]), float(row["gamma_gamma_log_likelihood"]),
                           bool(row["gamma_gamma_converged"]))
    return purchases, spend


SCORE_COLUMNS = ("p_alive", "expected_purchases", "probability_of_purchase", "expected_purchase_value",
                 "lifetime_value")


def score_table(histories: pd.DataFrame, purchases: BgNbd | None, spend: GammaGamma | None, snapshot: str,
                horizon_days: int, clv_horizon_days: int, annual_discount_rate: float) -> pd.DataFrame:
    """One row per purchaser of a snapshot: P(alive), expected purchases and P(any purchase) in the horizon, the
    expected value of a purchase and the discounted lifetime value over clv_horizon_days (empty where the models
    could not be fitted)."""
    frame = histories.sort_values("customer_id", kind="stable").reset_index(drop=True)
    x = frame["repeat_purchases"].to_numpy(dtype=float)
    t_x = frame["recency_days"].to_numpy(dtype=float)
    T = frame["age_days"].to_numpy(dtype=float)
    m_x = frame["mean_repeat_purchase_value"].astype(float).clip(lower=0).to_numpy()
    out = pd.DataFrame({"snapshot": snapshot, "snapshot_date": frame["snapshot_date"],
                        "customer_id": frame["customer_id"]})
    empty = np.full(len(frame), np.nan)
    for column in SCORE_COLUMNS:
        out[column] = empty
    if purchases is not None and len(frame):
        out["p_alive"] = purchases.p_alive(x, t_x, T)
        out["expected_purchases"] = purchases.expected_purchases(horizon_days, x, t_x, T)
        out["probability_of_purchase"] = purchases.probability_of_purchase(horizon_days, x, t_x, T)
        if spend is not None:
            out["expected_purchase_value"] = spend.expected_value(x, m_x)
            out["lifetime_value"] = lifetime_value(purchases, spend, x, t_x, T, m_x, clv_horizon_days,
                                                   annual_discount_rate)
    return out
