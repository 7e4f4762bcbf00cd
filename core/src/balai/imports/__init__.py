"""Spreadsheet imports: plugins declare importers, people upload CSV or XLSX files.

A plugin returns ``toolkit.Importer`` values from the ``spreadsheet_importers``
hook. The core serves the pages under ``/impor/<key>/`` (upload form, column
list and CSV template, progress, row errors and their CSV report, past runs),
checks and parses the upload, stores its rows and applies them in the
background through the job queue, one savepoint per row, so that valid rows
are applied, invalid ones are reported with their line and reasons, and a
crash mid-way continues where it stopped.
"""
