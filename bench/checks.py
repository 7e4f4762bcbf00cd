"""Before timing: the pair serves identical HTML with the same fixed number of queries."""

from __future__ import annotations

import difflib
import re
import urllib.request
from dataclasses import dataclass, field

from bench.servers import Server

_TOKEN_PATTERNS = [
    re.compile(r'(name="_csrf_token" value=")[^"]*(")'),
    re.compile(r'("X-CSRFToken": ")[^"]*(")'),
]
SAMPLES = 3


def mask_csrf(page: str) -> str:
    """The page with every CSRF token value replaced by a fixed mark."""
    for pattern in _TOKEN_PATTERNS:
        page = pattern.sub(r"\1<csrf>\2", page)
    return page


def fetch(url: str, cookie: str) -> tuple[int, str]:
    """Status and body of a GET with the given cookies."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


@dataclass
class PageCheck:
    """One side's page: its masked HTML and the statements each request ran."""

    server: str
    html: str
    counts: list[int]
    statements: list[str] = field(default_factory=list)

    @property
    def fixed_count(self) -> int | None:
        """The statements per request when every request ran the same number, else None."""
        return self.counts[0] if len(set(self.counts)) == 1 else None


def check_page(server: Server, path: str, cookie: str) -> PageCheck:
    """Fetch ``path`` a few times, counting the statements of each request."""
    fetch(server.base + path, cookie)  # first view may pop a flash, open connections
    counts: list[int] = []
    html = ""
    statements: list[str] = []
    for _ in range(SAMPLES):
        before = server.queries()["count"]
        status, html = fetch(server.base + path, cookie)
        if status != 200:
            raise RuntimeError(f"{server.name} answered {status} for {path}")
        probe = server.queries()
        ran = probe["count"] - before
        counts.append(ran)
        statements = probe["recent"][-ran:] if ran else []
    return PageCheck(server.name, mask_csrf(html), counts, statements)


def compare(reference: PageCheck, other: PageCheck) -> list[str]:
    """Problems found between two sides (empty when they match)."""
    problems = []
    if reference.html != other.html:
        diff = difflib.unified_diff(
            reference.html.splitlines(),
            other.html.splitlines(),
            reference.server,
            other.server,
            lineterm="",
            n=1,
        )
        problems.append("HTML differs:\n" + "\n".join(list(diff)[:40]))
    for side in (reference, other):
        if side.fixed_count is None:
            problems.append(f"{side.server} ran a varying number of queries: {side.counts}")
    if reference.fixed_count != other.fixed_count:
        problems.append(
            f"query counts differ: {reference.server} {reference.counts}, "
            f"{other.server} {other.counts}"
        )
    return problems


def check_controls(twin: Server, cookie: str) -> list[str]:
    """The twin's controls answer as they should and run no queries."""
    problems = []
    status, body = fetch(twin.base + "/plaintext", cookie)
    if (status, body) != (200, "ok"):
        problems.append(f"/plaintext answered {status} {body[:40]!r}")
    fixed = check_page(twin, "/fixed", cookie)
    if fixed.counts != [0] * SAMPLES:
        problems.append(f"/fixed ran queries: {fixed.counts}")
    if "<html" not in fixed.html:
        problems.append("/fixed did not render the page")
    return problems
