#!/usr/bin/env bash
# Instructions per record of the JSON decoders (benchmarks/instruction_count.cpp) under
# valgrind's callgrind: stable across runs where wall-clock time on a shared VM is not; and of
# the JSON encoder (`encode`: each decoded row written back). `ours` is decode() (its
# flat-object fast path where it applies), `general` decode_general() (simdjson's walk).
#   scripts/instruction-count.sh [BINARY]   (default: build/release/benchmarks/upsertkit_instruction_count)
#   scripts/instruction-count.sh --e2e [BINARY]
#       decode (CSV key + JSON value) + materialize per record of the end-to-end benchmark's
#       workload (50,000 records); prints `decode+materialize N instructions/record` for the
#       records applied one by one (`upsert_pipeline::apply(key, value)`) and `... (batches)` for
#       the same records in batches of 256, as the Kafka sources apply them
#   scripts/instruction-count.sh --nested [BINARY]
#       the nested table of benchmarks/nested_bench.cpp: the hand-written simdjson reader and
#       upsertkit's JSON decoder, instructions/record each and the ratio (default BINARY:
#       build/release/benchmarks/upsertkit_nested_instruction_count)
#   scripts/instruction-count.sh --materialize [BINARY]
#       the materializer alone, record by record, on BM_Materialize's workload at a fifth of its
#       size (200,000 changes over 20,000 keys); prints `materialize N instructions/change`
set -euo pipefail
e2e=false
materialize=false
nested=false
if [[ ${1:-} == --nested ]]; then
  nested=true
  shift
elif [[ ${1:-} == --e2e ]]; then
  e2e=true
  shift
elif [[ ${1:-} == --materialize ]]; then
  materialize=true
  shift
fi
if $nested; then
  bin=${1:-build/release/benchmarks/upsertkit_nested_instruction_count}
else
  bin=${1:-build/release/benchmarks/upsertkit_instruction_count}
fi
records=10000
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
total() {
  valgrind --tool=callgrind --callgrind-out-file="$out/$1.out" "$bin" "$1" >/dev/null 2>"$out/$1.log"
  awk '/^summary:/ {print $2}' "$out/$1.out"
}
if $nested; then
  base=$(total none)
  b=$((($(total baseline) - base) / records))
  o=$((($(total ours) - base) / records))
  printf '%-16s %6s instructions/record\n' nested-baseline "$b" nested "$o"
  awk -v b="$b" -v o="$o" 'BEGIN { printf "nested: %.2fx the baseline'"'"'s speed\n", b / o }'
  exit 0
fi
if $materialize; then
  base=$(total materialize-none)
  full=$(total materialize)
  printf 'materialize %d instructions/change\n' $(((full - base) / 200000))
  exit 0
fi
if $e2e; then
  base=$(total e2e-none)
  full=$(total e2e)
  batches=$(total e2e-batch)
  printf 'decode+materialize %d instructions/record\n' $(((full - base) / 50000))
  printf 'decode+materialize (batches) %d instructions/record\n' $(((batches - base) / 50000))
  exit 0
fi
none=$(total none)
baseline=$(total baseline)
ours=$(total ours)
general=$(total general)
shuffled=$(total shuffled)
encode=$(total encode)
per() { echo $((($1 - none) / records)); }
b=$(per "$baseline") o=$(per "$ours") g=$(per "$general") s=$(per "$shuffled")
e=$(((encode - ours) / records))
printf '%-10s %6s instructions/record\n' baseline "$b" ours "$o" general "$g" shuffled "$s" \
  encode "$e"
awk -v b="$b" -v o="$o" -v g="$g" -v s="$s" 'BEGIN {
  printf "ours: %.2fx the baseline'"'"'s speed (general path: %.2fx); shuffled: %.2fx the in-order cost\n",
    b / o, b / g, s / o }'
