#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz for SECONDS each (default 600) on seeds made
# from the fixtures, and prints a table: runs, corpus, crashes/leaks/timeouts, slowest
# input. An input slower than 1 s, a crash, a leak or more than 2 GB of memory fails the
# target; the script exits non-zero when any target failed (their reproducers stay in
# BUILD_DIR/fuzz-out/NAME/).
# Usage: bench/fuzz.sh [SECONDS] [BUILD_DIR]   (BUILD_DIR default build-fuzz, configured
# here with clang, ASan+UBSan and GEOADMIN_BUILD_FUZZERS=ON when it does not exist)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
dir=${2:-build-fuzz}
if [ ! -f "$dir/CMakeCache.txt" ]; then
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  CC=clang CXX=clang++ cmake -S . -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGEOADMIN_SANITIZE=ON -DGEOADMIN_BUILD_FUZZERS=ON -DGEOADMIN_BUILD_TESTS=OFF >/dev/null
fi
# FUZZ_TARGETS="a b" runs only those (two invocations can share the cores).
read -r -a targets <<<"${FUZZ_TARGETS:-values scheme romanize rules names boundaries}"
cmake --build "$dir" --parallel "$(nproc)" --target "${targets[@]/#/geoadmin_fuzz_}"
dir=$(cd "$dir" && pwd)
seeds="$dir/fuzz-seeds-$$"
tests/fuzz/make_seeds.sh "$seeds" >/dev/null
trap 'rm -rf "$seeds"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
printf '%-11s %8s %10s %8s %10s  %s\n' target seconds runs corpus "slowest" result
for t in "${targets[@]}"; do
  out="$dir/fuzz-out/$t"
  rm -rf "$out"
  mkdir -p "$out/corpus"
  log="$out/log.txt"
  status=0
  # -timeout=1: an input that takes more than a second is a failure, as a crash is.
  (cd "$out" && "$dir/tests/fuzz/geoadmin_fuzz_$t" -max_total_time="$seconds" -timeout=1 \
    -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 -report_slow_units=1 \
    corpus "$seeds/$t") >"$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  corpus=$(find "$out/corpus" -type f | wc -l)
  slowest=$(grep -o 'Slowest unit: [0-9]* s' "$log" | grep -o '[0-9]*' | sort -n | tail -1 || true)
  result=ok
  if [ "$status" -ne 0 ]; then
    result="FAILED ($(grep -m1 -o 'ERROR: [A-Za-z]*: [a-z -]*\|ERROR: libFuzzer: [a-z -]*' "$log" || echo "exit $status"))"
    failed=1
  fi
  printf '%-11s %8s %10s %8s %10s  %s\n' "$t" "$seconds" "$runs" "$corpus" "${slowest:-<1}s" "$result"
done
exit "$failed"
