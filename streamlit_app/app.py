"""Engagement Radar: the page business users open. Run with `make app` (binds to 127.0.0.1)."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

APP_DIR = Path(__file__).resolve().parent
for path in (APP_DIR, APP_DIR.parent):  # the app's modules and the engagement_radar package
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from charts import set_currency  # noqa: E402

import data  # noqa: E402

# a local icon: the app must work offline (a :material/...: page icon is fetched from the internet)
st.set_page_config(page_title="Engagement Radar", page_icon=str(APP_DIR / "favicon.png"), layout="wide")

PAGES = [
    st.Page(str(APP_DIR / "views" / "overview.py"), title="Overview", icon=":material/dashboard:", default=True),
    st.Page(str(APP_DIR / "views" / "radar.py"), title="Engagement radar", icon=":material/radar:", url_path="radar"),
    st.Page(str(APP_DIR / "views" / "cohorts.py"), title="Cohorts", icon=":material/grid_on:", url_path="cohorts"),
    st.Page(str(APP_DIR / "views" / "segments.py"), title="Segments", icon=":material/bubble_chart:",
            url_path="segments"),
    st.Page(str(APP_DIR / "views" / "targeting.py"), title="Targeting", icon=":material/target:",
            url_path="targeting"),
    st.Page(str(APP_DIR / "views" / "customer.py"), title="Customer", icon=":material/person:", url_path="customer"),
]

page = st.navigation(PAGES)

try:
    as_of = data.query("as_of")
except data.WarehouseMissing as missing:
    st.title("Engagement Radar")
    st.error(f"No warehouse at `{missing}` yet.")
    st.markdown(
        "Build it from the project folder, then reload this page:\n\n"
        "```bash\nmake build\n```\n\n"
        "`make build` creates the environment, generates demo data if `data/raw` is empty, runs `dbt build` and "
        "publishes the warehouse. To read another file, set `ENGAGEMENT_RADAR_PUBLISHED_DB`."
    )
    st.stop()

set_currency(as_of["currency"].iloc[0] if "currency" in as_of else "$")
with st.sidebar:
    st.caption(f"Data as of **{as_of['as_of_date'].iloc[0]:%d %b %Y}**")
    st.caption(f"Warehouse: `{data.warehouse_path().name}`")

page.run()
