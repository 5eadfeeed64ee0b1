#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is missing, then
#   0. the README's demo command (scripts/demo.sh) on this clone: its output must be the seed's
#      Example 1 changelog (the two README commands work in either order);
#   1. ASan+UBSan build (g++): unit tests, embedded-cluster tests, replay cases, header and
#      compile-fail checks, examples' output (the fuzz corpus replay is left to stage 3c);
#   2. the integration tests on a real Apache Kafka broker (KRaft, 127.0.0.1), fetched from
#      Maven Central and started by scripts/broker-tests.sh: they fail if it cannot start;
#   2b. the Flink SQL conformance stage (scripts/flink-conformance.sh, run niced beside stages 1
#      and 2): real Flink SQL 1.20.3 and upsertkit read the same topics (a broker of its own),
#      their printed changelogs must be identical, and Flink must read upsertkit's sink topics
#      back as the same changelog;
#   3. clang 14 build, -O1 -DNDEBUG (built at the lowest priority while stages 1 and 2 test): the
#      same unit tests (except the per-header checks and the fuzz corpus replay, which stages
#      1 and 3c cover), warnings as errors;
#   3b. packaging (scripts/packaging-tests.sh, its checks one per core): install,
#      find_package, pkg-config, add_subdirectory, FetchContent, vcpkg port, API reference,
#      conan create, the RocksDB component;
#   3c. fuzzing (scripts/fuzz.sh): each libFuzzer target for 10 s (after its seed corpus); a
#      finding fails it (longer runs by hand: docs/fuzzing.md);
#   4. release build (g++): the benchmarks, run once briefly as a smoke test (no timing is
#      asserted: speed is reported in docs/performance.md).
# Ends with one line "tests: N passed, M failed"; when something failed, a "== what failed"
# section before it names each failed test with the end of its output (CI keeps only the end of
# the log, and a test that fails once in many runs must be identifiable from that alone).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

jobs=$(nproc)
total_passed=0
total_failed=0
log=$(mktemp)
clang_log=$(mktemp)
flink_log=$(mktemp)
failures=$(mktemp)
trap 'rm -f "$log" "$clang_log" "$flink_log" "$failures"' EXIT

# Appends to $failures what a stage's log says of its failed tests. STAGE is shown as is; KIND
# says how its log is laid out: ctest (a failed test's status line, then its output, with
# outputOnFailure), gtest (from "[ RUN ]" to "[ FAILED ] name (N ms)"), lines (lines with
# FAILED, each with the few lines after it).
note_failures() { # STAGE KIND LOG
  local stage=$1 kind=$2 file=$3
  case $kind in
    ctest)
      awk -v stage="$stage" '
        function flush(  i, from) {
          if (!keep) return
          print "-- " stage ": " head
          from = n > 40 ? n - 40 : 0
          for (i = from; i < n; i++) print "   " buf[i % 40]
          keep = 0
        }
        /^ *[0-9]+\/[0-9]+ Test +#[0-9]+: / {
          flush()
          if ($0 !~ / Passed +[0-9.]+ sec$/) { keep = 1; head = $0; n = 0 }
          next
        }
        /^ *Start +[0-9]+: / || /tests passed, [0-9]+ tests? failed out of/ { flush(); next }
        keep { buf[n % 40] = $0; n++ }
        END { flush() }' "$file" >>"$failures"
      ;;
    gtest)
      awk -v stage="$stage" '
        /^\[ RUN +\] / { n = 0 }
        { buf[n % 60] = $0; n++ }
        /^\[ +FAILED +\] .*\(/ {
          print "-- " stage ": " $0
          from = n > 60 ? n - 60 : 0
          for (i = from; i < n; i++) print "   " buf[i % 60]
        }' "$file" >>"$failures"
      ;;
    lines)
      grep -A 6 -E 'FAILED' "$file" | sed "s/^/-- $stage: /" >>"$failures" || true
      ;;
  esac
}

run_ctest() { # PRESET PARALLEL [CTEST ARGUMENTS...]
  local preset=$1 parallel=$2
  shift 2
  set +e
  ctest --preset "$preset" -j "$parallel" "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  local line
  line=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$log" | tail -n 1)
  local failed total
  failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  total=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
  total_passed=$((total_passed + total - failed))
  total_failed=$((total_failed + failed))
  if [[ $status != 0 && $failed == 0 ]]; then total_failed=$((total_failed + 1)); fi
  if [[ $status != 0 ]]; then note_failures "ctest $preset" ctest "$log"; fi
}

echo "== the demo (scripts/demo.sh), as the README runs it [at ${SECONDS} s]"
if scripts/demo.sh >"$log" 2>/dev/null && diff -u examples/orders/seed-example-1.expected "$log"; then
  total_passed=$((total_passed + 1))
  echo "demo: ok"
else
  total_failed=$((total_failed + 1))
  cat "$log"
  echo "demo: FAILED (its output is not examples/orders/seed-example-1.expected)"
  echo "-- demo: its output is not examples/orders/seed-example-1.expected (log above)" >>"$failures"
fi

echo "== ASan + UBSan (g++) [at ${SECONDS} s]"
# Without the fuzz targets' corpus replay (~200 CPU-s of build): the fuzzing stage runs every
# seed under ASan + UBSan (clang 14, libFuzzer) before it fuzzes.
cmake --preset asan -DUPSERTKIT_FUZZ_REPLAY=OFF >/dev/null
cmake --build --preset asan -j "$jobs"

# The clang stage's build runs beside the ASan tests and the broker tests, at the lowest
# priority: those tests spend much of their time waiting (on the embedded cluster's and the
# broker's timers, on throttled consumers), and the build takes the idle cores; the tests keep
# the cores whenever they want them. Without the fuzz targets' corpus replay (the fuzzing stage
# runs every seed with clang 14) and the real-broker tests (~140 CPU-s; built and run in the
# ASan stage, never run here).
# At -O1 rather than the preset's -O3: the stage is there for clang's diagnostics and for the
# tests' verdicts under a second compiler, and -O3 cost ~16% more compile time (json_test.cpp
# 22.6 s against 18.9 s) on the test command's longest path. Optimized code is still tested:
# the ASan build is -O1 too, the benchmarks' smoke run is g++ -O3, codegen.prefetches_kept
# builds its probe at -O3.
(
  cmake --preset clang -DUPSERTKIT_FUZZ_REPLAY=OFF -DUPSERTKIT_BUILD_BROKER_TESTS=OFF \
    "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG" &&
    nice -n 19 cmake --build --preset clang -j "$jobs"
) >"$clang_log" 2>&1 &
clang_build=$!

# The Flink SQL conformance stage runs beside them too, at a priority between the tests' and the
# clang build's: it waits on Maven, JVM start-ups and its own broker (port base 29092) about as
# much as it computes. Its result is counted after the broker tests.
(nice -n 10 scripts/flink-conformance.sh) >"$flink_log" 2>&1 &
flink_stage=$!

# Twice as many tests as cores: the longest ones spend their time waiting for group
# rebalances and commit intervals of the embedded cluster, not on a core. (Four times as many
# took longer under ASan: 251 s against 232 s, the tests then used 1.8 cores.)
run_ctest asan "$((jobs * 2))"

echo "== real Kafka broker (integration tests, ASan build) [at ${SECONDS} s]"
set +e
scripts/broker-tests.sh build/asan/tests/upsertkit_broker_tests 2>&1 | tee "$log"
broker_status=${PIPESTATUS[0]}
set -e
broker_passed=$(grep -cE '^\[ +OK \] ' "$log" || true)
broker_failed=$(grep -cE '^\[ +FAILED +\] .*\(' "$log" || true)
total_passed=$((total_passed + broker_passed))
total_failed=$((total_failed + broker_failed))
if [[ $broker_status != 0 && $broker_failed == 0 ]]; then total_failed=$((total_failed + 1)); fi
if [[ $broker_status != 0 ]]; then
  note_failures "real broker" gtest "$log"
  ((broker_failed > 0)) || tail -n 40 "$log" | sed 's/^/-- real broker: /' >>"$failures"
fi

echo "== Flink SQL conformance (scripts/flink-conformance.sh, beside the stages above) [at ${SECONDS} s]"
flink_status=0
wait "$flink_stage" || flink_status=$?
cat "$flink_log"
counts=$(sed -nE 's/^flink-conformance: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$flink_log" | tail -n 1)
read -r flink_passed flink_failed <<<"${counts:-0 0}"
total_passed=$((total_passed + flink_passed))
total_failed=$((total_failed + flink_failed))
if [[ $flink_status != 0 && $flink_failed == 0 ]]; then total_failed=$((total_failed + 1)); fi
if [[ $flink_status != 0 ]]; then
  note_failures "flink" lines "$flink_log"
  grep -E '^flink-conformance: ' "$flink_log" | tail -n 8 | sed 's/^/-- flink: /' >>"$failures" || true
fi

echo "== clang 14 (-O1, NDEBUG) [at ${SECONDS} s]"
clang_status=0
wait "$clang_build" || clang_status=$?
# What the build said (ninja's progress lines left out: with warnings as errors, a diagnostic
# is a failure, and it is shown in full).
grep -vE '^\[[0-9]+/[0-9]+\] ' "$clang_log" || true
if ((clang_status != 0)); then
  total_failed=$((total_failed + 1))
  echo "clang build: FAILED"
  grep -vE '^\[[0-9]+/[0-9]+\] ' "$clang_log" | grep -m 20 -E 'error|FAILED' | sed 's/^/-- clang build: /' >>"$failures" || true
else
  # Each public header compiled alone (header_check.upsertkit/...) is checked with g++ in the
  # ASan stage. With clang, which reads the same libstdc++, the 50 checks would repeat that for
  # ~170 CPU-s; clang's own diagnostics on every header come from this stage's build (the tests
  # include every header, warnings as errors).
  # Four times as many tests as cores: without ASan they wait more than they compute (at
  # twice as many: 135 s for 1.3 cores' work; at four times: 105 s).
  run_ctest clang "$((jobs * 4))" -E '^header_check\.upsertkit/'
fi

echo "== packaging (scripts/packaging-tests.sh) [at ${SECONDS} s]"
set +e
scripts/packaging-tests.sh 2>&1 | tee "$log"
packaging_status=${PIPESTATUS[0]}
set -e
counts=$(sed -nE 's/^packaging: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$log" | tail -n 1)
read -r packaging_passed packaging_failed <<<"${counts:-0 0}"
total_passed=$((total_passed + packaging_passed))
total_failed=$((total_failed + packaging_failed))
if [[ $packaging_status != 0 && $packaging_failed == 0 ]]; then total_failed=$((total_failed + 1)); fi
if [[ $packaging_status != 0 ]]; then note_failures packaging lines "$log"; fi

echo "== fuzzing (scripts/fuzz.sh, clang 14 + libFuzzer, 10 s per target) [at ${SECONDS} s]"
set +e
scripts/fuzz.sh 10 2>&1 | tee "$log"
fuzz_status=${PIPESTATUS[0]}
set -e
counts=$(sed -nE 's/^fuzz: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$log" | tail -n 1)
read -r fuzz_passed fuzz_failed <<<"${counts:-0 0}"
total_passed=$((total_passed + fuzz_passed))
total_failed=$((total_failed + fuzz_failed))
if [[ $fuzz_status != 0 && $fuzz_failed == 0 ]]; then total_failed=$((total_failed + 1)); fi
if [[ $fuzz_status != 0 ]]; then note_failures fuzzing lines "$log"; fi

echo "== benchmarks (release, smoke run) [at ${SECONDS} s]"
# Every option this stage needs is given: another script may have left others in the cache.
cmake --preset release -DUPSERTKIT_BUILD_TESTS=OFF -DUPSERTKIT_BUILD_BENCHMARKS=ON >/dev/null
cmake --build --preset release -j "$jobs" --target upsertkit_core_bench upsertkit_nested_bench
for bench in upsertkit_core_bench upsertkit_nested_bench; do
  if "build/release/benchmarks/$bench" --benchmark_min_time=0.01 >"$log" 2>&1; then
    total_passed=$((total_passed + 1))
    echo "benchmark smoke run ($bench): ok"
  else
    total_failed=$((total_failed + 1))
    cat "$log"
    echo "benchmark smoke run ($bench): FAILED"
    tail -n 20 "$log" | sed "s/^/-- benchmark $bench: /" >>"$failures"
  fi
done

echo "== done [at ${SECONDS} s]"
if [[ -s $failures ]]; then
  echo "== what failed (each stage's own output above has it in full)"
  cat "$failures"
fi
echo "tests: $total_passed passed, $total_failed failed"
[[ $total_failed == 0 ]]
