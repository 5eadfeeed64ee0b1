#!/usr/bin/env bash
# Integration tests on a real Apache Kafka broker (KRaft, 127.0.0.1), fetched from Maven
# Central by scripts/kafka-broker.sh. Fails loudly when the broker cannot start.
#   scripts/broker-tests.sh PATH/TO/upsertkit_broker_tests [gtest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:?usage: broker-tests.sh PATH/TO/upsertkit_broker_tests}
shift

broker=scripts/kafka-broker.sh
export UPSERTKIT_KAFKA_STATE=${UPSERTKIT_KAFKA_STATE:-$PWD/.cache/kafka/run-tests}
"$broker" fetch
trap '"$broker" stop >/dev/null 2>&1 || true' EXIT
"$broker" start
eval "$("$broker" env)"

# 1,000 keyed records from Kafka's own Java producer (default partitioner) into 8 partitions.
"$broker" tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$UPSERTKIT_KAFKA_BOOTSTRAP" \
  --create --topic java-keys --partitions 8 --replication-factor 1 >/dev/null
for i in $(seq 1 1000); do printf 'key-%d-%d:v%d\n' "$i" $((i * 7919 % 1000)) "$i"; done |
  "$broker" tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$UPSERTKIT_KAFKA_BOOTSTRAP" \
    --topic java-keys --property parse.key=true --property key.separator=:

# Consumers with client.id upsertkit-throttled read at most 4 MiB/s (a broker quota): the crash
# tests (tests/broker/crash_test.cpp) slow their programs down with it, so that a kill lands
# mid-stream however fast the machine is.
"$broker" tool kafka.admin.ConfigCommand --bootstrap-server "$UPSERTKIT_KAFKA_BOOTSTRAP" --alter \
  --add-config consumer_byte_rate=4194304 --entity-type clients --entity-name upsertkit-throttled \
  >/dev/null

# The seed's example programs sit next to the test binary's build tree.
export UPSERTKIT_EXAMPLES_DIR=${UPSERTKIT_EXAMPLES_DIR:-$(cd "$(dirname "$binary")/../examples" && pwd)}
"$binary" "$@"
