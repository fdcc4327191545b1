"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.system.browser import Browser
from tests.system.story import Story, meera_patel_and_her_team

# Playwright's sync API runs an asyncio loop in the main thread, so Django's async-safety check
# would refuse every ORM call the tests make. The tests call the ORM from that one thread only.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).parent

CHROMIUM = "/usr/bin/chromium"  # Debian's; the tests never download a browser
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No network here: without these Chromium's own background connections are refused.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.system)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's outcome on the test, so teardown knows whether the test already failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def abort(route):
    route.abort()


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_browser(request, chromium, live_server, transactional_db):
    """Open a fresh browser (its own cookies) on the live server: `open_browser(viewport=...)`.

    The site's Content-Security-Policy stays on, as for real users: axe-core is evaluated
    through the DevTools protocol, which the policy does not govern, and anything the policy
    blocks fails the test. On teardown every page that loaded must have been checked by axe.
    """
    opened = []

    def make(*, viewport=DESKTOP, check_reflow=False, **options) -> Browser:
        context = chromium.new_context(base_url=live_server.url, viewport=viewport, **options)
        context.set_default_timeout(10_000)
        # The tests reach only the live server. (The NHS.UK frontend's CSS asks for its fonts
        # from assets.nhs.uk, which has no route from here: the page falls back to Arial.)
        ours = re.escape(live_server.url + "/")
        context.route(re.compile(rf"^(?!{ours})https?://"), abort)
        browser = Browser(context.new_page(), live_server.url, check_reflow=check_reflow)
        opened.append((context, browser))
        return browser

    yield make
    unchecked = 0
    for context, browser in opened:
        browser.page.evaluate("0")  # deliver any page events still in flight
        unchecked += browser.unchecked_loads()
        context.close()
    call = getattr(request.node, "report_call", None)
    if call is not None and call.passed:  # a failed test already stopped part-way
        assert unchecked == 0, f"{unchecked} page(s) loaded without an accessibility check"


@pytest.fixture
def browser(open_browser) -> Browser:
    return open_browser()


@pytest.fixture
def phone(open_browser) -> Browser:
    """A phone-sized browser, on which every page must also fit the screen's width."""
    return open_browser(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3, check_reflow=True
    )


@pytest.fixture
def story(transactional_db) -> Story:
    return meera_patel_and_her_team()
