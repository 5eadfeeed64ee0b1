#!/usr/bin/env bash
# Known-sequence check of the two JVM peers (Kafka Streams, Flink SQL) against a real broker:
# writes 20 records covering every upsert case into a fresh 4-partition topic, runs both jars and
# compares their changelog counts with the counts Flink's ChangelogNormalize semantics give.
#
#   benchmarks/peers/check.sh --brokers HOST:PORT [--no-build]
#
# Exit 0 when both peers print the expected counts, 1 otherwise. Builds the jars first (mvn)
# unless --no-build. Writes with the Kafka console producer run by scripts/kafka-broker.sh tool.
set -euo pipefail

HERE="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(cd -- "$HERE/../.." && pwd -P)"
BROKERS="" BUILD=1
while (($#)); do
  case "$1" in
    --brokers) BROKERS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "usage: $0 --brokers HOST:PORT [--no-build]" >&2; exit 2 ;;
  esac
done
[[ -n "$BROKERS" ]] || { echo "usage: $0 --brokers HOST:PORT [--no-build]" >&2; exit 2; }

KS_JAR="$HERE/kafka-streams/target/upsertkit-peer-kafka-streams.jar"
FLINK_JAR="$HERE/flink/target/upsertkit-peer-flink.jar"
if ((BUILD)); then mvn -q -B -Dstyle.color=never -f "$HERE/pom.xml" package -DskipTests >&2; fi
tool() { "$REPO/scripts/kafka-broker.sh" tool "$@"; }

TOPIC="upsertkit-peers-check-$$-$RANDOM"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BROKERS" --create --topic "$TOPIC" \
  --partitions 4 --replication-factor 1 >&2

row() { # order_id amount name -> JSON value of the seed's orders table
  printf '{"order_id":"%s","order_channel":"webShop","order_time":"2023-03-25 12:01:02","pay_amount":%s,"real_pay":%s,"pay_time":"2023-03-25 12:01:03","user_id":"1","user_name":"%s","area_id":"330106"}' \
    "$1" "$2" "$2" "$3"
}
A=20230325120000001 B=20230325120000002 C=20230325120000003 D=20230325120000004
E=20230325120000005 F=20230325120000006 G=20230325120000007
# KEY<TAB>VALUE, NULL = tombstone. Expected change per line (Flink ChangelogNormalize, no TTL):
{
  printf '%s\t%s\n' "$A" "$(row "$A" 12.5 Bob)"      #  1 +I
  printf '%s\t%s\n' "$B" "$(row "$B" 20.0 Ann)"      #  2 +I
  printf '%s\t%s\n' "$A" "$(row "$A" 13.5 Bob)"      #  3 -U/+U
  printf '%s\t%s\n' "$A" "$(row "$A" 13.5 Bob)"      #  4 identical bytes: nothing
  printf '%s\tNULL\n' "$C"                           #  5 tombstone of an absent key: nothing
  printf '%s\tNULL\n' "$B"                           #  6 -D
  printf '%s\t%s\n' "$B" "$(row "$B" 20.0 Ann)"      #  7 +I (re-insert after delete)
  printf '%s\t%s\n' "$D" "$(row "$D" 1.25 Eve)"      #  8 +I
  printf '%s\t%s\n' "$D" "$(row "$D" 1.25 Eve)"      #  9 identical: nothing
  printf '%s\t%s\n' "$D" "$(row "$D" 1.5 Eve)"       # 10 -U/+U
  printf '%s\tNULL\n' "$D"                           # 11 -D
  printf '%s\tNULL\n' "$D"                           # 12 tombstone of a deleted key: nothing
  printf '%s\t%s\n' "$E" "$(row "$E" 7 Joe)"         # 13 +I
  # 14: same row, other bytes (fields reordered, 13.50 for 13.5): equal rows, nothing
  printf '%s\t{"user_name":"Bob","pay_amount":13.50,"real_pay":13.5,"order_id":"%s","order_channel":"webShop","order_time":"2023-03-25 12:01:02","pay_time":"2023-03-25 12:01:03","user_id":"1","area_id":"330106"}\n' "$A" "$A"
  printf '%s\t%s\n' "$A" "$(row "$A" 12.5 Bob)"      # 15 -U/+U (back to the first value)
  printf '%s\t%s\n' "$E" "$(row "$E" 7 Joey)"        # 16 -U/+U
  printf '%s\t%s\n' "$F" "$(row "$F" 3 Max)"         # 17 +I
  printf '%s\t%s\n' "$F" "$(row "$F" 3 Max)"         # 18 identical: nothing
  printf '%s\tNULL\n' "$E"                           # 19 -D
  printf '%s\tNULL\n' "$G"                           # 20 tombstone of an absent key: nothing
} >"$WORK/records.tsv"
EXPECT='"records":20 "inserts":6 "update_befores":4 "update_afters":4 "deletes":3 "unchanged":7'

tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$BROKERS" --topic "$TOPIC" \
  --property parse.key=true --property null.marker=NULL <"$WORK/records.tsv" >&2

status=0
check() { # name, command...
  local name="$1" out
  shift
  if ! out="$("$@" 2>"$WORK/$name.err")"; then
    echo "FAIL $name: exit status $?; stderr:" >&2
    tail -20 "$WORK/$name.err" >&2
    status=1
    return
  fi
  local line
  line="$(tail -n 1 <<<"$out")"
  echo "$name: $line"
  local want
  for want in $EXPECT; do
    if [[ "$line" != *"$want,"* && "$line" != *"$want}"* ]]; then
      echo "FAIL $name: expected $want" >&2
      status=1
    fi
  done
}
check kafka-streams java -jar "$KS_JAR" --brokers "$BROKERS" --topic "$TOPIC"
check kafka-streams-memory java -jar "$KS_JAR" --brokers "$BROKERS" --topic "$TOPIC" --store memory
check flink java -jar "$FLINK_JAR" --brokers "$BROKERS" --topic "$TOPIC"

tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BROKERS" --delete --topic "$TOPIC" >&2 || true
if ((status == 0)); then echo "peers check: OK ($EXPECT)"; else echo "peers check: FAILED" >&2; fi
exit "$status"
