"""Take the user guide's screenshots from a running `make run` (http://127.0.0.1:8000).

uv run python scripts/screenshots.py
"""

import re
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "images"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def sign_in(page, username):
    page.goto(f"{BASE}/sign-in/")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill("oneroof-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def main():
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        desk = browser.new_context(viewport={"width": 1280, "height": 900})
        desk.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
        page = desk.new_page()
        sign_in(page, "nurse")
        page.goto(f"{BASE}/people/find/?nhs_number=9434765919")
        page.screenshot(path=OUT / "find.png")
        page.get_by_role("link", name="Mrs Meera Patel").click()
        page.wait_for_load_state()
        page.screenshot(path=OUT / "record.png")
        page.screenshot(path=OUT / "record-full.png", full_page=True)
        page.goto(f"{BASE}/sign-in/")

        coordinator = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(coordinator, "coordinator")
        coordinator.goto(f"{BASE}/people/caseload/")
        coordinator.screenshot(path=OUT / "caseload.png")

        physio = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(physio, "physio")
        physio.goto(page.url)
        physio.screenshot(path=OUT / "no-relationship.png")

        phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        sign_in(phone, "patel")
        phone.screenshot(path=OUT / "resident-summary.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
