"""e-Retribusi: market stall fees billed monthly, paid online or to a collector."""
