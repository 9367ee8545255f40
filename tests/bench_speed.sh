#!/usr/bin/env bash
# Benchmark of issue 9 (a fast engine): `metajudge score --json` (release build) against the
# reference analysis script on the 22,116-row judged file (`gen_fixtures.py outputs --n 22116
# --model judge-big --seed 5`, 57.7 MB), runs interleaved so that both see the same machine.
# Prints each run's wall time and peak memory, the medians and the ratio, and whether the
# figures the script gives are equal to 1e-12. Asserts nothing (timings belong to benchmarks).
#
#   REFERENCE_SCRIPT=path/to/RationaleRM/metajudge_analysis.py tests/bench_speed.sh
#
# The reference script is not part of this repository; without REFERENCE_SCRIPT only this
# engine's figures are printed. It needs numpy: installed into ~/.cache/metajudge/bench-venv
# when missing. The published script does not compile past `analyze_single_file` (an indent
# error in `analyze_directory`), so tests/bench_reference.py runs the part before it, which is
# the function the fixtures' expected figures come from. RUNS (default 5) sets the runs.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
cargo build --quiet --release --bin metajudge
bin=${CARGO_TARGET_DIR:-target}/release/metajudge
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
file="$dir/judged-22116.jsonl"
python3 tests/fixtures/gen_fixtures.py outputs --n 22116 --model judge-big --seed 5 > "$file"
echo "bench_speed: $(wc -c < "$file") bytes, 22116 rows, $RUNS runs each, interleaved"

python=
if [ -n "${REFERENCE_SCRIPT:-}" ]; then
  venv=${METAJUDGE_TOOLS:-$HOME/.cache/metajudge}/bench-venv
  if ! "$venv/bin/python" -c 'import numpy' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet numpy
  fi
  python="$venv/bin/python"
fi

# One timed run: prints "seconds peak_kb" and leaves the output in $dir/out.
timed() {
  /usr/bin/time -f '%e %M' -o "$dir/time" "$@" > "$dir/out"
  cat "$dir/time"
}
declare -A secs peaks
labels=("metajudge score --json" "metajudge score --json --resamples 0")
[ -n "$python" ] && labels+=("reference script")
for run in $(seq "$RUNS"); do
  for label in "${labels[@]}"; do
    case $label in
      "reference script") read -r s m < <(timed "$python" tests/bench_reference.py "$REFERENCE_SCRIPT" "$file" judge-big)
                          cp "$dir/out" "$dir/reference.json" ;;
      *--resamples*)      read -r s m < <(timed "$bin" score --json --resamples 0 "$file") ;;
      *)                  read -r s m < <(timed "$bin" score --json "$file")
                          cp "$dir/out" "$dir/ours.json" ;;
    esac
    printf 'bench_speed: run %d  %-40s %6.2f s  peak %7d KB\n' "$run" "$label" "$s" "$m"
    secs[$label]+="$s "
    peaks[$label]=$m
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo
for label in "${labels[@]}"; do
  printf 'bench_speed: median %-40s %6.2f s  peak %7d KB\n' "$label" "$(echo "${secs[$label]}" | median)" "${peaks[$label]}"
done
if [ -n "$python" ]; then
  ref=$(echo "${secs["reference script"]}" | median)
  for label in "${labels[@]:0:2}"; do
    awk -v r="$ref" -v o="$(echo "${secs[$label]}" | median)" -v l="$label" \
      'BEGIN { printf "bench_speed: the reference script takes %.1fx the time of %s\n", r / o, l }'
  done
  python3 - "$dir/reference.json" "$dir/ours.json" <<'EOF'
import json, sys
ref = json.load(open(sys.argv[1]))
ours = json.load(open(sys.argv[2]))[0]
names = {"total_samples": "total", "valid_samples": "valid", "error_samples": "errors",
         "average_precision": "ap"}
worst = max(abs(float(ref[k]) - float(ours[names.get(k, k)])) for k in ref if k != "model")
print(f"bench_speed: figures of the script vs score --json: largest difference {worst:.3g}",
      "(equal to 1e-12)" if worst <= 1e-12 else "(NOT EQUAL)")
EOF
fi
