#!/usr/bin/env bash
# Benchmark: wall time of `metajudge score` (release build) on the generated 1,000-row judged
# file of fixtures/README.md, with and without the bootstrap, over several runs. Prints figures;
# asserts nothing (timings belong to benchmarks, not tests).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-15}
cargo build --quiet --release --bin metajudge
file=$(mktemp --suffix=.jsonl)
trap 'rm -f "$file"' EXIT
python3 tests/fixtures/gen_fixtures.py outputs --n 1000 --model judge-b --seed 23 > "$file"
echo "bench_cli: $(wc -c < "$file") bytes, md5 $(md5sum "$file" | cut -c1-32), $RUNS runs each"
for extra in "" "--resamples 0"; do
  times=()
  for _ in $(seq "$RUNS"); do
    start=$(date +%s%N)
    target/release/metajudge score --json $extra "$file" > /dev/null
    times+=($(( ($(date +%s%N) - start) / 1000 )))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  awk -v extra="$extra" -v min="${sorted[0]}" -v median="${sorted[$((RUNS / 2))]}" \
    'BEGIN { printf "bench_cli: metajudge score --json %-14s min %6.1f ms, median %6.1f ms\n", extra, min / 1000, median / 1000 }'
done
