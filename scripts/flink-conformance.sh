#!/usr/bin/env bash
# The Flink SQL conformance stage (docs/flink-conformance.md): real Flink SQL (1.20.3, the
# upsert-kafka connector 3.4.0-1.20, json/csv/avro) and upsertkit read the same upsert topics,
# written by Kafka's Java producer, and their printed changelogs must be identical; then Flink
# reads back what upsertkit's sink wrote, and that must be upsertkit's changelog again.
#
#   scripts/flink-conformance.sh [--seed N] [--records N] [--keep-broker] [--record-by-record]
#   scripts/flink-conformance.sh --probe CASE FILE     (one case, the records of FILE)
#
#   1. at once: Maven builds the JVM side (tests/flink/pom.xml), CMake builds upsertkit's program
#      (build/flink-conformance, nice'd, at most 2 jobs), and a Kafka broker of the stage's own
#      starts (scripts/kafka-broker.sh: KRaft on 127.0.0.1, port base 29092, fresh data);
#   2. the generator writes the seeded random records (--records per topic, default 2500) into
#      one single-partition topic per case with the Java producer, and the SQL script;
#   3. Flink starts (one JVM, local mini-cluster, parallelism 1) and creates the tables while
#      upsertkit reads every source topic, prints its changelog and writes it to the sink topics;
#      then Flink runs every INSERT of the script, one job each, all at once: source and sink
#      tables into print tables (a job that fails fails the check of its table only);
#   4. the runner compares, prints the first differing rows with context and the record behind
#      them (MAP and MULTISET entries compared in one order: docs/flink-conformance.md).
# --probe runs one case (a name of tests/flink/.../Cases.java) on the records of FILE instead of
# random ones, in the format of the dump run/records/<case>.tsv (offset, key, value[, note];
# offsets ignored): to cut a difference down to the records that show it. --record-by-record
# has upsertkit apply the records one at a time instead of in batches (a diagnosis: a difference
# that goes away comes from records decoded ahead of the materializer).
# Everything it writes is in build/flink-conformance/run (the SQL, the records as text, both
# changelogs, the logs). Seed: --seed, else $UPSERTKIT_FLINK_SEED, else 20261207.
# Ends with "flink-conformance: N passed, M failed"; exit status 1 on any difference or failure,
# with the reason, 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seed=${UPSERTKIT_FLINK_SEED:-20261207}
records=2500
keep_broker=0
record_by_record=0
probe=()
while (($#)); do
  case $1 in
    --probe)
      [[ $# -ge 3 && -f $3 ]] || { echo "flink-conformance: --probe needs a case and a file" >&2; exit 2; }
      probe=(--probe-case "$2" --probe-records "$(cd "$(dirname "$3")" && pwd)/$(basename "$3")")
      shift 3 ;;
    --seed) seed=${2:?--seed needs a value}; shift 2 ;;
    --records) records=${2:?--records needs a value}; shift 2 ;;
    --keep-broker) keep_broker=1; shift ;;
    --record-by-record) record_by_record=1; shift ;;
    *) echo "usage: $0 [--seed N] [--records N] [--keep-broker] [--record-by-record] [--probe CASE FILE]" >&2; exit 2 ;;
  esac
done
case $seed$records in *[!0-9]*) echo "flink-conformance: --seed and --records take numbers" >&2; exit 2 ;; esac

build=$root/build/flink-conformance
run=$build/run
module=$root/tests/flink
jobs=$(nproc)
((jobs > 2)) && jobs=2
broker=$root/scripts/kafka-broker.sh
export UPSERTKIT_KAFKA_STATE=${UPSERTKIT_FLINK_KAFKA_STATE:-$root/.cache/kafka/run-flink-conformance}
export UPSERTKIT_KAFKA_PORT_BASE=${UPSERTKIT_FLINK_KAFKA_PORT_BASE:-29092}

# Every exit that is not the comparison's own says why, and gives the summary line the test
# script counts.
fail() {
  echo "flink-conformance: $*"
  echo "flink-conformance: 0 passed, 1 failed"
  exit 1
}
show_log() { # FILE [LINES]: the end of a log, indented
  [[ -s $1 ]] && tail -n "${2:-40}" "$1" | sed 's/^/    /'
  return 0
}

flink_pid='' mvn_pid='' cmake_pid=''
# shellcheck disable=SC2317 # run by the EXIT trap
stop_job() { # PID: a background job of this script still running (an early exit), and its children
  [[ -n $1 ]] && kill -0 "$1" 2>/dev/null || return 0
  pkill -TERM -P "$1" 2>/dev/null || true
  kill "$1" 2>/dev/null || true
}
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  stop_job "$flink_pid"
  stop_job "$mvn_pid"
  stop_job "$cmake_pid"
  if ((!keep_broker)); then "$broker" stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

for tool in java mvn cmake; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps.sh installs it)"
done

# The JVM side pins the versions of the benchmark's Flink peer: they must not drift apart.
for property in flink.version flink.kafka.version; do
  ours=$(sed -n "s:.*<$property>\(.*\)</$property>.*:\1:p" "$module/pom.xml")
  peers=$(sed -n "s:.*<$property>\(.*\)</$property>.*:\1:p" benchmarks/peers/pom.xml)
  [[ -n $ours && $ours == "$peers" ]] ||
    fail "$property is '$ours' in tests/flink/pom.xml but '$peers' in benchmarks/peers/pom.xml"
done

rm -rf "$run"
mkdir -p "$run/upsertkit"
echo "flink-conformance: seed $seed, $records records per topic; files in ${run#"$root"/} [at ${SECONDS} s]"

# 1. Maven, CMake and the broker at once (the broker's jars first: two Maven processes that
# download into one local repository at the same time can step on each other's files).
if ! "$broker" fetch >"$run/broker.log" 2>&1; then
  show_log "$run/broker.log"
  fail "could not fetch the Kafka broker's jars (log above; scripts/kafka-broker.sh fetch)"
fi
(mvn -q -B -Dstyle.color=never -f "$module/pom.xml" package >"$run/mvn.log" 2>&1) &
mvn_pid=$!
# The program at -O1: it reads 17,500 records, and at -O3 g++ 12 takes twice as long to build
# it (~190 s against ~100 s), which the test command waits for.
(
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG" \
    -DUPSERTKIT_WARNINGS_AS_ERRORS=ON \
    -DUPSERTKIT_BUILD_TESTS=OFF -DUPSERTKIT_BUILD_EXAMPLES=OFF -DUPSERTKIT_BUILD_BENCHMARKS=OFF \
    -DUPSERTKIT_ROCKSDB=OFF -DUPSERTKIT_INSTALL=OFF -DUPSERTKIT_BUILD_FLINK_CONFORMANCE=ON &&
    nice -n 10 cmake --build "$build" -j "$jobs" --target upsertkit-flink-conformance
) >"$run/cmake.log" 2>&1 &
cmake_pid=$!
if ! "$broker" start >>"$run/broker.log" 2>&1; then
  show_log "$run/broker.log"
  fail "the Kafka broker did not start (log above; scripts/kafka-broker.sh)"
fi
eval "$("$broker" env)"
brokers=$UPSERTKIT_KAFKA_BOOTSTRAP
if ! wait "$mvn_pid"; then
  mvn_pid=
  show_log "$run/mvn.log"
  fail "mvn package of tests/flink/pom.xml failed (log above)"
fi
mvn_pid=
classpath="$module/target/classes:$(cat "$module/target/classpath.txt")"
echo "flink-conformance: broker at $brokers, JVM side built [at ${SECONDS} s]"

# Flink 1.20 on Java 17 reflects into these JDK packages (the list of Flink's own
# env.java.opts.all); UTC, so that no time zone enters a DATE or TIMESTAMP.
java_opts=(-Xmx1g -XX:+UseParallelGC -Duser.timezone=UTC -Dfile.encoding=UTF-8
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED)
jvm() { java "${java_opts[@]}" -cp "$classpath" io.upsertkit.conformance.Main "$@"; }

# 2. The records, through Kafka's Java producer, and the SQL script.
# The generator runs briefly: C1 alone compiles it soon enough (C2 costs it more CPU than it saves).
if ! java -XX:TieredStopAtLevel=1 "${java_opts[@]}" -cp "$classpath" io.upsertkit.conformance.Main generate --brokers "$brokers" --out "$run" --seed "$seed" --records "$records" \
  ${probe[@]+"${probe[@]}"} >"$run/generate.log" 2>&1; then
  show_log "$run/generate.log"
  fail "the generator failed (log above)"
fi
tail -n 1 "$run/generate.log"

# 3. Flink creates its tables and waits for upsertkit-done (the build may take minutes), then
# runs one job per INSERT and compares.
jvm flink --sql "$run/conformance.sql" --flink-out "$run/flink.txt" --wait-for "$run/upsertkit-done" \
  --wait-timeout 3600 --timeout 300 --upsertkit "$run/upsertkit" --records "$run/records" \
  >"$run/compare.txt" 2>"$run/flink.log" &
flink_pid=$!
if ! wait "$cmake_pid"; then
  cmake_pid=
  echo "not built" >"$run/upsertkit-done"
  grep -vE '^\[[0-9]+/[0-9]+\] ' "$run/cmake.log" | tail -n 40 | sed 's/^/    /'
  fail "upsertkit-flink-conformance did not build (build/flink-conformance; log above)"
fi
cmake_pid=
echo "flink-conformance: upsertkit's program built; upsertkit reads and writes [at ${SECONDS} s]"
program=$build/tests/flink/upsertkit-flink-conformance
status=0
"$program" --sql "$run/conformance.sql" --out "$run/upsertkit" --timeout 120 \
  --record-by-record "$record_by_record" \
  2>"$run/upsertkit.log" || status=$?
if ((status > 1)); then
  echo "upsertkit-flink-conformance exited with status $status" >"$run/upsertkit-done"
  show_log "$run/upsertkit.log"
  fail "upsertkit-flink-conformance exited with status $status (log above)"
fi
# Status 1: a case stopped (named in the comparison); the other cases are still compared.
echo ok >"$run/upsertkit-done"
sed 's/^/  /' "$run/upsertkit.log"
echo "flink-conformance: Flink runs its jobs [at ${SECONDS} s]"

# 4. The comparison (printed by the runner once its jobs have finished).
flink_status=0
wait "$flink_pid" || flink_status=$?
flink_pid=
grep -a -E '^flink: [0-9]+ INSERT' "$run/flink.log" | sed 's/^/  /' || true
if ((flink_status > 1)); then
  # The runner's own lines: why the jobs did not run, cause by cause.
  grep -a -E '^(flink: |  caused by: )' "$run/flink.log" | sed 's/^/  /' || show_log "$run/flink.log"
  fail "Flink's jobs did not run (exit status $flink_status; log above, all of it in ${run#"$root"/}/flink.log)"
fi
if ((flink_status == 1)); then
  echo "flink-conformance: how to read this: docs/flink-conformance.md (the records: ${run#"$root"/}/records/)"
fi
echo "flink-conformance: done [at ${SECONDS} s]"
# The comparison's lines, its summary last.
cat "$run/compare.txt"
exit "$flink_status"
