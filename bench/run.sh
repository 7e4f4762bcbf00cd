#!/usr/bin/env bash
# Run the bench from anywhere: bash bench/run.sh [--quick] [--check-only] [...]
# Needs wrk (apt-get install -y wrk) and taskset (util-linux).
set -euo pipefail
cd "$(dirname "$0")/.."
exec uv run python -m bench "$@"
