"""Tickets for heritage sites and events: products, buying, e-tickets and the gate."""
