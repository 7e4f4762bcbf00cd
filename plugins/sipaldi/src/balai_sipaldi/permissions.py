"""The permissions of the ``sipaldi`` plugin (shared by its features' routes)."""

MANAGE = "sipaldi.manage"
