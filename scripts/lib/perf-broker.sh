# shellcheck shell=bash
# Sourced by the benchmark scripts (perf-e2e.sh, perf-e2e-ab.sh, perf-parallel.sh), from the
# repository's root, after they defined `log` and read `--brokers` into $brokers.
#
# perf_broker_start: with $brokers empty, fetches and starts scripts/kafka-broker.sh's broker
# (port base $UPSERTKIT_KAFKA_PORT_BASE, default 39092; state $UPSERTKIT_KAFKA_STATE, default
# .cache/kafka-perf-e2e, shared by the three so that one download serves them), points
# $brokers at it, and stops it when the script exits (its topics deleted: every run writes
# them again, and they reach gigabytes). With $brokers given, it does nothing.
# perf_broker_cpu: the started broker's CPU seconds so far (from /proc), or nothing.

export UPSERTKIT_KAFKA_PORT_BASE=${UPSERTKIT_KAFKA_PORT_BASE:-39092}
export UPSERTKIT_KAFKA_STATE=${UPSERTKIT_KAFKA_STATE:-$PWD/.cache/kafka-perf-e2e}
perf_broker_started=false

perf_broker_stop() {
  if $perf_broker_started; then
    perf_broker_started=false
    scripts/kafka-broker.sh stop || true
    rm -rf "${UPSERTKIT_KAFKA_STATE:?}/data"
  fi
}

perf_broker_start() {
  trap perf_broker_stop EXIT
  trap 'exit 130' INT TERM
  [[ -z ${brokers:-} ]] || return 0
  log "broker: scripts/kafka-broker.sh start (port base $UPSERTKIT_KAFKA_PORT_BASE, state $UPSERTKIT_KAFKA_STATE)"
  scripts/kafka-broker.sh fetch
  perf_broker_started=true
  scripts/kafka-broker.sh start
  brokers=127.0.0.1:$UPSERTKIT_KAFKA_PORT_BASE
}

perf_broker_cpu() {
  $perf_broker_started || return 0
  local pid
  pid=$(cat "$UPSERTKIT_KAFKA_STATE/broker.pid" 2>/dev/null) || return 0
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$pid/stat" 2>/dev/null || true
}
