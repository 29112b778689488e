#!/usr/bin/env bash
# Local Apache Kafka (KRaft, every node broker + controller) built from Maven
# Central jars: no Docker, no ZooKeeper, no tarball download. One node by
# default; KAFKA_NODES=3 runs a three-node cluster on this machine.
#
#   kafka.sh start|stop|restart|status|reset
#   kafka.sh start-node|stop-node|kill-node <n>     one node of the cluster (1..KAFKA_NODES)
#
# Env: KAFKA_NODES (1), KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1),
#      KAFKA_SASL_SSL (0), KAFKA_SASL_SSL_PORT (KAFKA_PORT+2), KAFKA_NODE_PORT_STEP (10),
#      KAFKA_HOME_DIR (<repo>/.kafka), KAFKA_LIB_DIR (<home>/lib), KAFKA_START_TIMEOUT (90, seconds),
#      KAFKA_HEAP_OPTS (-Xms256m -Xmx768m on one node, -Xms128m -Xmx384m per node of a cluster).
# Node n listens on each port + (n-1) * KAFKA_NODE_PORT_STEP.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

NODES="${KAFKA_NODES:-1}"
[[ "$NODES" =~ ^[1-9]$ ]] || { echo "[kafka.sh] ERROR: KAFKA_NODES must be 1..9" >&2; exit 2; }
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
SASL_SSL="${KAFKA_SASL_SSL:-0}"
SASL_SSL_PORT="${KAFKA_SASL_SSL_PORT:-$((KAFKA_PORT + 2))}"
PORT_STEP="${KAFKA_NODE_PORT_STEP:-10}"
STATE_DIR="${KAFKA_HOME_DIR:-$REPO_ROOT/.kafka}"
# Absolute, because log.dirs and the pid file must not depend on the caller's cwd.
[[ "$STATE_DIR" == /* ]] || STATE_DIR="$PWD/$STATE_DIR"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
# Modest heaps: the machine has 2 cores and the app and tests run beside it.
if ((NODES == 1)); then HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"; else HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms128m -Xmx384m}"; fi
# Replication as wide as the cluster, up to 3; two copies per write from three brokers on.
REPLICATION_FACTOR=$((NODES < 3 ? NODES : 3))
MIN_INSYNC_REPLICAS=$((REPLICATION_FACTOR >= 3 ? 2 : 1))

# KAFKA_LIB_DIR lets a second broker (e.g. the tests') share the downloaded jars.
LIB_DIR="${KAFKA_LIB_DIR:-$STATE_DIR/lib}"
CLUSTER_ID_FILE="$STATE_DIR/cluster.id"
PROBE_CONFIG="$STATE_DIR/probe.properties"
TLS_DIR="$STATE_DIR/tls"
SECRETS_DIR="$STATE_DIR/secrets"
ACLS_DONE="$STATE_DIR/acls.done"
LOG4J_CONFIG="$SCRIPT_DIR/log4j2.properties"
# The lib dir is tied to the pom it came from, so bumping the Kafka version
# in pom.xml re-fetches instead of running a stale classpath.
LIB_STAMP="$LIB_DIR/.pom.sha256"

log() { echo "[kafka.sh] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Per node: one node keeps the flat layout of earlier versions; a cluster gets node-<n>/.
node_dir() { if ((NODES == 1)); then echo "$STATE_DIR"; else echo "$STATE_DIR/node-$1"; fi; }
client_port() { echo $((KAFKA_PORT + ($1 - 1) * PORT_STEP)); }
controller_port() { echo $((KAFKA_CONTROLLER_PORT + ($1 - 1) * PORT_STEP)); }
sasl_port() { echo $((SASL_SSL_PORT + ($1 - 1) * PORT_STEP)); }
all_nodes() { seq 1 "$NODES"; }
bootstrap() {
  local n servers=()
  for n in $(all_nodes); do servers+=("127.0.0.1:$(client_port "$n")"); done
  (IFS=,; echo "${servers[*]}")
}

# shellcheck source=deploy/kafka/kafka-security.sh
source "$SCRIPT_DIR/kafka-security.sh"

pom_hash() { sha256sum "$SCRIPT_DIR/pom.xml" | cut -d' ' -f1; }

ensure_jars() {
  if [[ -f "$LIB_STAMP" && "$(cat "$LIB_STAMP")" == "$(pom_hash)" ]]; then
    return
  fi
  command -v mvn >/dev/null || die "mvn not found; needed once to fetch the Kafka jars"
  log "fetching Kafka jars with Maven into $LIB_DIR (first run only)"
  # Download into a temp dir and swap, so an interrupted fetch never looks complete.
  local tmp="$LIB_DIR.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  # Debian's mvn emits bare ANSI resets even with -q -B: strip them. pipefail
  # keeps Maven's exit status.
  mvn -q -B -f "$SCRIPT_DIR/pom.xml" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" 2>&1 |
    sed -e 's/\x1b\[[0-9;]*m//g' -e '/^[[:space:]]*$/d' >&2
  pom_hash >"$tmp/.pom.sha256"
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
}

# Short-lived JVMs (format, probe, ACLs): C1 only starts noticeably faster on 2 cores.
tool_java() {
  java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" -Dkafka.root.level=WARN \
    -cp "$LIB_DIR/*" "$@"
}

write_config() {
  local n="$1" dir voters="" listeners advertised map i
  dir="$(node_dir "$n")"
  mkdir -p "$dir"
  for i in $(all_nodes); do voters+="${voters:+,}$i@127.0.0.1:$(controller_port "$i")"; done
  listeners="PLAINTEXT://127.0.0.1:$(client_port "$n"),CONTROLLER://127.0.0.1:$(controller_port "$n")"
  advertised="PLAINTEXT://127.0.0.1:$(client_port "$n")"
  map="PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
  if [[ "$SASL_SSL" == 1 ]]; then
    listeners+=",SASL_SSL://127.0.0.1:$(sasl_port "$n")"
    advertised+=",SASL_SSL://127.0.0.1:$(sasl_port "$n")"
    map+=",SASL_SSL:SASL_SSL"
  fi
  # '|' delimiter: the values hold paths and commas.
  sed -e "s|@NODE_ID@|$n|g" \
      -e "s|@QUORUM_VOTERS@|$voters|g" \
      -e "s|@LISTENERS@|$listeners|g" \
      -e "s|@ADVERTISED_LISTENERS@|$advertised|g" \
      -e "s|@PROTOCOL_MAP@|$map|g" \
      -e "s|@DATA_DIR@|$dir/data|g" \
      -e "s|@REPLICATION_FACTOR@|$REPLICATION_FACTOR|g" \
      -e "s|@MIN_INSYNC_REPLICAS@|$MIN_INSYNC_REPLICAS|g" \
      "$SCRIPT_DIR/server.properties.template" >"$dir/server.properties"
  [[ "$SASL_SSL" == 1 ]] && append_sasl_ssl_config "$dir/server.properties"
  return 0
}

# Bounded admin timeouts so a half-up broker fails the probe fast instead of
# the AdminClient's default 60 s.
write_probe_config() {
  cat >"$PROBE_CONFIG" <<PROBE
request.timeout.ms=5000
default.api.timeout.ms=8000
PROBE
}

# One id for every node of the cluster; made before nodes are formatted side by side.
ensure_cluster_id() {
  [[ -s "$CLUSTER_ID_FILE" ]] || tool_java kafka.tools.StorageTool random-uuid >"$CLUSTER_ID_FILE"
}

format_storage() {
  local n="$1" dir
  dir="$(node_dir "$n")"
  # meta.properties marks a formatted dir; skipping the JVM saves seconds on
  # every warm start. --ignore-formatted covers a half-finished earlier format.
  [[ -f "$dir/data/meta.properties" ]] && return
  ensure_cluster_id
  log "formatting KRaft storage of node $n (cluster id $(cat "$CLUSTER_ID_FILE"))"
  mkdir -p "$dir/data"
  local scram=()
  [[ "$SASL_SSL" == 1 ]] && mapfile -t scram < <(scram_format_args)
  tool_java kafka.tools.StorageTool format --ignore-formatted \
    --cluster-id "$(cat "$CLUSTER_ID_FILE")" --config "$dir/server.properties" "${scram[@]}" >/dev/null
}

# PID from node n's pid file, only if that process is still our broker (guards
# against a recycled pid after a reboot or a crash).
running_pid() {
  local pid_file pid cmdline
  pid_file="$(node_dir "$1")/kafka.pid"
  [[ -f "$pid_file" ]] || return 1
  pid="$(cat "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *" kafka.Kafka "* ]] || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The real readiness test: an admin client gets metadata back from the node.
broker_answers() {
  local port
  port="$(client_port "$1")"
  port_open "$port" || return 1
  [[ -d "$LIB_DIR" ]] || return 1
  timeout 20 java -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" -Dkafka.root.level=ERROR \
    -cp "$LIB_DIR/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "127.0.0.1:$port" --command-config "$PROBE_CONFIG" \
    --list >/dev/null 2>&1
}

# Brokers the cluster metadata lists as alive (registered and unfenced).
live_brokers() {
  timeout 20 java -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" -Dkafka.root.level=ERROR \
    -cp "$LIB_DIR/*" org.apache.kafka.tools.BrokerApiVersionsCommand \
    --bootstrap-server "$(bootstrap)" --command-config "$PROBE_CONFIG" 2>/dev/null |
    grep -c '(id: ' || true
}

# Waits until each given node answers and, on a cluster, all of them are registered.
wait_ready() {
  local deadline=$((SECONDS + START_TIMEOUT)) n pending=("$@")
  while ((SECONDS < deadline)); do
    local still=()
    for n in "${pending[@]}"; do
      broker_answers "$n" && continue
      if ! running_pid "$n" >/dev/null; then
        log "node $n exited during startup; last log lines:"
        tail -n 60 "$(node_dir "$n")/kafka.log" >&2 || true
        return 1
      fi
      still+=("$n")
    done
    pending=("${still[@]}")
    if ((${#pending[@]} == 0)); then
      ((NODES == 1)) && return 0
      (($(live_brokers) >= $# )) && return 0
    fi
    sleep 1
  done
  log "nodes ${pending[*]:-} not ready after ${START_TIMEOUT}s; last log lines:"
  for n in "${pending[@]}"; do tail -n 30 "$(node_dir "$n")/kafka.log" >&2 || true; done
  return 1
}

# Launches node n in the background (no waiting); prints nothing if it already runs.
launch_node() {
  local n="$1" dir pid port
  dir="$(node_dir "$n")"
  running_pid "$n" >/dev/null && return 0
  rm -f "$dir/kafka.pid"
  port="$(client_port "$n")"
  if port_open "$port"; then
    ((NODES == 1)) && broker_answers 1 && {
      log "a Kafka broker not started from $STATE_DIR already answers on 127.0.0.1:$port; leaving it alone"
      return 0
    }
    die "port $port is in use by something that is not our node $n"
  fi
  port_open "$(controller_port "$n")" && die "controller port $(controller_port "$n") is already in use"
  write_config "$n"
  format_storage "$n"
  # Keep one previous log so a crash before a restart can still be read.
  [[ -f "$dir/kafka.log" ]] && mv -f "$dir/kafka.log" "$dir/kafka.log.1"
  # shellcheck disable=SC2086  # HEAP_OPTS is a list of flags
  nohup java -server $HEAP_OPTS \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" \
    -cp "$LIB_DIR/*" kafka.Kafka "$dir/server.properties" \
    >"$dir/kafka.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$dir/kafka.pid"
  log "started node $n, pid $pid, on 127.0.0.1:$port (log: $dir/kafka.log)"
}

cmd_start() {
  mkdir -p "$STATE_DIR"
  ensure_jars
  [[ "$SASL_SSL" == 1 ]] && ensure_security_material
  write_probe_config
  local n t0=$SECONDS pids=()
  # Formatting is a JVM per node: side by side.
  ensure_cluster_id
  for n in $(all_nodes); do
    running_pid "$n" >/dev/null || { write_config "$n" && format_storage "$n"; } &
    pids+=($!)
  done
  for n in "${pids[@]}"; do wait "$n" || die "formatting storage failed"; done
  # Every node first: a cluster's controllers need a quorum before any of them is ready.
  for n in $(all_nodes); do launch_node "$n"; done
  # shellcheck disable=SC2046
  wait_ready $(all_nodes) || { cmd_stop >/dev/null 2>&1 || true; exit 1; }
  [[ "$SASL_SSL" == 1 ]] && ensure_acls
  log "ready on $(bootstrap) after $((SECONDS - t0))s"
  [[ "$SASL_SSL" == 1 ]] && log "SASL_SSL (SCRAM-SHA-512) on $(sasl_bootstrap); CA $TLS_DIR/ca.pem, passwords in $SECRETS_DIR"
  return 0
}

# SIGTERM runs Kafka's shutdown hook: it flushes logs and writes a clean
# shutdown marker, so the next start skips log recovery.
stop_nodes() {
  local n pid pids=() i
  for n in "$@"; do
    pid="$(running_pid "$n")" || { rm -f "$(node_dir "$n")/kafka.pid"; continue; }
    kill -TERM "$pid" 2>/dev/null || true
    pids+=("$n:$pid")
  done
  ((${#pids[@]} == 0)) && { log "not running"; return 0; }
  for ((i = 0; i < 300; i++)); do
    local alive=0 entry
    for entry in "${pids[@]}"; do kill -0 "${entry#*:}" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for entry in "${pids[@]}"; do
    pid="${entry#*:}"
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid did not exit within 30s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
    rm -f "$(node_dir "${entry%%:*}")/kafka.pid"
    log "stopped node ${entry%%:*} (pid $pid)"
  done
}

# SIGKILL: a crash, no shutdown hook, no leadership hand-over.
kill_node() {
  local pid
  pid="$(running_pid "$1")" || { log "node $1 not running"; return 0; }
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  rm -f "$(node_dir "$1")/kafka.pid"
  log "killed node $1 (pid $pid)"
}

cmd_status() {
  local n pid any=0
  for n in $(all_nodes); do
    if pid="$(running_pid "$n")"; then
      any=1
      if port_open "$(client_port "$n")"; then
        echo "node $n running (pid $pid) on 127.0.0.1:$(client_port "$n")"
      else
        echo "node $n starting (pid $pid), port $(client_port "$n") not open yet"
      fi
    else
      echo "node $n not running"
    fi
  done
  ((any)) || return 3
}

cmd_reset() {
  # A fresh cluster: new cluster id, no topics, no offsets, no users. Jars are kept.
  local n
  for n in $(all_nodes); do
    running_pid "$n" >/dev/null && die "node $n is running; run '$0 stop' first"
  done
  for n in $(all_nodes); do rm -rf "$(node_dir "$n")/data"; done
  rm -rf "$CLUSTER_ID_FILE" "$ACLS_DONE" "$TLS_DIR" "$SECRETS_DIR"
  log "removed the data of $NODES node(s) under $STATE_DIR"
}

node_arg() {
  [[ "${1:-}" =~ ^[0-9]+$ ]] && (($1 >= 1 && $1 <= NODES)) || die "node must be 1..$NODES"
  echo "$1"
}

case "${1:-}" in
  start) cmd_start ;;
  # shellcheck disable=SC2046
  stop) stop_nodes $(all_nodes) ;;
  # shellcheck disable=SC2046
  restart) stop_nodes $(all_nodes) && cmd_start ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  start-node)
    n="$(node_arg "${2:-}")"
    ensure_jars
    write_probe_config
    launch_node "$n"
    wait_ready "$n"
    ;;
  stop-node) stop_nodes "$(node_arg "${2:-}")" ;;
  kill-node) kill_node "$(node_arg "${2:-}")" ;;
  *)
    echo "usage: $0 {start|stop|restart|status|reset} | {start-node|stop-node|kill-node} <n>" >&2
    exit 2
    ;;
esac
