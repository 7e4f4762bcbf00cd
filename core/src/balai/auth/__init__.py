"""Accounts, sessions, permissions and guards."""
