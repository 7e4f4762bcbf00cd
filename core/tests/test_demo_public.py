"""`balai demo` stays on this machine unless told otherwise, and then says why that is risky."""

from __future__ import annotations

import pytest
from balai.cli import main
from balai.demo import is_loopback
from balai.testing import write_config
from click.testing import CliRunner


@pytest.fixture
def config_file(tmp_path):
    write_config(tmp_path / "instance", {"malang": [], "semarang": []})
    return tmp_path / "instance" / "balai.toml"


@pytest.fixture
def uvicorn_calls(monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    return calls


def _demo(*args):
    return CliRunner().invoke(main, ["demo", *map(str, args)], env={"LANG": "en_US.UTF-8"})


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "demo.example.id"])
def test_a_reachable_address_is_refused_without_public(host, config_file, tmp_path, uvicorn_calls):
    data = tmp_path / "data"
    result = _demo("--host", host, "--config", config_file, "--data-dir", data)
    assert result.exit_code == 2
    assert "--public" in result.output and "sandbox bank" in result.output
    assert uvicorn_calls == [] and not data.exists()  # nothing started, nothing written


def test_public_warns_loudly_and_serves_without_trusting_forwarded_headers(
    config_file, tmp_path, uvicorn_calls, balai_fast_passwords
):
    result = _demo(
        "--host", "0.0.0.0", "--public", "--config", config_file, "--data-dir", tmp_path / "d"
    )
    assert result.exit_code == 0, result.output
    assert "WARNING" in result.output and "ANYONE mark ANY invoice paid" in result.output
    ((_args, kwargs),) = uvicorn_calls
    assert kwargs["host"] == "0.0.0.0" and kwargs["proxy_headers"] is False


def test_forwarded_headers_are_trusted_only_when_asked(
    config_file, tmp_path, uvicorn_calls, balai_fast_passwords
):
    result = _demo("--trust-proxy", "--config", config_file, "--data-dir", tmp_path / "d")
    assert result.exit_code == 0, result.output
    assert "WARNING" not in result.output
    ((_args, kwargs),) = uvicorn_calls
    assert kwargs["host"] == "127.0.0.1" and kwargs["proxy_headers"] is True


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.3.4.5", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("10.0.0.2", False),
        ("localhost.example.id", False),
    ],
)
def test_loopback_addresses(host, loopback):
    assert is_loopback(host) is loopback
