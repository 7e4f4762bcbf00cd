"""Dinkes officers' queue: open an application, see its documents, reveal a NIK, decide."""
