"""Customers: who they are, when they signed up, and the latent traits that drive their behaviour.

Besides the persona, each account has a number of seats (users who may be active in the
product, more in bigger companies), a spend level (how large its orders are) and a
responsiveness to campaigns that goes with it (log-normal, higher for high-value loyal
customers and for those who spend more per order).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .world import Calendar

PERSONAS = ("high_value_loyal", "discount_driven", "new_low_engagement", "dormant")
LOYAL, DISCOUNT, NEW_LOW, DORMANT = range(4)

TERRITORIES = ("North", "South", "East", "West", "Central")
COUNTRIES = {  # country -> regions
    "US": ("Northeast", "Midwest", "South", "West"),
    "GB": ("England", "Scotland", "Wales"),
    "DE": ("Bavaria", "Berlin", "Hesse", "North Rhine-Westphalia"),
    "FR": ("Ile-de-France", "Occitanie", "Auvergne-Rhone-Alpes"),
    "ES": ("Madrid", "Catalonia", "Andalusia"),
}
INDUSTRIES = ("Hospital", "Private Practice", "Clinic Group", "Pharmacy", "Research Institute", "Biotech")
COMPANY_SIZES = ("1-10", "11-50", "51-200", "201-1000", "1000+")
SPECIALTIES = ("Cardiology", "Oncology", "Neurology", "Endocrinology", "General Practice", "Pediatrics",
               "Dermatology")
ACQUISITION_CHANNELS = ("organic", "paid_search", "referral", "social", "event", "sales")
PLANS = ("P1", "P2", "P3")  # tiers, lowest first
# Typical seats (users who may be active in the product) by company size.
TYPICAL_SEATS = np.array([1, 2, 3, 5, 8])
# Share of high-value loyal customers who start on the top plan.
LOYAL_TOP_PLAN_SHARE = 0.03

# Spend level: a standard normal per customer that shifts the log of their order values by SPEND_LOG_SD.
SPEND_LOG_SD = 0.25
# Responsiveness to campaigns: log-normal, log = persona level + RESPONSIVENESS_SPEND * spend level + noise.
RESPONSIVENESS_LOG_MEAN = np.array([0.12, -0.12, -0.15, -0.15])  # by persona
RESPONSIVENESS_SPEND = 0.35
RESPONSIVENESS_NOISE_SD = 0.3

# Signups grow through the window: density proportional to exp(GROWTH * t), t in [0, 1].
GROWTH = 1.3
# Share of customers whose engagement falls sharply, or rises from a low base, in the last quarter.
DECLINER_SHARE = 0.05
RISER_SHARE = 0.08
LAST_QUARTER_DAYS = 91


@dataclass
class Population:
    index: np.ndarray           # global customer number, 1-based
    signup_day: np.ndarray      # day of signup (calendar day index)
    signup_second: np.ndarray   # seconds into the signup day
    persona: np.ndarray         # persona code
    vigour: np.ndarray          # individual activity multiplier
    is_decliner: np.ndarray
    is_riser: np.ndarray
    territory: np.ndarray
    country: np.ndarray
    region: np.ndarray
    industry: np.ndarray
    company_size: np.ndarray
    specialty: np.ndarray
    initial_plan: np.ndarray    # plan code at signup (index into PLANS)
    acquisition_channel: np.ndarray
    size_code: np.ndarray       # index into COMPANY_SIZES
    seats: np.ndarray           # users who may be active in the product
    spend: np.ndarray           # spend level (standard normal): larger orders when higher
    responsiveness: np.ndarray  # multiplies the chance of responding to a campaign

    def __len__(self) -> int:
        return len(self.index)

    @property
    def customer_id(self) -> np.ndarray:
        return np.char.add("C", np.char.zfill(self.index.astype(str), 7))


def _pick(rng: np.random.Generator, options, size, p=None) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=p)]


def draw_population(first_index: int, size: int, calendar: Calendar, rng: np.random.Generator,
                    traits: np.random.Generator) -> Population:
    """Draws customers; the account traits (seats, spend, responsiveness) come from their own stream."""
    n_days = calendar.n_days
    # Signup time by inverse transform of the growth density.
    u = rng.random(size)
    t = np.log1p(u * np.expm1(GROWTH)) / GROWTH
    signup_day = np.minimum((t * n_days).astype(np.int64), n_days - 1)
    fraction = signup_day / n_days

    # Personas. Dormant customers went quiet long ago, so they signed up in the first half.
    p_loyal = np.full(size, 0.20)
    p_discount = np.full(size, 0.25)
    p_dormant = np.where(fraction < 0.5, 0.30, 0.0)
    draw = rng.random(size)
    persona = np.full(size, NEW_LOW, dtype=np.int8)
    persona[draw < p_loyal + p_discount + p_dormant] = DORMANT
    persona[draw < p_loyal + p_discount] = DISCOUNT
    persona[draw < p_loyal] = LOYAL

    # Planted trends, only among customers with two quarters of history before the last quarter.
    seasoned = signup_day < n_days - 3 * LAST_QUARTER_DAYS
    trend_draw = rng.random(size)
    is_decliner = seasoned & np.isin(persona, (LOYAL, DISCOUNT)) & (trend_draw < DECLINER_SHARE / 0.45)
    is_riser = seasoned & (persona == NEW_LOW) & (trend_draw < RISER_SHARE / 0.55)

    country = _pick(rng, tuple(COUNTRIES), size, p=[0.4, 0.15, 0.2, 0.15, 0.1])
    region_draw = rng.random(size)
    region = np.array([COUNTRIES[c][int(r * len(COUNTRIES[c]))] for c, r in zip(country, region_draw, strict=True)],
                      dtype=object)
    loyal = persona == LOYAL
    plan_draw = rng.random(size)
    initial_plan = np.where(plan_draw < np.where(loyal, 0.65, 0.3), 1, 0).astype(np.int8)
    initial_plan[loyal & (plan_draw >= 1 - LOYAL_TOP_PLAN_SHARE)] = 2
    size_weights = np.array([0.3, 0.3, 0.2, 0.12, 0.08])
    size_code = rng.choice(len(COMPANY_SIZES), size=size, p=size_weights)

    seats = 1 + traits.poisson(TYPICAL_SEATS[size_code] - 1)
    spend = traits.standard_normal(size)
    responsiveness = np.exp(RESPONSIVENESS_LOG_MEAN[persona] + RESPONSIVENESS_SPEND * spend
                            + traits.normal(0.0, RESPONSIVENESS_NOISE_SD, size))
    return Population(
        index=np.arange(first_index, first_index + size, dtype=np.int64),
        signup_day=signup_day,
        signup_second=rng.integers(7 * 3600, 21 * 3600, size),
        persona=persona,
        vigour=rng.lognormal(0.0, 0.3, size).astype(np.float32),
        is_decliner=is_decliner,
        is_riser=is_riser,
        territory=_pick(rng, TERRITORIES, size, p=[0.24, 0.22, 0.2, 0.2, 0.14]),
        country=country,
        region=region,
        industry=_pick(rng, INDUSTRIES, size, p=[0.25, 0.25, 0.15, 0.15, 0.1, 0.1]),
        company_size=np.asarray(COMPANY_SIZES, dtype=object)[size_code],
        specialty=_pick(rng, SPECIALTIES, size, p=[0.18, 0.16, 0.12, 0.12, 0.22, 0.12, 0.08]),
        initial_plan=initial_plan,
        acquisition_channel=_pick(rng, ACQUISITION_CHANNELS, size, p=[0.3, 0.2, 0.15, 0.15, 0.1, 0.1]),
        size_code=size_code.astype(np.int8),
        seats=seats.astype(np.int32),
        spend=spend.astype(np.float32),
        responsiveness=responsiveness.astype(np.float32),
    )
