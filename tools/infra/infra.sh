#!/usr/bin/env bash
# Local infrastructure for Understudy without Docker: PostgreSQL, Redis, Kafka (KRaft).
#
#   bash tools/infra/infra.sh up       start (or reuse) everything, wait until each really answers
#   bash tools/infra/infra.sh down     stop only what `up` started
#   bash tools/infra/infra.sh status   one line per service
#   bash tools/infra/infra.sh kafka-libs   fetch the Kafka jars only; prints their directory
#
# State lives in <repo>/.infra/{pg,redis,kafka}. See docs/infra.md.
set -Eeuo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"
INFRA="$REPO/.infra"

PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
PG_TIMEOUT="${PG_TIMEOUT:-60}"
REDIS_TIMEOUT="${REDIS_TIMEOUT:-30}"
KAFKA_TIMEOUT="${KAFKA_TIMEOUT:-120}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"

APP_USER=understudy
APP_PASSWORD=understudy
DATABASES=(
  understudy_gateway
  understudy_webhook_ingest
  understudy_inventory
  understudy_pricing
  understudy_reconciler
  understudy_shopify_sim
  understudy_legacy_monolith
)
TOPICS_FILE="$REPO/libs/messaging/src/topic-catalog.json"
KAFKA_POM="$REPO/tools/kafka/pom.xml"

PG_DIR="$INFRA/pg";       PG_DATA="$PG_DIR/data";     PG_LOG="$PG_DIR/postgres.log"
REDIS_DIR="$INFRA/redis"; REDIS_PID="$REDIS_DIR/redis.pid"; REDIS_LOG="$REDIS_DIR/redis.log"
KAFKA_DIR="$INFRA/kafka"; KAFKA_PID="$KAFKA_DIR/kafka.pid"; KAFKA_LOG="$KAFKA_DIR/kafka.log"
KAFKA_LIBS="$KAFKA_DIR/libs"; KAFKA_DATA="$KAFKA_DIR/data"; KAFKA_PROPS="$KAFKA_DIR/server.properties"
MARKER=started-by-us   # file in each service dir: present only while a server *we* started runs

export PG_PORT KAFKA_PORT APP_USER APP_PASSWORD
export KAFKA_BROKERS="localhost:$KAFKA_PORT"

# ---------------------------------------------------------------------------------------------
log()  { printf 'infra: %s\n' "$*"; }
warn() { printf 'infra: WARNING: %s\n' "$*" >&2; }
die()  { printf 'infra: ERROR: %s\n' "$*" >&2; exit 1; }
# die with the tail of a log file first (for "it did not come up" errors)
die_log() {
  local file="$1"; shift
  if [[ -s "$file" ]]; then
    printf -- '----- last 40 lines of %s -----\n' "$file" >&2
    tail -n 40 "$file" >&2
    printf -- '-----\n' >&2
  fi
  die "$*"
}
is_root() { [[ "$(id -u)" -eq 0 ]]; }

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# pid listening on a TCP port (empty if unknown, e.g. not root and not our process)
port_pid() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true
}

# pid_matches PID PATTERN: process alive and its command line contains PATTERN
pid_matches() {
  local pid="$1" pattern="$2"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern"
}

read_pid() { [[ -s "$1" ]] && head -n1 "$1" | tr -dc '0-9' || true; }

# wait_pid_exit PID SECONDS -> 0 if gone
wait_pid_exit() {
  local pid="$1" i
  for ((i = 0; i < $2 * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

find_node() {
  if [[ -x "$REPO/node_modules/.bin/node" ]]; then NODE="$REPO/node_modules/.bin/node"
  elif command -v node >/dev/null 2>&1; then NODE="$(command -v node)"
  else die "node is not installed; run 'npm ci' in $REPO (it provides Node 24 in node_modules/.bin)"; fi
  [[ -d "$REPO/node_modules/kafkajs" && -d "$REPO/node_modules/pg" ]] ||
    die "node_modules is missing kafkajs/pg; run 'npm ci' in $REPO first"
}
node_helper() { "$NODE" --no-warnings "$SCRIPT_DIR/$1" "${@:2}"; }

# apt_install PKG... : root only, non-interactive, never lets the package start a system service.
apt_install() {
  is_root || die "$* is not installed and installing it needs root: run 'sudo apt-get install -y $*' (or start your own server), then retry"
  command -v apt-get >/dev/null 2>&1 || die "$* is not installed and apt-get is not available: install $* with your package manager, then retry"
  mkdir -p "$INFRA"
  log "installing Debian package(s): $* (log: .infra/apt.log)"
  (
    policy=/usr/sbin/policy-rc.d
    if [[ ! -e "$policy" ]]; then
      printf '#!/bin/sh\n# temporary, written by tools/infra/infra.sh: do not start services during install\nexit 101\n' >"$policy"
      chmod 755 "$policy"
      trap 'rm -f "$policy"' EXIT
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q -o DPkg::Lock::Timeout=120 &&
      apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=120 "$@"
  ) >>"$INFRA/apt.log" 2>&1 </dev/null || die_log "$INFRA/apt.log" "apt-get install $* failed (see .infra/apt.log)"
}

# A package post-install may still have started a system server on our port: stop it (by pid).
stop_stray_after_install() {
  local port="$1" name="$2" pid
  port_open "$port" || return 0
  pid="$(port_pid "$port")"
  [[ -n "$pid" ]] || die "a $name server appeared on port $port after installing the package and its pid is unknown; stop it, then retry"
  warn "the $name package started a system server (pid $pid) on port $port; stopping it"
  kill -TERM "$pid" 2>/dev/null || true
  wait_pid_exit "$pid" 30 || kill -KILL "$pid" 2>/dev/null || true
}

# =============================================================================================
# PostgreSQL
# =============================================================================================
find_pg_bin() {
  PG_BIN="${PG_BIN:-}"
  if [[ -z "$PG_BIN" ]]; then
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
    [[ -n "$d" && -x "$d/postgres" && -x "$d/initdb" ]] && PG_BIN="$d"
  fi
  [[ -n "$PG_BIN" ]]
}

pg_superuser() { if is_root; then echo postgres; else id -un; fi; }

# run a command as the user that owns the cluster (postgres refuses to run as root)
as_pg() {
  if is_root; then (cd "$PG_DIR" && runuser -u postgres -- "$@"); else "$@"; fi
}

pg_our_pid() {
  local pid
  pid="$(read_pid "$PG_DATA/postmaster.pid")"
  pid_matches "$pid" postgres && echo "$pid"
}
pg_ours_running() { [[ -f "$PG_DIR/$MARKER" ]] && [[ -n "$(pg_our_pid)" ]]; }

pg_answers() {
  if find_pg_bin; then
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 3 && return 0
    # pg_isready only says "accepting"; fall through to a real connection attempt
  fi
  node_helper pg.mjs ping >/dev/null 2>&1
}

# make every ancestor of $PG_DIR traversable by the postgres user
pg_make_traversable() {
  local d="$PG_DIR"
  while [[ "$d" != "/" ]]; do
    d="$(dirname "$d")"
    if ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
      warn "making $d traversable (o+x) so the postgres user can reach .infra/pg"
      chmod o+x "$d"
    fi
  done
}

pg_write_conf() {
  local q="'"
  cat >"$PG_DATA/understudy.conf" <<EOF
# written by tools/infra/infra.sh on every start; edit the script, not this file
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '${PG_DIR//$q/$q$q}'
max_connections = 500
fsync = on
synchronous_commit = on
full_page_writes = on
password_encryption = 'scram-sha-256'
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
EOF
  grep -q "^include_if_exists = 'understudy.conf'" "$PG_DATA/postgresql.conf" ||
    printf "\n# Understudy local settings (tools/infra/infra.sh)\ninclude_if_exists = 'understudy.conf'\n" >>"$PG_DATA/postgresql.conf"
  if is_root; then chown postgres:postgres "$PG_DATA/understudy.conf"; fi
}

pg_start_ours() {
  if ! find_pg_bin; then
    apt_install postgresql
    stop_stray_after_install "$PG_PORT" postgresql
    find_pg_bin || die "PostgreSQL binaries still not found under /usr/lib/postgresql/*/bin after installing postgresql"
  fi
  local super; super="$(pg_superuser)"
  mkdir -p "$PG_DIR"
  if is_root; then
    id postgres >/dev/null 2>&1 || die "the 'postgres' system user is missing; run 'apt-get install --reinstall postgresql-common', then retry"
    chown postgres:postgres "$PG_DIR"
    [[ -e "$PG_LOG" ]] && chown postgres:postgres "$PG_LOG"
    pg_make_traversable
  fi
  if [[ ! -s "$PG_DATA/PG_VERSION" ]]; then
    log "postgres: initdb ($PG_BIN, superuser '$super') in .infra/pg/data"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$super" -E UTF8 --locale=C.UTF-8 --data-checksums \
      --auth-local=peer --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 ||
      die_log "$PG_DIR/initdb.log" "initdb failed (see .infra/pg/initdb.log)"
  else
    local have want
    have="$(cat "$PG_DATA/PG_VERSION")"; want="$("$PG_BIN/postgres" -V | grep -o '[0-9]*' | head -n1)"
    [[ "$have" == "$want" ]] || die "'.infra/pg/data' is a PostgreSQL $have cluster but the newest binaries are $want: set PG_BIN=/usr/lib/postgresql/$have/bin or remove .infra/pg"
  fi
  pg_write_conf
  rm -f "$PG_DATA/postmaster.pid.stale"
  log "postgres: starting on 127.0.0.1:$PG_PORT"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$PG_TIMEOUT" start >/dev/null 2>&1 9>&- ||
    die_log "$PG_LOG" "postgres did not start within ${PG_TIMEOUT}s (log: .infra/pg/postgres.log)"
  date -u +%FT%TZ >"$PG_DIR/$MARKER"
  pg_our_pid >"$PG_DIR/postgres.pid"
}

pg_psql_admin_ours() {
  as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U "$(pg_superuser)" -d postgres "$@"
}

pg_role_sql() {
  cat <<EOF
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$APP_USER') THEN
    CREATE ROLE $APP_USER LOGIN CREATEDB PASSWORD '$APP_PASSWORD';
  END IF;
END \$\$;
EOF
}

pg_up() {
  local mode
  if pg_ours_running; then
    mode=ours; log "postgres: already running (ours, pid $(pg_our_pid))"
  elif port_open "$PG_PORT"; then
    pg_answers || die "port $PG_PORT is in use by something that does not answer as PostgreSQL (pid $(port_pid "$PG_PORT")); free it or set PG_PORT"
    mode=foreign; log "postgres: reusing the server already on port $PG_PORT (not started by us; down leaves it alone)"
    rm -f "$PG_DIR/$MARKER"
  else
    rm -f "$PG_DIR/$MARKER"
    pg_start_ours
    mode=ours
  fi

  local i
  for ((i = 0; i < PG_TIMEOUT; i++)); do pg_answers && break; sleep 1; done
  pg_answers || die_log "$PG_LOG" "postgres on port $PG_PORT did not answer pg_isready within ${PG_TIMEOUT}s"

  if [[ "$mode" == ours ]]; then
    # pg_signal_backend: DROP DATABASE … WITH (FORCE) (the tests' clean-up) must be allowed to end a backend whose role is
    # not yet set — an autovacuum worker or a connection still starting — which a plain CREATEDB role may not (42501).
    { pg_role_sql; echo "ALTER ROLE $APP_USER LOGIN CREATEDB PASSWORD '$APP_PASSWORD';"; echo "GRANT pg_signal_backend TO $APP_USER;"; } | pg_psql_admin_ours >/dev/null ||
      die_log "$PG_LOG" "could not create role $APP_USER in our cluster"
  elif ! node_helper pg.mjs login >/dev/null 2>&1; then
    # Foreign server and the app role cannot log in: create the role if we have an admin path.
    # An existing role is never altered (its password may differ on purpose).
    local psql_bin=""
    if find_pg_bin; then psql_bin="$PG_BIN/psql"; elif command -v psql >/dev/null 2>&1; then psql_bin="$(command -v psql)"; fi
    if is_root && id postgres >/dev/null 2>&1 && [[ -n "$psql_bin" ]]; then
      log "postgres: creating role $APP_USER via 'runuser -u postgres -- psql' (peer auth, default socket)"
      pg_role_sql | (cd / && runuser -u postgres -- "$psql_bin" -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres) >/dev/null 2>&1 ||
        warn "could not create role $APP_USER via 'runuser -u postgres -- psql' (peer auth on the default socket)"
    elif [[ -n "${PG_ADMIN_URL:-}" ]]; then
      log "postgres: creating role $APP_USER via PG_ADMIN_URL"
      node_helper pg.mjs admin-role || warn "could not create role $APP_USER via PG_ADMIN_URL"
    fi
    node_helper pg.mjs login >/dev/null 2>&1 ||
      die "the PostgreSQL server on port $PG_PORT is not ours and role '$APP_USER' (password '$APP_PASSWORD') cannot log in: create it (LOGIN CREATEDB), set PG_ADMIN_URL=postgres://<superuser>@localhost:$PG_PORT/postgres, or stop that server"
  fi

  local out
  out="$(node_helper pg.mjs ensure "${DATABASES[@]}" 2>&1)" ||
    die "postgres answers on port $PG_PORT but '$APP_USER' cannot log in / create databases: $out"
  log "postgres: $out"
}

pg_down() {
  if pg_ours_running; then
    find_pg_bin || die "cannot find pg_ctl to stop our PostgreSQL (pid $(pg_our_pid))"
    log "postgres: stopping (pid $(pg_our_pid))"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1 ||
      die_log "$PG_LOG" "pg_ctl stop failed"
    rm -f "$PG_DIR/$MARKER" "$PG_DIR/postgres.pid"
  else
    rm -f "$PG_DIR/$MARKER" "$PG_DIR/postgres.pid"
    if port_open "$PG_PORT"; then log "postgres: left alone (port $PG_PORT is served by a server we did not start)"
    else log "postgres: not running"; fi
  fi
}

# =============================================================================================
# Redis
# =============================================================================================
redis_our_pid() {
  local pid; pid="$(read_pid "$REDIS_PID")"
  pid_matches "$pid" redis-server && echo "$pid"
}
redis_ours_running() { [[ -f "$REDIS_DIR/$MARKER" ]] && [[ -n "$(redis_our_pid)" ]]; }

redis_ping() {
  local reply
  if command -v redis-cli >/dev/null 2>&1; then
    reply="$(timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true)"
  else
    reply="$(timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$REDIS_PORT; printf 'PING\r\n' >&3; head -c 7 <&3" 2>/dev/null | tr -d '+\r\n' || true)"
  fi
  [[ "$reply" == PONG ]]
}

redis_start_ours() {
  if ! command -v redis-server >/dev/null 2>&1; then
    apt_install redis-server
    stop_stray_after_install "$REDIS_PORT" redis
  fi
  command -v redis-server >/dev/null 2>&1 || die "redis-server still not found after installing redis-server"
  mkdir -p "$REDIS_DIR"
  cat >"$REDIS_DIR/redis.conf" <<EOF
# written by tools/infra/infra.sh on every start; edit the script, not this file
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize yes
dir $REDIS_DIR
pidfile $REDIS_PID
logfile $REDIS_LOG
appendonly yes
appendfsync everysec
save 3600 1 300 100 60 10000
EOF
  rm -f "$REDIS_PID"
  log "redis: starting on 127.0.0.1:$REDIS_PORT"
  redis-server "$REDIS_DIR/redis.conf" </dev/null >>"$REDIS_LOG" 2>&1 9>&- ||
    die_log "$REDIS_LOG" "redis-server failed to start (log: .infra/redis/redis.log)"
  date -u +%FT%TZ >"$REDIS_DIR/$MARKER"
}

redis_up() {
  if redis_ours_running; then
    log "redis: already running (ours, pid $(redis_our_pid))"
  elif port_open "$REDIS_PORT"; then
    redis_ping || die "port $REDIS_PORT is in use by something that does not answer Redis PING (pid $(port_pid "$REDIS_PORT")); free it or set REDIS_PORT"
    rm -f "$REDIS_DIR/$MARKER"
    log "redis: reusing the server already on port $REDIS_PORT (not started by us; down leaves it alone)"
    return 0
  else
    rm -f "$REDIS_DIR/$MARKER"
    redis_start_ours
  fi
  local i
  for ((i = 0; i < REDIS_TIMEOUT * 4; i++)); do redis_ping && break; sleep 0.25; done
  redis_ping || die_log "$REDIS_LOG" "redis did not answer PING with PONG within ${REDIS_TIMEOUT}s"
  log "redis: PING -> PONG (pid $(redis_our_pid))"
}

redis_down() {
  if redis_ours_running; then
    local pid; pid="$(redis_our_pid)"
    log "redis: stopping (pid $pid)"
    kill -TERM "$pid"
    wait_pid_exit "$pid" 30 || die_log "$REDIS_LOG" "redis (pid $pid) did not stop within 30s"
  elif port_open "$REDIS_PORT"; then log "redis: left alone (port $REDIS_PORT is served by a server we did not start)"
  else log "redis: not running"; fi
  rm -f "$REDIS_DIR/$MARKER"
}

# =============================================================================================
# Kafka
# =============================================================================================
kafka_version() {
  sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_POM" | head -n1
}

kafka_our_pid() {
  local pid; pid="$(read_pid "$KAFKA_PID")"
  pid_matches "$pid" "$KAFKA_PROPS" && echo "$pid"
}
kafka_ours_running() { [[ -f "$KAFKA_DIR/$MARKER" ]] && [[ -n "$(kafka_our_pid)" ]]; }
kafka_answers() { node_helper kafka.mjs probe --timeout-ms "${1:-3000}" >/dev/null 2>&1; }

kafka_java() {
  command -v java >/dev/null 2>&1 || die "java is not installed; Kafka needs Java 17+: run 'apt-get install -y openjdk-17-jre-headless', then retry"
  local v major
  v="$(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
  major="${v%%.*}"; [[ "$major" == 1 ]] && major="$(cut -d. -f2 <<<"$v")"
  [[ "$major" =~ ^[0-9]+$ && "$major" -ge 17 ]] || die "Kafka $(kafka_version) needs Java 17+, found '${v:-unknown}': install openjdk-17-jre-headless, then retry"
}

kafka_fetch_libs() {
  local want; want="$(kafka_version)"
  [[ -n "$want" ]] || die "cannot read <kafka.version> from tools/kafka/pom.xml"
  if [[ -f "$KAFKA_LIBS/.kafka-version" && "$(cat "$KAFKA_LIBS/.kafka-version")" == "$want" ]] &&
     compgen -G "$KAFKA_LIBS/kafka_2.13-*.jar" >/dev/null; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "Maven is needed once to fetch Kafka $want jars: run 'apt-get install -y maven' (or put the jars in .infra/kafka/libs), then retry"
  log "kafka: fetching Apache Kafka $want jars with Maven into .infra/kafka/libs (log: .infra/kafka/maven.log)"
  local tmp="$KAFKA_DIR/libs.tmp"
  rm -rf "$tmp"; mkdir -p "$KAFKA_DIR"
  mvn -B -q -f "$KAFKA_POM" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$tmp" >"$KAFKA_DIR/maven.log" 2>&1 </dev/null ||
    die_log "$KAFKA_DIR/maven.log" "Maven could not fetch Kafka $want (see .infra/kafka/maven.log)"
  echo "$want" >"$tmp/.kafka-version"
  rm -rf "$KAFKA_LIBS"; mv "$tmp" "$KAFKA_LIBS"
}

kafka_tool() {
  java -Xmx256m -Dlog4j2.configurationFile="$REPO/tools/kafka/log4j2-tools.properties" \
    -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool "$@"
}

kafka_write_props() {
  mkdir -p "$KAFKA_DATA" "$KAFKA_DIR/logs"
  {
    cat "$REPO/tools/kafka/server.properties"
    echo
    echo "# ---- appended by tools/infra/infra.sh (machine-specific) ----"
    echo "log.dirs=$KAFKA_DATA"
    echo "listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT"
    echo "advertised.listeners=PLAINTEXT://localhost:$KAFKA_PORT"
    echo "controller.quorum.voters=1@localhost:$KAFKA_CONTROLLER_PORT"
  } >"$KAFKA_PROPS"
}

kafka_format_if_needed() {
  local id
  if [[ -s "$KAFKA_DATA/meta.properties" ]]; then
    # already formatted: never re-format (that would orphan all topics/offsets)
    if [[ ! -s "$KAFKA_DIR/cluster-id" ]]; then
      sed -n 's/^cluster.id=//p' "$KAFKA_DATA/meta.properties" >"$KAFKA_DIR/cluster-id"
    fi
    return 0
  fi
  if [[ -s "$KAFKA_DIR/cluster-id" ]]; then
    id="$(cat "$KAFKA_DIR/cluster-id")"
  else
    id="$(kafka_tool random-uuid 2>>"$KAFKA_DIR/format.log" | tail -n1 | tr -d '[:space:]')"
    [[ "$id" =~ ^[A-Za-z0-9_-]{22}$ ]] || die_log "$KAFKA_DIR/format.log" "could not generate a Kafka cluster id (got '$id')"
    echo "$id" >"$KAFKA_DIR/cluster-id"
  fi
  log "kafka: formatting storage (cluster id $id)"
  kafka_tool format -t "$id" -c "$KAFKA_PROPS" >>"$KAFKA_DIR/format.log" 2>&1 ||
    die_log "$KAFKA_DIR/format.log" "kafka storage format failed (see .infra/kafka/format.log)"
}

# Launch (no wait): sets KAFKA_MODE=ours|foreign
kafka_launch() {
  if kafka_ours_running; then
    KAFKA_MODE=ours; log "kafka: already running (ours, pid $(kafka_our_pid))"; return 0
  fi
  if port_open "$KAFKA_PORT"; then
    kafka_answers 5000 || die "port $KAFKA_PORT is in use by something that does not answer as Kafka (pid $(port_pid "$KAFKA_PORT")); free it or set KAFKA_PORT"
    rm -f "$KAFKA_DIR/$MARKER"
    KAFKA_MODE=foreign; log "kafka: reusing the broker already on port $KAFKA_PORT (not started by us; down leaves it alone)"
    return 0
  fi
  port_open "$KAFKA_CONTROLLER_PORT" && die "Kafka controller port $KAFKA_CONTROLLER_PORT is in use (pid $(port_pid "$KAFKA_CONTROLLER_PORT")); free it or set KAFKA_CONTROLLER_PORT"
  rm -f "$KAFKA_DIR/$MARKER"
  kafka_java
  kafka_fetch_libs
  kafka_write_props
  kafka_format_if_needed
  [[ -f "$KAFKA_LOG" ]] && mv -f "$KAFKA_LOG" "$KAFKA_LOG.prev"
  log "kafka: starting Apache Kafka $(kafka_version) (KRaft) on localhost:$KAFKA_PORT"
  # setsid: own session, so a Ctrl-C / hangup of the calling terminal does not take it down.
  # shellcheck disable=SC2086
  setsid nohup java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$REPO/tools/kafka/log4j2.properties" \
    -Dkafka.logs.dir="$KAFKA_DIR/logs" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_PROPS" >"$KAFKA_LOG" 2>&1 </dev/null 9>&- &
  echo $! >"$KAFKA_PID"
  date -u +%FT%TZ >"$KAFKA_DIR/$MARKER"
  KAFKA_MODE=ours
}

kafka_wait_and_topics() {
  if [[ "$KAFKA_MODE" == ours ]]; then
    local out rc=0
    out="$(node_helper kafka.mjs wait --timeout-s "$KAFKA_TIMEOUT" --pid "$(read_pid "$KAFKA_PID")" 2>&1)" || rc=$?
    if [[ $rc -ne 0 ]]; then
      [[ $rc -eq 3 ]] && rm -f "$KAFKA_DIR/$MARKER" "$KAFKA_PID"
      if [[ $rc -eq 3 ]]; then die_log "$KAFKA_LOG" "kafka exited while starting (log: .infra/kafka/kafka.log)"; fi
      die_log "$KAFKA_LOG" "kafka did not answer a describeCluster request within ${KAFKA_TIMEOUT}s: $out"
    fi
    log "kafka: describeCluster ok, $out (pid $(kafka_our_pid))"
  fi
  [[ -f "$TOPICS_FILE" ]] || die "topic list $TOPICS_FILE is missing"
  local out
  out="$(node_helper kafka.mjs topics "$TOPICS_FILE" 2>&1)" || die "creating Kafka topics failed: $out"
  log "kafka: $out"
}

kafka_down() {
  if kafka_ours_running; then
    local pid; pid="$(kafka_our_pid)"
    log "kafka: stopping (pid $pid, controlled shutdown)"
    kill -TERM "$pid"
    if ! wait_pid_exit "$pid" 90; then
      warn "kafka (pid $pid) did not stop within 90s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      wait_pid_exit "$pid" 10 || true
    fi
  elif port_open "$KAFKA_PORT"; then log "kafka: left alone (port $KAFKA_PORT is served by a broker we did not start)"
  else log "kafka: not running"; fi
  rm -f "$KAFKA_DIR/$MARKER" "$KAFKA_PID"
}

# =============================================================================================
# commands
# =============================================================================================
take_lock() {
  mkdir -p "$INFRA"
  # fd 9 holds the lock; every long-lived server we spawn gets '9>&-' so it does not inherit it
  exec 9>"$INFRA/.lock"
  flock -w 300 9 || die "another infra.sh up/down is running (lock .infra/.lock)"
}

cmd_up() {
  local t0=$SECONDS
  take_lock
  find_node
  [[ -f "$TOPICS_FILE" ]] || die "topic list $TOPICS_FILE is missing"
  mkdir -p "$PG_DIR" "$REDIS_DIR" "$KAFKA_DIR"
  kafka_launch          # Kafka boots in the background while PostgreSQL and Redis come up
  pg_up
  redis_up
  kafka_wait_and_topics
  log "all services up in $((SECONDS - t0))s"
  echo
  for db in "${DATABASES[@]}"; do
    echo "DATABASE_URL=postgres://$APP_USER:$APP_PASSWORD@localhost:$PG_PORT/$db"
  done
  echo "REDIS_URL=redis://localhost:$REDIS_PORT"
  echo "KAFKA_BROKERS=localhost:$KAFKA_PORT"
}

cmd_down() {
  take_lock
  kafka_down
  redis_down
  pg_down
}

status_line() { printf '%-9s %-5s pid=%-8s port=%-5s %s\n' "$@"; }

# One server's status line: ours (pid from <prefix>_our_pid), reused (answers <probe>) or down.
status_server() {
  local name="$1" prefix="$2" port="$3" probe="$4" data="$5"
  if "${prefix}_ours_running"; then
    status_line "$name" up "$("${prefix}_our_pid")" "$port" "started-by-us  data=$data"
  elif port_open "$port" && "$probe"; then
    status_line "$name" up "$(port_pid "$port")" "$port" "reused (not started by us)"
  else
    status_line "$name" down - "$port" ""
  fi
}

cmd_status() {
  find_node
  local pid owner extra
  status_server postgres pg "$PG_PORT" pg_answers .infra/pg/data
  status_server redis redis "$REDIS_PORT" redis_ping .infra/redis
  # kafka
  if kafka_ours_running; then pid="$(kafka_our_pid)"; owner="started-by-us  kafka=$(cat "$KAFKA_LIBS/.kafka-version" 2>/dev/null || echo '?')"
  else pid="$(port_pid "$KAFKA_PORT")"; owner="reused (not started by us)"; fi
  if port_open "$KAFKA_PORT" && extra="$(node_helper kafka.mjs count 2>/dev/null)"; then
    status_line kafka up "${pid:--}" "$KAFKA_PORT" "$owner  topics=$extra"
  elif kafka_ours_running; then
    status_line kafka down "$pid" "$KAFKA_PORT" "started-by-us but not answering yet (log: .infra/kafka/kafka.log)"
  else
    status_line kafka down - "$KAFKA_PORT" ""
  fi
}

# The Kafka jars only (fetched once, cached in .infra/kafka/libs), for tools that run a private
# broker (the fault suite); prints the directory.
cmd_kafka_libs() {
  take_lock
  kafka_java
  kafka_fetch_libs
  echo "$KAFKA_LIBS"
}

case "${1:-}" in
  up) cmd_up ;;
  kafka-libs) cmd_kafka_libs ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: bash tools/infra/infra.sh up|down|status|kafka-libs" >&2; exit 64 ;;
esac
