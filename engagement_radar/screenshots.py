"""Screenshots of every page of the app, for the README: starts the app on the published warehouse, opens each page
in Chromium at 1440 x 900 and saves it, full height, under docs/screenshots/.

    python -m engagement_radar.screenshots [--out docs/screenshots] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
PAGES = [("", "overview", "Overview"), ("radar", "engagement_radar", "Engagement radar"),
         ("cohorts", "cohorts", "Cohorts"), ("segments", "segments", "Segments"),
         ("targeting", "targeting", "Targeting"), ("customer", "customer", "Customer")]
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_app(port: int) -> subprocess.Popen:
    app = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(PROJECT_DIR / "streamlit_app" / "app.py"),
         "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false"], cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return app
        except OSError:
            time.sleep(0.5)
    app.kill()
    raise SystemExit("the app did not start: run `make build` first")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "docs" / "screenshots")
    parser.add_argument("--chromium", default=os.environ.get("ENGAGEMENT_RADAR_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    app = _start_app(port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=FLAGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            for path, name, title in PAGES:
                page.goto(f"http://127.0.0.1:{port}/{path}")
                page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=90_000)
                page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                       timeout=90_000)
                page.wait_for_timeout(2500)
                height = page.evaluate(
                    "() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight")
                page.set_viewport_size({"width": 1440, "height": min(int(height) + 80, 12_000)})
                page.wait_for_timeout(1500)
                page.screenshot(path=str(args.out / f"{name}.png"), full_page=True)
                page.set_viewport_size({"width": 1440, "height": 900})
                print(f"{args.out / f'{name}.png'}")
            browser.close()
    finally:
        app.terminate()
        app.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
