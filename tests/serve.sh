#!/usr/bin/env bash
# Installs what is missing, then builds the app and serves it at http://127.0.0.1:8080
# (rebuilding on every change). The built-in synthetic demo shows on the first visit.
set -euo pipefail
cd "$(dirname "$0")/.."
tests/setup.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
echo "serve: building; the app will be at http://127.0.0.1:8080 (Ctrl-C stops it)"
exec trunk serve --release --address 127.0.0.1 --port 8080 "$@"
