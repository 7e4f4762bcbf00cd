"""The deployment guide checked against the code: commands, proxy examples, `balai init`.

Every `balai` command line in the README and docs/operations.md (in code
blocks and in inline code) names a real command with real options; the
nginx and Caddy examples pass the host and forwarded headers to `balai
serve`'s default port with a body limit no smaller than the default
``max_body_bytes``; the systemd unit starts `balai serve` with the
environment file; and the file `balai init` writes passes `balai check`.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import click
import pytest
from balai.cli import main
from balai.config import _InstanceFile
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
GUIDES = [ROOT / "README.md", ROOT / "docs" / "operations.md"]
_FENCE = re.compile(r"```(\w*)\n(.*?)```", re.S)
_INLINE = re.compile(r"`(balai [^`]+)`")
_CALL = re.compile(r"(?:^|[\s/=('])balai\s+([a-z][a-z-]*)((?:[^\n])*)")


def blocks(kind: str) -> list[str]:
    """The fenced code blocks of one kind (``nginx``, ``ini`` ...) in the guides."""
    return [
        body for path in GUIDES for lang, body in _FENCE.findall(path.read_text()) if lang == kind
    ]


def command_lines() -> list[str]:
    """Every line of the guides that runs `balai` (continuation lines joined)."""
    found = []
    for path in GUIDES:
        text = path.read_text()
        for _lang, body in _FENCE.findall(text):
            found.extend(body.replace("\\\n", " ").splitlines())
        found.extend(_INLINE.findall(_FENCE.sub("", text)))
    return [line for line in found if "pip install" not in line and _CALL.search(line)]


def _options(command: click.Command) -> set[str]:
    return {o for p in command.params for o in (*p.opts, *p.secondary_opts)} | {"--help"}


def test_the_guides_run_balai_in_many_places():
    assert len(command_lines()) > 25


@pytest.mark.parametrize("line", command_lines())
def test_every_balai_command_and_option_in_the_guides_exists(line):
    for name, rest in _CALL.findall(line):
        assert name in main.commands, f"no command `balai {name}`: {line}"
        command = main.commands[name]
        allowed = _options(command)
        if isinstance(command, click.Group):
            for word in re.findall(r"\b([a-z][a-z-]+)\b", rest):
                if word in command.commands:
                    allowed |= _options(command.commands[word])
        for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", rest):
            assert option in allowed, f"`balai {name}` has no option {option}: {line}"


def _serve_port() -> int:
    return next(p.default for p in main.commands["serve"].params if p.name == "port")


def _bytes(size: str) -> int:
    number, unit = re.fullmatch(r"(\d+)\s*([a-zA-Z]*)", size).groups()
    scale = {
        "": 1,
        "k": 1024,
        "m": 1024**2,
        "g": 1024**3,
        "kib": 1024,
        "mib": 1024**2,
        "kb": 1000,
        "mb": 1000**2,
        "gib": 1024**3,
        "gb": 1000**3,
    }
    return int(number) * scale[unit.lower()]


def test_the_nginx_example_fits_balai_serve():
    [nginx] = blocks("nginx")
    assert f"proxy_pass http://127.0.0.1:{_serve_port()};" in nginx
    for header in (
        "proxy_set_header Host $host;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
    ):
        assert header in nginx
    limit = re.search(r"client_max_body_size (\w+);", nginx)[1]
    assert _bytes(limit) >= _InstanceFile().max_body_bytes
    assert "listen 443 ssl;" in nginx and "ssl_certificate " in nginx
    assert "return 301 https://" in nginx


def test_the_caddy_example_fits_balai_serve():
    [caddy] = blocks("caddy")
    assert f"reverse_proxy 127.0.0.1:{_serve_port()}" in caddy
    limit = re.search(r"max_size (\w+)", caddy)[1]
    assert _bytes(limit) >= _InstanceFile().max_body_bytes


def test_the_systemd_units_start_balai_with_its_environment():
    units = "\n".join(blocks("ini"))
    serve = re.search(r"^ExecStart=(\S+) serve (.*)$", units, re.M)
    assert serve and serve[1].endswith("/balai")
    assert f"--port {_serve_port()}" in serve[2] and "--host 127.0.0.1" in serve[2]
    assert "EnvironmentFile=/etc/balai/env" in units
    assert re.search(r"^ExecStart=.*balai backup --config \S+ --to ", units, re.M)
    assert "OnCalendar=" in units and "Persistent=true" in units
    environment = "\n".join(blocks("sh"))
    for name in ("BALAI_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "FORWARDED_ALLOW_IPS"):
        assert f"{name}=" in environment


def test_balai_init_writes_a_file_that_balai_check_accepts(tmp_path, monkeypatch):
    monkeypatch.setenv("BALAI_SECRET_KEY", "s" * 48)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    path = tmp_path / "etc" / "kota.toml"
    args = [
        "init",
        "--config",
        str(path),
        "--city",
        "malang",
        "--name",
        "Kota Malang",
        "--host",
        "layanan.malangkota.go.id",
        "--data-dir",
        str(tmp_path / "data"),
    ]
    written = CliRunner().invoke(main, args)
    assert written.exit_code == 0, written.output
    text = path.read_text()
    parsed = tomllib.loads(text)
    assert parsed["instance"]["development"] is False
    assert parsed["cities"]["malang"]["hosts"] == ["layanan.malangkota.go.id"]
    assert text.count("\n#") > 10 and "BALAI_SECRET_KEY" in text  # commented, secrets named
    checked = CliRunner().invoke(main, ["check", "--config", str(path)])
    assert checked.exit_code == 0, checked.output
    again = CliRunner().invoke(main, [*args[:2], str(path), *args[3:]])
    assert again.exit_code == 1 and "never overwrites" in again.output
    assert path.read_text() == text


@pytest.mark.parametrize(
    ("option", "value", "reason"),
    [
        ("--city", "Malang!", "slug"),
        ("--host", "bukan host", "host name"),
        ("--timezone", "Mars/Olympus", "time zone"),
        ("--name", 'Kota "X"', "quotes"),
    ],
)
def test_balai_init_refuses_odd_values_and_writes_nothing(tmp_path, option, value, reason):
    path = tmp_path / "kota.toml"
    values = {"--city": "malang", "--name": "Kota Malang", "--host": "kota.go.id"} | {option: value}
    args = ["init", "--config", str(path)] + [x for pair in values.items() for x in pair]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and reason in result.output
    assert not path.exists()
