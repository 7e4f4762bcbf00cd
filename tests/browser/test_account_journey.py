"""A citizen's first visit on a phone: register, log out, log in, switch to English, log out.

Runs in headless Chromium against a real server (see ``conftest.py``), once
with JavaScript and once without (every step is a plain link or form).
Elements are found by landmark and by link target or field name, never by
their wording, so the same steps work in Indonesian and in English; the
wording is checked where the language is the point. Screenshots of the key
steps are kept in ``test-artifacts/browser/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from journey import Journey

pytestmark = pytest.mark.browser

NAME = "Siti Rahayu"
EMAIL = "siti.rahayu@contoh.id"
PASSWORD = "teh-manis-hangat-2026"


class AccountJourney(Journey):
    """The account steps: the header's links and log-out button."""

    def header_link(self, path: str) -> Any:
        """The header link to exactly ``path`` (language links carry it in ``next``)."""
        return self.header.locator(f'a[href="{path}"]')

    def logout_button(self) -> Any:
        """The log-out button of the header's form."""
        return self.header.locator('form[action$="/keluar"] button[type="submit"]')

    def expect_logged_out(self) -> None:
        """The header offers logging in and registering, and no log-out."""
        self.expect(self.header_link("/malang/masuk")).to_be_visible()
        self.expect(self.header_link("/malang/daftar")).to_be_visible()
        self.expect(self.logout_button()).to_have_count(0)

    def expect_logged_in(self) -> None:
        """The header names the visitor and offers logging out."""
        self.expect(self.header_link("/malang/akun/")).to_contain_text(NAME)
        self.expect(self.logout_button()).to_be_visible()
        self.expect(self.header_link("/malang/masuk")).to_have_count(0)


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_register_login_switch_language_logout(
    phone_page: Any, live_server: str, artifacts_dir: Path, request: pytest.FixtureRequest
) -> None:
    journey = AccountJourney(phone_page, live_server, artifacts_dir, request.node.callspec.id)
    page, expect = journey.page, journey.expect

    # A first visit: Indonesian by default, the city's name in the header.
    page.goto(f"{live_server}/malang/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(journey.header).to_contain_text("Kota Malang")
    expect(page.get_by_role("main")).to_be_visible()
    journey.expect_logged_out()
    journey.shot("home-id")

    # Register through the header link.
    journey.header_link("/malang/daftar").click()
    journey.url_is("/malang/daftar")
    form = page.locator('main form[action$="/malang/daftar"]')
    form.locator('input[name="name"]').fill(NAME)
    form.locator('input[name="email"]').fill(EMAIL)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator('input[name="password_confirm"]').fill(PASSWORD)
    journey.shot("register-filled")
    form.locator('button[type="submit"]').click()

    # The new account is asked for the e-mailed code (test_account_recovery_journey.py
    # walks the verification); the account page already greets the citizen by name.
    journey.url_is("/malang/akun/verifikasi")
    page.goto(f"{live_server}/malang/akun/")
    expect(page.get_by_role("main")).to_contain_text(NAME)
    journey.expect_logged_in()
    journey.shot("account-after-register")

    # Log out: the session ends and the account page asks for a login again.
    journey.logout_button().click()
    journey.url_is("/malang/")
    journey.expect_logged_out()
    page.goto(f"{live_server}/malang/akun/")
    journey.url_is("/malang/masuk")

    # Log in again with the same credentials.
    page.goto(f"{live_server}/malang/")
    journey.header_link("/malang/masuk").click()
    journey.url_is("/malang/masuk")
    login_form = page.locator('main form[action$="/malang/masuk"]')
    login_form.locator('input[name="login"]').fill(EMAIL)
    login_form.locator('input[name="password"]').fill(PASSWORD)
    login_form.locator('button[type="submit"]').click()
    journey.expect_logged_in()
    journey.shot("logged-in-id")
    indonesian_logout = journey.logout_button().inner_text().strip()
    assert indonesian_logout, "the log-out button has no text"
    assert indonesian_logout != "Log out", "the header is not translated into Indonesian"

    # Switch to English with the header's language switch: same page, English words.
    page.goto(f"{live_server}/malang/akun/")
    journey.header.locator('a[hreflang="en"]').click()
    journey.url_is("/malang/akun/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(journey.logout_button()).to_have_text("Log out")
    expect(journey.header.locator('a[hreflang="en"]')).to_have_attribute("aria-current", "true")
    journey.expect_logged_in()
    journey.shot("account-en")

    # Log out in English: the header offers "Log in" again and the language stays.
    journey.logout_button().click()
    journey.url_is("/malang/")
    journey.expect_logged_out()
    expect(journey.header_link("/malang/masuk")).to_have_text("Log in")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    final = journey.shot("logged-out-en")
    assert final.stat().st_size > 0

    assert page.balai_errors == [], "the browser reported errors:\n" + "\n".join(page.balai_errors)
