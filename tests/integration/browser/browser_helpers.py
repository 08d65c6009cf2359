"""Steps the browser tests share (this folder is on the import path)."""

from __future__ import annotations

from playwright.sync_api import expect

PASSWORD = "correct horse battery"  # every staff account the browser tests make


def sign_in(page, server: str, email: str) -> None:
    """Sign ``email`` in on the English sign-in page of ``server``."""
    page.goto(f"{server}/sign-in?lang=en")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#signed-in-as")).to_be_visible()
