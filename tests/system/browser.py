"""A browser for the system tests that checks every page it lands on with axe-core.

Tests move through the site only with `visit`, `follow` and `press`, and each of them waits for
the new page to load and then runs axe. A ledger of page loads makes the check impossible to
forget: a page that loaded without an axe run (say, after a bare `page.click`) fails the test
when the browser is closed.
"""

from functools import cache

from django.conf import settings
from playwright.sync_api import Page, Response

from tests.factories import PASSWORD

# The WCAG 2.2 AA success criteria, as axe-core tags them.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

AXE_RUN = """
tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then(results => results.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  })))
"""


# axe-core 4.x no longer has its duplicate-id rules (WCAG 2.2 dropped 4.1.1 Parsing), but a
# repeated id still breaks what points at it: a label's `for` then labels neither box.
DUPLICATE_IDS = """
() => {
  const seen = new Map();
  for (const element of document.querySelectorAll("[id]")) {
    seen.set(element.id, (seen.get(element.id) || 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([id, count]) => `#${id} (${count} times)`);
}
"""
PAGE_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


class DuplicateIds(AssertionError):
    """Two elements share an id, so labels and links to it point at the wrong one."""


@cache
def axe_source() -> str:
    """axe-core from the project's own node_modules (package.json devDependencies)."""
    return (settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js").read_text()


def describe_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  * {node['target']}")
            lines.extend(f"      {line}" for line in (node["summary"] or "").splitlines())
    return "\n".join(lines)


class Browser:
    """One signed-in (or not) person's browser tab, pointed at the live server."""

    def __init__(self, page: Page, base_url: str, *, check_reflow: bool = False):
        self.page = page
        self.base_url = base_url
        self.check_reflow = check_reflow  # on a phone: nothing may scroll sideways
        self.loads = 0  # main-frame page loads so far
        self.checked: set[int] = set()  # the loads that axe has checked
        self.problems: list[str] = []  # scripts that threw, assets that did not arrive
        page.on("load", self._on_load)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)
        page.on("console", self._on_console)

    def _on_load(self, _page) -> None:
        self.loads += 1

    def _on_request_failed(self, request) -> None:
        # Requests to other sites are stopped on purpose (see conftest.open_browser).
        if request.url.startswith(self.base_url):
            self.problems.append(f"request failed: {request.url}")

    def _on_console(self, message) -> None:
        # What the Content-Security-Policy blocks is reported only on the console.
        if "Content Security Policy" in message.text:
            self.problems.append(f"blocked by CSP: {message.text}")

    def _on_response(self, response: Response) -> None:
        # A 403 or 400 page is a page; a 404 stylesheet or script is a broken page.
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.url}")

    # Moving around: each waits for the next page and checks it.

    def visit(self, path: str) -> Response | None:
        response = self.page.goto(self.base_url + path)
        self.check_accessibility()
        return response

    def follow(self, link_name: str, *, within=None) -> None:
        """Click the link with this accessible name (exactly) and check the page it opens."""
        scope = within if within is not None else self.page
        self._navigate_by(scope.get_by_role("link", name=link_name, exact=True))

    def press(self, button_name: str, *, within=None) -> None:
        """Press a button that sends a form or opens a page, and check the page that comes back."""
        scope = within if within is not None else self.page
        self._navigate_by(scope.get_by_role("button", name=button_name, exact=True))

    def _navigate_by(self, locator) -> None:
        # Wait for the *next* load, set up before the click, so the old page cannot be mistaken
        # for the new one.
        with self.page.expect_event("load"):
            locator.click()
        self.check_accessibility()

    # Filling in forms.

    def fill(self, label: str, value: str, *, within=None) -> None:
        scope = within if within is not None else self.page
        scope.get_by_label(label, exact=True).fill(value)

    def fill_date(self, legend: str, day: int, month: int, year: int) -> None:
        """The design system's date input: Day, Month and Year boxes in a fieldset."""
        group = self.page.get_by_role("group", name=legend)
        for label, value in (("Day", day), ("Month", month), ("Year", year)):
            group.get_by_label(label, exact=True).fill(str(value))

    def choose(self, label: str, option: str) -> None:
        self.page.get_by_label(label, exact=True).select_option(label=option)

    def tick(self, label: str) -> None:
        self.page.get_by_role("checkbox", name=label, exact=True).check()

    # Steps every story shares.

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        self.visit("/sign-in/")
        self.fill("Username", username)
        self.fill("Password", password)
        self.press("Sign in")

    def sign_out(self) -> None:
        self.press("Sign out")

    # Reading the page.

    def section(self, heading: str):
        """The <section> labelled by this heading (the record page's parts)."""
        return self.page.get_by_role("region", name=heading, exact=True)

    def table(self, caption: str):
        return self.page.get_by_role("table", name=caption, exact=True)

    def summary_value(self, key: str, *, within=None):
        """The value beside `key` in a summary list (a <dt> and its <dd>)."""
        scope = within if within is not None else self.page
        term = self.page.get_by_role("term").filter(has_text=key)
        return scope.locator(".nhsuk-summary-list__row", has=term).get_by_role("definition")

    def message(self):
        """The message a page shows after something was done ("Goal added")."""
        return self.page.get_by_role("status")

    # Checks.

    def check_accessibility(self) -> None:
        """Run axe-core against the WCAG 2.2 AA rules and fail on any violation.

        Also fails on what axe does not test: ids used twice, a phone page wider than the
        screen (WCAG 1.4.10 Reflow), and scripts that threw or assets that did not load (a page
        without its CSS or JavaScript is not the page users see, whatever axe says of it).
        """
        page = self.page
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe === 'object'"):
            # Evaluated through DevTools, so the page's CSP (rightly) cannot block it.
            page.evaluate(axe_source())
        violations = page.evaluate(AXE_RUN, WCAG_22_AA)
        assert not violations, describe_violations(page.url, violations)
        duplicates = page.evaluate(DUPLICATE_IDS)
        if duplicates:
            raise DuplicateIds(f"{page.url}: ids used more than once: {', '.join(duplicates)}")
        if self.check_reflow:
            overflow = page.evaluate(PAGE_OVERFLOW)
            assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"
        assert not self.problems, f"{page.url}: " + "; ".join(self.problems)
        self.checked.add(self.loads)

    def unchecked_loads(self) -> int:
        return len(set(range(1, self.loads + 1)) - self.checked)
