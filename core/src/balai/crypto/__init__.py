"""Encrypted personal fields: authenticated encryption, blind indexes, masking, rotation."""
