"""Dinsos's welfare check of a claimed priority group."""
