#!/usr/bin/env bash
# Benchmark of issue 12, rows 2 and 4 (memory that grew with rows x models; quadratic paths):
# time and peak memory of `metajudge score` (release build) on one row with 16,000 model keys,
# on one answer with 160,000 score lines, and on 8,000 rows each naming a new model, generated
# by tests/fixtures/gen_hostile.py. Prints figures; asserts nothing (timings belong to
# benchmarks, not tests). Needs GNU time (/usr/bin/time -v).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --bin metajudge
bin=${CARGO_TARGET_DIR:-target}/release/metajudge
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for shape in "keys 16000" "lines 160000" "models 8000"; do
  file="$dir/${shape// /-}.jsonl"
  python3 tests/fixtures/gen_hostile.py $shape > "$file"
  /usr/bin/time -v "$bin" score "$file" > /dev/null 2> "$dir/time" || true
  seconds=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time")
  peak=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time")
  printf 'bench_hostile: %-13s %8d bytes  wall %s  peak %s KB\n' \
    "$shape" "$(wc -c < "$file")" "$seconds" "$peak"
done
# Issue 12, row 3 (files held whole, then copied): a judged file of about BIG_MB megabytes
# (default 1024), the 22,116-row judged file of the speed issue repeated. The bound to read it
# against: peak <= 2x the file plus a constant.
big_mb=${BIG_MB:-1024}
python3 tests/fixtures/gen_fixtures.py outputs --n 22116 --model judge-big --seed 5 > "$dir/unit.jsonl"
unit=$(wc -c < "$dir/unit.jsonl")
copies=$(( (big_mb * 1024 * 1024 + unit - 1) / unit ))
for _ in $(seq "$copies"); do cat "$dir/unit.jsonl"; done > "$dir/big.jsonl"
rm -f "$dir/unit.jsonl"
/usr/bin/time -v "$bin" score --resamples 0 "$dir/big.jsonl" > /dev/null 2> "$dir/time" || true
seconds=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time")
peak=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time")
size=$(wc -c < "$dir/big.jsonl")
printf 'bench_hostile: %-13s %8d bytes  wall %s  peak %s KB (%.2fx the file; --resamples 0)\n' \
  "big file" "$size" "$seconds" "$peak" "$(awk -v p="$peak" -v s="$size" 'BEGIN { print p * 1024 / s }')"
