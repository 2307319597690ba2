"""Engagement events and orders for one chunk of customers.

A latent daily activity level per customer (persona, individual vigour, quarterly
seasonality, planted declines and rises) drives every stream: campaign responses,
social impressions, web visits, sales calls, product use, support, and orders.
Orders also follow engagement directly: attending an event or clicking through
raises the chance of an order in the next two weeks. A customer's responsiveness
scales their chance of clicking an email or registering for a webinar or a live
event, and their spend level the size of their orders.

Accounts also use the product (one event per active user-day, more users in bigger
companies) and call on support. Now and then an account goes through an expansion:
more of its users become active and it books technical sessions. The chance that an
account moves up a plan on a given day grows with what it did in the previous
SIGNAL_DAYS days - active users, support sessions and cases, social impressions -
and with its company size; rarely, a quiet account moves down a plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .population import DISCOUNT, DORMANT, LAST_QUARTER_DAYS, LOYAL, SPEND_LOG_SD, Population
from .world import CHANNELS, EVENT_TYPES, SECONDS_PER_DAY, SOCIAL_NETWORKS, Calendar, Campaigns

CHANNEL = {name: code for code, name in enumerate(CHANNELS)}
EVENT_TYPE = {name: code for code, name in enumerate(EVENT_TYPES)}

# Activity level by persona (index = persona code).
PERSONA_LEVEL = np.array([1.0, 0.7, 0.16, 1.1], dtype=np.float32)
DORMANT_DECAY_DAYS = 45.0
DECLINE_FACTOR = 0.06
RISE_FACTOR = 6.0

# Ambient streams: expected events per day at activity 1.0.
AMBIENT = ("linkedin", "twitter", "facebook", "instagram", "web", "sales_call")
AMBIENT_RATE = np.array([
    # linkedin twitter facebook instagram web  sales_call
    [0.24, 0.10, 0.07, 0.06, 0.20, 0.05],   # high_value_loyal
    [0.14, 0.11, 0.13, 0.11, 0.17, 0.015],  # discount_driven
    [0.20, 0.11, 0.10, 0.07, 0.17, 0.01],   # new_low_engagement
    [0.20, 0.11, 0.10, 0.07, 0.17, 0.02],   # dormant
])
SOCIAL_CLICK_RATE = 0.04

# Orders per day at activity 1.0, by persona; log-normal order values. Repeat orders follow a replenishment
# cycle: the gaps between them, in units of activity, are gamma distributed (shape ORDER_CYCLE_SHAPE), so a
# customer is most likely to reorder when their usual gap has passed, and less so right after an order.
ORDER_RATE = np.array([0.030, 0.028, 0.022, 0.020])
ORDER_CYCLE_SHAPE = 4.0
ORDER_LOG_MEAN = np.log(np.array([380.0, 140.0, 110.0, 150.0]))
# Spread of an order's log value around the customer's own level (the spend level adds the rest: 0.45 in all).
ORDER_LOG_SD = 0.375
# Chance that an engagement is followed by an order within two weeks.
CONVERSION = {"webinar_attend": 0.12, "live_attend": 0.25, "email_click": 0.05, "social_click": 0.03}

WEBINAR_REGISTER = {"academic": 1.8, "promotional": 0.8, "greeting": 0.3}
WEBINAR_ATTEND = {"academic": 0.72, "promotional": 0.55, "greeting": 0.4}

# Product use: each seat is active on a day with chance USER_RATE x the account's activity (x EXPANSION_USAGE
# during an expansion); one event per active user-day.
USER_RATE = 0.055
# Expansions start at EXPANSION_RATE per unit of activity (x EXPANSION_SIZE by company size) and last
# EXPANSION_DAYS: more users active, and technical sessions EXPANSION_SESSIONS times as often.
EXPANSION_RATE = 1 / 400
EXPANSION_SIZE = np.array([0.6, 0.8, 1.0, 1.3, 1.6])
EXPANSION_DAYS = 60
EXPANSION_USAGE = 2.5
EXPANSION_SESSIONS = 6.0
# Technical sessions and support cases per account-day, at activity 1, times SUPPORT_SIZE by company size.
TECHNICAL_SESSION_RATE = 0.013
SUPPORT_CASE_RATE = 0.01
SUPPORT_SIZE = np.array([0.6, 0.8, 1.0, 1.4, 1.9])

# Plan changes. Daily chance of moving up a tier: UPGRADE_RATE x UPGRADE_SIZE (company size) x UPGRADE_TIER
# (from P1, from P2) x usage x support x social, where, over the previous SIGNAL_DAYS days,
#   usage   = USAGE_FLOOR + active users / (active users + USAGE_HALF)
#   support = 1 + SESSION_LIFT x min(technical sessions, 4) + CASE_LIFT x min(support cases, 4)
#   social  = 1 + SOCIAL_LIFT x min(social impressions / SOCIAL_FULL, 1).
# Moving down a tier: DOWNGRADE_RATE x (1 - usage share), from P2 or P3. No change within CHANGE_GAP_DAYS of
# signup or of the previous change.
SIGNAL_DAYS = 60
UPGRADE_RATE = 0.0012
UPGRADE_SIZE = np.array([0.5, 0.75, 1.0, 1.4, 1.9])
UPGRADE_TIER = np.array([1.0, 0.7, 0.0])
USAGE_FLOOR = 0.05
USAGE_HALF = 10.0
SESSION_LIFT = 0.6
CASE_LIFT = 0.25
SOCIAL_LIFT = 0.5
SOCIAL_FULL = 30.0
DOWNGRADE_RATE = 0.00017
DOWNGRADE_TIER = np.array([0.0, 1.0, 1.0])
CHANGE_GAP_DAYS = 45


@dataclass
class ChunkActivity:
    # events
    event_customer: np.ndarray   # local customer index
    event_at: np.ndarray         # epoch seconds
    event_channel: np.ndarray    # code into CHANNELS
    event_type: np.ndarray       # code into EVENT_TYPES
    event_campaign: np.ndarray   # row index into the campaigns table, -1 for none
    # orders
    order_customer: np.ndarray
    order_at: np.ndarray
    gross_amount: np.ndarray
    discount_amount: np.ndarray
    refund_amount: np.ndarray
    quantity: np.ndarray
    # plan changes, the first at signup
    plan_customer: np.ndarray
    plan_at: np.ndarray
    plan_code: np.ndarray        # code into PLANS
    current_plan: np.ndarray     # plan code per customer at the end of the data
    upgrades: int
    downgrades: int


def activity_matrix(pop: Population, calendar: Calendar) -> np.ndarray:
    """Expected activity per customer (rows) and day (columns); zero up to and including the signup day."""
    n_days = calendar.n_days
    days = np.arange(n_days, dtype=np.int32)
    age = days[None, :] - pop.signup_day[:, None].astype(np.int32)
    level = PERSONA_LEVEL[pop.persona] * pop.vigour
    activity = np.where(age >= 1, level[:, None], np.float32(0)) * calendar.seasonality()[None, :]
    dormant = pop.persona == DORMANT
    if dormant.any():
        activity[dormant] *= np.exp(-np.maximum(age[dormant], 0) / DORMANT_DECAY_DAYS).astype(np.float32)
    last_quarter = slice(n_days - LAST_QUARTER_DAYS, n_days)
    if pop.is_decliner.any():
        activity[pop.is_decliner, last_quarter] *= DECLINE_FACTOR
    if pop.is_riser.any():
        ramp = 1 + (RISE_FACTOR - 1) * np.minimum(1, np.arange(LAST_QUARTER_DAYS) / 30)
        activity[pop.is_riser, last_quarter] *= ramp.astype(np.float32)[None, :]
    return activity.astype(np.float32)


def sample_days(weights: np.ndarray, counts: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Draw counts[i] days for row i, with probability proportional to weights[i]; returns (row, day)."""
    n, n_days = weights.shape
    rows = np.repeat(np.arange(n), counts)
    if len(rows) == 0:
        return rows, rows.copy()
    cumulative = np.cumsum(weights, axis=1, dtype=np.float64)
    total = cumulative[:, -1:]
    cumulative = np.divide(cumulative, total, out=np.ones_like(cumulative), where=total > 0)
    cumulative += np.arange(n)[:, None]
    position = np.searchsorted(cumulative.ravel(), rows + rng.random(len(rows)), side="right")
    days = np.minimum(position - rows * n_days, n_days - 1)
    return rows, days


def replenishment_days(activity: np.ndarray, rate: np.ndarray, rng: np.random.Generator):
    """Order days from a renewal process on each row's cumulative activity: gamma gaps with mean 1 / rate
    activity units; the first order comes after a uniformly drawn share of a gap. Returns (row, day)."""
    n, n_days = activity.shape
    cumulative = np.cumsum(activity, axis=1, dtype=np.float64)
    total = cumulative[:, -1]
    mean_gap = 1.0 / rate
    draws = np.ceil(total / mean_gap * 2 + 4).astype(np.int64)
    rows = np.repeat(np.arange(n), draws)
    gaps = rng.gamma(ORDER_CYCLE_SHAPE, mean_gap[rows] / ORDER_CYCLE_SHAPE)
    starts = np.cumsum(draws) - draws
    first = starts[draws > 0]
    gaps[first] *= rng.random(len(first))
    at = np.cumsum(gaps)
    at -= np.repeat(np.concatenate([[0.0], at[np.cumsum(draws)[:-1] - 1]]), draws)
    keep = at < total[rows]
    rows, at = rows[keep], at[keep]
    position = np.searchsorted((np.divide(cumulative, np.maximum(total, 1e-12)[:, None]) + np.arange(n)[:, None])
                               .ravel(), rows + at / np.maximum(total[rows], 1e-12), side="right")
    return rows, np.minimum(position - rows * n_days, n_days - 1)


def _seconds(day: np.ndarray, calendar: Calendar) -> np.ndarray:
    return calendar.start_epoch + day.astype(np.int64) * SECONDS_PER_DAY


def _daytime(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.integers(7 * 3600, 22 * 3600, size)


class _Events:
    def __init__(self):
        self.parts = []

    def add(self, customer, at, channel, event_type, campaign):
        size = len(customer)
        self.parts.append((
            np.asarray(customer, dtype=np.int64),
            np.asarray(at, dtype=np.int64),
            np.full(size, CHANNEL[channel], dtype=np.int8) if isinstance(channel, str) else channel.astype(np.int8),
            np.full(size, EVENT_TYPE[event_type], dtype=np.int8),
            np.broadcast_to(np.asarray(campaign, dtype=np.int32), (size,)).copy(),
        ))

    def arrays(self):
        return [np.concatenate(column) for column in zip(*self.parts, strict=True)]


def _day_counts(rows: np.ndarray, days: np.ndarray, n: int, n_days: int) -> np.ndarray:
    """Events per row and day."""
    return np.bincount(rows * n_days + days, minlength=n * n_days).reshape(n, n_days).astype(np.int32)


def _running_total(counts: np.ndarray) -> np.ndarray:
    """Per row, the events before each day: column d holds the sum of days 0 to d - 1 (n_days + 1 columns)."""
    total = np.zeros((counts.shape[0], counts.shape[1] + 1), dtype=np.int32)
    np.cumsum(counts, axis=1, out=total[:, 1:])
    return total


def _in_window(total: np.ndarray, rows: np.ndarray, days: np.ndarray, window: int) -> np.ndarray:
    """Events in the `window` days before days[i], for row rows[i], from a _running_total."""
    return total[rows, days] - total[rows, np.maximum(days - window, 0)]


@dataclass
class _Accounts:
    plan_customer: np.ndarray
    plan_day: np.ndarray
    plan_code: np.ndarray
    current_plan: np.ndarray
    upgrades: int
    downgrades: int


def simulate_accounts(pop: Population, calendar: Calendar, activity: np.ndarray, impressions: np.ndarray,
                      events: _Events, rng: np.random.Generator) -> _Accounts:
    """Product use, support and plan changes of one chunk of accounts; impressions: social impressions per
    account and day. Adds the events to `events`; returns the plan changes after signup."""
    n, n_days = activity.shape
    size = pop.size_code

    # Expansions start on active days and cover the EXPANSION_DAYS days from their start.
    starts = rng.random((n, n_days), dtype=np.float32) < (
        np.float32(EXPANSION_RATE) * EXPANSION_SIZE[size][:, None].astype(np.float32) * activity)
    started = _running_total(starts)
    expanding = started[:, 1:] > started[:, np.maximum(np.arange(1, n_days + 1) - EXPANSION_DAYS, 0)]
    del starts, started

    # Active users: a Poisson number of user-days spread over the days in proportion to use, at most one per
    # seat and day.
    use = activity * np.where(expanding, np.float32(EXPANSION_USAGE), np.float32(1))
    rows, days = sample_days(use, rng.poisson(USER_RATE * pop.seats * use.sum(axis=1, dtype=np.float64)), rng)
    del use
    active_users = np.minimum(_day_counts(rows, days, n, n_days), pop.seats[:, None])
    rows, days = np.nonzero(active_users)
    repeat = active_users[rows, days]
    rows, days = np.repeat(rows, repeat), np.repeat(days, repeat)
    events.add(rows, _seconds(days, calendar) + rng.integers(8 * 3600, 19 * 3600, len(rows)), "product",
               "active_user", -1)
    users_total = _running_total(active_users)
    del active_users

    # Support: technical sessions (many more during an expansion) and cases, in proportion to activity.
    support = SUPPORT_SIZE[size][:, None].astype(np.float32) * (np.float32(0.2) + activity) * (activity > 0)
    sessions = support * np.where(expanding, np.float32(TECHNICAL_SESSION_RATE * EXPANSION_SESSIONS),
                                  np.float32(TECHNICAL_SESSION_RATE))
    del expanding
    support *= np.float32(SUPPORT_CASE_RATE)
    support += sessions
    rows, days = sample_days(support, rng.poisson(support.sum(axis=1, dtype=np.float64)), rng)
    is_session = rng.random(len(rows)) * support[rows, days] < sessions[rows, days]
    del support, sessions
    at = _seconds(days, calendar) + rng.integers(9 * 3600, 18 * 3600, len(rows))
    events.add(rows[is_session], at[is_session], "support", "technical_session", -1)
    events.add(rows[~is_session], at[~is_session], "support", "support_case", -1)
    sessions_total = _running_total(_day_counts(rows[is_session], days[is_session], n, n_days))
    cases_total = _running_total(_day_counts(rows[~is_session], days[~is_session], n, n_days))
    impressions_total = _running_total(impressions)

    # A plan may change on a day whose draw falls below the chance of an upgrade (or above one minus the chance
    # of a downgrade). The chances are worked out only where the draw is low (high) enough for any account
    # (with a margin for the draws' single precision).
    draws = rng.random((n, n_days), dtype=np.float32)
    most = UPGRADE_RATE * UPGRADE_SIZE.max() * (USAGE_FLOOR + 1) * (1 + 4 * SESSION_LIFT + 4 * CASE_LIFT) * (
        1 + SOCIAL_LIFT)
    rows, days = np.nonzero((draws < 1.001 * most) | (draws > 1 - 1.001 * DOWNGRADE_RATE))
    draw = draws[rows, days].astype(np.float64)
    del draws
    recent_users = _in_window(users_total, rows, days, SIGNAL_DAYS)
    usage_share = recent_users / (recent_users + USAGE_HALF)
    upgrade = (UPGRADE_RATE * UPGRADE_SIZE[size[rows]] * (USAGE_FLOOR + usage_share)
               * (1 + SESSION_LIFT * np.minimum(_in_window(sessions_total, rows, days, SIGNAL_DAYS), 4)
                  + CASE_LIFT * np.minimum(_in_window(cases_total, rows, days, SIGNAL_DAYS), 4))
               * (1 + SOCIAL_LIFT * np.minimum(_in_window(impressions_total, rows, days, SIGNAL_DAYS) / SOCIAL_FULL,
                                               1)))
    downgrade = DOWNGRADE_RATE * (1 - usage_share)
    maybe = (draw < upgrade) | (draw > 1 - downgrade)
    order = np.lexsort((rows[maybe], days[maybe]))
    candidates = zip(*(a[maybe][order].tolist() for a in (rows, days, draw, upgrade, downgrade)), strict=True)

    # Walk those days in time order: an account on P1 or P2 may move up, one on P2 or P3 down, one tier at a
    # time, and not within CHANGE_GAP_DAYS of signup or of its previous change.
    plan = pop.initial_plan.astype(np.int8).tolist()
    last_change = pop.signup_day.tolist()
    customer, day_of_change, code, was_up = [], [], [], []
    for row, day, u, up, down in candidates:
        if day - last_change[row] < CHANGE_GAP_DAYS:
            continue
        tier = plan[row]
        if u < up * UPGRADE_TIER[tier]:
            step = 1
        elif u > 1 - down * DOWNGRADE_TIER[tier]:
            step = -1
        else:
            continue
        plan[row] = tier + step
        last_change[row] = day
        customer.append(row)
        day_of_change.append(day)
        code.append(tier + step)
        was_up.append(step > 0)
    was_up = np.array(was_up, dtype=bool)
    return _Accounts(plan_customer=np.array(customer, dtype=np.int64), plan_day=np.array(day_of_change, dtype=np.int64),
                     plan_code=np.array(code, dtype=np.int8), current_plan=np.array(plan, dtype=np.int8),
                     upgrades=int(was_up.sum()), downgrades=int((~was_up).sum()))


def simulate_chunk(pop: Population, calendar: Calendar, campaigns: Campaigns, campaign_row: dict,
                   rng: np.random.Generator, account_rng: np.random.Generator) -> ChunkActivity:
    """Events, orders and plan changes of one chunk; the accounts' product use, support and plan changes draw
    from account_rng."""
    n, n_days = len(pop), calendar.n_days
    activity = activity_matrix(pop, calendar)
    events = _Events()
    converting = []  # (customer, at, probability) of engagements that may lead to an order

    # Weekly emails: delivered to a rotating 70% of customers, opened and clicked by the engaged.
    n_emails = len(campaigns.email_days)
    sent = (campaigns.email_days[None, :] > pop.signup_day[:, None]) & (rng.random((n, n_emails)) < 0.7)
    level = activity[:, campaigns.email_days]
    opened = sent & (rng.random(sent.shape) < np.clip(0.03 + 0.35 * level, 0, 0.85))
    click_rate = np.full(sent.shape, 0.14, dtype=np.float32)
    promotional = campaigns.email_content == "promotional"
    academic = campaigns.email_content == "academic"
    click_rate[np.ix_(pop.persona == DISCOUNT, promotional)] *= 2.2
    click_rate[np.ix_(pop.persona != DISCOUNT, promotional)] *= 0.7
    click_rate[np.ix_(pop.persona == LOYAL, academic)] *= 1.6
    click_rate = np.minimum(click_rate * pop.responsiveness[:, None], np.float32(0.95))
    clicked = opened & (rng.random(sent.shape) < click_rate)
    campaign_index = np.array([campaign_row[c] for c in campaigns.email_ids], dtype=np.int32)
    c, w = np.nonzero(sent)
    delivered_at = _seconds(campaigns.email_days[w], calendar) + 9 * 3600 + rng.integers(0, 7200, len(c))
    events.add(c, delivered_at, "email", "delivered", campaign_index[w])
    open_at = delivered_at + rng.exponential(6 * 3600, len(c)).astype(np.int64) + 60
    is_open = opened[c, w]
    events.add(c[is_open], open_at[is_open], "email", "open", campaign_index[w[is_open]])
    is_click = clicked[c, w]
    click_at = open_at[is_click] + rng.integers(10, 1800, is_click.sum())
    events.add(c[is_click], click_at, "email", "click", campaign_index[w[is_click]])
    converting.append((c[is_click], click_at, CONVERSION["email_click"]))

    # Ambient streams: social impressions, web visits, sales calls, spread over active days.
    rates = AMBIENT_RATE[pop.persona]
    rows, days = sample_days(activity, rng.poisson(rates.sum(axis=1) * activity.sum(axis=1)), rng)
    share = np.cumsum(rates / rates.sum(axis=1, keepdims=True), axis=1)[rows]
    stream = (rng.random(len(rows))[:, None] > share).sum(axis=1)
    stream = np.minimum(stream, len(AMBIENT) - 1)
    at = _seconds(days, calendar) + _daytime(rng, len(rows))
    month = np.searchsorted(campaigns.social_month_start_days, days, side="right") - 1
    social_click_rows, social_click_at = [], []
    for code, name in enumerate(AMBIENT):
        pick = stream == code
        if name in SOCIAL_NETWORKS:
            campaign = np.array([campaign_row[c] for c in campaigns.social_ids[name]], dtype=np.int32)[month[pick]]
            events.add(rows[pick], at[pick], name, "impression", campaign)
            p_click = SOCIAL_CLICK_RATE * (0.5 + np.minimum(activity[rows[pick], days[pick]], 1.5))
            hit = rng.random(pick.sum()) < p_click
            when = at[pick][hit] + rng.integers(2, 120, hit.sum())
            events.add(rows[pick][hit], when, name, "click", campaign[hit])
            social_click_rows.append(rows[pick][hit])
            social_click_at.append(when)
        elif name == "web":
            events.add(rows[pick], at[pick], "web", "visit", -1)
        else:
            events.add(rows[pick], at[pick], "sales_call", "call", -1)
    social_rows = np.concatenate(social_click_rows)
    social_at = np.concatenate(social_click_at)
    converting.append((social_rows, social_at, CONVERSION["social_click"]))

    social = np.isin(stream, [AMBIENT.index(name) for name in SOCIAL_NETWORKS])
    accounts = simulate_accounts(pop, calendar, activity, _day_counts(rows[social], days[social], n, n_days),
                                 events, account_rng)

    # Webinars: register before, attend on the day; academic content draws the most.
    webinars = zip(campaigns.webinar_days, campaigns.webinar_content, campaigns.webinar_ids, strict=True)
    for day, content, campaign_id in webinars:
        eligible = pop.signup_day < day - 1
        p = np.clip(0.05 * activity[:, day] * WEBINAR_REGISTER[content] * np.where(pop.persona == LOYAL, 1.3, 1.0)
                    * pop.responsiveness, 0, 0.6)
        registered = np.nonzero(eligible & (rng.random(n) < p))[0]
        register_day = np.maximum(pop.signup_day[registered] + 1, day - rng.integers(1, 15, len(registered)))
        index = campaign_row[campaign_id]
        events.add(registered, _seconds(register_day, calendar) + _daytime(rng, len(registered)), "webinar",
                   "register", index)
        attended = registered[rng.random(len(registered)) < WEBINAR_ATTEND[content]]
        attend_at = _seconds(np.full(len(attended), day), calendar) + 16 * 3600 + rng.integers(0, 600, len(attended))
        events.add(attended, attend_at, "webinar", "attend", index)
        converting.append((attended, attend_at, CONVERSION["webinar_attend"]))

    # Live events: customers who clicked on social in the previous 60 days are far likelier to come.
    clicks_by_day = np.zeros((n, n_days + 1), dtype=np.int32)
    np.add.at(clicks_by_day, (social_rows, (social_at - calendar.start_epoch) // SECONDS_PER_DAY + 1), 1)
    clicks_by_day = np.cumsum(clicks_by_day, axis=1)
    for day, campaign_id in zip(campaigns.live_days, campaigns.live_ids, strict=True):
        recent_social = (clicks_by_day[:, day] - clicks_by_day[:, max(day - 60, 0)]) > 0
        eligible = pop.signup_day < day - 1
        p = np.clip((0.01 + 0.03 * activity[:, day] + 0.16 * recent_social) * pop.responsiveness, 0, 0.9)
        registered = np.nonzero(eligible & (rng.random(n) < p))[0]
        register_day = np.maximum(pop.signup_day[registered] + 1, day - rng.integers(1, 22, len(registered)))
        index = campaign_row[campaign_id]
        events.add(registered, _seconds(register_day, calendar) + _daytime(rng, len(registered)), "live_event",
                   "register", index)
        attended = registered[rng.random(len(registered)) < 0.7]
        attend_at = _seconds(np.full(len(attended), day), calendar) + 10 * 3600 + rng.integers(0, 3600, len(attended))
        events.add(attended, attend_at, "live_event", "attend", index)
        converting.append((attended, attend_at, CONVERSION["live_attend"]))

    event_customer, event_at, event_channel, event_type, event_campaign = events.arrays()
    keep = event_at <= calendar.end_epoch
    order = np.lexsort((event_type[keep], event_customer[keep], event_at[keep]))
    event_customer, event_at, event_channel, event_type, event_campaign = (
        a[keep][order] for a in (event_customer, event_at, event_channel, event_type, event_campaign))

    # Orders: a replenishment cycle that runs on the customer's activity, plus conversions after engagement.
    base_rows, base_days = replenishment_days(activity, ORDER_RATE[pop.persona], rng)
    order_parts = [(base_rows, _seconds(base_days, calendar) + _daytime(rng, len(base_rows)))]
    for rows, at, probability in converting:
        hit = rng.random(len(rows)) < probability
        order_parts.append((rows[hit], at[hit] + rng.integers(3600, 14 * SECONDS_PER_DAY, hit.sum())))
    order_customer = np.concatenate([p[0] for p in order_parts]).astype(np.int64)
    order_at = np.concatenate([p[1] for p in order_parts]).astype(np.int64)
    keep = order_at <= calendar.end_epoch
    order = np.lexsort((order_customer[keep], order_at[keep]))
    order_customer, order_at = order_customer[keep][order], order_at[keep][order]

    persona = pop.persona[order_customer]
    gross = np.round(rng.lognormal(ORDER_LOG_MEAN[persona] + SPEND_LOG_SD * pop.spend[order_customer],
                                   ORDER_LOG_SD), 2)
    discounted = rng.random(len(persona)) < np.where(persona == DISCOUNT, 0.8, 0.1)
    discount_share = np.where(persona == DISCOUNT, rng.uniform(0.10, 0.35, len(persona)),
                              rng.uniform(0.05, 0.12, len(persona)))
    discount = np.round(np.where(discounted, gross * discount_share, 0.0), 2)
    refunded = rng.random(len(persona)) < 0.035
    refund_share = np.where(rng.random(len(persona)) < 0.5, 1.0, rng.uniform(0.2, 0.6, len(persona)))
    refund = np.round(np.where(refunded, (gross - discount) * refund_share, 0.0), 2)
    quantity = 1 + rng.poisson(np.where(persona == LOYAL, 2.5, 1.2))

    # Plan changes: the plan at signup, then every move, in time order.
    signup_at = _seconds(pop.signup_day, calendar) + pop.signup_second
    plan_customer = np.concatenate([np.arange(n), accounts.plan_customer])
    plan_at = np.concatenate([signup_at, _seconds(accounts.plan_day, calendar)
                              + account_rng.integers(8 * 3600, 19 * 3600, len(accounts.plan_day))])
    plan_code = np.concatenate([pop.initial_plan, accounts.plan_code]).astype(np.int8)
    order = np.lexsort((plan_customer, plan_at))
    plan_customer, plan_at, plan_code = plan_customer[order], plan_at[order], plan_code[order]

    return ChunkActivity(
        event_customer=event_customer, event_at=event_at, event_channel=event_channel, event_type=event_type,
        event_campaign=event_campaign, order_customer=order_customer, order_at=order_at, gross_amount=gross,
        discount_amount=discount, refund_amount=refund, quantity=quantity,
        plan_customer=plan_customer, plan_at=plan_at, plan_code=plan_code, current_plan=accounts.current_plan,
        upgrades=accounts.upgrades, downgrades=accounts.downgrades,
    )

