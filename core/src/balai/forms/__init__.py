"""Declared forms: fields that parse, check and re-display what people type."""
