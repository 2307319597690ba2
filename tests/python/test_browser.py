"""The running app in a real browser (Debian's Chromium driven by Playwright): every page loads, shows its content,
and is saved as a screenshot; the target list downloads as CSV. Page load times are printed and saved."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR

pytestmark = pytest.mark.dbt
CHROMIUM = os.environ.get("ENGAGEMENT_RADAR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
SLOW_SECONDS = 20  # a generous bound for any page or filter change on CI; the targets are 2.0 and 1.0 s
SCREENSHOTS = Path(os.environ.get("ENGAGEMENT_RADAR_SCREENSHOTS", PROJECT_DIR / "target" / "screenshots"))
# url path, page title, texts that must be visible
PAGES = [
    ("", "Overview", ["Customers", "Net revenue", "Revenue and customers by value segment",
                      "High-revenue customers at risk"]),
    ("radar", "Engagement radar", ["Watch List", "Engagement vs penetration", "Alerts", "Which content draws customers",
                                   "Quarter over quarter", "Omnichannel funnel", "Campaign performance"]),
    ("cohorts", "Cohorts", ["Measure", "Reactivation by cohort", "Email click-through by cohort"]),
    ("segments", "Segments", ["Choosing k", "Revenue concentration", "Segment profiles", "by segment"]),
    ("targeting", "Targeting", ["most likely first", "How good is the model?", "Gains and lift",
                                "What drives the score", "Download this list (CSV)", "Who is likely, by group"]),
    ("customer", "Customer", ["Find a customer by id", "Next best action", "Timeline"]),
]


def full_height_screenshot(page, path: Path) -> None:
    """Streamlit scrolls an inner panel: grow the viewport to the content's height, then shoot."""
    width = page.viewport_size["width"]
    height = page.evaluate("() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height) + 80, 12_000)})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 1000})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(warehouse: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "ENGAGEMENT_RADAR_PUBLISHED_DB": str(warehouse)}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(PROJECT_DIR / "streamlit_app" / "app.py"),
         "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"the app did not start: {process.stdout.read()}")


def wait_for_page(page, title: str, texts: list[str] = ()):
    """Waits until the title, every expected text and a rendered chart are on the page."""
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=90_000)
    for text in texts:
        page.get_by_text(text, exact=False).first.wait_for(timeout=90_000)
    page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first.wait_for(
        timeout=90_000)
    settled(page)


@pytest.fixture(scope="module")
def browser():
    playwright_sync = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    with playwright_sync.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def browser_page(published_warehouse, browser):
    port = free_port()
    app = start_app(published_warehouse, port)
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    yield page, f"http://127.0.0.1:{port}"
    page.close()
    app.terminate()
    app.wait(timeout=30)


def test_every_page_loads_in_a_browser(browser_page):
    """Every page shows its content with no error in the console, asks no host but the app's own for anything
    (the app works offline) and never shows a literal null or NaN."""
    page, base = browser_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    timings, outside, errors = {}, [], []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith((base, "data:", "blob:")) else None)
    # Streamlit probes <page>/_stcore/... when a page's url is opened directly: its own 404s, not the app's
    page.on("console", lambda message: errors.append(message.text) if message.type == "error"
            and "status of 404" not in message.text else None)
    for path, title, texts in PAGES:
        started = time.perf_counter()
        page.goto(f"{base}/{path}")
        wait_for_page(page, title, texts)
        timings[title] = round(time.perf_counter() - started, 2)
        assert page.locator('[data-testid="stException"]').count() == 0, title
        body = page.inner_text("body")
        for text in texts:
            assert text in body, f"{title}: '{text}' is not on the page"
        words = set(body.replace("\n", " ").split(" "))
        assert not words & {"null", "NaN", "None"}, f"{title}: {words & {'null', 'NaN', 'None'}}"
        full_height_screenshot(page, SCREENSHOTS / f"{title.lower().replace(' ', '_')}.png")
    save_timings("page_load_seconds", timings)
    assert not outside, outside
    assert not errors, errors
    # the targets (2.0 s) are reported, not asserted: a shared CI machine is noisy; this bound catches a regression
    assert max(timings.values()) < SLOW_SECONDS, timings


def save_timings(kind: str, timings: dict) -> None:
    """Adds the times to target/screenshots/timings.json (kind: page_load_seconds, page_switch_seconds ...)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / "timings.json"
    saved = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**saved, kind: timings}, indent=2) + "\n")
    print(f"{kind}:", timings)


def settled(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000,
                           polling=50)


def test_pages_switch_and_filters_apply_quickly(browser_page):
    """The times a business user waits: moving between pages from the sidebar, and a filter change taking effect
    (each from the click until the new content is on the page). Reported; asserted only against a generous bound."""
    page, base = browser_page
    page.goto(base)
    wait_for_page(page, *PAGES[0][1:])
    switches = {}
    for _, title, texts in [*PAGES[1:], PAGES[0]]:
        started = time.perf_counter()
        page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
        wait_for_page(page, title, texts)
        switches[title] = round(time.perf_counter() - started, 2)
    save_timings("page_switch_seconds", switches)

    changes = {}
    page.locator('[data-testid="stSidebarNav"] a', has_text="Engagement radar").first.click()
    wait_for_page(page, "Engagement radar", ["Alerts"])
    caption = page.get_by_text("Magnitude: the share of engagement lost", exact=False).first
    before = caption.inner_text()
    started = time.perf_counter()
    page.get_by_text("Top spender overdue", exact=True).first.click()
    page.wait_for_function("before => [...document.querySelectorAll('[data-testid=\"stCaptionContainer\"]')]"
                           ".some(e => e.innerText.includes('Magnitude: the share') && e.innerText !== before)",
                           arg=before, timeout=90_000, polling=50)
    settled(page)
    changes["Engagement radar: alert reason"] = round(time.perf_counter() - started, 2)

    page.locator('[data-testid="stSidebarNav"] a', has_text="Targeting").first.click()
    wait_for_page(page, "Targeting", ["most likely first"])
    started = time.perf_counter()
    page.locator('[data-testid="stSelectbox"]', has_text="Show the top").first.click()
    page.get_by_role("option", name="100", exact=True).click()
    page.get_by_text("The top 100 of", exact=False).first.wait_for(timeout=90_000)
    settled(page)
    changes["Targeting: top 100"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    page.get_by_role("radio", name="Company size").click()
    page.get_by_text("By company size: customers today", exact=False).first.wait_for(timeout=90_000)
    settled(page)
    changes["Targeting: breakdown by company size"] = round(time.perf_counter() - started, 2)
    save_timings("filter_change_seconds", changes)
    assert max([*switches.values(), *changes.values()]) < SLOW_SECONDS, (switches, changes)


def test_every_page_on_a_phone(browser, published_warehouse):
    """At 390 x 844 every page still renders without an error; full-height screenshots to look at."""
    port = free_port()
    app = start_app(published_warehouse, port)
    try:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for path, title, texts in PAGES:
            page.goto(f"http://127.0.0.1:{port}/{path}")
            wait_for_page(page, title, texts[:1])
            assert page.locator('[data-testid="stException"]').count() == 0, title
            full_height_screenshot(page, SCREENSHOTS / f"phone_{title.lower().replace(' ', '_')}.png")
        page.close()
    finally:
        app.terminate()
        app.wait(timeout=30)


def test_target_list_downloads_as_csv(browser_page, tmp_path):
    page, base = browser_page
    page.goto(f"{base}/targeting")
    wait_for_page(page, "Targeting", ["Download this list (CSV)"])
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download this list (CSV)").click()
    saved = tmp_path / "targets.csv"
    download.value.save_as(saved)
    lines = saved.read_text().splitlines()
    # headers a person reads, and figures rounded
    assert lines[0].startswith("Customer,Segment,Radar,Value segment")
    assert "_" not in lines[0].replace("customer_id", "")
    assert len(lines) > 100
    assert not [field for line in lines[1:] for field in line.split(",")
                if "." in field and field.replace(".", "").isdigit() and len(field.split(".")[1]) > 4]


def test_a_row_of_the_target_list_opens_the_customer(browser_page):
    """Click-through: picking a customer in the Targeting list opens the Customer page on that customer."""
    page, base = browser_page
    page.goto(f"{base}/targeting")
    wait_for_page(page, "Targeting", ["most likely first"])
    timeout_error = pytest.importorskip("playwright.sync_api").TimeoutError
    grid = page.locator('[data-testid="stDataFrame"]').first
    for attempt in range(3):
        # the grid is drawn on a canvas and the page above it may still move while it renders: measure it again
        # before each click on the first row's selection box (under the header row)
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)
        try:
            page.wait_for_url("**/customer?customer=*", timeout=20_000)
            break
        except timeout_error:
            if attempt == 2:
                raise
    wait_for_page(page, "Customer", ["Next best action", "Timeline", "The engagement score week by week"])
    picked = page.url.rsplit("customer=", 1)[1]
    assert picked.startswith("C")
    page.get_by_role("heading", name=picked, exact=False).first.wait_for(timeout=30_000)


def test_a_cohort_row_of_the_heatmap_lists_who_to_reengage(browser_page):
    """Clicking a cell of the cohort heatmap picks its cohort and lists its customers to re-engage."""
    page, base = browser_page
    page.goto(f"{base}/cohorts")
    wait_for_page(page, "Cohorts", ["Who to re-engage"])
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    box = chart.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.12, box["y"] + 12)  # month 0 of the first cohort
    page.get_by_text("cohort are at risk", exact=False).first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Download these customers (CSV)").wait_for(timeout=60_000)


def sidebar_date(page) -> str:
    text = page.get_by_text("Data as of", exact=False).first.inner_text()
    return text.split("Data as of", 1)[1].strip()


def test_the_running_app_follows_a_new_publish(analytics_build, browser, tmp_path):
    """Publish a warehouse with other contents while the app runs: a reload shows them, and the app process lets go
    of the replaced file (DuckDB's client would otherwise hand back the database already open for that path)."""
    from engagement_radar.publish import publish

    published = publish(analytics_build.database, tmp_path / "engagement_radar.duckdb")
    changed = tmp_path / "build" / "changed.duckdb"
    changed.parent.mkdir()
    shutil.copy(analytics_build.database, changed)
    with duckdb.connect(str(changed)) as con:  # another as-of date and another customer count
        con.execute("update report_context set as_of_date = date '2021-03-04'")
        con.execute("update kpi_summary set value = 987654 where metric = 'customers'")
    port = free_port()
    app = start_app(published, port)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/")
        wait_for_page(page, "Overview", ["Customers"])
        before = sidebar_date(page)
        assert before != "04 Mar 2021" and "987,654" not in page.inner_text("body")
        publish(changed, published)
        page.reload()
        wait_for_page(page, "Overview", ["Customers"])
        page.get_by_text("987,654").first.wait_for(timeout=60_000)
        assert sidebar_date(page) == "04 Mar 2021"
        page.close()
        held = [os.readlink(f"/proc/{app.pid}/fd/{fd}") for fd in os.listdir(f"/proc/{app.pid}/fd")]
        assert not [path for path in held if "engagement_radar.duckdb" in path and "(deleted)" in path], held
    finally:
        app.terminate()
        app.wait(timeout=30)
