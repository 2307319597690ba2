"""The calendar and the campaigns every customer shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

SECONDS_PER_DAY = 86_400

CHANNELS = (
    "email", "webinar", "live_event", "linkedin", "twitter", "facebook", "instagram", "web", "sales_call",
    "product", "support",
)
EVENT_TYPES = ("delivered", "open", "click", "register", "attend", "impression", "visit", "call",
               "active_user", "technical_session", "support_case")
SOCIAL_NETWORKS = ("linkedin", "twitter", "facebook", "instagram")
NETWORK_CODES = {"linkedin": "LI", "twitter": "TW", "facebook": "FB", "instagram": "IG"}


def months_before(day: dt.date, months: int) -> dt.date:
    """The first day of the month that lies `months` months before the month after `day`."""
    month_index = day.year * 12 + day.month - months  # month after `day`, minus `months`, zero-based
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


@dataclass(frozen=True)
class Calendar:
    """Days are counted from `start` (day 0) to `end` (day n_days - 1), both inclusive."""

    start: dt.date
    end: dt.date

    @classmethod
    def ending(cls, end: dt.date, months: int) -> Calendar:
        if months < 1:
            raise ValueError("months must be at least 1")
        return cls(months_before(end, months), end)

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def start_epoch(self) -> int:
        return int(dt.datetime(self.start.year, self.start.month, self.start.day, tzinfo=dt.UTC).timestamp())

    @property
    def end_epoch(self) -> int:
        """The last second of the last day."""
        return self.start_epoch + self.n_days * SECONDS_PER_DAY - 1

    def day_of(self, date: dt.date) -> int:
        return (date - self.start).days

    def date_of(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=int(day))

    def seasonality(self) -> np.ndarray:
        """Quarterly rhythm: activity peaks as a quarter opens and dips before it closes."""
        days = np.arange(self.n_days)
        dates = [self.date_of(d) for d in days]
        day_in_quarter = np.array(
            [(d - dt.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)).days for d in dates], dtype=np.float64
        )
        return (1.0 + 0.25 * np.cos(2 * np.pi * day_in_quarter / 91.3)).astype(np.float32)


@dataclass(frozen=True)
class Campaigns:
    """Every campaign, plus per-channel arrays that the behaviour model indexes."""

    table: pa.Table
    email_days: np.ndarray          # day of each weekly email
    email_content: np.ndarray       # content type of each email (str)
    email_ids: np.ndarray
    webinar_days: np.ndarray
    webinar_content: np.ndarray
    webinar_ids: np.ndarray
    live_days: np.ndarray
    live_ids: np.ndarray
    social_ids: dict                # network -> array of campaign ids by month index
    social_month_start_days: np.ndarray


WEBINAR_CONTENT = ("academic", "promotional", "greeting")
EMAIL_CONTENT = ("newsletter", "promotional", "academic")


def build_campaigns(calendar: Calendar, rng: np.random.Generator) -> Campaigns:
    rows: list[dict] = []

    def add(campaign_id, name, channel, content, start_day, end_day, cost):
        rows.append({
            "campaign_id": campaign_id,
            "campaign_name": name,
            "channel": channel,
            "content_type": content,
            "started_at": calendar.start_epoch + int(start_day) * SECONDS_PER_DAY + 9 * 3600,
            "ended_at": calendar.start_epoch + int(end_day) * SECONDS_PER_DAY + 18 * 3600,
            "cost": float(cost),
        })

    # Weekly emails, sent on Tuesdays.
    first_tuesday = (1 - calendar.start.weekday()) % 7
    email_days = np.arange(first_tuesday, calendar.n_days, 7)
    email_content = rng.choice(EMAIL_CONTENT, size=len(email_days), p=[0.5, 0.3, 0.2])
    email_ids = []
    for day, content in zip(email_days, email_content, strict=True):
        date = calendar.date_of(day)
        year, week, _ = date.isocalendar()
        campaign_id = f"EM-{year}-W{week:02d}"
        email_ids.append(campaign_id)
        add(campaign_id, f"Weekly {content} email {year}-W{week:02d}", "email", content, day,
            min(day + 6, calendar.n_days - 1), round(rng.uniform(300, 800), 2))

    # Two webinars a month; one live event a month; one campaign per social network per month.
    webinar_days, webinar_content, webinar_ids = [], [], []
    live_days, live_ids = [], []
    social_ids = {network: [] for network in SOCIAL_NETWORKS}
    month_start_days = []
    month = dt.date(calendar.start.year, calendar.start.month, 1)
    while month <= calendar.end:
        next_month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        first, last = calendar.day_of(month), calendar.day_of(next_month) - 1
        month_start_days.append(first)
        tag = f"{month.year}-{month.month:02d}"
        for slot, offset in (("a", 9), ("b", 23)):
            day = first + offset
            if day <= min(last, calendar.n_days - 1):
                content = rng.choice(WEBINAR_CONTENT, p=[0.45, 0.35, 0.20])
                campaign_id = f"WB-{tag}-{slot}"
                webinar_days.append(day)
                webinar_content.append(content)
                webinar_ids.append(campaign_id)
                add(campaign_id, f"{content.title()} webinar {tag}{slot}", "webinar", content, day - 14, day,
                    round(rng.uniform(2_000, 5_000), 2))
        day = first + 17
        if day <= min(last, calendar.n_days - 1):
            campaign_id = f"LE-{tag}"
            live_days.append(day)
            live_ids.append(campaign_id)
            add(campaign_id, f"Live event {tag}", "live_event", "academic", day - 21, day,
                round(rng.uniform(15_000, 30_000), 2))
        for network in SOCIAL_NETWORKS:
            campaign_id = f"SO-{NETWORK_CODES[network]}-{tag}"
            social_ids[network].append(campaign_id)
            add(campaign_id, f"{network.title()} {tag}", network, rng.choice(["promotional", "academic"]),
                first, min(last, calendar.n_days - 1), round(rng.uniform(1_000, 4_000), 2))
        month = next_month

    table = pa.Table.from_pylist(rows)
    return Campaigns(
        table=table,
        email_days=email_days,
        email_content=np.asarray(email_content),
        email_ids=np.asarray(email_ids),
        webinar_days=np.asarray(webinar_days),
        webinar_content=np.asarray(webinar_content),
        webinar_ids=np.asarray(webinar_ids),
        live_days=np.asarray(live_days),
        live_ids=np.asarray(live_ids),
        social_ids={k: np.asarray(v) for k, v in social_ids.items()},
        social_month_start_days=np.asarray(month_start_days),
    )
