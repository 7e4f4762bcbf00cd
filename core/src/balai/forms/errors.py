"""The error a field's parser raises."""

from __future__ import annotations


class FieldError(ValueError):
    """A typed value is not acceptable; ``str(error)`` is the translated reason for the form."""
