"""What every browser journey does on its page: numbered screenshots, landmarks, waits.

Each journey subclasses :class:`Journey` and adds the steps of its own service.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any


class Journey:
    """Steps on one page, with numbered screenshots ``<prefix>-NN-<name>.png``."""

    def __init__(self, page: Any, base_url: str, artifacts: Path, prefix: str) -> None:
        from playwright.sync_api import expect

        self.page = page
        self.base_url = base_url
        self.artifacts = artifacts
        self.prefix = prefix
        self.expect = expect
        self.shots = 0

    def shot(self, name: str) -> Path:
        """Save a full-page screenshot and return its path."""
        self.shots += 1
        path = self.artifacts / f"{self.prefix}-{self.shots:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    @property
    def main(self) -> Any:
        """The main landmark."""
        return self.page.get_by_role("main")

    @property
    def header(self) -> Any:
        """The site header (the banner landmark)."""
        return self.page.get_by_role("banner")

    def url_is(self, path: str) -> None:
        """Wait until the page is at ``path`` (trailing slash and query string optional)
        and has loaded: the address changes before its stylesheets arrive, and a page
        measured in between is laid out without them (a phone-width check then fails)."""
        pattern = re.escape(self.base_url + path.rstrip("/")) + r"/?(\?.*)?$"
        self.expect(self.page).to_have_url(re.compile(pattern))
        self.page.wait_for_load_state("load")

    def submit(self, form: Any) -> None:
        """Press the form's (first) submit button."""
        form.locator('button[type="submit"]').first.click()
