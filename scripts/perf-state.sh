#!/usr/bin/env bash
# Issue 16's figures for durable state (docs/performance.md, "Durable state (RocksDB)"), each
# beside its baseline of the same run, on a real broker started here:
#
#   restart     a source in a consumer group, stopped and started again with nothing new to
#               read: the time until it has caught up (upsertkit_e2e_consume's window, from
#               before the consumer is created to the end of the bounded read, group join and
#               state opening included) and the whole process's wall time, for the memory store
#               (which reads every partition from its first offset again) and the RocksDB store
#               (which reads from its checkpoint), on a SMALL and a LARGE topic of the same keys;
#               with group.initial.rebalance.delay.ms 0, then 3000 (Kafka's default) with dynamic
#               and with static membership (group.instance.id: named for the memory store,
#               derived from the state directory, its default, for the RocksDB store)
#   memory      a topic of WIDE keys: the peak RSS and the bytes on disk of a first build with
#               each store (with queued.max.messages.kbytes=16384: librdkafka 2.0.2 keeps up to
#               that much prefetched per partition, 64 MiB each by default, not the state's)
#   throughput  records per CPU-second on that topic: the RocksDB store, the memory store and
#               Kafka Streams' KTable in RocksDB (benchmarks/peers/kafka-streams)
#
#   scripts/perf-state.sh [--quick] [--no-peers] [--only restart|wide] [--out DIR]
#                         [--partitions P] [--small N] [--large N] [--keys K] [--wide N]
#
#   defaults: SMALL 2,000,000 and LARGE 20,000,000 records over K = 200,000 keys; WIDE
#   20,000,000 records over 10,000,000 keys (the first 10M insert every key once).
#   --quick   a smoke run: 200,000 / 2,000,000 records over 20,000 keys, WIDE 1,000,000 / 500,000
#   --only    the restart figures only, or the memory and throughput figures only
#
# Env: UPSERTKIT_KAFKA_PORT_BASE / UPSERTKIT_KAFKA_STATE (defaults 49092, .cache/kafka-perf-state).
# Results: DIR/*.json (one result line per run, GNU time's figures in *.time) and DIR/report.md.
# Exit status 0 when every run succeeded and every changelog count agreed with the generator's.
set -euo pipefail

REPO="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"

small=2000000 large=20000000 keys=200000 wide=20000000 wide_keys=10000000 partitions=4
peers=true out="" quick=false only=""
command_line="scripts/perf-state.sh $*"
while (($#)); do
  case "$1" in
    --small) small=$2; shift ;;
    --large) large=$2; shift ;;
    --keys) keys=$2; shift ;;
    --wide) wide=$2 wide_keys=$((wide / 2)); shift ;;
    --partitions) partitions=$2; shift ;;
    --no-peers) peers=false ;;
    --quick) quick=true ;;
    --only) only=$2; shift ;;
    --out) out=$2; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "perf-state: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if $quick; then
  small=200000 large=2000000 keys=20000 wide=1000000 wide_keys=500000
fi

log() { printf '\nperf-state: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
out=${out:-build/perf-state/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out="$(cd "$out" && pwd -P)"
failures=()

log "dependencies"
scripts/install-deps.sh
log "build (release preset with the RocksDB store)"
cmake --preset release -DUPSERTKIT_BUILD_BENCHMARKS=ON -DUPSERTKIT_ROCKSDB=ON >/dev/null ||
  die "cmake --preset release failed"
cmake --build --preset release --target upsertkit_e2e_workload upsertkit_e2e_consume ||
  die "the build failed"
bin=build/release/benchmarks

ks_jar=""
if $peers; then
  log "Kafka Streams peer: mvn package"
  if mvn -q -f benchmarks/peers/pom.xml package -DskipTests &&
    [[ -f benchmarks/peers/kafka-streams/target/upsertkit-peer-kafka-streams.jar ]]; then
    ks_jar=benchmarks/peers/kafka-streams/target/upsertkit-peer-kafka-streams.jar
  else
    failures+=("the Kafka Streams peer did not build (mvn package)")
  fi
fi

# ---------------------------------------------------------------------------- broker
export UPSERTKIT_KAFKA_PORT_BASE=${UPSERTKIT_KAFKA_PORT_BASE:-49092}
export UPSERTKIT_KAFKA_STATE=${UPSERTKIT_KAFKA_STATE:-$REPO/.cache/kafka-perf-state}
brokers=127.0.0.1:$UPSERTKIT_KAFKA_PORT_BASE
broker_up=false
stop_broker() {
  if $broker_up; then
    broker_up=false
    scripts/kafka-broker.sh stop || true
  fi
}
cleanup() {
  stop_broker
  rm -rf "${UPSERTKIT_KAFKA_STATE:?}/data" "$out/state"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
start_broker() { # DELAY_MS [--keep-data]
  stop_broker
  log "broker: group.initial.rebalance.delay.ms=$1"
  UPSERTKIT_KAFKA_REBALANCE_DELAY_MS=$1 scripts/kafka-broker.sh start "${@:2}" ||
    die "the broker did not start"
  broker_up=true
}
scripts/kafka-broker.sh fetch || die "cannot fetch the Kafka broker"
start_broker 0

# ---------------------------------------------------------------------------- topics
write_topic() { # NAME RECORDS KEYS
  log "workload: $2 records over $3 keys into $1"
  "$bin/upsertkit_e2e_workload" --brokers "$brokers" --topic "$1" --partitions "$partitions" \
    --records "$2" --keys "$3" --seed 42 --expect "$out/expect-$1.json" --recreate ||
    die "the workload generator failed for $1"
}
t_small=state-$small-$keys t_large=state-$large-$keys t_wide=state-$wide-$wide_keys
if [[ $only != wide ]]; then
  write_topic "$t_small" "$small" "$keys"
  write_topic "$t_large" "$large" "$keys"
fi
[[ $only == restart ]] || write_topic "$t_wide" "$wide" "$wide_keys"

# ---------------------------------------------------------------------------- runs
# run NAME COMMAND...: GNU time's whole-process figures into NAME.time, the result line into
# NAME.json.
run() {
  local name=$1
  shift
  log "$name: $*"
  local rc=0
  /usr/bin/time -o "$out/$name.time" -f '{"wall":%e,"user":%U,"sys":%S,"maxrss_kb":%M}' \
    timeout --kill-after=30 3600 "$@" >"$out/$name.out" 2>"$out/$name.err" || rc=$?
  tail -n 1 "$out/$name.out" >"$out/$name.json"
  if ((rc != 0)) || ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' \
    "$out/$name.json" 2>/dev/null; then
    failures+=("$name failed (exit $rc): see $out/$name.err")
    tail -n 20 "$out/$name.err" >&2 || true
    rm -f "$out/$name.json"
    return 0
  fi
  cat "$out/$name.json" >&2
}

# source NAME TOPIC STORE GROUP [K=V | --FLAG ...]: the source with STORE, its state under
# $out/state/NAME-less-suffix (one directory per topic and store, kept across restarts); K=V
# are librdkafka properties, --FLAG upsertkit_e2e_consume's own.
source_run() {
  local name=$1 topic=$2 store=$3 group=$4
  shift 4
  local props=(--properties "group.id=$group")
  local p
  for p in "$@"; do
    if [[ $p == --* ]]; then props+=("$p"); else props+=(--properties "$p"); fi
  done
  local state=()
  [[ $store == rocksdb ]] && state=(--state-dir "$out/state/$topic-$store")
  run "$name" "$bin/upsertkit_e2e_consume" --mode source --brokers "$brokers" --topic "$topic" \
    --store "$store" ${state[@]+"${state[@]}"} "${props[@]}"
}

# Restart, rebalance delay 0: a first run builds the state (and commits), the second finds
# nothing new. Both stores as dynamic members here (the RocksDB store's default is a static
# member, measured below): a dynamic member leaves on close, so the group is empty for the
# dynamic restarts below too.
if [[ $only != wide ]]; then
for size in small large; do
  topic_var=t_$size
  topic=${!topic_var}
  for store in memory rocksdb; do
    dynamic=()
    [[ $store == rocksdb ]] && dynamic=(--dynamic-membership)
    source_run "build-$size-$store" "$topic" "$store" "g-$size-$store" ${dynamic[@]+"${dynamic[@]}"}
    source_run "restart-$size-$store-delay0" "$topic" "$store" "g-$size-$store" \
      ${dynamic[@]+"${dynamic[@]}"}
  done
done

# Restart, Kafka's default delay: the same groups again (their commits are kept with the data).
# Dynamic first; then a static member is started once to register it, and restarted: within
# session.timeout.ms (45 s) the coordinator gives it its partitions back without a rebalance.
# The memory store's static member is named (group.instance.id); the RocksDB store's is its
# default, derived from its state directory (static_membership.hpp).
start_broker 3000 --keep-data
for size in small large; do
  topic_var=t_$size
  topic=${!topic_var}
  for store in memory rocksdb; do
    [[ $size == large && $store == memory ]] && continue # the delay adds the same 3 s
    static=(group.instance.id=perf-state-1)
    dynamic=()
    if [[ $store == rocksdb ]]; then
      static=()
      dynamic=(--dynamic-membership)
    fi
    source_run "restart-$size-$store-delay3000" "$topic" "$store" "g-$size-$store" \
      ${dynamic[@]+"${dynamic[@]}"}
    source_run "static-first-$size-$store" "$topic" "$store" "g-$size-$store" \
      ${static[@]+"${static[@]}"}
    source_run "restart-$size-$store-delay3000-static" "$topic" "$store" "g-$size-$store" \
      ${static[@]+"${static[@]}"}
  done
done
start_broker 0 --keep-data
fi

# Memory and throughput on the wide topic: a first build with each store, no group (a bounded
# read of the whole topic), librdkafka's default prefetch queue for the RSS figure.
if [[ $only != restart ]]; then
defaults=(queued.max.messages.kbytes=16384 queued.min.messages=100000 fetch.max.bytes=52428800)
wide_props=()
for p in "${defaults[@]}"; do wide_props+=(--properties "$p"); done
run wide-rocksdb "$bin/upsertkit_e2e_consume" --mode source --brokers "$brokers" \
  --topic "$t_wide" --store rocksdb --state-dir "$out/state/$t_wide-rocksdb" "${wide_props[@]}"
# The same again on the state it left: a restart with nothing new at 10M keys (the store's
# open reads the index and filter blocks of its table files).
run wide-rocksdb-restart "$bin/upsertkit_e2e_consume" --mode source --brokers "$brokers" \
  --topic "$t_wide" --store rocksdb --state-dir "$out/state/$t_wide-rocksdb" "${wide_props[@]}"
run wide-memory "$bin/upsertkit_e2e_consume" --mode source --brokers "$brokers" \
  --topic "$t_wide" --store memory "${wide_props[@]}"
if [[ -n $ks_jar ]]; then
  run wide-kafka-streams java -jar "$ks_jar" --brokers "$brokers" --topic "$t_wide" \
    --store rocksdb
fi
fi
stop_broker

# ---------------------------------------------------------------------------- report
cat >"$out/meta.json" <<EOF
{"command": $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$command_line"),
 "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)", "small": $small, "large": $large, "keys": $keys,
 "wide": $wide, "wide_keys": $wide_keys, "partitions": $partitions, "quick": $quick,
 "only": "$only",
 "topics": {"small": "$t_small", "large": "$t_large", "wide": "$t_wide"},
 "failures": $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' ${failures[@]+"${failures[@]}"})}
EOF
rc=0
python3 scripts/perf-state-report.py "$out" >"$out/report.md" || rc=$?
cat "$out/report.md"
log "results in $out"
if ((${#failures[@]})); then
  printf 'perf-state: FAILED: %s\n' "${failures[@]}" >&2
  rc=1
fi
exit "$rc"
