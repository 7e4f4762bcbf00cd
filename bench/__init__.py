"""Side-by-side benchmarks: each platform page against its hand-written twin.

Run ``uv run python -m bench`` (``--quick`` for a short run, ``--check-only``
to verify identical HTML and query counts without timing). See README.md.
"""
