"""Accounts for real life on a 360 px phone: verify by a texted code, forget and reset the
password, sign in; an administrator suspends an officer whose open session is then refused.

Runs in headless Chromium against a real server (see ``conftest.py``), with and without
JavaScript. The codes are read where a tester reads them: the sandbox phone provider's
inbox (``/malang/notifikasi/ponsel-uji``), the test phone of a development instance.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from journey import Journey

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 780}
NAME = "Rina Kusuma"
PHONE = "0812 5555 0101"
PHONE_E164 = "+6281255550101"
PASSWORD = "nasi-pecel-madiun-2026"
NEW_PASSWORD = "rawon-setan-malam-77"
ADMIN = ("admin.kota@contoh.id", "kopi-tubruk-pagi-2026")
OFFICER = ("petugas.pindah@contoh.id", "bakso-bakar-sore-2026")


class AccountRecovery(Journey):
    """Account steps: forms by their action, codes from the test phone, no sideways scroll."""

    def form(self, action: str) -> Any:
        """The main form posting to ``/malang<action>``."""
        return self.main.locator(f'form[action="/malang{action}"]')

    def fits(self, what: str) -> None:
        """The page is no wider than the phone."""
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= SMALL_PHONE["width"], f"{what} scrolls sideways ({width}px)"

    def newest_code(self) -> str:
        """Open the test phone's inbox and read the newest code texted to the citizen."""
        self.page.goto(f"{self.base_url}/malang/notifikasi/ponsel-uji?nomor={quote(PHONE_E164)}")
        text = self.main.locator(".sandbox-text .code-text").first.inner_text()
        self.fits("the test phone")
        return re.search(r"\b(\d{6})\b", text).group(1)

    def log_in(self, login: str, password: str) -> None:
        """Fill and send the login form of the current page."""
        form = self.form("/masuk")
        form.locator('input[name="login"]').fill(login)
        form.locator('input[name="password"]').fill(password)
        self.submit(form)


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_register_verify_forget_reset_and_sign_in(
    phone_page: Any, live_server: str, artifacts_dir: Path, request: pytest.FixtureRequest
) -> None:
    page = phone_page
    page.set_viewport_size(SMALL_PHONE)
    journey = AccountRecovery(
        page, live_server, artifacts_dir, f"recovery-{request.node.callspec.id}"
    )
    expect = journey.expect

    # Register with a mobile number: the account is made, a code is texted.
    page.goto(f"{live_server}/malang/daftar")
    form = journey.form("/daftar")
    form.locator('input[name="name"]').fill(NAME)
    form.locator('input[name="phone"]').fill(PHONE)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator('input[name="password_confirm"]').fill(PASSWORD)
    journey.submit(form)
    journey.url_is("/malang/akun/verifikasi")
    expect(journey.main).to_contain_text("+62812****0101")
    journey.fits("the verification page")
    journey.shot("verify")

    # The code from the test phone verifies the account.
    code = journey.newest_code()
    journey.shot("test-phone")
    page.goto(f"{live_server}/malang/akun/verifikasi")
    journey.form("/akun/verifikasi").locator('input[name="code"]').fill(code)
    journey.submit(journey.form("/akun/verifikasi"))
    journey.url_is("/malang/akun/")
    expect(journey.main).to_contain_text("Terverifikasi")
    journey.fits("the account page")
    journey.shot("verified")

    # Log out, and the password is forgotten.
    journey.header.locator('form[action$="/keluar"] button[type="submit"]').click()
    journey.url_is("/malang/")
    page.goto(f"{live_server}/malang/masuk")
    journey.main.locator('a[href="/malang/lupa-sandi"]').click()
    journey.url_is("/malang/lupa-sandi")
    journey.form("/lupa-sandi").locator('input[name="login"]').fill(PHONE)
    journey.submit(journey.form("/lupa-sandi"))
    journey.url_is("/malang/lupa-sandi/kode")
    journey.fits("the reset page")
    journey.shot("reset")

    # The newest text holds the reset code; a new password is chosen with it.
    code = journey.newest_code()
    page.goto(f"{live_server}/malang/lupa-sandi/kode")
    reset = journey.form("/lupa-sandi/kode")
    reset.locator('input[name="code"]').fill(code)
    reset.locator('input[name="password"]').fill(NEW_PASSWORD)
    reset.locator('input[name="password_confirm"]').fill(NEW_PASSWORD)
    journey.submit(reset)
    journey.url_is("/malang/masuk")
    expect(page.locator(".flash-success")).to_be_visible()

    # The old password no longer works; the new one does.
    journey.log_in(PHONE, PASSWORD)
    expect(journey.main.locator(".error-summary")).to_be_visible()
    page.balai_errors.clear()  # the browser logs the refused login's 400 as a console error
    journey.log_in(PHONE, NEW_PASSWORD)
    expect(journey.header.locator('a[href="/malang/akun/"]')).to_contain_text(NAME)
    journey.fits("the page after signing in")
    journey.shot("signed-in")
    assert page.balai_errors == [], "\n".join(page.balai_errors)


@pytest.fixture
def staff(live_server: str, journey_config: Any, balai_database_url: str) -> None:
    """A city administrator and an officer of Malang, written by a second app."""
    from balai.auth.accounts import create_user
    from balai.tenants import city_scope
    from balai.web.app import create_app

    app = create_app(replace(journey_config, database_url=balai_database_url))

    async def seed() -> None:
        await app.ui.database.open()
        try:
            with city_scope(app.ui.config.cities["malang"]):
                await create_user(
                    name="Admin Kota", email=ADMIN[0], password=ADMIN[1], roles=("city_admin",)
                )
                await create_user(
                    name="Petugas Pindah",
                    email=OFFICER[0],
                    password=OFFICER[1],
                    roles=("core.user_manager",),
                )
        finally:
            await app.ui.database.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, seed()).result()


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_a_suspended_officers_open_session_is_refused(
    staff: None,
    phone_page: Any,
    live_server: str,
    artifacts_dir: Path,
    request: pytest.FixtureRequest,
) -> None:
    page = phone_page
    page.set_viewport_size(SMALL_PHONE)
    journey = AccountRecovery(
        page, live_server, artifacts_dir, f"suspend-{request.node.callspec.id}"
    )
    expect = journey.expect

    # The officer signs in and works in the back office; their browser keeps the session.
    page.goto(f"{live_server}/malang/masuk?next=/malang/kelola/")
    journey.log_in(*OFFICER)
    journey.url_is("/malang/kelola/")
    officer_browser = page.context.cookies()
    page.context.clear_cookies()

    # The administrator opens the officer's page and suspends them, with a reason.
    page.goto(f"{live_server}/malang/masuk?next=/malang/kelola/pengguna")
    journey.log_in(*ADMIN)
    journey.url_is("/malang/kelola/pengguna")
    journey.fits("the officer list")
    journey.main.get_by_role("link", name="Petugas Pindah").click()
    suspend = journey.main.locator('form[action$="/tangguhkan"]')
    suspend.locator('input[name="reason"]').fill("Pindah tugas ke Dinas Perhubungan")
    journey.fits("the officer page")
    journey.shot("officer")
    journey.submit(suspend)
    expect(journey.main).to_contain_text("Ditangguhkan")
    journey.shot("suspended")

    # Back in the officer's browser: the open session is refused with a clear answer.
    page.context.clear_cookies()
    page.context.add_cookies(officer_browser)
    page.goto(f"{live_server}/malang/kelola/")
    journey.url_is("/malang/masuk")
    expect(page.locator(".flash-error")).to_contain_text("ditangguhkan")
    journey.fits("the refusal")
    journey.shot("refused")
    journey.log_in(*OFFICER)
    expect(journey.main.locator(".error-summary")).to_contain_text("ditangguhkan")
    page.balai_errors[:] = [e for e in page.balai_errors if "status of 403" not in e]
    assert page.balai_errors == [], "\n".join(page.balai_errors)
