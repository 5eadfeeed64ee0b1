#!/usr/bin/env bash
# The end-to-end benchmark of issue 7 in one command (docs/performance.md, "End to end on a
# real broker"): installs what is missing, builds, starts a real Kafka broker, writes the
# workload topic, runs every contender on it, checks their changelog counts against the
# generator's, counts instructions per record with callgrind, and writes the report and chart.
#
# Contenders (benchmarks/e2e/, benchmarks/peers/), each reading or writing the whole topic:
#   raw-consume       upsertkit_e2e_consume --mode raw: librdkafka consumer, counts only (ceiling)
#   parse             upsertkit_e2e_consume --mode parse: the same plus raw simdjson On-Demand
#                     over every value, nothing materialized (the JSON-parse ceiling)
#   upsertkit-source  upsertkit_e2e_consume --mode source: upsert_source into the materializer
#   kafka-streams     benchmarks/peers/kafka-streams: a KTable in RocksDB (java -jar)
#   flink             benchmarks/peers/flink: the seed's upsert-kafka DDL, mini-cluster (java -jar)
#   raw-produce       upsertkit_e2e_produce --mode raw: librdkafka producer (ceiling)
#   sink              upsertkit_e2e_produce --mode sink: upsert_sink writing the changelog
#   sink-buffered     upsertkit_e2e_produce --mode sink-buffered: the same, reducing buffer on
#   pipe-at-least-once  upsertkit_e2e_consume --mode pipe --guarantee at-least-once: the source
#                     in a group feeding the sink (workload topic -> a new topic), flushing the
#                     sink before each commit (every --pipe-commit-interval ms, default 100)
#   pipe-exactly-once the same with sink.delivery-guarantee exactly-once: the source's offsets
#                     committed in the sink's transaction
#
#   scripts/perf-e2e.sh [--records N] [--keys K] [--partitions P] [--seed S] [--quick]
#                       [--brokers HOST:PORT] [--no-peers] [--reps N] [--jvm-reps N]
#                       [--out DIR] [--no-doc] [--pipe-commit-interval MS] [--librdkafka DIR]
#
#   --quick       200,000 records over 20,000 keys (a smoke run; the report says which sizes ran)
#   --brokers     use this cluster instead of starting one (orders-e2e-* topics are deleted and
#                 created on it)
#   --no-peers    skip the JVM peers (Kafka Streams, Flink)
#   --reps        repetitions of each C++ contender (median reported; default 3)
#   --jvm-reps    repetitions of each JVM peer (default 1)
#   --out         results directory (default build/perf-e2e/<UTC timestamp>)
#   --no-doc      write the report into the results directory only, not docs/
#   --librdkafka  run the C++ contenders with the librdkafka.so.1 in DIR instead of the system's
#                 (LD_LIBRARY_PATH; scripts/librdkafka-from-pypi.sh fetches a newer one); each
#                 contender's line names the version it ran with
#
# Env: UPSERTKIT_E2E_TIMEOUT (seconds one contender may run, default 1800);
# UPSERTKIT_KAFKA_PORT_BASE / UPSERTKIT_KAFKA_STATE choose the broker's ports and state
# directory (defaults 39092 and .cache/kafka-perf-e2e, apart from the integration tests');
# UPSERTKIT_PEER_JVM_OPTS adds JVM options to both peers; benchmarks/peers/jvm-options-<peer>.txt
# (one option per line, # comments) adds options to one peer.
#
# Exit status: 0 when every contender ran and every count agrees with the generator's;
# 1 otherwise (the report is written anyway and says what disagreed).
set -Eeuo pipefail
# Every early exit says why: a command that fails under `set -e` names itself and its line.
trap 'echo "perf-e2e: stopped: line $LINENO: \`$BASH_COMMAND\` exited with status $?" >&2' ERR

REPO="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"

records=2000000 keys=200000 partitions=4 seed=42
brokers="" brokers_given=false peers=true reps=3 jvm_reps=1 out="" write_doc=true quick=false
pipe_commit_interval=100 librdkafka_dir=""
command_line="scripts/perf-e2e.sh $*"
while (($#)); do
  case "$1" in
    --records) records=$2; shift ;;
    --keys) keys=$2; shift ;;
    --partitions) partitions=$2; shift ;;
    --seed) seed=$2; shift ;;
    --brokers) brokers=$2 brokers_given=true; shift ;;
    --no-peers) peers=false ;;
    --quick) quick=true ;;
    --reps) reps=$2; shift ;;
    --jvm-reps) jvm_reps=$2; shift ;;
    --out) out=$2; shift ;;
    --no-doc) write_doc=false ;;
    --pipe-commit-interval) pipe_commit_interval=$2; shift ;;
    --librdkafka) librdkafka_dir=$2; shift ;;
    -h | --help) sed -n '2,/^set -E/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "perf-e2e: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if $quick; then
  # Explicit sizes win over --quick's.
  [[ $command_line == *--records* ]] || records=200000
  [[ $command_line == *--keys* ]] || keys=20000
fi

log() { printf '\nperf-e2e: %s\n' "$*" >&2; }
if [[ -n $librdkafka_dir ]]; then
  if [[ ! -f $librdkafka_dir/librdkafka.so.1 ]]; then
    echo "perf-e2e: --librdkafka $librdkafka_dir: no librdkafka.so.1 there" >&2
    exit 2
  fi
  librdkafka_dir="$(cd "$librdkafka_dir" && pwd -P)"
fi
out=${out:-build/perf-e2e/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out="$(cd "$out" && pwd -P)"
failures=()
contender_timeout=${UPSERTKIT_E2E_TIMEOUT:-1800}

# ---------------------------------------------------------------------------- prerequisites
log "dependencies"
scripts/install-deps.sh
log "build (release preset: the e2e programs and the instruction counter)"
# Benchmarks on, whatever another script left in build/release's cache.
cmake --preset release -DUPSERTKIT_BUILD_BENCHMARKS=ON >/dev/null
cmake --build --preset release --target upsertkit_e2e_workload upsertkit_e2e_consume \
  upsertkit_e2e_produce upsertkit_instruction_count
bin=build/release/benchmarks
if [[ -n $librdkafka_dir ]]; then
  # After the build: only the programs run with it (the JVM peers load no librdkafka).
  export LD_LIBRARY_PATH="$librdkafka_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  log "librdkafka: $librdkafka_dir/librdkafka.so.1 (LD_LIBRARY_PATH)"
fi

peer_jars=()
if ! $peers; then
  log "JVM peers skipped (--no-peers)"
elif [[ ! -f benchmarks/peers/pom.xml ]]; then
  log "JVM peers skipped: benchmarks/peers/pom.xml does not exist in this checkout"
  peers=false
else
  log "JVM peers: mvn package"
  if mvn -q -f benchmarks/peers/pom.xml package -DskipTests; then
    for peer in kafka-streams flink; do
      jar=benchmarks/peers/$peer/target/upsertkit-peer-$peer.jar
      if [[ -f $jar ]]; then
        peer_jars+=("$peer=$jar")
      else
        failures+=("peer $peer: $jar was not built")
      fi
    done
  else
    failures+=("the JVM peers did not build (mvn package failed)")
  fi
fi

# ---------------------------------------------------------------------------- broker
# shellcheck source=scripts/lib/perf-broker.sh
source scripts/lib/perf-broker.sh
perf_broker_start
# The broker's version, from the jars the script fetched; with --brokers on a clone that never
# fetched them there are none (the report then says "unknown"). `find` fails on a missing
# directory, which under pipefail must not end the script.
kafka_lib=${UPSERTKIT_KAFKA_HOME:-$REPO/.cache/kafka}/lib
kafka_version=""
if [[ -d $kafka_lib ]]; then
  kafka_version=$(find "$kafka_lib" -name 'kafka_2.13-*.jar' -printf '%f\n' |
    sed -n 's/^kafka_2\.13-\(.*\)\.jar$/\1/p' | sed -n 1p) || kafka_version=""
fi
if $brokers_given && [[ -n $kafka_version ]]; then
  # Jars on disk say what this clone would start, not what runs at --brokers.
  kafka_version="$kafka_version (this clone's jars; the broker at $brokers may differ)"
fi

# ---------------------------------------------------------------------------- workload
topic=orders-e2e-$records-$keys-$partitions-$seed
workload=(--records "$records" --keys "$keys" --seed "$seed")
log "workload: $records records over $keys keys into $topic ($partitions partitions, seed $seed)"
"$bin/upsertkit_e2e_workload" --brokers "$brokers" --topic "$topic" --partitions "$partitions" \
  "${workload[@]}" --expect "$out/expect.json" --recreate

# ---------------------------------------------------------------------------- contenders
# run NAME REP COMMAND...: whole-process wall/CPU/peak RSS from GNU time, the JSON result (the
# last line of stdout) into NAME.REP.json.
run() {
  local name=$1 rep=$2
  shift 2
  log "$name #$rep: $*"
  local rc=0
  /usr/bin/time -o "$out/$name.$rep.time" \
    -f '{"wall":%e,"user":%U,"sys":%S,"maxrss_kb":%M,"exit":%x}' \
    timeout --kill-after=30 "$contender_timeout" \
    "$@" >"$out/$name.$rep.out" 2>"$out/$name.$rep.err" || rc=$?
  tail -n 1 "$out/$name.$rep.out" >"$out/$name.$rep.json"
  if ((rc != 0)) || ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' \
    "$out/$name.$rep.json" 2>/dev/null; then
    failures+=("$name #$rep failed (exit $rc): see $out/$name.$rep.err")
    tail -n 20 "$out/$name.$rep.err" >&2 || true
    rm -f "$out/$name.$rep.json"
    return 0
  fi
  cat "$out/$name.$rep.json" >&2
}

peer_options() { # JVM options of one peer, one a line: the env's, then its file's
  local file=benchmarks/peers/jvm-options-$1.txt option
  # No printf '%s\n' $VAR: with nothing to print it prints an empty line, which became an
  # empty argument that java took for the main class ("Could not find or load main class").
  # shellcheck disable=SC2086 # word-split on purpose
  for option in ${UPSERTKIT_PEER_JVM_OPTS:-}; do printf '%s\n' "$option"; done
  if [[ -f $file ]]; then
    grep -v '^[[:space:]]*\(#\|$\)' "$file" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//'
  fi
  return 0
}

for ((rep = 1; rep <= reps; ++rep)); do
  run raw-consume "$rep" "$bin/upsertkit_e2e_consume" --mode raw --brokers "$brokers" --topic "$topic"
  run parse "$rep" "$bin/upsertkit_e2e_consume" --mode parse --brokers "$brokers" --topic "$topic"
  run upsertkit-source "$rep" "$bin/upsertkit_e2e_consume" --mode source --brokers "$brokers" \
    --topic "$topic"
done
for entry in ${peer_jars[@]+"${peer_jars[@]}"}; do
  peer=${entry%%=*} jar=${entry#*=}
  mapfile -t options < <(peer_options "$peer")
  for ((rep = 1; rep <= jvm_reps; ++rep)); do
    run "$peer" "$rep" java ${options[@]+"${options[@]}"} -jar "$jar" --brokers "$brokers" \
      --topic "$topic"
  done
done
for ((rep = 1; rep <= reps; ++rep)); do
  for mode in raw sink sink-buffered; do
    name=$mode
    [[ $mode == raw ]] && name=raw-produce
    run "$name" "$rep" "$bin/upsertkit_e2e_produce" --mode "$mode" --brokers "$brokers" \
      --topic "$topic-out-$mode-$rep" --partitions "$partitions" "${workload[@]}" --recreate \
      --drop-topic
  done
done

for ((rep = 1; rep <= reps; ++rep)); do
  for guarantee in at-least-once exactly-once; do
    run "pipe-$guarantee" "$rep" "$bin/upsertkit_e2e_consume" --mode pipe --brokers "$brokers" \
      --topic "$topic" --out-topic "$topic-pipe-$guarantee-$rep" --guarantee "$guarantee" \
      --partitions "$partitions" --commit-interval "$pipe_commit_interval" --drop-topic
  done
done

perf_broker_stop

# ---------------------------------------------------------------------------- instructions
log "instructions per record (callgrind): decode + materialize"
if ! scripts/instruction-count.sh --e2e "$bin/upsertkit_instruction_count" \
  | tee "$out/instructions.txt"; then
  failures+=("scripts/instruction-count.sh --e2e failed")
fi

# ---------------------------------------------------------------------------- report
cat >"$out/meta.json" <<EOF
{"command": $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$command_line"),
 "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
 "records": $records, "keys": $keys, "partitions": $partitions, "seed": $seed,
 "quick": $quick, "reps": $reps, "jvm_reps": $jvm_reps, "peers": $peers,
 "pipe_commit_interval_ms": $pipe_commit_interval,
 "kafka_broker": "${kafka_version:-unknown}", "brokers_given": $brokers_given,
 "gxx": $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$(g++ --version | head -n1)"),
 "java": $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$(java -version 2>&1 | head -n1)"),
 "failures": $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' ${failures[@]+"${failures[@]}"})}
EOF
report_args=(--results "$out")
$write_doc && report_args+=(--doc docs/performance.md --svg docs/images/e2e-throughput.svg)
rc=0
python3 scripts/perf-report.py "${report_args[@]}" || rc=$?
log "results in $out"
if ((${#failures[@]})); then
  printf 'perf-e2e: FAILED: %s\n' "${failures[@]}" >&2
  rc=1
fi
exit "$rc"
