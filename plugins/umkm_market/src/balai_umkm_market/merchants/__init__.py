"""Merchants: the application, the office's verification, the merchant's dashboard."""
