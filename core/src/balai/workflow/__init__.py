"""Declared workflows: a plugin's records moving through states, with history and audit."""
