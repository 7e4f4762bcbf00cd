"""Open data (built-in plugin ``opendata``).

The datasets a city publishes, as pages, CSV, JSON and an API.
"""
