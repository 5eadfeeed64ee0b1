#!/usr/bin/env bash
# The compile-time budget (issue 15): how long g++ takes to compile a user's program, the way a
# user builds it (-std=c++20 -O2 -march=native, one translation unit, object file only).
#   quickstart     examples/quickstart/quickstart.cpp (pipeline + printer)     budget 5 s
#   source+print   benchmarks/compile_time/source_print.cpp                    budget 8 s
#   ..._all_formats the same programs with a table of the default formats (all four codecs
#                  compiled) instead of formats<"csv", "json">, for comparison
#   ..._umbrella   the same programs including <upsertkit/upsertkit.hpp> instead of the layers'
#                  headers, for comparison
#   ..._separate   the same programs with UPSERTKIT_SEPARATE_COMPILATION, as examples/ builds
#                  them (upsertkit_separate_compilation): their file without upsertkit's
#                  non-template functions                                  budgets 5 s and 8 s
#   ..._once       the file upsertkit_separate_compilation adds, which compiles those functions
#                  once per program (the layers' headers, then separate_compilation.hpp)
# Each is compiled RUNS times (default 5), alternating, and the median reported with the range.
# Wall-clock on a shared VM is noisy: compare figures of one run. Prints a table; exits 0.
#   scripts/compile-time.sh [RUNS] [COMPILER]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cxx=${2:-g++}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umbrella() { sed -E '0,/#include <upsertkit\/[a-z_]+\.hpp>/s//#include <upsertkit\/upsertkit.hpp>/; /#include <upsertkit\/(pipeline|print|source)\.hpp>/d' "$1" >"$2"; }
cp examples/quickstart/quickstart.cpp "$work/quickstart.cpp"
cp benchmarks/compile_time/source_print.cpp "$work/source_print.cpp"
umbrella examples/quickstart/quickstart.cpp "$work/quickstart_umbrella.cpp"
umbrella benchmarks/compile_time/source_print.cpp "$work/source_print_umbrella.cpp"
all_formats() { perl -0pe 's/,\s*upsertkit::formats<[^>]*>>/>/' "$1" >"$2"; }
all_formats examples/quickstart/quickstart.cpp "$work/quickstart_all_formats.cpp"
all_formats benchmarks/compile_time/source_print.cpp "$work/source_print_all_formats.cpp"
cp examples/quickstart/quickstart.cpp "$work/quickstart_separate.cpp"
cp benchmarks/compile_time/source_print.cpp "$work/source_print_separate.cpp"
printf '#include <upsertkit/pipeline.hpp>\n#include <upsertkit/print.hpp>\n#include <upsertkit/separate_compilation.hpp>\n' >"$work/quickstart_once.cpp"
printf '#include <upsertkit/source.hpp>\n#include <upsertkit/print.hpp>\n#include <upsertkit/separate_compilation.hpp>\n' >"$work/source_print_once.cpp"
programs=(quickstart source_print quickstart_separate source_print_separate quickstart_once
  source_print_once quickstart_all_formats source_print_all_formats quickstart_umbrella
  source_print_umbrella)
declare -A budget=([quickstart]=5 [source_print]=8 [quickstart_separate]=5 [source_print_separate]=8)
flags_of() { [[ $1 == *_separate || $1 == *_once ]] && echo -DUPSERTKIT_SEPARATE_COMPILATION; true; }
for p in "${programs[@]}"; do : >"$work/$p.times"; done
for ((i = 0; i < runs; i++)); do
  for p in "${programs[@]}"; do
    start=$(date +%s%N)
    # shellcheck disable=SC2046 # no flag or one
    "$cxx" -std=c++20 -O2 -march=native $(flags_of "$p") -Iinclude -c "$work/$p.cpp" -o "$work/$p.o"
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN {printf "%.3f\n", ns / 1e9}' >>"$work/$p.times"
  done
done
printf '%-26s %8s %8s %8s %8s  %s\n' program median min max budget verdict
for p in "${programs[@]}"; do
  sort -n "$work/$p.times" >"$work/$p.sorted"
  median=$(awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}' "$work/$p.sorted")
  min=$(head -1 "$work/$p.sorted")
  max=$(tail -1 "$work/$p.sorted")
  b=${budget[$p]:-}
  verdict=""
  if [[ -n $b ]]; then
    verdict=$(awk -v m="$median" -v b="$b" 'BEGIN {print (m <= b) ? "met" : "NOT met"}')
  fi
  printf '%-26s %8.2f %8.2f %8.2f %8s  %s\n' "$p" "$median" "$min" "$max" "${b:+$b s}" "$verdict"
done
echo "($runs runs each, $("$cxx" --version | head -1), $(nproc) CPUs, $(date -u +%FT%TZ))"
