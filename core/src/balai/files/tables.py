"""The files service's table (Piccolo app ``files``)."""

from __future__ import annotations

from piccolo.columns import Integer, Timestamptz, Varchar

from balai.db.tables import CityTable


class FileRecord(CityTable, tablename="balai_files_file"):
    """A stored upload of one city.

    ``token`` is the public name in URLs; ``storage_key`` is where the bytes
    are and never leaves the server. ``original_name`` is the cleaned name the
    uploader gave, for display and downloads only. ``thumbnails`` lists the
    generated sizes, comma-separated (``"320,960"``).
    """

    token = Varchar(length=43, unique=True)
    storage_key = Varchar(length=200)
    kind = Varchar(length=10)
    content_type = Varchar(length=40)
    size = Integer()
    sha256 = Varchar(length=64, index=True)
    original_name = Varchar(length=120)
    visibility = Varchar(length=10, default="public")
    owner_id = Integer(null=True, default=None, index=True)
    width = Integer(null=True, default=None)
    height = Integer(null=True, default=None)
    thumbnails = Varchar(length=40, default="")
    created_at = Timestamptz()
