"""`balai backup` and `balai restore`: a consistent copy of an instance, checked on return.

A backup is a folder: the database (SQLite's online backup, or ``pg_dump``
in PostgreSQL's custom format, taken in one snapshot), every stored file, the
instance file with anything secret-looking removed, and ``manifest.json``
with each table's row count and content checksum and each file's SHA-256.
Restoring refuses a target that holds data and a backup whose files do not
match the manifest, then compares every table with the manifest.
"""
