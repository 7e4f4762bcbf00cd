"""An anonymous visitor crawls the seeded demo, then bends every number in its links.

The three demo cities are seeded as ``balai demo`` seeds them. From each
city's home page the crawl follows the links and form targets it finds
(bounded: at most three links of one shape, numbers replaced by ``N``, are
followed, so a thousand products do not crowd out the rest), then takes one link of each shape and
sends it again with each number in it, one at a time, bent to 2^63, -1 and
1e9999. No answer may be a server error.
"""

from __future__ import annotations

import html
import re
from collections import deque
from dataclasses import replace
from urllib.parse import urlsplit

from balai import demo as demo_module
from balai.config import load_config
from balai.testing import TEST_SECRET_KEY, open_client
from balai.web.themes import bundled_root

PAGES_PER_CITY = 250
BENT = (str(2**63), "-1", "1e9999")
_LINK = re.compile(r'(?:href|action|hx-get)="([^"#]*)"')
_NUMBER = re.compile(r"(?<=[/=])[0-9]+(?=[/&]|$)")


def _crawl(client, city: str) -> tuple[set[str], list[str]]:
    """The city's URLs reached from its home page, and those that answered 5xx."""
    seen: set[str] = set()
    per_shape: dict[str, int] = {}
    queue = deque([f"/{city}/"])
    broken: list[str] = []
    while queue and len(seen) < PAGES_PER_CITY:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        answer = client.get(url, follow_redirects=False)
        if answer.status_code >= 500:
            broken.append(f"{url}: {answer.status_code}")
        if "text/html" not in answer.headers.get("content-type", ""):
            continue
        for link in _LINK.findall(answer.text):
            link = html.unescape(link)
            if not link.startswith(f"/{city}/") or "/static/" in urlsplit(link).path:
                continue
            shape = _NUMBER.sub("N", link)
            if link not in seen and per_shape.get(shape, 0) < 3:
                per_shape[shape] = per_shape.get(shape, 0) + 1
                queue.append(link)
    return seen, broken


def _one_per_shape(urls: set[str]) -> list[str]:
    shapes: dict[str, str] = {}
    for url in sorted(urls):
        if _NUMBER.search(url):
            shapes.setdefault(_NUMBER.sub("N", url), url)
    return list(shapes.values())


def _bent_variants(url: str) -> list[str]:
    variants = []
    for match in _NUMBER.finditer(url):
        for bent in BENT:
            variants.append(url[: match.start()] + bent + url[match.end() :])
    return variants


def test_anonymous_crawl_of_the_seeded_demo_with_bent_numbers_finds_no_server_error(
    balai_app_factory, tmp_path
):
    config = load_config(
        bundled_root("examples") / "demo.toml", environ={"BALAI_SECRET_KEY": TEST_SECRET_KEY}
    )
    app = balai_app_factory(replace(config, data_dir=tmp_path / "data", run_jobs=False))
    with open_client(app) as client:
        client.blocking_portal.call(demo_module.seed, app)
        broken: list[str] = []
        bent_count = 0
        for city in app.ui.config.cities:
            seen, crawl_broken = _crawl(client, city)
            broken += crawl_broken
            shapes = _one_per_shape(seen)
            assert len(shapes) >= 3, (city, shapes)  # the crawl reached pages with ids
            for url in shapes:
                for variant in _bent_variants(url):
                    bent_count += 1
                    answer = client.get(variant, follow_redirects=False)
                    if answer.status_code >= 500:
                        broken.append(f"{variant}: {answer.status_code}")
    assert bent_count >= 30, bent_count
    assert not broken, "\n".join(broken)
