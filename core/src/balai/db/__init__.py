"""Database access: engines, city-scoped tables and migrations."""
