"""The outside registries the cover depends on: Dukcapil (population) and BPJS Kesehatan.

Each is an interface (:mod:`.types`) with a faithful sandbox; a real adapter
must pass the contract suites in :mod:`.contracts`.
"""
