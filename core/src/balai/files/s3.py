"""The object-storage adapter: files in an S3-compatible bucket (AWS S3, MinIO, Ceph, R2 …).

The same five methods as :class:`balai.files.storage.LocalStorage`, with the
storage key as the object name (after an optional prefix), so several hosts
share one set of files. Access rules stay the files service's: objects are
private in the bucket and every download goes through Balai's checks; nothing
here hands out bucket URLs.

boto3 is synchronous; each call runs in a worker thread. Credentials come
from boto3's usual chain (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, an
instance role, ``~/.aws``), never from the instance file.
"""

from __future__ import annotations

import asyncio
from datetime import UTC
from pathlib import Path
from typing import Any

from balai.files.storage import KEY, StoredObject, check_key


class S3Storage:
    """Files as objects of one bucket.

    Args:
        bucket: The bucket's name (it must exist).
        endpoint_url: The service's address for S3-compatible stores
            (``https://minio.example.go.id``); empty for AWS itself.
        region: The bucket's region (empty: boto3's default).
        prefix: Put before every key (``balai/``), to share a bucket.
        client: A ready boto3 S3 client (tests); built from the rest otherwise.
    """

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str = "",
        region: str = "",
        prefix: str = "",
        client: Any = None,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix
        if client is None:
            try:
                import boto3
            except ImportError as exc:  # the ``s3`` extra is not installed
                raise RuntimeError("file_storage = 's3' needs boto3: install balai[s3]") from exc
            client = boto3.client(
                "s3", endpoint_url=endpoint_url or None, region_name=region or None
            )
        self.client = client

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    async def save(self, key: str, data: bytes) -> None:
        """Store ``data`` (an S3 PUT replaces the object whole: no reader sees half of it)."""
        await asyncio.to_thread(
            self.client.put_object, Bucket=self.bucket, Key=self._name(key), Body=data
        )

    async def load(self, key: str) -> bytes:
        """The object's bytes; ``FileNotFoundError`` when there is none."""
        return await asyncio.to_thread(self._load, self._name(key))

    async def copy_out(self, key: str, path: Path) -> None:
        """Download the object to ``path`` (boto3's managed transfer, in parts)."""
        await asyncio.to_thread(self.client.download_file, self.bucket, self._name(key), str(path))

    async def copy_in(self, key: str, path: Path) -> None:
        """Upload ``path`` as the object (boto3's managed transfer, in parts)."""
        await asyncio.to_thread(self.client.upload_file, str(path), self.bucket, self._name(key))

    def _load(self, name: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=name)
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(name) from None
        return answer["Body"].read()

    async def delete(self, key: str) -> None:
        """Remove the object if present (deleting a missing object is no error in S3)."""
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=self._name(key))

    async def exists(self, key: str) -> bool:
        """Whether the object is stored."""
        return await asyncio.to_thread(self._exists, self._name(key))

    def _exists(self, name: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=name)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    async def list(self, city: str) -> list[StoredObject]:
        """Every well-formed key of ``city``, with when it was written."""
        return await asyncio.to_thread(self._list, city)

    def _list(self, city: str) -> list[StoredObject]:
        found: list[StoredObject] = []
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"{self.prefix}{city}/"
        )
        for page in pages:
            for item in page.get("Contents", []):
                key = item["Key"][len(self.prefix) :]
                if KEY.match(key):
                    found.append(StoredObject(key, item["LastModified"].astimezone(UTC)))
        return found
