"""An in-memory S3 stand-in for the offline demo: the few S3 calls the Lambdas and ``ChatWorld`` make.

``create_bucket``, ``put_object``, ``get_object`` (a ``Body`` with ``read``) and ``list_objects_v2``
(``Prefix``, ``MaxKeys``), shaped as boto3 answers them; no moto mock to switch on for the process.
"""

from __future__ import annotations

import io
from typing import Any


class NoSuchKeyError(KeyError):
    """S3's NoSuchKey / NoSuchBucket."""


class InMemoryS3:
    def __init__(self) -> None:
        self.buckets: dict[str, dict[str, bytes]] = {}

    def create_bucket(self, *, Bucket: str, **_: Any) -> dict[str, Any]:  # noqa: N803 - boto3 naming
        self.buckets.setdefault(Bucket, {})
        return {"Location": f"/{Bucket}"}

    def _bucket(self, name: str) -> dict[str, bytes]:
        if name not in self.buckets:
            raise NoSuchKeyError(f"NoSuchBucket: {name}")
        return self.buckets[name]

    def put_object(self, *, Bucket: str, Key: str, Body: bytes | str, **_: Any) -> dict[str, Any]:  # noqa: N803
        self._bucket(Bucket)[Key] = Body.encode() if isinstance(Body, str) else bytes(Body)
        return {"ETag": f'"{len(self.buckets[Bucket][Key])}"'}

    def get_object(self, *, Bucket: str, Key: str, **_: Any) -> dict[str, Any]:  # noqa: N803
        objects = self._bucket(Bucket)
        if Key not in objects:
            raise NoSuchKeyError(f"NoSuchKey: {Key}")
        data = objects[Key]
        return {"ContentLength": len(data), "Body": io.BytesIO(data)}

    def list_objects_v2(self, *, Bucket: str, Prefix: str = "", MaxKeys: int = 1000,  # noqa: N803
                        **_: Any) -> dict[str, Any]:
        keys = sorted(k for k in self._bucket(Bucket) if k.startswith(Prefix))
        shown = keys[:MaxKeys]
        answer: dict[str, Any] = {"KeyCount": len(shown), "IsTruncated": len(keys) > MaxKeys, "Prefix": Prefix}
        if shown:
            answer["Contents"] = [{"Key": k, "Size": len(self.buckets[Bucket][k])} for k in shown]
        return answer
