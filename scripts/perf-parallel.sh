#!/usr/bin/env bash
# Parallel workers and pass-through copy (issue 18, docs/parallelism.md) measured on a real
# broker: one workload topic, then per repetition, alternating, each contender once:
#   raw-consume          upsertkit_e2e_consume --mode raw (librdkafka's consumer, the ceiling)
#   source-1w, source-2w upsertkit_e2e_consume --mode source --workers 1|2 (materializer, no
#                        group: the workers split the partitions)
#   pipe-1w, pipe-2w     --mode pipe --guarantee at-least-once --workers 1|2 (each worker a
#                        member of the pipe's group with its own sink)
#   pass-1w, pass-2w     the same pipes with --pass-through (no state)
# Prints one line per run (records/s, the process's CPU-s, and the broker's CPU-s when this
# script started the broker, read from /proc) and the 2-worker/1-worker ratio of each pair.
#
#   scripts/perf-parallel.sh [--records N] [--keys K] [--partitions P] [--reps N]
#                            [--brokers HOST:PORT] [--out DIR] [--librdkafka DIR]
# Defaults: 2,000,000 records over 200,000 keys, 4 partitions, 3 repetitions, a broker of its
# own (port base 39092, as scripts/perf-e2e.sh). Results in DIR (default
# build/perf-parallel/<UTC timestamp>): every run's JSON line and results.txt. --librdkafka runs
# the programs with the librdkafka.so.1 in DIR (as scripts/perf-e2e.sh --librdkafka).
set -Eeuo pipefail
trap 'echo "perf-parallel: stopped: line $LINENO: \`$BASH_COMMAND\` exited with status $?" >&2' ERR
REPO="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"

records=2000000 keys=200000 partitions=4 reps=3 brokers="" out="" librdkafka_dir=""
while (($#)); do
  case "$1" in
    --records) records=$2; shift ;;
    --keys) keys=$2; shift ;;
    --partitions) partitions=$2; shift ;;
    --reps) reps=$2; shift ;;
    --brokers) brokers=$2; shift ;;
    --out) out=$2; shift ;;
    --librdkafka) librdkafka_dir=$2; shift ;;
    -h | --help) sed -n '2,/^set -E/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "perf-parallel: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
log() { printf 'perf-parallel: %s\n' "$*" >&2; }
out=${out:-build/perf-parallel/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out="$(cd "$out" && pwd -P)"

scripts/install-deps.sh
cmake --preset release -DUPSERTKIT_BUILD_BENCHMARKS=ON >/dev/null
cmake --build --preset release --target upsertkit_e2e_workload upsertkit_e2e_consume
bin=build/release/benchmarks
if [[ -n $librdkafka_dir ]]; then
  [[ -f $librdkafka_dir/librdkafka.so.1 ]] ||
    { echo "perf-parallel: --librdkafka $librdkafka_dir: no librdkafka.so.1 there" >&2; exit 2; }
  export LD_LIBRARY_PATH="$(cd "$librdkafka_dir" && pwd -P)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  log "librdkafka: $librdkafka_dir/librdkafka.so.1 (LD_LIBRARY_PATH)"
fi

# shellcheck source=scripts/lib/perf-broker.sh
source scripts/lib/perf-broker.sh
perf_broker_start

topic=orders-parallel-$records-$keys-$partitions
log "workload: $records records over $keys keys into $topic ($partitions partitions)"
"$bin/upsertkit_e2e_workload" --brokers "$brokers" --topic "$topic" --partitions "$partitions" \
  --records "$records" --keys "$keys" --seed 42 --expect "$out/expect.json" --recreate

results=$out/results.txt
: >"$results"
run() { # NAME REP ARGS...: one run, its line into results.txt
  local name=$1 rep=$2
  shift 2
  local before after json
  before=$(perf_broker_cpu)
  json=$("$bin/upsertkit_e2e_consume" --brokers "$brokers" --topic "$topic" "$@" \
    2>"$out/$name.$rep.err" | tail -n 1)
  after=$(perf_broker_cpu)
  printf '%s\n' "$json" >"$out/$name.$rep.json"
  python3 - "$name" "$rep" "$json" "${before:-}" "${after:-}" <<'EOF' | tee -a "$results"
import json, sys
name, rep, line, before, after = sys.argv[1:6]
d = json.loads(line)
broker = f"{float(after) - float(before):.2f}" if before and after else "-"
print(f"{name:10} rep {rep}  {d['records'] / d['seconds']:>12,.0f} records/s  wall {d['seconds']:6.2f} s"
      f"  process CPU {d['cpu_seconds']:6.2f} s  broker CPU {broker:>6} s"
      f"  +I {d['inserts']} +U {d['update_afters']} -D {d['deletes']}")
EOF
}

for ((rep = 1; rep <= reps; ++rep)); do
  run raw-consume "$rep" --mode raw
  run source-1w "$rep" --mode source --workers 1
  run source-2w "$rep" --mode source --workers 2
  for workers in 1 2; do
    run "pipe-${workers}w" "$rep" --mode pipe --guarantee at-least-once --workers "$workers" \
      --out-topic "$topic-pipe-$workers-$rep" --partitions "$partitions" --drop-topic \
      --properties heartbeat.interval.ms=300
  done
  for workers in 1 2; do
    run "pass-${workers}w" "$rep" --mode pipe --guarantee at-least-once --workers "$workers" \
      --pass-through --out-topic "$topic-pass-$workers-$rep" --partitions "$partitions" \
      --drop-topic --properties heartbeat.interval.ms=300
  done
done

python3 - "$results" <<'EOF'
import re, sys
rates = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\S+)\s+rep (\d+)\s+([\d,]+) records/s", line)
    if m:
        rates[(m.group(1), int(m.group(2)))] = float(m.group(3).replace(",", ""))
reps = sorted({r for _, r in rates})
for base in ("source", "pipe", "pass"):
    ratios = [rates[(f"{base}-2w", r)] / rates[(f"{base}-1w", r)] for r in reps
              if (f"{base}-2w", r) in rates and (f"{base}-1w", r) in rates]
    print(f"{base}: 2 workers / 1 worker, each rep: " + ", ".join(f"{x:.2f}x" for x in ratios))
for r in reps:
    if ("pass-1w", r) in rates and ("pipe-1w", r) in rates:
        print(f"rep {r}: pass-through / normalized pipe (1 worker): "
              f"{rates[('pass-1w', r)] / rates[('pipe-1w', r)]:.2f}x")
EOF
log "results in $out"
