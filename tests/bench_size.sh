#!/usr/bin/env bash
# Prints the size of what a visit downloads, raw and gzipped (gzip -9, as static hosts serve
# it), from the release build in dist/ (built first when missing): the first load (the page,
# its style, the app's main wasm and scripts), then what comes after the first view (the later
# module of the split, tests/split-app; the engine worker). Then where the main wasm's bytes go
# (twiggy, when installed: `cargo install twiggy`). A benchmark: it asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if ! ls dist/app-*/metajudge-studio_bg.wasm >/dev/null 2>&1; then
  tests/setup.sh
  trunk build --release
fi
app=$(ls -d dist/app-* | head -n 1)
row() {
  local raw gz
  raw=$(stat -c%s "$1")
  gz=$(gzip -9c "$1" | wc -c)
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz))
  printf '  %-50s %10d %10d\n' "${1#dist/}" "$raw" "$gz"
}
printf '%-52s %10s %10s\n' file raw gzipped
echo "first load"
total_raw=0 total_gz=0
for f in dist/index.html dist/*.css "$app/metajudge-studio.js" "$app"/__wasm_split.js "$app/metajudge-studio_bg.wasm"; do
  [ -f "$f" ] && row "$f"
done
printf '  %-50s %10d %10d\n' "total" "$total_raw" "$total_gz"
echo "after the first view"
total_raw=0 total_gz=0
for f in "$app"/split_*.wasm "$app"/chunk_*.wasm dist/engine-worker*; do
  [ -f "$f" ] && row "$f"
done
printf '  %-50s %10d %10d\n' "total" "$total_raw" "$total_gz"
main_gz=$(gzip -9c "$app/metajudge-studio_bg.wasm" | wc -c)
echo
echo "the first load's wasm: $main_gz B gzipped (goal: <= 350,000 B)"
if command -v twiggy >/dev/null; then
  echo
  echo "twiggy top -n ${TOP:-25} (shallow bytes per item of the main wasm):"
  twiggy top -n "${TOP:-25}" "$app/metajudge-studio_bg.wasm"
  echo
  echo "twiggy dominators -d 2 -r ${TOP:-25} (retained bytes):"
  twiggy dominators -d 2 -r "${TOP:-25}" "$app/metajudge-studio_bg.wasm" || true
fi
