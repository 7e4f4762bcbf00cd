"""The citizen's membership card page and printable letter."""
