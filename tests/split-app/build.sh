#!/usr/bin/env bash
# Builds the page's wasm and puts the app into trunk's staging directory: trunk runs this as a
# post_build hook (Trunk.toml), with TRUNK_PROFILE and TRUNK_STAGING_DIR set. index.html marks
# the app `data-trunk-skip`, so trunk builds only the engine worker itself.
#
# release: the wasm-release profile ("z"), split at the app's split points (the `split`
#          feature; the linker keeps its relocations for the splitter), wasm-opt -Oz;
# debug:   the dev profile, not split (the split points are plain async functions).
# METAJUDGE_SPLIT=0 builds the release without the split (bench_first_view compares the two).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${TRUNK_STAGING_DIR:?run by trunk (a post_build hook in Trunk.toml)}"
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
: "${target_dir:?cannot read the target directory from cargo metadata}"
profile=${TRUNK_PROFILE:-debug}
if [ "$profile" = release ] && [ "${METAJUDGE_SPLIT:-1}" = 0 ]; then
  cargo build --quiet --target wasm32-unknown-unknown --profile wasm-release --bin metajudge-studio
  wasm="$target_dir/wasm32-unknown-unknown/wasm-release/metajudge-studio.wasm"
  flags=(--opt z)
elif [ "$profile" = release ]; then
  cargo rustc --quiet --target wasm32-unknown-unknown --profile wasm-release --bin metajudge-studio \
    --features split -- -Clink-args=--emit-relocs
  wasm="$target_dir/wasm32-unknown-unknown/wasm-release/metajudge-studio.wasm"
  flags=(--split --opt z)
else
  cargo build --quiet --target wasm32-unknown-unknown --bin metajudge-studio
  wasm="$target_dir/wasm32-unknown-unknown/debug/metajudge-studio.wasm"
  flags=()
fi
# The splitter is a native tool of this workspace, built once (optimised: it reads the whole wasm).
cargo run --quiet --profile split-tool -p split-app -- \
  "$wasm" "$TRUNK_STAGING_DIR" "$target_dir/split-app/$profile" ${flags[@]+"${flags[@]}"}
