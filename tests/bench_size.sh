#!/usr/bin/env bash
# Prints the size of what a first visit downloads, raw and gzipped (gzip -9, as static hosts
# serve it), from the release build in dist/ (built first when missing), and where the wasm's
# bytes go (twiggy, when installed: `cargo install twiggy`). A benchmark: it asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if ! ls dist/*_bg.wasm >/dev/null 2>&1; then
  tests/setup.sh
  trunk build --release
fi
printf '%-48s %10s %10s\n' file raw gzipped
total_raw=0 total_gz=0
for f in dist/*.wasm dist/*.js dist/*.css dist/index.html; do
  raw=$(stat -c%s "$f")
  gz=$(gzip -9c "$f" | wc -c)
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz))
  printf '%-48s %10d %10d\n' "${f#dist/}" "$raw" "$gz"
done
printf '%-48s %10d %10d\n' "first load (all of the above)" "$total_raw" "$total_gz"
if command -v twiggy >/dev/null; then
  wasm=$(ls dist/*_bg.wasm)
  echo
  echo "twiggy top -n ${TOP:-25} (shallow bytes per item):"
  twiggy top -n "${TOP:-25}" "$wasm"
  echo
  echo "twiggy dominators -d 2 -r ${TOP:-25} (retained bytes):"
  twiggy dominators -d 2 -r "${TOP:-25}" "$wasm" || true
fi
