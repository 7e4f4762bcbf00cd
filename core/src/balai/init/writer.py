"""Writing the one-city instance file of `balai init` from ``template.toml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_SLUG = re.compile(r"^[a-z][a-z0-9-]{1,38}$")
_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9-]{1,63})+$")


class InitRefused(ValueError):
    """The file cannot be written; the message says why."""


@dataclass(frozen=True)
class OneCity:
    """What the template is filled with."""

    slug: str
    name: str
    host: str
    timezone: str = "Asia/Jakarta"
    data_dir: str = "/var/lib/balai"


def _checked(city: OneCity) -> OneCity:
    if not _SLUG.match(city.slug):
        raise InitRefused(f"{city.slug!r}: a city slug is 2-39 lower-case letters, digits or '-'")
    if not _HOST.match(city.host.lower()):
        raise InitRefused(f"{city.host!r} is not a host name such as layanan.malangkota.go.id")
    if not city.name.strip() or '"' in city.name or "\\" in city.name:
        raise InitRefused("give the city's name without quotes, e.g. Kota Malang")
    try:
        ZoneInfo(city.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InitRefused(f"unknown time zone {city.timezone!r}") from None
    if '"' in city.data_dir or "\\" in city.data_dir:
        raise InitRefused("give the data folder without quotes or backslashes")
    return city


def write_instance(path: Path, city: OneCity) -> str:
    """Write the commented instance file at ``path``; returns its text.

    Raises:
        InitRefused: the file exists already (it is never overwritten), or a value is odd.
    """
    city = _checked(city)
    if path.exists():
        raise InitRefused(f"{path} exists already; balai init never overwrites a file")
    template = files("balai.init").joinpath("template.toml").read_text(encoding="utf-8")
    text = template.format(
        path=path,
        slug=city.slug,
        name=city.name.strip(),
        host=city.host.lower(),
        timezone=city.timezone,
        data_dir=city.data_dir,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        handle.write(text)
    return text
