"""Open data: the datasets a city publishes, as pages, CSV, JSON and an API (built-in plugin ``opendata``)."""
