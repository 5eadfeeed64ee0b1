#!/usr/bin/env bash
# Builds the fuzz targets of tests/fuzz with clang 14 and libFuzzer (ASan + UBSan) and runs
# each for a bounded time, starting from its seed corpus in tests/fuzz/corpus/<target>.
#
#   scripts/fuzz.sh [seconds-per-target]     (default 60)
#
# The build is build/fuzz: the clang preset's compiler and target flags (UPSERTKIT_ARCH_FLAGS,
# warnings as errors) plus the asan preset's sanitizer flags and -fsanitize=fuzzer. Inputs
# libFuzzer finds go to build/fuzz/corpus/<target> (never into git); a crash, leak, timeout or
# out-of-memory fails the target and leaves its reproducer in build/fuzz/findings/<target>/:
# fix the bug, then copy the reproducer into the seed corpus (docs/fuzzing.md).
# Ends with one line "fuzz: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
build=build/fuzz
targets=(json_decode csv_decode key_partition pipeline materializer state_dir)

passed=0
failed=0
if ! cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++-14 \
  -DUPSERTKIT_WARNINGS_AS_ERRORS=ON -DUPSERTKIT_FUZZ=ON -DUPSERTKIT_ROCKSDB=ON -DUPSERTKIT_BUILD_EXAMPLES=OFF \
  -DUPSERTKIT_BUILD_BENCHMARKS=OFF -DUPSERTKIT_INSTALL=OFF \
  "-DCMAKE_CXX_FLAGS_DEBUG=-g1" "-DCMAKE_CXX_FLAGS=-O1 -g1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
  "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" >/dev/null ||
  ! cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/upsertkit_fuzz_}"; then
  echo "fuzz: the fuzz targets did not build"
  echo "fuzz: 0 passed, ${#targets[@]} failed"
  exit 1
fi

# One target runs per core at a time (each libFuzzer process uses one).
run_target() { # NAME: its verdict goes to $build/NAME.verdict
  local name=$1
  local corpus=$build/corpus/$name findings=$build/findings/$name log=$build/$name.log
  mkdir -p "$corpus" "$findings"
  local dict=()
  [[ -f tests/fuzz/$name.dict ]] && dict=("-dict=tests/fuzz/$name.dict")
  # -timeout: one input taking this long is a finding (a hang); -rss_limit_mb: so is this much
  # memory. Leaks are reported by LeakSanitizer at the end of each input.
  if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/tests/fuzz/upsertkit_fuzz_$name" -max_total_time="$seconds" -timeout=20 \
    -rss_limit_mb=2560 -max_len=4096 -print_final_stats=1 -artifact_prefix="$findings/" \
    "${dict[@]}" "$corpus" "tests/fuzz/corpus/$name" >"$log" 2>&1; then
    local runs
    runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n 1)
    echo "fuzz $name: ok (${runs:-?} inputs in ${seconds} s)" >"$build/$name.verdict"
  else
    {
      tail -n 60 "$log"
      echo "fuzz $name: FAILED (log $log, reproducer in $findings/)"
    } >"$build/$name.verdict"
  fi
}

cores=$(nproc)
running=0
for name in "${targets[@]}"; do
  rm -f "$build/$name.verdict"
  run_target "$name" &
  running=$((running + 1))
  if ((running >= cores)); then
    wait -n
    running=$((running - 1))
  fi
done
wait
for name in "${targets[@]}"; do
  if [[ -f $build/$name.verdict ]] && tail -n 1 "$build/$name.verdict" | grep -q ': ok ('; then
    cat "$build/$name.verdict"
    passed=$((passed + 1))
  else
    cat "$build/$name.verdict" 2>/dev/null || echo "fuzz $name: FAILED (no verdict)"
    failed=$((failed + 1))
  fi
done

echo "fuzz: $passed passed, $failed failed"
[[ $failed == 0 ]]
