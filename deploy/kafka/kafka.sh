#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft combined mode) built from Maven Central
# jars: no Docker, no ZooKeeper, no tarball download.
#
#   kafka.sh start|stop|restart|status|reset
#
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093),
#      KAFKA_HOME_DIR (<repo>/.kafka), KAFKA_LIB_DIR (<home>/lib), KAFKA_START_TIMEOUT (90, seconds),
#      KAFKA_HEAP_OPTS (-Xms256m -Xmx768m).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
STATE_DIR="${KAFKA_HOME_DIR:-$REPO_ROOT/.kafka}"
# Absolute, because log.dirs and the pid file must not depend on the caller's cwd.
[[ "$STATE_DIR" == /* ]] || STATE_DIR="$PWD/$STATE_DIR"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
# Modest heap: the machine has 2 cores and the app and tests run beside it.
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"

# KAFKA_LIB_DIR lets a second broker (e.g. the tests') share the downloaded jars.
LIB_DIR="${KAFKA_LIB_DIR:-$STATE_DIR/lib}"
DATA_DIR="$STATE_DIR/data"
PID_FILE="$STATE_DIR/kafka.pid"
LOG_FILE="$STATE_DIR/kafka.log"
CONFIG_FILE="$STATE_DIR/server.properties"
CLUSTER_ID_FILE="$STATE_DIR/cluster.id"
PROBE_CONFIG="$STATE_DIR/probe.properties"
LOG4J_CONFIG="$SCRIPT_DIR/log4j2.properties"
# The lib dir is tied to the pom it came from, so bumping the Kafka version
# in pom.xml re-fetches instead of running a stale classpath.
LIB_STAMP="$LIB_DIR/.pom.sha256"

log() { echo "[kafka.sh] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

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

# Short-lived JVMs (format, probe): C1 only starts noticeably faster on 2 cores.
tool_java() {
  java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" -Dkafka.root.level=WARN \
    -cp "$LIB_DIR/*" "$@"
}

write_config() {
  # '|' delimiter: DATA_DIR is a path.
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
      -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
      -e "s|@DATA_DIR@|$DATA_DIR|g" \
      "$SCRIPT_DIR/server.properties.template" >"$CONFIG_FILE"
  # Bounded admin timeouts so a half-up broker fails the probe fast instead of
  # the AdminClient's default 60 s.
  cat >"$PROBE_CONFIG" <<EOF
request.timeout.ms=5000
default.api.timeout.ms=8000
EOF
}

format_storage() {
  # meta.properties marks a formatted dir; skipping the JVM saves seconds on
  # every warm start. --ignore-formatted covers a half-finished earlier format.
  [[ -f "$DATA_DIR/meta.properties" ]] && return
  if [[ ! -s "$CLUSTER_ID_FILE" ]]; then
    tool_java kafka.tools.StorageTool random-uuid >"$CLUSTER_ID_FILE"
  fi
  log "formatting KRaft storage (cluster id $(cat "$CLUSTER_ID_FILE"))"
  mkdir -p "$DATA_DIR"
  tool_java kafka.tools.StorageTool format --ignore-formatted \
    --cluster-id "$(cat "$CLUSTER_ID_FILE")" --config "$CONFIG_FILE" >/dev/null
}

# PID from the pid file, only if that process is still our broker (guards
# against a recycled pid after a reboot or a crash).
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *" kafka.Kafka "* ]] || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The real readiness test: an admin client gets metadata back.
broker_answers() {
  port_open "$KAFKA_PORT" || return 1
  [[ -d "$LIB_DIR" ]] || return 1
  timeout 20 java -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" -Dkafka.root.level=ERROR \
    -cp "$LIB_DIR/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "127.0.0.1:$KAFKA_PORT" --command-config "$PROBE_CONFIG" \
    --list >/dev/null 2>&1
}

wait_ready() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "broker process $pid exited during startup; last log lines:"
      tail -n 60 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      return 1
    fi
    broker_answers && return 0
    sleep 1
  done
  log "broker not ready after ${START_TIMEOUT}s; last log lines:"
  tail -n 60 "$LOG_FILE" >&2 || true
  return 1
}

cmd_start() {
  mkdir -p "$STATE_DIR"
  local pid
  if pid="$(running_pid)"; then
    # Started earlier (maybe still booting): just make sure it answers.
    ensure_jars
    write_config
    wait_ready "$pid" || exit 1
    log "already running (pid $pid) on 127.0.0.1:$KAFKA_PORT"
    return 0
  fi
  rm -f "$PID_FILE"
  ensure_jars
  write_config
  if port_open "$KAFKA_PORT"; then
    # Something else owns the port: fine if it is a Kafka broker (e.g. one
    # started from another state dir), an error otherwise.
    if broker_answers; then
      log "a Kafka broker not started from $STATE_DIR already answers on 127.0.0.1:$KAFKA_PORT; leaving it alone"
      return 0
    fi
    die "port $KAFKA_PORT is in use by something that is not a Kafka broker"
  fi
  port_open "$KAFKA_CONTROLLER_PORT" && die "controller port $KAFKA_CONTROLLER_PORT is already in use"

  format_storage

  # Keep one previous log so a crash before a restart can still be read.
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  local t0=$SECONDS
  # shellcheck disable=SC2086  # HEAP_OPTS is a list of flags
  nohup java -server $HEAP_OPTS \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" \
    -cp "$LIB_DIR/*" kafka.Kafka "$CONFIG_FILE" \
    >"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"
  log "started broker pid $pid; waiting for 127.0.0.1:$KAFKA_PORT (log: $LOG_FILE)"
  wait_ready "$pid" || { cmd_stop >/dev/null 2>&1 || true; exit 1; }
  log "ready on 127.0.0.1:$KAFKA_PORT after $((SECONDS - t0))s"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  # SIGTERM runs Kafka's shutdown hook: it flushes logs and writes a clean
  # shutdown marker, so the next start skips log recovery.
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid did not exit within 30s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$PID_FILE"
  log "stopped (pid $pid)"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    if port_open "$KAFKA_PORT"; then
      echo "running (pid $pid) on 127.0.0.1:$KAFKA_PORT"
    else
      echo "starting (pid $pid), port $KAFKA_PORT not open yet"
    fi
    return 0
  fi
  echo "not running"
  return 3
}

cmd_reset() {
  # A fresh cluster: new cluster id, no topics, no offsets. Jars are kept.
  running_pid >/dev/null && die "broker is running; run '$0 stop' first"
  rm -rf "$DATA_DIR" "$CLUSTER_ID_FILE"
  log "removed $DATA_DIR"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop && cmd_start ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  *)
    echo "usage: $0 {start|stop|restart|status|reset}" >&2
    exit 2
    ;;
esac
