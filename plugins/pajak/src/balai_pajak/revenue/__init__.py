"""Revenue of all local taxes and fees: monthly summary, dashboard widgets, open data."""
