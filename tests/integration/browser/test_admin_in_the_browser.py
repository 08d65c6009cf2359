"""An administrator adds a user, sees every problem of the form at once, changes the
user's details and disables and enables them; the pages pass the accessibility checks."""

from __future__ import annotations

import pytest
from browser_helpers import assert_accessible, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_admin_adds_changes_disables_and_enables_a_user(browser, live_server):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server, "admin@example.com")
    expect(page.locator("h1")).to_have_text("Users")  # an administrator's home page
    assert_accessible(page)

    page.fill("#email", "finance@example.com")  # taken
    page.fill("#display_name", "Bea Browser")
    page.fill("#password", "a long enough password")
    page.fill("#password_again", "another long password")
    page.get_by_role("button", name="Add user").click()
    expect(page.locator("#email-error")).to_have_text(
        "A user with this e-mail address exists already.")
    expect(page.locator("#password_again-error")).to_have_text("The two passwords differ.")
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)  # with the errors at their fields

    page.fill("#email", "bea@example.com")
    page.fill("#password", "a long enough password")
    page.fill("#password_again", "a long enough password")
    page.get_by_role("button", name="Add user").click()
    expect(page.locator(".flash")).to_have_text("User bea@example.com added.")

    page.get_by_role("link", name="bea@example.com").click()
    expect(page.locator("h1")).to_have_text("User bea@example.com")
    assert_accessible(page)
    page.fill("#display_name", "Bea Berg")
    page.fill("#phone", "+49 30 1234567")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".flash")).to_have_text("User bea@example.com changed.")
    expect(page.locator("#phone")).to_have_value("+49 30 1234567")

    page.get_by_role("link", name="All users").click()
    row = page.locator('tr[data-email="bea@example.com"]')
    row.get_by_role("button", name="Disable bea@example.com").click()
    expect(row).to_contain_text("no, disabled")
    row.get_by_role("button", name="Enable bea@example.com").click()
    expect(page.locator(".flash")).to_have_text("User bea@example.com enabled.")
    expect(row).to_contain_text("Bea Berg")
    context.close()
