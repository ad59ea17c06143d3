#!/usr/bin/env bash
# Set up, load the bundled knowledge base (checking its spans against ../shared/seeds when
# present) and the national data in ../shared/data/real when present, and serve it on http://127.0.0.1:8000 (set PORT to change).
set -euo pipefail
cd "$(dirname "$0")/.."
NHSGRAPH_SKIP_APT=${NHSGRAPH_SKIP_APT:-1} bash scripts/setup.sh
official=()
[ -d ../shared/data/real ] && official=(--official ../shared/data/real)
exec .venv/bin/nhsgraph --db "${NHSGRAPH_DB:-nhsgraph-demo.db}" demo "${official[@]}" --port "${PORT:-8000}" "$@"
