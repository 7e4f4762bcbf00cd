"""Files on S3-compatible object storage, against moto's server started as a real process.

The adapter passes the storage contract the local one passes (save, load,
exists, delete, list per city, keys checked), and an instance with
``file_storage = "s3"`` serves uploads from the bucket with the same access
rules: the owner gets their file, another citizen a 404, a visitor the
sign-in page; nothing is written to the data folder.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from balai.files import service
from balai.files.s3 import S3Storage
from balai.files.storage import InvalidKey, new_key
from balai.testing import make_login_as, make_post_form, open_client, run_in_city
from files_samples import image_bytes, pdf_bytes
from litestar.datastructures import UploadFile

BUCKET = "balai-berkas"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",  # moto's fixed test credentials
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def moto_endpoint():
    """moto's S3 server as a process of its own on a free loopback port."""
    program = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    assert program, "moto[server] is a dev dependency: uv sync installs moto_server"
    port = _free_port()
    process = subprocess.Popen(
        [program, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **CREDENTIALS},
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("moto_server did not start") from None
                time.sleep(0.2)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def bucket(moto_endpoint, monkeypatch):
    """A new, empty bucket on the moto server (and the credentials in the environment)."""
    import boto3

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=moto_endpoint)
    if _has(client):
        for existing in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=existing["Key"])
    else:
        client.create_bucket(Bucket=BUCKET)
    return moto_endpoint


def _has(client) -> bool:
    return any(b["Name"] == BUCKET for b in client.list_buckets().get("Buckets", []))


def test_files_stream_to_and_from_local_files_for_backups(bucket, tmp_path):
    storage = S3Storage(BUCKET, endpoint_url=bucket, prefix="kota/")
    key = new_key("malang", datetime.now(UTC), "pdf")
    big = bytes(range(256)) * 40_000  # 10 MB: boto3 moves it in parts
    source = tmp_path / "in.pdf"
    source.write_bytes(big)

    async def run():
        await storage.copy_in(key, source)
        assert await storage.load(key) == big
        await storage.copy_out(key, tmp_path / "out.pdf")

    asyncio.run(run())
    assert (tmp_path / "out.pdf").read_bytes() == big


def test_the_adapter_keeps_the_storage_contract(bucket):
    storage = S3Storage(BUCKET, endpoint_url=bucket, prefix="kota/")
    now = datetime.now(UTC)
    malang = [new_key("malang", now, "png") for _ in range(3)]
    other = new_key("semarang", now, "pdf")

    async def run():
        for n, key in enumerate(malang):
            await storage.save(key, b"isi %d" % n)
        await storage.save(other, pdf_bytes())
        assert await storage.load(malang[1]) == b"isi 1"
        assert await storage.exists(malang[0]) and not await storage.exists(
            new_key("malang", now, "png")
        )
        listed = await storage.list("malang")
        assert sorted(o.key for o in listed) == sorted(malang)
        assert all(abs((o.modified - now).total_seconds()) < 120 for o in listed)
        assert [o.key for o in await storage.list("semarang")] == [other]
        await storage.save(malang[1], b"baru")  # replaced whole
        assert await storage.load(malang[1]) == b"baru"
        await storage.delete(malang[1])
        await storage.delete(malang[1])  # deleting twice is no error
        assert not await storage.exists(malang[1])
        with pytest.raises(FileNotFoundError):
            await storage.load(malang[1])
        for bad in ("../etc/passwd", "malang/26/12/x.png", "/malang/26/12/" + "a" * 20 + ".png"):
            with pytest.raises(InvalidKey):
                await storage.save(bad, b"x")

    asyncio.run(run())
    import boto3

    names = [
        o["Key"]
        for o in boto3.client("s3", endpoint_url=bucket)
        .list_objects_v2(Bucket=BUCKET)
        .get("Contents", [])
    ]
    assert names and all(name.startswith("kota/") for name in names)


@pytest.fixture
def s3_app(bucket, balai_app_factory):
    return balai_app_factory(
        cities={"malang": []},
        instance={"file_storage": "s3", "s3_bucket": BUCKET, "s3_endpoint_url": bucket},
    )


def test_an_instance_on_s3_serves_files_with_the_same_access_rules(s3_app, bucket):
    with open_client(s3_app) as client:
        _serve_by_the_rules(s3_app, bucket, client)


def _serve_by_the_rules(s3_app, bucket, client):
    login_as = make_login_as(client, s3_app, make_post_form(client))

    def city_run(city, work):
        return run_in_city(s3_app, city, work)

    owner = login_as(name="Pemilik")

    async def save():
        upload = UploadFile(
            content_type="application/pdf", filename="ktp.pdf", file_data=pdf_bytes()
        )
        document = await service.save_upload(
            upload, kind="document", owner_id=owner["id"], visibility="owner"
        )
        photo = UploadFile(
            content_type="image/png", filename="foto.png", file_data=image_bytes("PNG", (80, 60))
        )
        public = await service.save_upload(photo, kind="image", owner_id=None, visibility="public")
        return document, public

    document, public = city_run("malang", save)
    assert isinstance(service.storage(), S3Storage)
    url = f"/malang/berkas/{document.id}"
    mine = client.get(url)
    assert mine.status_code == 200 and mine.content == pdf_bytes()
    assert client.get(f"/malang/berkas/{public.id}/thumb/320").status_code == 200

    login_as(name="Tetangga")
    assert client.get(url).status_code == 404
    client.cookies.clear()
    anonymous = client.get(url, follow_redirects=False)
    assert anonymous.status_code in (302, 303) and "/masuk" in anonymous.headers["location"]
    assert client.get(f"/malang/berkas/{public.id}").status_code == 200

    data_files = Path(s3_app.ui.config.data_dir) / "files"
    assert not data_files.exists() or not any(p.is_file() for p in data_files.rglob("*"))
    import boto3

    stored = boto3.client("s3", endpoint_url=bucket).list_objects_v2(Bucket=BUCKET)["Contents"]
    assert len(stored) >= 3  # the document, the photo and its thumbnails


def test_file_storage_must_be_known_and_s3_needs_a_bucket(tmp_path):
    from balai.config import ConfigError
    from balai.testing import write_config

    with pytest.raises(ConfigError, match="file_storage"):
        write_config(tmp_path / "a", {"malang": []}, instance={"file_storage": "ftp"})
    with pytest.raises(ConfigError, match="s3_bucket"):
        write_config(tmp_path / "b", {"malang": []}, instance={"file_storage": "s3"})
