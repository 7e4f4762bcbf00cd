"""Orders: their states, the moves between them, and their pages."""
