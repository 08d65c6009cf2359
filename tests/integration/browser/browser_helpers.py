"""Steps the browser tests share (this folder is on the import path)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

PASSWORD = "correct horse battery"  # every staff account the browser tests make

# The axe-core rules of WCAG 2.0, 2.1 and 2.2, levels A and AA
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

_axe = Axe()


def sign_in(page, server: str, email: str) -> None:
    """Sign ``email`` in on the English sign-in page of ``server``."""
    page.goto(f"{server}/sign-in?lang=en")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#signed-in-as")).to_be_visible()


def violations(page) -> list[str]:
    """What axe-core finds on the page as it is now against WCAG 2.x A and AA: one line per
    rule and element (rule, impact, target)."""
    found = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_A_AA},
                                    "resultTypes": ["violations"]}).response["violations"]
    return [f"{rule['id']} ({rule['impact']}): {', '.join(map(str, node['target']))}"
            f" - {rule['help']}"
            for rule in found for node in rule["nodes"]]


def assert_accessible(page) -> None:
    """The page as it is now has no violation of WCAG 2.x level A or AA that axe-core finds.
    axe-core is a script: the page's context needs JavaScript (without it, the check
    would wait for ever)."""
    found = violations(page)
    assert not found, f"{page.url}:\n" + "\n".join(found)
