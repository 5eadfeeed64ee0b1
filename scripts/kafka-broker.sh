#!/usr/bin/env bash
# Fetch and run a real single-node Apache Kafka broker (KRaft, 127.0.0.1 only) for
# upsertkit's integration tests. Jars come from Maven Central (scripts/kafka/pom.xml).
#
#   scripts/kafka-broker.sh fetch                 download the jars (idempotent, stamp = pom hash)
#   scripts/kafka-broker.sh start [--keep-data]   fresh TLS + config (+ fresh data), start, wait until ready
#   scripts/kafka-broker.sh stop                  SIGTERM, wait, then SIGKILL
#   scripts/kafka-broker.sh kill                  SIGKILL (fault tests); data kept
#   scripts/kafka-broker.sh restart               start again on the existing config/TLS/data
#   scripts/kafka-broker.sh status                exit 0 if running, 3 if not
#   scripts/kafka-broker.sh env                   print `export UPSERTKIT_KAFKA_...=...` lines
#   scripts/kafka-broker.sh tool CLASS ARGS...    run a Kafka Java tool (e.g. org.apache.kafka.tools.TopicCommand)
#
# Env: UPSERTKIT_KAFKA_HOME (default $REPO/.cache/kafka; jars in $UPSERTKIT_KAFKA_HOME/lib),
#      UPSERTKIT_KAFKA_STATE (default $UPSERTKIT_KAFKA_HOME/run), UPSERTKIT_KAFKA_PORT_BASE (default 19092),
#      UPSERTKIT_KAFKA_START_TIMEOUT (seconds, default 120), UPSERTKIT_KAFKA_JVM_OPTS (extra broker JVM
#      options), UPSERTKIT_KAFKA_REBALANCE_DELAY_MS (group.initial.rebalance.delay.ms, default 0:
#      Kafka's own default is 3000), JAVA_HOME. See scripts/kafka/README.md.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(cd -- "$SCRIPT_DIR/.." && pwd -P)"
KDIR="$SCRIPT_DIR/kafka"
POM="$KDIR/pom.xml"

abspath() { # absolute path without requiring it to exist
  case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac
}

KHOME="$(abspath "${UPSERTKIT_KAFKA_HOME:-$REPO/.cache/kafka}")"
LIB="$KHOME/lib"
STATE="$(abspath "${UPSERTKIT_KAFKA_STATE:-$KHOME/run}")"
CONF="$STATE/config"
TLS="$STATE/tls"
DATA="$STATE/data"
LOGS="$STATE/logs"
PIDFILE="$STATE/broker.pid"
OUT="$LOGS/broker.out"
PORTS_FILE="$STATE/ports"
START_TIMEOUT="${UPSERTKIT_KAFKA_START_TIMEOUT:-120}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# extra broker JVM options, word-split (e.g. UPSERTKIT_KAFKA_JVM_OPTS="-XX:TieredStopAtLevel=4")
read -r -a EXTRA_JVM_OPTS <<<"${UPSERTKIT_KAFKA_JVM_OPTS:-}"
PW=test1234 # keystore password (test material only)

PORT_BASE="${UPSERTKIT_KAFKA_PORT_BASE:-19092}"
REBALANCE_DELAY_MS="${UPSERTKIT_KAFKA_REBALANCE_DELAY_MS:-0}"
case "$REBALANCE_DELAY_MS" in '' | *[!0-9]*) echo "kafka-broker: UPSERTKIT_KAFKA_REBALANCE_DELAY_MS must be a number" >&2; exit 2 ;; esac
case "$PORT_BASE" in '' | *[!0-9]*) echo "kafka-broker: UPSERTKIT_KAFKA_PORT_BASE must be a number" >&2; exit 2 ;; esac

set_ports() {
  P_PLAIN=$(($1)) P_CTRL=$(($1 + 1)) P_SASL=$(($1 + 2)) P_SSL=$(($1 + 3)) P_SASL_SSL=$(($1 + 4))
}
set_ports "$PORT_BASE"

log() { printf 'kafka-broker: %s\n' "$*" >&2; }
die() { printf 'kafka-broker: ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------- fetch
pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

have_jars() {
  [[ -f "$LIB/.stamp" && "$(cat "$LIB/.stamp")" == "$(pom_hash)" ]] &&
    compgen -G "$LIB/kafka_2.13-*.jar" >/dev/null && compgen -G "$LIB/kafka-tools-*.jar" >/dev/null
}

cmd_fetch() {
  if have_jars; then
    log "jars up to date in $LIB"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
  mkdir -p "$KHOME"
  exec 8>"$KHOME/.fetch.lock"
  flock -w 900 8 || die "could not lock $KHOME/.fetch.lock"
  if have_jars; then # fetched by a concurrent caller meanwhile
    exec 8>&-
    return 0
  fi
  local tmp
  tmp="$(mktemp -d "$KHOME/lib.tmp.XXXXXX")"
  log "fetching Kafka jars into $LIB (mvn dependency:copy-dependencies)..."
  local t0=$SECONDS
  if ! mvn -q -B -f "$POM" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >"$tmp/.mvn.log" 2>&1; then
    cat "$tmp/.mvn.log" >&2
    rm -rf "$tmp"
    die "mvn dependency:copy-dependencies failed"
  fi
  rm -f "$tmp/.mvn.log"
  pom_hash >"$tmp/.stamp"
  rm -rf "$LIB"
  mv "$tmp" "$LIB"
  exec 8>&-
  log "fetched $(find "$LIB" -name '*.jar' | wc -l) jars in $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------------------- process helpers
# Prints the broker pid if the pid file names a live Kafka broker of this state dir.
broker_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *kafka.Kafka*"$CONF/server.properties"* ]] || return 1
  # a zombie is as good as dead
  [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]] || return 1
  printf '%s\n' "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True once no thread of the process is left. A JVM's main thread can be a zombie while its
# other threads are still exiting and holding the process's sockets (a restart right after a
# SIGKILL then found the broker's port still open), so a zombie counts as gone only when it is
# the last task of its thread group.
process_gone() { # pid
  kill -0 "$1" 2>/dev/null || return 0
  [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" == Z ]] || return 1
  local tasks
  tasks="$(find "/proc/$1/task" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
  ((tasks <= 1))
}

wait_gone() { # pid, seconds
  local pid="$1" i
  for ((i = 0; i < $2 * 10; i++)); do
    process_gone "$pid" && return 0
    sleep 0.1
  done
  return 1
}

# Prints the first of the broker's ports that still accepts connections; false when none does.
busy_port() {
  local p
  for p in "$P_PLAIN" "$P_CTRL" "$P_SASL" "$P_SSL" "$P_SASL_SSL"; do
    if port_open "$p"; then
      printf '%s\n' "$p"
      return 0
    fi
  done
  return 1
}

wait_ports_free() { # seconds
  local i
  for ((i = 0; i < $1 * 10; i++)); do
    busy_port >/dev/null || return 0
    sleep 0.1
  done
  return 1
}

# JVM for the short-lived tools: small heap, serial GC, C1 only (fastest start on 2 cores)
TOOL_JAVA=("$JAVA" -Xms32m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto
  -Djava.awt.headless=true "-Dlog4j2.configurationFile=$KDIR/tools-log4j2.yaml" -cp "$LIB/*")
java_tool() { "${TOOL_JAVA[@]}" "$@"; }

# ---------------------------------------------------------------------------- config + TLS
write_tls() {
  command -v openssl >/dev/null || die "openssl not found"
  rm -rf "$TLS"
  mkdir -p "$TLS"
  (
    cd "$TLS"
    umask 077
    local subj_ext
    subj_ext="$(mktemp)"
    trap 'rm -f "$subj_ext"' EXIT
    printf '%s\n' 'basicConstraints=critical,CA:FALSE' 'keyUsage=critical,digitalSignature' \
      'extendedKeyUsage=serverAuth' 'subjectAltName=DNS:localhost,IP:127.0.0.1' >"$subj_ext"
    # test CA
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 3650 -subj "/CN=upsertkit-kafka-test-ca" \
      -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
      -keyout ca.key -out ca.pem 2>/dev/null
    # an unrelated CA, for "wrong CA must fail" tests
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 3650 -subj "/CN=upsertkit-kafka-wrong-ca" \
      -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
      -keyout wrong-ca.key -out wrong-ca.pem 2>/dev/null
    # broker key + cert signed by the test CA, SAN localhost / 127.0.0.1
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -subj "/CN=localhost" -keyout broker.key -out broker.csr 2>/dev/null
    openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 16)" \
      -days 3650 -sha256 -extfile "$subj_ext" -out broker.crt 2>/dev/null
    openssl verify -CAfile ca.pem broker.crt >/dev/null || { echo "broker cert does not verify" >&2; exit 1; }
    openssl pkcs12 -export -name broker -in broker.crt -inkey broker.key -certfile ca.pem \
      -passout "pass:$PW" -out broker.p12
    chmod 644 ca.pem wrong-ca.pem broker.crt
  ) || die "TLS material generation failed"
}

write_config() {
  mkdir -p "$CONF"
  local jaas_plain jaas_scram lst adv
  jaas_plain='org.apache.kafka.common.security.plain.PlainLoginModule required user_admin="admin-secret" user_alice="alice-secret";'
  jaas_scram='org.apache.kafka.common.security.scram.ScramLoginModule required;'
  lst="PLAINTEXT://127.0.0.1:$P_PLAIN,CONTROLLER://127.0.0.1:$P_CTRL,SASL_PLAINTEXT://127.0.0.1:$P_SASL,SSL://127.0.0.1:$P_SSL,SASL_SSL://127.0.0.1:$P_SASL_SSL"
  adv="$lst"
  cat >"$CONF/server.properties" <<EOF
# Generated by scripts/kafka-broker.sh; rewritten on each 'start'.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$P_CTRL
controller.listener.names=CONTROLLER
listeners=$lst
advertised.listeners=$adv
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL
log.dirs=$DATA

# single node: every internal topic has RF 1 and few partitions (fast creation)
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
share.coordinator.state.topic.num.partitions=1
group.initial.rebalance.delay.ms=$REBALANCE_DELAY_MS
num.network.threads=2
num.io.threads=4
background.threads=4
# after a SIGKILL the restarted broker waits for its old registration's session to expire
# (default 9000 ms); a short session makes 'kill' + 'restart' fast
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=3000

# compaction within seconds (defaults 15000 / 0.5 / 128MiB / 60000)
log.cleaner.backoff.ms=1000
log.cleaner.min.cleanable.ratio=0.01
log.cleaner.dedupe.buffer.size=33554432
log.segment.delete.delay.ms=1000
log.initial.task.delay.ms=1000

# SASL: PLAIN (users admin/admin-secret, alice/alice-secret from the JAAS line) and
# SCRAM-SHA-256/512 (credentials admin + alice added by 'kafka-storage format --add-scram')
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_plaintext.plain.sasl.jaas.config=$jaas_plain
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=$jaas_scram
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=$jaas_scram
listener.name.sasl_ssl.plain.sasl.jaas.config=$jaas_plain
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=$jaas_scram
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=$jaas_scram

# TLS (SSL and SASL_SSL listeners): server auth only
ssl.keystore.type=PKCS12
ssl.keystore.location=$TLS/broker.p12
ssl.keystore.password=$PW
ssl.key.password=$PW
ssl.client.auth=none
EOF
  printf '%s\n' "$PORT_BASE" >"$PORTS_FILE"

  # client configs for the Java tools (--command-config / --producer.config / --consumer.config)
  cat >"$CONF/client-sasl-plain.properties" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="alice-secret";
EOF
  cat >"$CONF/client-ssl.properties" <<EOF
security.protocol=SSL
ssl.truststore.type=PEM
ssl.truststore.location=$TLS/ca.pem
EOF
  cat >"$CONF/client-sasl-ssl-scram.properties" <<EOF
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="alice-secret";
ssl.truststore.type=PEM
ssl.truststore.location=$TLS/ca.pem
EOF
}

format_storage() {
  local cid
  rm -rf "$DATA"
  mkdir -p "$DATA"
  # a Kafka Uuid: 16 random bytes, base64url without padding (= StorageTool random-uuid, minus a JVM start)
  cid=-
  while [[ "$cid" == -* ]]; do
    cid="$(openssl rand 16 | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  local -a scram=()
  local mech user
  for mech in SCRAM-SHA-256 SCRAM-SHA-512; do
    for user in admin alice; do
      scram+=(--add-scram "$mech=[name=$user,password=$user-secret]")
    done
  done
  if ! java_tool kafka.tools.StorageTool format --standalone -t "$cid" \
      -c "$CONF/server.properties" "${scram[@]}" >"$LOGS/format.out" 2>&1; then
    cat "$LOGS/format.out" >&2
    die "storage format failed"
  fi
}

# ---------------------------------------------------------------------------- start / stop
launch() {
  mkdir -p "$LOGS"
  # a broker stopped or killed a moment ago may still be closing its sockets
  local p
  if ! wait_ports_free 20; then
    p="$(busy_port)" || p="?"
    if command -v ss >/dev/null && [[ "$p" != "?" ]]; then
      echo "----- sockets on port $p (ss -tanp) -----" >&2
      ss -tanp "( sport = :$p or dport = :$p )" >&2 || true
    fi
    die "port 127.0.0.1:$p is still in use by another process after 20 s (set UPSERTKIT_KAFKA_PORT_BASE)"
  fi
  [[ -f "$OUT" ]] && mv -f "$OUT" "$OUT.prev"
  : >"$OUT"
  rm -f "$PIDFILE"
  # setsid: own session, so the broker outlives the caller's shell and its job control; the
  # inner shell writes its pid (= the JVM's, through exec) before anything else happens.
  # fds 8/9 hold our flock()s and must not leak into the broker.
  # shellcheck disable=SC2016 # expanded by the inner shell
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PIDFILE" \
    "$JAVA" -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:TieredStopAtLevel=1 -Xshare:auto \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$KDIR/log4j2.yaml" -Dkafka.logs.dir="$LOGS" \
    ${EXTRA_JVM_OPTS[@]+"${EXTRA_JVM_OPTS[@]}"} \
    -cp "$LIB/*" kafka.Kafka "$CONF/server.properties" </dev/null >>"$OUT" 2>&1 8>&- 9>&- &
  local pid=$! t0=$SECONDS rc=unknown
  local deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if [[ -s "$PIDFILE" ]]; then pid="$(cat "$PIDFILE")"; fi
    if grep -q 'Kafka Server started' "$OUT"; then
      log "broker started (pid $pid) in $((SECONDS - t0)) s; PLAINTEXT 127.0.0.1:$P_PLAIN, state $STATE"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null || [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" == Z ]]; then
      wait "$pid" 2>/dev/null && rc=0 || rc=$?
      echo "----- tail of $OUT -----" >&2
      tail -n 60 "$OUT" >&2
      rm -f "$PIDFILE"
      die "broker exited during startup (exit code $rc); full log: $OUT"
    fi
    sleep 0.25
  done
  echo "----- tail of $OUT -----" >&2
  tail -n 60 "$OUT" >&2
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 10 || true
  rm -f "$PIDFILE"
  die "broker did not log 'Kafka Server started' within ${START_TIMEOUT} s (killed it); full log: $OUT"
}

cmd_stop() {
  local pid
  if ! pid="$(broker_pid)"; then
    rm -f "$PIDFILE"
    log "not running"
    return 0
  fi
  log "stopping broker (pid $pid, SIGTERM)..."
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" 60; then
    log "still alive after 60 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "pid $pid survived SIGKILL"
  fi
  rm -f "$PIDFILE"
  log "stopped"
}

cmd_kill() {
  local pid
  if ! pid="$(broker_pid)"; then
    rm -f "$PIDFILE"
    log "not running"
    return 0
  fi
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 10 || die "pid $pid survived SIGKILL"
  rm -f "$PIDFILE"
  log "killed broker (pid $pid, SIGKILL); data kept in $DATA"
}

cmd_start() {
  local keep=0
  while (($#)); do
    case "$1" in
      --keep-data) keep=1 ;;
      --tls) ;; # accepted for compatibility: TLS listeners are always on
      *) die "start: unknown option '$1' (use --keep-data)" ;;
    esac
    shift
  done
  cmd_fetch
  command -v "$JAVA" >/dev/null || die "java not found (JDK 17+ needed; set JAVA_HOME or PATH)"
  if broker_pid >/dev/null; then
    log "a broker is already running for $STATE: stopping it first"
    cmd_stop
  fi
  mkdir -p "$STATE" "$LOGS"
  write_tls
  write_config
  if ((keep)) && [[ -f "$DATA/meta.properties" ]]; then
    log "keeping data in $DATA"
  else
    format_storage
  fi
  launch
}

cmd_restart() {
  [[ -f "$CONF/server.properties" && -f "$DATA/meta.properties" ]] ||
    die "restart: no formatted broker state in $STATE (run 'start' first)"
  if [[ -f "$PORTS_FILE" ]]; then
    local saved
    saved="$(cat "$PORTS_FILE")"
    [[ "$saved" == "$PORT_BASE" ]] || log "note: reusing the port base $saved from $STATE (env says $PORT_BASE)"
    set_ports "$saved"
  fi
  cmd_fetch
  if broker_pid >/dev/null; then
    cmd_stop
  fi
  launch
}

cmd_status() {
  local pid
  if pid="$(broker_pid)"; then
    if [[ -f "$PORTS_FILE" ]]; then set_ports "$(cat "$PORTS_FILE")"; fi
    echo "running pid=$pid plaintext=127.0.0.1:$P_PLAIN sasl=127.0.0.1:$P_SASL ssl=127.0.0.1:$P_SSL sasl_ssl=127.0.0.1:$P_SASL_SSL state=$STATE"
    return 0
  fi
  echo "not running (state=$STATE)"
  return 3
}

cmd_env() {
  if [[ -z "${UPSERTKIT_KAFKA_PORT_BASE:-}" && -f "$PORTS_FILE" ]]; then set_ports "$(cat "$PORTS_FILE")"; fi
  local k v kv
  for kv in \
    "UPSERTKIT_KAFKA_BOOTSTRAP=127.0.0.1:$P_PLAIN" \
    "UPSERTKIT_KAFKA_SASL_BOOTSTRAP=127.0.0.1:$P_SASL" \
    "UPSERTKIT_KAFKA_SSL_BOOTSTRAP=127.0.0.1:$P_SSL" \
    "UPSERTKIT_KAFKA_SASL_SSL_BOOTSTRAP=127.0.0.1:$P_SASL_SSL" \
    "UPSERTKIT_KAFKA_CA=$TLS/ca.pem" \
    "UPSERTKIT_KAFKA_WRONG_CA=$TLS/wrong-ca.pem" \
    "UPSERTKIT_KAFKA_LIB=$LIB" \
    "UPSERTKIT_KAFKA_STATE=$STATE"; do
    k="${kv%%=*}" v="${kv#*=}"
    printf 'export %s=%q\n' "$k" "$v"
  done
}

cmd_tool() {
  (($#)) || die "usage: $0 tool CLASS [ARGS...]"
  have_jars || cmd_fetch
  exec "${TOOL_JAVA[@]}" "$@"
}

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# one command at a time per state dir (tool and env/status need no lock)
with_lock() {
  mkdir -p "$STATE"
  exec 9>"$STATE/.lock"
  flock -w 300 9 || die "could not lock $STATE/.lock"
  "$@"
}

main() {
  (($#)) || usage
  local cmd="$1"
  shift
  case "$cmd" in
    fetch) cmd_fetch ;;
    start) with_lock cmd_start "$@" ;;
    stop) with_lock cmd_stop ;;
    kill) with_lock cmd_kill ;;
    restart) with_lock cmd_restart ;;
    status) cmd_status ;;
    env) cmd_env ;;
    tool) cmd_tool "$@" ;;
    -h | --help | help) usage ;;
    *) log "unknown command '$cmd'"; usage ;;
  esac
}

main "$@"
